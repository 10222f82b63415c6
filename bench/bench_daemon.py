"""Reminder daemon: throughput against plain smtplib, lateness while running, idle CPU and memory.

Run: .venv/bin/python -m bench.bench_daemon. The SMTP sink (aiosmtpd, counting only) runs in its own
process on loopback, like the baseline in /work/shared/notes/reliability-and-baselines.md §2.4.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path

from sqlalchemy import insert, select, update

N = 2000
ROUNDS = 8  # interleaved rounds after a warm-up, an even number so each order comes up equally often: single rounds ranged 0.5x-1.4x on a shared 2-core machine
IDLE_SECONDS = 30
# The idle figure is measured from here on: past the start (imports, the re-derivation, the week's digest made and
# sent, the feed) and the polls that look once more after those writes. After 4 s, one round at load 5 read 0.40 %
# where the others read 0.03-0.07 %.
IDLE_WARM_UP = 12


def _bench_rows():  # type: ignore[no-untyped-def]
    """The reminders this bench inserted, not the rotation's own: a rotation entered long after it ended (the
    bench's, January 2026) lists its reminders as not planned, and a round that made every row pending again sent
    (or marked missed) those four as well."""
    from imgcoach.storage.models import Reminder

    return Reminder.key.not_like("rotation:%")


def _sink(port: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


STALL_N = 500
STALL_EVERY = 50
STALL_SECONDS = 3.0  # the server's reply to the final dot of a "stalled" message comes this late
STALL_ROUNDS = 3


def _stalling_sink(port: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    """Answers at once, except to messages whose Message-ID starts with <stall.: STALL_SECONDS late."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Stall:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            if b"Message-ID: <stall." in envelope.content[:4000]:
                await asyncio.sleep(STALL_SECONDS)
            return "250 OK"

    controller = Controller(Stall(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def stalls(port: int, root: Path) -> list[tuple[float, float, float]]:
    """Deliver 500 reminders with 1 in 50 answered late, and with none late, interleaved, on the same rows.

    Returns per round (time for the 490 normal messages with stalls, the same without, all 500 with stalls).
    The daemon's stall timeout (``smtp.timeout``) is 1 s here: after it the slow message waits on its own.
    """
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
    from imgcoach.storage.models import Reminder

    due = datetime.now(UTC) - timedelta(seconds=1)
    ctx, rot = _setup(root, 0, due)
    # queue position p (the outbox sends by due time): every 50th is a stalled one
    per = STALL_EVERY - 1
    add_reminders(ctx, rot, STALL_N - STALL_N // STALL_EVERY, lambda i: due + timedelta(microseconds=i + i // per), "ok")
    add_reminders(ctx, rot, STALL_N // STALL_EVERY, lambda n: due + timedelta(microseconds=n * STALL_EVERY + per),
                  "stall")
    settings = MailSettings(maildir=root / "M", smtp=SmtpSettings(host="127.0.0.1", port=port, security="none",
                                                                    timeout=1.0), sender="reminders@example.org")
    with ctx.db.read() as session:
        stalled = list(session.execute(select(Reminder.id).where(Reminder.key.like("stall:%"))).scalars())

    def run(with_stalls: bool) -> tuple[float, float]:
        with ctx.db.transaction() as session:
            session.execute(update(Reminder).where(_bench_rows()).values(
                status="pending", sent_at=None, attempts=0, claimed_by="", lease_until=None, late=False,
                unknown_outcomes=0))
            if not with_stalls:
                session.execute(update(Reminder).where(Reminder.id.in_(stalled)).values(status="cancelled"))
        worker = OutboxWorker(ctx, settings)
        worker.start(ctx.clock.now())
        start = datetime.now(UTC)
        t0 = time.perf_counter()
        worker.run_due(ctx.clock.now(), lambda: False)
        worker.wait_for_detached(None)
        everything = time.perf_counter() - t0
        worker.stop(ctx.clock.now())
        with ctx.db.read() as session:
            last_ok = session.execute(select(Reminder.sent_at).where(Reminder.key.like("ok:%"))
                                      .order_by(Reminder.sent_at.desc()).limit(1)).scalar()
            not_sent = session.execute(select(Reminder.id).where(Reminder.key.like("ok:%"),
                                                                 Reminder.status != "sent")).all()
        assert not not_sent, f"{len(not_sent)} not sent"
        return (last_ok - start).total_seconds(), everything

    rounds = []
    for _ in range(STALL_ROUNDS):
        others_with, everything = run(True)
        others_without, _ = run(False)
        rounds.append((others_with, others_without, everything))
    return rounds


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup(root: Path, count: int, due: datetime):  # type: ignore[no-untyped-def]
    from imgcoach.core.clock import SystemClock
    from imgcoach.core.context import Context
    from imgcoach.core.settings import Settings
    from imgcoach.plan.cases import add_case
    from imgcoach.plan.people import add_contact
    from imgcoach.plan.profile import set_profile
    from imgcoach.plan.rotations import add_rotation
    from imgcoach.storage.db import Database

    ctx = Context(db=Database(f"sqlite:///{root / 'bench.sqlite'}"), clock=SystemClock(), settings=Settings())
    set_profile(ctx, name="Bench Applicant (synthetic)", email="applicant@example.com", timezone="Asia/Kolkata",
                graduation_year=2022, visa="j1", target_specialties=["Internal Medicine"])
    rot = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Synthetic Hospital",
                       start_date=date(2026, 1, 5), end_date=date(2026, 1, 30))
    add_contact(ctx, "Dr. Synthetic Supervisor", rotation_id=rot.id, role="supervisor", email="sup@example.org")
    add_case(ctx, rot.id, "Synthetic case: sepsis with AKI")
    add_reminders(ctx, rot.id, count, lambda i: due, "bench")
    return ctx, rot.id


def add_reminders(ctx, rotation_id, count, due_of, prefix):  # type: ignore[no-untyped-def]
    from imgcoach.storage.models import Reminder

    now = datetime.now(UTC)
    rows = [dict(applicant_id=1, key=f"{prefix}:{i}", kind="thank_you", template_key="thank_you",
                 rotation_id=rotation_id, recipient="applicant@example.com", due_at=due_of(i),
                 expires_at=due_of(i) + timedelta(days=30), status="pending", attempts=0, last_error="",
                 claimed_by="", message_id=f"<{prefix}.{i}@imgcoach.bench>", calendar_uid=f"{prefix}-{i}@imgcoach",
                 late=False, note="", payload={}, requires_approval=False, created_at=now, updated_at=now)
            for i in range(count)]
    if not rows:
        return
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), rows)


