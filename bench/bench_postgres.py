"""PostgreSQL for organisations: one daemon's send rate against SQLite in the same run, and the maintenance
passes over many applicants (nightly shortlist refresh, hourly digest pass) with the time per applicant.

Also: several applicants' processes writing at once under per-applicant locks against the single write lock
every writer took before (the same run, the same database, alternated).

Run: .venv/bin/python -m bench.bench_postgres [APPLICANTS] (default 1000), or `... bench_postgres reads` for
`db status|check`'s start-up alone against `python -c pass`, or `... bench_postgres idle` for the idle daemon's one
read on an outbox of months (both also printed by the full run), or `... bench_postgres marker` for the app's change
marker against the tables it read before migration 0017 (alone only). It starts its own throw-away
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


def median_ms(run, rounds: int = 30) -> float:  # type: ignore[no-untyped-def]
    """The median of `rounds` calls of `run`, in ms: the idle and marker figures' one measure."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2] * 1000


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


WRITERS = 8  # applicants, each edited by its own process at once
EDITS = 40  # per process: `rotations edit`, which reads the rotation and re-derives its reminders
# An assumption, labelled in the output: what a transaction spends waiting on a real server beyond this bench's
# (network round trips to another host, a commit's fsync; this bench's server is on a unix socket, fsync off).
WAIT_IN_TRANSACTION_S = 0.005


def _edit_loop(url: str, applicant_id: int, rotation_id: int, whole_database: bool, wait_s: float,
               ready: multiprocessing.synchronize.Event, go: multiprocessing.synchronize.Event,  # type: ignore[name-defined]
               waited: multiprocessing.queues.Queue) -> None:  # type: ignore[name-defined]
    """One applicant's user (a process of its own) editing their rotation EDITS times, once `go` is set; puts the
    seconds its transactions spent opening (pool, BEGIN and the locks: the lock wait is what differs) on `waited`."""
    from contextlib import contextmanager

    from sqlalchemy import text

    from imgcoach.plan.rotations import edit_rotation
    from imgcoach.storage.db import Database

    ctx = _context(url)
    ctx.applicant_id = applicant_id
    db = ctx.db
    opening = [0.0]

    @contextmanager
    def transaction(applicant_id=None, *, rows_only=False):  # type: ignore[no-untyped-def]
        # whole_database: what every writer did before per-applicant locks (the write lock, exclusive).
        start = time.perf_counter()
        with Database.transaction(db, None if whole_database else applicant_id, rows_only=rows_only) as session:
            opening[0] += time.perf_counter() - start  # on PostgreSQL the locks are taken on entering
            if wait_s:
                session.execute(text("SELECT pg_sleep(:s)"), {"s": wait_s})  # the assumed wait, lock held
            yield session

    db.transaction = transaction  # type: ignore[method-assign]
    edit_rotation(ctx, rotation_id, hours_per_week=39)  # connect and warm up before the clock starts
    opening[0] = 0.0
    ready.set()
    go.wait(60)
    try:
        for n in range(EDITS):
            edit_rotation(ctx, rotation_id, hours_per_week=20 + n % 20)
    finally:
        db.close()
    waited.put(opening[0])


def concurrent_writers(url: str) -> dict[tuple[str, float], tuple[float, float]]:
    """WRITERS applicants' processes making EDITS edits each at once, under per-applicant locks and under the
    single write lock (exclusive), with and without the assumed wait, alternated in one run:
    {(lock, wait): (seconds for two rounds, seconds all edits spent opening their transaction)}."""
    from sqlalchemy import select

    from imgcoach.storage.models import Rotation

    ctx = _context(url)
    try:
        ids = add_applicants(ctx, WRITERS)
        with ctx.db.read() as session:
            rotations = {a: r for r, a in session.execute(select(Rotation.id, Rotation.applicant_id)).all()}
    finally:
        ctx.db.close()
    spawn = multiprocessing.get_context("spawn")
    totals: dict[tuple[str, float], tuple[float, float]] = {}
    for _ in range(2):  # alternate, so a change of load on the machine falls on both
        for wait_s in (0.0, WAIT_IN_TRANSACTION_S):
            for mode in ("applicant", "whole"):
                go, waited = spawn.Event(), spawn.Queue()
                readies = [spawn.Event() for _ in ids]
                procs = [spawn.Process(target=_edit_loop,
                                       args=(url, a, rotations[a], mode == "whole", wait_s, ready, go, waited))
                         for a, ready in zip(ids, readies, strict=True)]
                for proc in procs:
                    proc.start()
                for ready in readies:
                    ready.wait(120)
                start = time.perf_counter()
                go.set()
                opening = sum(waited.get(timeout=300) for _ in procs)
                for proc in procs:
                    proc.join(300)
                    assert proc.exitcode == 0, proc.exitcode
                elapsed = time.perf_counter() - start
                before = totals.get((mode, wait_s), (0.0, 0.0))
                totals[(mode, wait_s)] = (before[0] + elapsed, before[1] + opening)
    return totals


