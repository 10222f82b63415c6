"""PostgreSQL for organisations: one daemon's send rate against SQLite in the same run, and the maintenance
passes over many applicants (nightly shortlist refresh, hourly digest pass) with the time per applicant.

Run: .venv/bin/python -m bench.bench_postgres [APPLICANTS] (default 1000). It starts its own throw-away
PostgreSQL server (tests/pg_server.py: unix socket only, fsync off, as in the tests; a production server
with fsync on is slower per commit) and a counting SMTP sink on loopback. All applicants are synthetic.
"""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.bench_daemon import _free_port, _sink, add_reminders

SENDS = 1000
ZONES = ("Asia/Kolkata", "America/Chicago", "Africa/Lagos", "Europe/London", "Asia/Manila", "America/New_York",
         "Australia/Sydney", "Pacific/Auckland")


def _context(url: str):  # type: ignore[no-untyped-def]
    from imgcoach.core.clock import SystemClock
    from imgcoach.core.context import Context
    from imgcoach.core.settings import Settings
    from imgcoach.storage.db import Database

    return Context(db=Database(url), clock=SystemClock(), settings=Settings())


def send_rate(url: str, port: int, root: Path) -> float:
    """Messages per second of one OutboxWorker sending SENDS due reminders (claim, render, send, record)."""
    from imgcoach.plan.people import add_contact
    from imgcoach.plan.profile import set_profile
    from imgcoach.plan.rotations import add_rotation
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.render import MailRenderer
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings

    ctx = _context(url)
    try:
        set_profile(ctx, name="Bench Applicant (synthetic)", email="applicant@example.com", timezone="Asia/Kolkata",
                    graduation_year=2022, visa="j1", target_specialties=["Internal Medicine"])
        rot = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Synthetic Hospital",
                           start_date=date(2026, 1, 5), end_date=date(2026, 1, 30))
        add_contact(ctx, "Dr. Synthetic Supervisor", rotation_id=rot.id, role="supervisor", email="sup@example.org")
        add_reminders(ctx, rot.id, SENDS, lambda i: datetime.now(UTC) - timedelta(seconds=1), "rate")
        settings = MailSettings(maildir=root / "M", smtp=SmtpSettings(host="127.0.0.1", port=port, security="none"),
                                sender="reminders@example.org")
        worker = OutboxWorker(ctx, settings, renderer=MailRenderer(override_dir=root / "config"))
        worker.start(ctx.clock.now())
        start = time.perf_counter()
        sent = 0
        while sent < SENDS:
            sent += worker.run_due(ctx.clock.now(), lambda: False)
        elapsed = time.perf_counter() - start
        worker.stop(ctx.clock.now())
        return SENDS / elapsed
    finally:
        ctx.db.close()


def add_applicants(ctx, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` synthetic applicants in eight zones, each with one rotation ending soon and a pending reminder."""
    from imgcoach.storage.models import Applicant, Reminder, Rotation

    now = datetime.now(UTC)
    people = [dict(name=f"Synthetic Applicant {i}", email=f"applicant{i}@example.org", timezone=ZONES[i % len(ZONES)],
                   school="", school_country="IN", graduation_year=2021, visa="j1", us_citizen=False,
                   target_specialties=["Internal Medicine"], target_countries=["US"], target_states=[],
                   cv_path="", personal_statement_path="", synthetic=True, created_at=now, updated_at=now)
              for i in range(count)]
    with ctx.db.transaction() as session:
        ids = list(session.execute(insert(Applicant).returning(Applicant.id), people).scalars())
        start = now.date() - timedelta(days=14)
        rotations = list(session.execute(insert(Rotation).returning(Rotation.id), [
            dict(applicant_id=a, kind="observership", specialty="Internal Medicine", institution="Synthetic Hospital",
                 department="", city="", state="NY", country="US", start_date=start, end_date=start + timedelta(days=28),
                 setting="inpatient", hours_per_week=40, hands_on=False, responsibilities="", learned="")
            for a in ids]).scalars())
        session.execute(insert(Reminder), [
            dict(applicant_id=a, key=f"org:{a}", kind="thank_you", template_key="thank_you", rotation_id=r,
                 recipient=f"applicant{n}@example.org", due_at=now + timedelta(days=2), expires_at=now + timedelta(days=30),
                 status="pending", attempts=0, last_error="", claimed_by="", message_id=f"<org.{a}@imgcoach.bench>",
                 calendar_uid=f"org-{a}@imgcoach", late=False, note="", payload={}, requires_approval=False,
                 created_at=now, updated_at=now)
            for n, (a, r) in enumerate(zip(ids, rotations, strict=True))])
    return ids


def maintenance(url: str, count: int) -> dict[str, float]:
    """Seconds for the nightly shortlist refresh and the digest pass (first and unchanged) over `count` applicants."""
    from importlib import resources

    from imgcoach.matching.programs import import_programs
    from imgcoach.matching.runs import refresh_all
    from imgcoach.reminders.digest import ensure_weekly_digests

    ctx = _context(url)
    try:
        sample = resources.files("imgcoach.matching").joinpath("data/sample_programs.csv.gz")
        with resources.as_file(sample) as path:
            import_programs(ctx, path)
        add_applicants(ctx, count)
        out: dict[str, float] = {}
        start = time.perf_counter()
        refreshed = refresh_all(ctx)
        out["shortlist"] = time.perf_counter() - start
        assert refreshed == count, refreshed
        start = time.perf_counter()
        run = ensure_weekly_digests(ctx)
        out["digest_first"] = time.perf_counter() - start
        assert len(run.created) == count, len(run.created)
        start = time.perf_counter()
        ensure_weekly_digests(ctx)
        out["digest_again"] = time.perf_counter() - start
        return out
    finally:
        ctx.db.close()


def main() -> None:
    from tests.pg_server import TEMPLATE, PostgresServer

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    port = _free_port()
    ready = multiprocessing.get_context("spawn").Event()
    sink = multiprocessing.get_context("spawn").Process(target=_sink, args=(port, ready), daemon=True)
    sink.start()
    ready.wait(30)
    server = PostgresServer()
    try:
        from imgcoach.storage.db import Database

        Database(server.url(TEMPLATE)).close()
        with tempfile.TemporaryDirectory() as a:
            sqlite_rate = send_rate(f"sqlite:///{Path(a) / 'rate.sqlite'}", port, Path(a))
        with tempfile.TemporaryDirectory() as a:
            pg_rate = send_rate(server.url(server.new_database(TEMPLATE)), port, Path(a))
        print(f"one daemon sending {SENDS} due reminders (claim + render + send + record):")
        print(f"  SQLite     {sqlite_rate:6.0f} msg/s")
        print(f"  PostgreSQL {pg_rate:6.0f} msg/s  ({pg_rate / sqlite_rate:.2f} of SQLite)")
        times = maintenance(server.url(server.new_database(TEMPLATE)), count)
        print(f"{count} synthetic applicants on PostgreSQL (8 zones, one rotation and one reminder each):")
        for key, label in (("shortlist", "nightly shortlist refresh"), ("digest_first", "digest pass, first of the week"),
                           ("digest_again", "digest pass, nothing changed")):
            print(f"  {label:32} {times[key]:7.1f} s = {1000 * times[key] / count:6.1f} ms per applicant")
    finally:
        server.stop()
        sink.terminate()


if __name__ == "__main__":
    main()