def _send_all(port: int, messages: list) -> float:  # type: ignore[type-arg]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, local_hostname="localhost") as smtp:
        for msg in messages:
            smtp.send_message(msg)
    return time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (the sink's: its share of a round is the server's work)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Sample:
    """One side of one round: wall seconds, this process's CPU seconds (every thread), the sink's CPU seconds."""

    wall: float
    cpu: float
    sink_cpu: float


def _measured(fn: Callable[[], object], sink_pid: int | None) -> Sample:
    sink0 = cpu_seconds(sink_pid) if sink_pid else 0.0
    cpu0, start = time.process_time(), time.perf_counter()
    fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu0
    return Sample(wall, cpu, (cpu_seconds(sink_pid) - sink0) if sink_pid else 0.0)


def _stock(msg: Message) -> Message:
    """The message as the email package's own compat32 classes: the same headers, payloads and bytes, so
    plain smtplib flattens it at the stock cost and not with the daemon's own shortcuts (its MIME parts keep
    their parsed Content-Type), which would speed up the baseline too."""
    for part in msg.walk():
        part.__class__ = Message
    return msg


def throughput(port: int, root: Path, rounds: int = ROUNDS,
               sink_pid: int | None = None) -> tuple[list[Sample], list[Sample]]:
    """Baseline and daemon, interleaved ``rounds`` times on the same rows (reset to pending between rounds).

    One round of each first is a warm-up and not counted (the daemon's first run compiles its templates and
    statements, the sink's first connection warms its event loop). The order alternates (baseline first in
    even rounds, the daemon first in odd ones), so whatever a round's first or second place costs falls on
    both sides alike.
    """
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.render import MailRenderer
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
    from imgcoach.reminders.outgoing import load_outgoing
    from imgcoach.reminders.packet import WHERE_DAEMON_RUNS
    from imgcoach.storage.models import Reminder

    ctx, _ = _setup(root, N, datetime.now(UTC) - timedelta(seconds=1))
    settings = MailSettings(maildir=root / "M", smtp=SmtpSettings(host="127.0.0.1", port=port, security="none"),
                            sender="reminders@example.org")
    with ctx.db.read() as session:
        ids = list(session.execute(select(Reminder.id)).scalars())
    # Baseline: the same messages, pre-built, through plain smtplib over one connection.
    items = load_outgoing(ctx, ids, where=WHERE_DAEMON_RUNS)
    builder = OutboxWorker(ctx, settings)
    prebuilt = [_stock(builder.build(items[i], datetime.now(UTC))) for i in ids]
    del items

    def daemon() -> None:
        with ctx.db.transaction() as session:
            session.execute(update(Reminder).where(_bench_rows()).values(
                status="pending", sent_at=None, attempts=0, claimed_by="", lease_until=None, late=False))
        # As `imgcoach daemon` runs it: with a (here empty) folder for template overrides.
        worker = OutboxWorker(ctx, settings, renderer=MailRenderer(override_dir=root / "config"))
        worker.start(ctx.clock.now())
        sent: list[int] = []
        sample = _measured(lambda: sent.append(worker.run_due(ctx.clock.now(), lambda: False)), sink_pid)
        worker.stop(ctx.clock.now())
        assert sent == [N], sent
        daemons.append(sample)

    def baseline() -> None:
        baselines.append(_measured(lambda: _send_all(port, prebuilt), sink_pid))

    baselines: list[Sample] = []
    daemons: list[Sample] = []
    baseline()  # warm-up, not counted
    daemon()
    baselines.clear()
    daemons.clear()
    for r in range(rounds):
        for step in (baseline, daemon) if r % 2 == 0 else (daemon, baseline):
            step()
    return baselines, daemons