def quick_reads(url: str) -> None:
    """`db status`, `db check`, three list commands and `readiness` on PostgreSQL (the demo) against `python -c
    pass`, interleaved (issue 17: within 5x; they read through libpq without psycopg, storage.quickpq), and the
    same commands on the full path."""
    import os
    import subprocess

    from bench.timing import PYTHON, med, report, time_interleaved

    subprocess.run([PYTHON, "-m", "imgcoach", "demo", "--db", url], check=True, capture_output=True)
    full = {**os.environ, "IMGCOACH_FULL_READ": "1"}
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {"python -c pass (baseline)": ([PYTHON, "-c", "pass"], None)}
    for words in (["db", "status"], ["db", "check"], ["rotations", "list", "--json"], ["reminders", "list"],
                  ["exams", "list", "--json"], ["readiness"]):
        commands[f"imgcoach {' '.join(words)} (PostgreSQL)"] = ([PYTHON, "-m", "imgcoach", "--db", url, *words], None)
        commands[f"  same, full path#{words}"] = ([PYTHON, "-m", "imgcoach", "--db", url, *words], full)
    times = time_interleaved(commands, repeat=15)
    base = med(times["python -c pass (baseline)"])
    for label, values in times.items():
        report(label.split("#")[0], values, None if label.startswith("python -c pass") else base)


IDLE_OUTBOXES = (1_084, 10_800, 108_000)  # the demo's scale times 1, 10 and 100 (docs/performance.md, SCALE=)


def idle_marker(url: str) -> None:
    """The idle daemon's one read a poll (reminders.outbox_watch) on outboxes that are mostly history (sent rows with
    a body-sized payload, as months leave), against the whole-table xmin sum it replaced, in the same run."""
    import subprocess

    from sqlalchemy import func, literal_column, select, text

    from bench.timing import PYTHON
    from imgcoach.reminders.outbox_watch import OutboxWatch, R

    subprocess.run([PYTHON, "-m", "imgcoach", "demo", "--db", url], check=True, capture_output=True)
    ctx = _context(url)
    watch = OutboxWatch(ctx)
    whole_table = select(func.count(), func.max(R.c.id), func.sum(literal_column("xmin::text::bigint"))).select_from(R)

    print("the idle daemon's one read a poll on PostgreSQL, outboxes of sent reminders (median of 30, ms):")
    for target in IDLE_OUTBOXES:
        with ctx.db.engine.begin() as conn:
            names = [r[0] for r in conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'reminder' AND column_name <> 'id'"))]
            columns = ", ".join(f'"{n}"' for n in names)
            unique = {'"key"', '"message_id"', '"calendar_uid"'}
            copied = ", ".join("'sent'" if c == '"status"' else f"{c} || gen_random_uuid()" if c in unique else c
                               for c in columns.split(", "))
            rows = conn.execute(text("SELECT count(*) FROM reminder")).scalar() or 0
            while rows < target:
                conn.execute(text(f"INSERT INTO reminder ({columns}) SELECT {copied} FROM reminder ORDER BY id "
                                  "LIMIT :k"), {"k": min(rows, target - rows)})
                rows = conn.execute(text("SELECT count(*) FROM reminder")).scalar() or 0
        with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE reminder"))
            size = conn.execute(text("SELECT pg_size_pretty(pg_total_relation_size('reminder'))")).scalar()

        def pooled(statement):  # type: ignore[no-untyped-def]  # as the marker runs: a pooled connection each time
            def run() -> None:
                with ctx.db.engine.connect() as conn:
                    conn.execute(statement).all()
            return run

        before, select_1, after = median_ms(pooled(whole_table)), median_ms(pooled(text("SELECT 1"))), median_ms(
            watch.marker)
        print(f"  {rows:7,} reminders ({size}): now {after:6.2f}, the whole table's sum {before:6.2f} "
              f"({after / before:.2f}x), SELECT 1 {select_1:.2f}")
    ctx.db.close()


# The demo's reminders and programs, then 1,084 and 6,000, then 10,800 and 50,000 (docs/performance.md, marker52)
APP_MARKER_SCALES = ((0, 0), (1_084, 6_000), (10_800, 50_000))


def app_marker(url: str) -> None:
    """The app's change marker (plan.change_marker, every 2 s and at each screen return) as it is, against the
    statement it read on PostgreSQL before migration 0017 (each watched table's count, highest id, newest change
    and sum of xmin: still its fallback), in the same run; the demo's reminders and programs copied in SQL."""
    import subprocess

    from sqlalchemy import text

    from bench.timing import PYTHON
    from imgcoach.plan import change_marker
    from imgcoach.plan.plan import _marker_statement

    subprocess.run([PYTHON, "-m", "imgcoach", "demo", "--db", url], check=True, capture_output=True)
    ctx = _context(url)

    def grow(conn, table: str, target: int, unique: set[str]) -> int:  # type: ignore[no-untyped-def]
        names = [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t AND "
            "(column_name <> 'id' OR data_type <> 'integer')"), {"t": table})]
        copied = ", ".join(f'"{n}" || gen_random_uuid()' if n in unique else f'"{n}"' for n in names)
        columns = ", ".join(f'"{n}"' for n in names)
        rows = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
        while rows < target:
            conn.execute(text(f"INSERT INTO {table} ({columns}) SELECT {copied} FROM {table} LIMIT :k"),
                         {"k": min(rows, target - rows)})
            rows = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
        return rows

    def pooled(statement):  # type: ignore[no-untyped-def]  # as the marker ran: a pooled connection each time
        def run() -> None:
            with ctx.db.engine.connect() as conn:
                conn.execute(statement).all()
        return run

    print("the app's change marker on PostgreSQL (median of 30, ms):")
    for reminders, programs in APP_MARKER_SCALES:
        with ctx.db.engine.begin() as conn:
            reminders = grow(conn, "reminder", reminders, {"key", "message_id", "calendar_uid"})
            programs = grow(conn, "program", programs, {"id"})
        with ctx.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        assert change_marker(ctx)[0] == "writes noticed"
        before, select_1 = median_ms(pooled(_marker_statement("postgresql"))), median_ms(pooled(text("SELECT 1")))
        after = median_ms(lambda: change_marker(ctx))
        print(f"  {reminders:6,} reminders, {programs:6,} programs: now {after:6.2f}, the tables read {before:7.2f} "
              f"({after / before:.3f}x), SELECT 1 on a pooled connection {select_1:.2f}")

    # What the writers pay: one trigger call a statement (the notices of a transaction fold into one), against the
    # same statements with the trigger disabled, alternated, in one transaction each, as an import writes.
    def updates(enabled: bool) -> None:
        with ctx.db.engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE reminder {'ENABLE' if enabled else 'DISABLE'} TRIGGER imgcoach_write_notice"))
        with ctx.db.engine.begin() as conn:
            ids = [r[0] for r in conn.execute(text("SELECT id FROM reminder ORDER BY id LIMIT 2000"))]
            for rid in ids:
                conn.execute(text("UPDATE reminder SET status = status WHERE id = :id"), {"id": rid})

    with_trigger, without = [], []
    for _ in range(5):
        for enabled, times in ((True, with_trigger), (False, without)):
            start = time.perf_counter()
            updates(enabled)
            times.append(time.perf_counter() - start)
    updates(True)
    print(f"  2,000 one-row UPDATEs in one transaction (median of 5): {sorted(with_trigger)[2] * 1000:.0f} ms with the "
          f"trigger, {sorted(without)[2] * 1000:.0f} ms with it disabled")
    ctx.db.close()