def report_throughput(baselines: list[Sample], daemons: list[Sample]) -> None:
    """Medians of wall and CPU per side, the ratio of the medians and each round's ratio."""
    med = statistics.median
    baseline, ours = med(s.wall for s in baselines), med(s.wall for s in daemons)
    rounds = len(baselines)

    def cpu(samples: list[Sample]) -> str:
        return (f"CPU {med(s.cpu for s in samples) / N * 1000:.2f} ms/msg here, "
                f"{med(s.sink_cpu for s in samples) / N * 1000:.2f} ms/msg in the sink")

    print(f"plain smtplib, {N} pre-built messages, one connection: {baseline:6.2f} s = {N / baseline:6.0f} msg/s"
          f"  (median of {rounds}; {cpu(baselines)})")
    print(f"daemon: claim + render + build + send + record, {N}:  {ours:6.2f} s = {N / ours:6.0f} msg/s"
          f"  (median of {rounds}; {cpu(daemons)})")
    ratios = [b.wall / d.wall for b, d in zip(baselines, daemons, strict=True)]
    print(f"throughput ratio daemon/baseline: {baseline / ours:.2f} (ratio of the medians; median of the rounds' "
          f"ratios {med(ratios):.2f}; goal >= 0.8, issue 17; rounds: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"load average {_load()})")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def lateness(port: int, root: Path) -> list[float]:
    from imgcoach.reminders.daemon.daemon import ReminderDaemon
    from imgcoach.reminders.daemon.worker import OutboxWorker
    from imgcoach.reminders.mail.settings import MailSettings, SmtpSettings
    from imgcoach.storage.models import Reminder

    start = datetime.now(UTC) + timedelta(seconds=2)
    ctx, rot = _setup(root, 0, start)
    add_reminders(ctx, rot, 100, lambda i: start + timedelta(seconds=0.1 * i), "late")
    settings = MailSettings(maildir=root / "M", smtp=SmtpSettings(host="127.0.0.1", port=port, security="none"),
                            sender="reminders@example.org")
    daemon = ReminderDaemon(OutboxWorker(ctx, settings), ctx.clock, tasks=[])
    thread = threading.Thread(target=daemon.run_forever, kwargs={"install_signal_handlers": False})
    thread.start()
    # Also add some while it runs, due after the next poll, as the app would.
    time.sleep(1)
    add_reminders(ctx, rot, 50, lambda i: datetime.now(UTC) + timedelta(seconds=6 + 0.1 * i), "live")
    time.sleep(14)
    daemon.stop()
    thread.join(30)
    with ctx.db.read() as session:
        rows = session.execute(select(Reminder.due_at, Reminder.sent_at).where(_bench_rows())).all()
    assert all(s is not None for _, s in rows), "not everything was sent"
    return [(s - d).total_seconds() for d, s in rows]


def thread_cpu_seconds(pid: int) -> float:
    """CPU of a process's live threads, to the nanosecond (/proc/PID/task/*/schedstat): `cpu_seconds` counts in
    clock ticks (10 ms), coarse for an idle daemon's 6 polls in 30 s. Idle, its threads live from start to stop."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            continue  # a thread that ended meanwhile
    return total / 1e9


def idle(root: Path, db: Path | None = None) -> tuple[float, float, float, float]:
    """CPU share (clock ticks; and in ms per 5 s poll from the threads' nanoseconds) and RSS of a real `imgcoach
    daemon` with nothing to do (default 5 s poll), on a new database with a profile, or on a copy of `db`."""
    env = {**os.environ, "IMGCOACH_DATA_DIR": str(root / "data"), "IMGCOACH_CONFIG_DIR": str(root / "cfg")}
    env.pop("IMGCOACH_DAEMON_POLL", None)
    imgcoach = str(Path(sys.executable).with_name("imgcoach"))
    if db is not None:
        db = Path(shutil.copy(db, root / "idle.sqlite"))
    else:
        db = root / "idle.sqlite"
        # the daemon serves an existing database only (a mistyped --db must not create one)
        subprocess.run([imgcoach, "profile", "set", "--db", str(db), "--name", "Idle Bench (synthetic)",
                        "--email", "idle@example.com", "--timezone", "UTC"], env=env, check=True, capture_output=True)
    proc = subprocess.Popen([imgcoach, "daemon", "--db", str(db)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(IDLE_WARM_UP)
        if proc.poll() is not None:
            raise SystemExit(f"the idle daemon exited with status {proc.returncode}")
        c0, n0, t0 = cpu_seconds(proc.pid), thread_cpu_seconds(proc.pid), time.monotonic()
        time.sleep(IDLE_SECONDS)
        wall = time.monotonic() - t0
        share = (cpu_seconds(proc.pid) - c0) / wall
        per_poll = (thread_cpu_seconds(proc.pid) - n0) / wall * 5.0
        rss = next(int(line.split()[1]) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS")) / 1024
        hwm = next(int(line.split()[1]) for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                   if line.startswith("VmHWM")) / 1024
    finally:
        proc.terminate()
        proc.wait(15)
    return share, per_poll, rss, hwm


def report_idle(share: float, per_poll: float, rss: float, hwm: float) -> None:
    print(f"idle daemon over {IDLE_SECONDS} s: CPU {share * 100:.2f} % ({per_poll * 1000:.2f} ms a 5 s poll), "
          f"RSS {rss:.1f} MiB (peak {hwm:.1f} MiB) (goal ~0 %, < 100 MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_daemon", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"interleaved throughput rounds after the warm-up (default {ROUNDS})")
    parser.add_argument("--throughput-only", action="store_true",
                        help="only the throughput against plain smtplib (no lateness, stalls or idle figures)")
    parser.add_argument("--idle-only", action="store_true",
                        help="only the idle daemon's CPU and memory (no SMTP sink, throughput, lateness or stalls)")
    parser.add_argument("--idle-db", type=Path, metavar="FILE",
                        help="the idle daemon serves a copy of this SQLite file (e.g. the demo's) instead of a new one")
    args = parser.parse_args()
    if args.idle_only:
        with tempfile.TemporaryDirectory() as a:
            report_idle(*idle(Path(a), args.idle_db))
        return
    port = _free_port()
    ready = multiprocessing.get_context("spawn").Event()
    sink = multiprocessing.get_context("spawn").Process(target=_sink, args=(port, ready), daemon=True)
    sink.start()
    ready.wait(30)
    try:
        print(f"load average at the start: {_load()}", flush=True)
        with tempfile.TemporaryDirectory() as a:
            baselines, daemons = throughput(port, Path(a), args.rounds, sink.pid)
        report_throughput(baselines, daemons)
        if args.throughput_only:
            return
        with tempfile.TemporaryDirectory() as a:
            late = sorted(lateness(port, Path(a)))
        p99 = late[min(len(late) - 1, int(0.99 * len(late)))]
        print(f"lateness over {len(late)} reminders falling due while running: median {statistics.median(late):.2f} s,"
              f" p99 {p99:.2f} s, max {late[-1]:.2f} s (goal p99 < 2 s)")
        stall_port = _free_port()
        stall_ready = multiprocessing.get_context("spawn").Event()
        stall_sink = multiprocessing.get_context("spawn").Process(target=_stalling_sink, args=(stall_port, stall_ready),
                                                                  daemon=True)
        stall_sink.start()
        stall_ready.wait(30)
        try:
            with tempfile.TemporaryDirectory() as a:
                rounds = stalls(stall_port, Path(a))
        finally:
            stall_sink.terminate()
        ratios = [w / wo for w, wo, _ in rounds]
        print(f"{STALL_N} reminders, 1 in {STALL_EVERY} answered {STALL_SECONDS:.0f} s late: the other "
              f"{STALL_N - STALL_N // STALL_EVERY} delivered in {statistics.median(r[0] for r in rounds):.2f} s "
              f"vs {statistics.median(r[1] for r in rounds):.2f} s with none late; ratio "
              f"{statistics.median(ratios):.2f} (goal <= 1.2; rounds: {', '.join(f'{r:.2f}' for r in ratios)}); "
              f"all {STALL_N} incl. the late ones: {statistics.median(r[2] for r in rounds):.2f} s")
        with tempfile.TemporaryDirectory() as a:
            report_idle(*idle(Path(a), args.idle_db))
    finally:
        sink.terminate()


if __name__ == "__main__":
    main()