def main() -> None:
    from tests.pg_server import TEMPLATE, PostgresServer

    # One figure alone (`reads`: the quick reads, `idle`: the idle daemon's read, `marker`: the app's change marker):
    # seconds, not the minutes of the rest
    alone = {"reads": quick_reads, "idle": idle_marker, "marker": app_marker}.get(sys.argv[1]) if len(sys.argv) == 2 else None
    if alone is not None:
        server = PostgresServer()
        try:
            from imgcoach.storage.db import Database

            Database(server.url(TEMPLATE)).close()
            alone(server.url(server.new_database(TEMPLATE)))
        finally:
            server.stop()
        return
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
        writers = concurrent_writers(server.url(server.new_database(TEMPLATE)))
        edits = 2 * WRITERS * EDITS
        print(f"{WRITERS} applicants' processes editing a rotation at once ({edits} edits per case, 2 rounds):")
        for wait_s in (0.0, WAIT_IN_TRANSACTION_S):
            (whole, whole_open), (mine, mine_open) = writers[("whole", wait_s)], writers[("applicant", wait_s)]
            label = (f"with {wait_s * 1000:.0f} ms of waiting on the server per transaction (assumed: network, fsync)"
                     if wait_s else "this bench's server as it is (unix socket, fsync off)")
            print(f"  {label}:")
            print(f"    one write lock for everyone   {whole:6.2f} s = {edits / whole:5.0f} edits/s, "
                  f"{1000 * whole_open / edits:6.2f} ms per edit to get the locks")
            print(f"    per-applicant locks           {mine:6.2f} s = {edits / mine:5.0f} edits/s, "
                  f"{1000 * mine_open / edits:6.2f} ms per edit to get the locks  ({whole / mine:.2f}x edits/s)")
        quick_reads(server.url(server.new_database(TEMPLATE)))
        idle_marker(server.url(server.new_database(TEMPLATE)))
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
