"""Planner TUI benchmark: start-up to the first painted timeline in a real 80x24 pty, against a
minimal Textual "hello" app measured in the same run (the empty frame, the first frame with plan
data from the storage quick read, and the full snapshot from the services that replaces it);
app time of a week move and a form open;
peak resident memory. The plan is large: 5 years, 300 rotations and study blocks, 2,000 reminders,
5,000 programs (the SYNTHETIC generator's file, imported; the rest bulk-inserted).

    .venv/bin/python -m bench.bench_tui
    .venv/bin/python -m bench.bench_tui --switches   # screen switches: first and later visits per screen, each
                                                    # against a bare Textual app doing the same in the same run;
                                                    # then first visits once the app built the screens ahead
    .venv/bin/python -m bench.bench_tui --ab OLD_TREE [SCREEN...]  # first visits, this tree against OLD_TREE,
                                                    # interleaved processes (wall and CPU medians), and each
                                                    # against a bare Textual app's first visit in the same round
    .venv/bin/python -m bench.bench_tui --ab-holds OLD_TREE  # the longest the event loop is held while the app
                                                    # builds the screens ahead, per screen, against OLD_TREE
    .venv/bin/python -m bench.bench_tui --ab-start OLD_TREE [ROUNDS]  # start-up (first paint with data, full
                                                    # snapshot), this tree against OLD_TREE and a bare Textual app,
                                                    # interleaved processes in a pty (wall and CPU medians)
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROUNDS = 7
GOAL_RATIO = 1.5  # issues 15 and 17: the timeline's first paint with data against a bare Textual app
SNAPSHOT_RATIO = 2.0  # issue 15: the full snapshot (services loaded) replacing it
FIRST_RUN_RATIO = 1.5  # issue 15: the first run's set-up dialog against the first paint of the timeline


# --- children: the process whose start-up is timed ---------------------------------------------


def child_hello() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count:  # the first frame handed to the terminal
                painted()

    Hello().run()


def child_app(db: str, until: str) -> None:
    """The real app; exits once a frame showing this is handed to the terminal: the timeline (`frame`), the
    first plan data (`data`, from the storage quick read when it applies), the full snapshot from the services
    (`full`), or on a database with no profile yet the first run's set-up dialog (`setup`).

    Checked at each frame written (Textual's App._display), not by a timer and a callback after the next
    refresh: such a callback waits for an idle screen, which the services' import in a worker thread (it holds
    the GIL) delayed by 0.3 s after a first frame that already showed the data."""
    from imgcoach.tui.app import PlannerApp

    def shown(screen: Any) -> bool:
        if until == "setup":  # the first run's set-up dialog, its first field ready for keys
            return type(screen).__name__ == "FormScreen" and screen.is_mounted and screen.focused is not None
        if type(screen).__name__ != "TimelineScreen" or not screen.is_mounted:
            return False
        if until == "data":
            return screen.query_one("#timeline").today is not None
        if until == "full":
            return screen.data_source == "full"
        return True

    class Timed(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count and shown(self.screen):
                painted()

    Timed(db=db, poll_seconds=0).run()
    raise SystemExit("the app exited before painting the timeline")


def painted() -> None:
    """Record seconds since the parent forked us (CLOCK_MONOTONIC is system-wide), then leave at once:
    the figure is what a person sees, not Textual's ~165 ms teardown or a worker still importing."""
    Path(os.environ["BENCH_OUT"]).write_text(str(time.monotonic() - float(os.environ["BENCH_T0"])))
    os._exit(0)


# --- the parent: build the plan, time children in a pty, time in-app actions -------------------


def build_plan(path: Path) -> None:
    from sqlalchemy import insert

    from imgcoach.core.clock import FixedClock
    from imgcoach.core.context import Context
    from imgcoach.core.settings import Settings
    from imgcoach.core.uids import calendar_uid_for
    from imgcoach.matching import import_programs
    from imgcoach.matching.generate import generate_rows, render_csv
    from imgcoach.plan.profile import set_profile
    from imgcoach.reminders.rules import message_id_for
    from imgcoach.storage.db import Database
    from imgcoach.storage.models import Reminder, Rotation, StudyBlock

    now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    ctx = Context(Database(f"sqlite:///{path}"), FixedClock(now), Settings())
    # A profile the shortlist can rank for (a specialty, a budget, a visa): without them, and with programs stored
    # as bare rows, the Shortlist's figures were those of its error message ("the stored name 'unknown' is required").
    applicant = set_profile(ctx, name="Bench Applicant (synthetic)", email="bench@example.com",
                            timezone="America/New_York", synthetic=True, graduation_year=2022, visa="j1",
                            target_specialties=["Internal Medicine"], application_budget_programs=60)
    first = date(2024, 1, 1)
    rotations, blocks, reminders = [], [], []
    for i in range(200):  # 5 years: a 4-8 week rotation starting every ~9 days (many overlap)
        start = first + timedelta(days=i * 9)
        rotations.append({"applicant_id": applicant.id, "kind": "observership", "specialty": f"Specialty {i % 7}",
                          "institution": f"Hospital {i} (synthetic)", "start_date": start,
                          "end_date": start + timedelta(weeks=4 + i % 5), "hours_per_week": 20 + i % 3 * 10,
                          "created_at": now, "updated_at": now})
    for i in range(100):
        start = first + timedelta(days=i * 18)
        blocks.append({"applicant_id": applicant.id, "exam": "Step 3", "start_date": start,
                       "end_date": start + timedelta(weeks=3), "hours_per_week": 15, "weekly_goal": "synthetic"})
    for i in range(2000):
        key = f"bench:{i}"
        due = datetime(2024, 1, 1, 14, tzinfo=UTC) + timedelta(hours=21 * i)
        reminders.append({"applicant_id": applicant.id, "key": key, "kind": "thank_you", "template_key": "thank_you",
                          "recipient": "bench@example.com", "due_at": due, "expires_at": due + timedelta(days=14),
                          "status": "pending" if due > now else "sent", "attempts": 0, "last_error": "",
                          "claimed_by": "", "message_id": message_id_for(key, "bench"),
                          "calendar_uid": calendar_uid_for(key, "bench"), "late": False, "note": "", "payload": {},
                          "requires_approval": False, "created_at": now, "updated_at": now})
    with ctx.db.transaction() as session:
        for table, rows in ((Rotation, rotations), (StudyBlock, blocks), (Reminder, reminders)):
            session.execute(insert(table), rows)
    # The programs as a person gets them: the generator's SYNTHETIC file through `programs import`'s checks.
    csv_file = path.with_suffix(".programs.csv")
    csv_file.write_text(render_csv(generate_rows(5000)))
    import_programs(ctx, csv_file)
    csv_file.unlink()
    ctx.db.close()


def add_people(path: Path) -> None:
    """200 supervisors, each linked to a rotation, with a letter request (the --switches plan)."""
    from sqlalchemy import insert, select

    from imgcoach.storage.db import Database
    from imgcoach.storage.models import Applicant, Contact, LetterRequest, Rotation, RotationContact

    now = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    db = Database(f"sqlite:///{path}")
    statuses = ("planned", "requested", "agreed", "uploaded")
    with db.transaction() as session:
        applicant_id = session.execute(select(Applicant.id)).scalar_one()
        rotation_ids = list(session.execute(select(Rotation.id).order_by(Rotation.id)).scalars())[:200]
        session.execute(insert(Contact), [{"applicant_id": applicant_id, "name": f"Dr. Writer {i} (synthetic)",
                                           "title": "MD", "email": f"writer{i}@example.com", "version": 1}
                                          for i in range(len(rotation_ids))])
        contact_ids = list(session.execute(select(Contact.id).order_by(Contact.id)).scalars())
        session.execute(insert(RotationContact), [{"rotation_id": r, "contact_id": c, "role": "supervisor"}
                                                  for r, c in zip(rotation_ids, contact_ids, strict=False)])
        session.execute(insert(LetterRequest), [
            {"applicant_id": applicant_id, "rotation_id": r, "writer_id": c, "status": statuses[i % 4],
             "due_on": date(2024, 2, 1) + timedelta(days=9 * i), "updated_at": now}
            for i, (r, c) in enumerate(zip(rotation_ids, contact_ids, strict=False))])
    db.close()


SWITCH_ROUNDS = 5


class FrameClock:
    """The frames an app hands to the terminal (Textual's App._display), counted on the instance."""

    def __init__(self, app: Any) -> None:
        self.frames = 0
        display = app._display

        def counted(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and not app._batch_count:
                self.frames += 1

        app._display = counted

    async def next_frame(self, after: int, ready: Any = lambda: True) -> float:
        """perf_counter() at the first frame counted after `after` frames once `ready()` holds."""
        while self.frames <= after or not ready():
            if not ready():
                after = self.frames  # a frame written before it was ready does not count
            await asyncio.sleep(0.0005)
        return time.perf_counter()


def pending_paint(screen: Any) -> bool:
    """The screen has changes not yet written to the terminal (what Textual's idle handler checks), or one of its
    widgets has (a refresh marks the widget; the screen learns of it on the widget's idle). Checking the screen
    alone, a visit whose load had just shown a few rows ended before the frame showing them: the widgets' marks
    had not reached the screen yet when the check ran (tui45)."""
    if screen._layout_required or screen._scroll_required or screen._repaint_required \
            or screen._recompose_required or screen._dirty_widgets:
        return True
    return any(w._layout_required or w._repaint_required for w in screen.walk_children(with_self=False))


async def baseline_switches(rounds: int) -> list[float]:
    """A bare Textual app with two modes (a Static and the footer each): key to the other screen's first frame,
    the same measure, in the same run (Textual's own switch: it holds the frame 50 ms to mask the transition)."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Footer, Static

    class Plain(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static(f"{type(self).__name__}\n" * 20)
            yield Footer()

    class One(Plain):
        pass

    class Two(Plain):
        pass

    class Bare(App[None]):
        MODES = {"one": One, "two": Two}  # noqa: RUF012 (Textual's class attribute)

        def on_mount(self) -> None:
            self.switch_mode("one")

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        app.switch_mode("two")  # both built: every timed switch is a return, as the later visits are
        await pilot.pause(0.2)
        for n in range(rounds * 2):
            mode = ("one", "two")[n % 2]
            frames = clock.frames
            start = time.perf_counter()
            app.switch_mode(mode)
            times.append(await clock.next_frame(frames, lambda m=mode: app.current_mode == m) - start)  # type: ignore[misc]
            await pilot.pause()
    return times


FIRST_VISIT_ROWS = 200  # the baseline's table: the letters board's 200 cards, the shortlist's 60-80 rows and more


async def baseline_first_visits(rounds: int) -> list[float]:
    """A bare Textual app opening a screen not built yet (a new mode each time, as the app's screens are modes):
    a Static, a DataTable of FIRST_VISIT_ROWS rows and five columns filled on mount, and the footer. Key to the
    first frame of that screen, the same measure as a first visit, in the same run: what building and filling
    a comparable screen costs in Textual itself, without a database."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Static

    class Fresh(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("A screen built on its first visit\nwith a summary line")
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Static("detail\n" * 6)
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Due", "What", "Where", "Status", "Tries")
            for n in range(FIRST_VISIT_ROWS):
                table.add_row(f"{n % 28 + 1:02d} Jan 27 09:00", f"Row {n} reminder", f"Specialty {n % 7}, Hospital {n}",
                              ("pending", "sent", "failed")[n % 3], str(n % 4), key=str(n))

    class Home(Screen[None]):
        def compose(self) -> ComposeResult:
            yield Static("home\n" * 20)
            yield Footer()

    class Bare(App[None]):
        MODES = {"home": Home}  # noqa: RUF012 (Textual's class attribute)

        def on_mount(self) -> None:
            self.switch_mode("home")

    def filled(screen: Screen[None]) -> bool:
        tables = screen.query(DataTable)
        return bool(tables) and tables.first().row_count == FIRST_VISIT_ROWS

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FrameClock(app)
        await pilot.pause(0.2)
        for n in range(rounds):
            mode = f"fresh{n}"
            app.add_mode(mode, Fresh)
            frames = clock.frames
            start = time.perf_counter()
            app.switch_mode(mode)  # builds the screen: compose, mount, styles, the rows
            times.append(await clock.next_frame(frames, lambda m=mode: app.current_mode == m  # type: ignore[misc]
                                                and filled(app.screen)) - start)
            await pilot.pause()
            app.switch_mode("home")
            await pilot.pause(0.1)
    return times


class Visits:
    """Times a visit to a screen of `app` from the key to the first frame showing it with its data (after a load:
    the first frame once it is shown; a return that finds its data unchanged shows it at once), with the
    process's CPU time meanwhile (less sensitive than the wall time to other processes on a loaded machine)."""

    def __init__(self, app: Any) -> None:
        self.app, self.clock = app, FrameClock(app)

    def screen_of(self, key: str) -> Any:
        stack = self.app._screen_stacks.get(key)
        return stack[0] if stack else None

    def count(self, key: str, name: str) -> int:
        return getattr(self.screen_of(key), name, 0)

    def settled(self, key: str, before: int) -> bool:
        screen = self.app.screen
        return (self.app.current_mode == key and self.count(key, "visits") > before
                and getattr(screen, "loads_pending", 0) == 0 and not getattr(screen, "in_flight", 0))

    async def ready(self) -> None:
        """The app started, its timeline shown and its workers done."""
        while not self.settled("timeline", 0):
            await asyncio.sleep(0.0005)

    async def visit(self, key: str) -> tuple[float, float]:
        """(wall, CPU) seconds of one visit."""
        app, clock = self.app, self.clock
        before, loads, frames = self.count(key, "visits"), self.count(key, "loads"), clock.frames
        start, cpu = time.perf_counter(), time.process_time()
        app.action_open(key)  # what the screen's key runs (the pilot's press adds waits for an idle process)
        painted = await clock.next_frame(frames, lambda: app.current_mode == key)
        while not self.settled(key, before):  # its loads done (a return's look at the data version too)
            await asyncio.sleep(0.0005)
        if self.count(key, "loads") > loads:  # it loaded: the data is on screen with the next frame, if it changed any
            frames = clock.frames
            while clock.frames == frames and (app._batch_count or pending_paint(app.screen)):
                await asyncio.sleep(0.0005)
            painted = time.perf_counter()
        return painted - start, time.process_time() - cpu


def rss_mib() -> float:
    """The process's resident memory now (Linux: /proc/self/statm), MiB."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


async def workers_done(app: Any) -> None:
    """The app's workers finished, or cancelled: a screen built ahead meanwhile (prebuild=True) cancels its own
    superseded ones (the Letters board's preview, an exclusive worker), which Textual's wait reports as an error."""
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


@contextlib.asynccontextmanager
async def started(db: str, **options: Any) -> AsyncIterator[tuple[Any, Any, Visits]]:
    """The app on `db` at 80x24 with its timeline shown and its workers done: where the visit timings start."""
    from imgcoach.tui.app import make_app

    app = make_app(db=db, poll_seconds=0, cursor_blink=False, **options)
    async with app.run_test(size=(80, 24)) as pilot:
        visits = Visits(app)
        for _ in range(3):
            await pilot.pause()
            await workers_done(app)
        await visits.ready()
        yield app, pilot, visits


async def switch_timings(db: str) -> dict[str, tuple[list[float], list[float]]]:
    """Per screen: the first visit's and the later visits' times (Visits), going home (the timeline) between two."""
    from imgcoach.tui.registry import SCREENS

    times: dict[str, tuple[list[float], list[float]]] = {item.key: ([], []) for item in SCREENS}
    async with started(db) as (app, pilot, visits):
        rss = rss_mib()
        for round_ in range(SWITCH_ROUNDS + 1):
            for item in SCREENS:
                if item.key == "timeline":
                    continue
                times[item.key][round_ > 0].append((await visits.visit(item.key))[0])
                await pilot.pause()
                times["timeline"][1].append((await visits.visit("timeline"))[0])
                await pilot.pause()
        loads = {key: getattr(app._screen_stacks[key][0], "loads", 0) for key in times if app._screen_stacks.get(key)}
        print("loads per screen:", loads)
        print(f"resident memory, screens built by their visits: {rss:.1f} MiB at start, {rss_mib():.1f} MiB after")
    return times


async def prebuilt_first_visits(db: str) -> None:
    """Issue 15: each screen's first visit once the app has built the screens ahead (PlannerApp.prebuild_screens,
    on for the real app, asked for here as the bench runs headless), after an idle pause as long as the building
    takes; the resident memory before and after it. `--child-switches`'s child, a process of its own."""
    from imgcoach.tui.registry import SCREENS

    async with started(db, prebuild=True) as (app, pilot, visits):
        before = rss_mib()
        began = time.perf_counter()
        while len(app.prebuilt) < len(SCREENS) - 1 or app._prebuilding is not None:
            await asyncio.sleep(0.01)
        took = time.perf_counter() - began
        await pilot.pause(0.3)
        after = rss_mib()
        times = {}
        for item in SCREENS[1:]:
            times[item.key] = (await visits.visit(item.key))[0]
            await pilot.pause()
            await visits.visit("timeline")
            await pilot.pause()
        print(f"PREBUILT {took:.2f} {before:.1f} {after:.1f} {rss_mib():.1f} "
              + " ".join(f"{key}={value * 1000:.1f}" for key, value in times.items()))
        await workers_done(app)


class LoopHolds:
    """The longest stretches the event loop is held (a key typed then waits that long), by the screen being built
    ahead then (PlannerApp.prebuilt's last): a task that wakes every millisecond records each gap between two
    wake-ups, in wall time and in the UI thread's CPU time (time.thread_time: without the time the process waited
    for a core on the loaded machine, nor the workers' threads). The 1 ms sleep is a floor under every gap."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.holds: dict[str, list[tuple[float, float]]] = {}
        self._task: asyncio.Task[None] | None = None

    async def _beat(self) -> None:
        last, cpu = time.perf_counter(), time.thread_time()
        while True:
            await asyncio.sleep(0.001)
            now, now_cpu = time.perf_counter(), time.thread_time()
            key = self.app.prebuilt[-1] if self.app.prebuilt else "-"
            self.holds.setdefault(key, []).append((now - last, now_cpu - cpu))
            last, cpu = now, now_cpu

    def __enter__(self) -> LoopHolds:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()

    def longest(self, key: str, n: int) -> float:
        """The longest hold: n=0 wall, n=1 CPU."""
        return max(hold[n] for hold in self.holds.get(key, [(0.0, 0.0)]))

    def over(self, key: str, limit: float) -> int:
        """Holds over `limit` seconds of wall time."""
        return sum(hold[0] > limit for hold in self.holds.get(key, []))


HOLD_LIMIT = 0.05  # issue 15: a key typed while a screen is built ahead waits no more than this


async def prebuild_holds(db: str) -> None:
    """`--ab-holds`'s child: the app builds every screen ahead; per screen the longest loop hold and how many were
    over HOLD_LIMIT (`HOLDS seconds key=wall ms/CPU ms/over ...`), and the wall time from the app's start to the
    last screen built. Watched from the start: the building can begin before `started` has seen the start-up's
    workers finish, and the screens built first then went uncounted."""
    from imgcoach.tui.app import make_app
    from imgcoach.tui.registry import SCREENS

    app = make_app(db=db, poll_seconds=0, cursor_blink=False, prebuild=True)
    async with app.run_test(size=(80, 24)) as pilot:
        began = time.perf_counter()
        with LoopHolds(app) as holds:
            while len(app.prebuilt) < len(SCREENS) - 1 or app._prebuilding is not None:
                await asyncio.sleep(0.01)
            await pilot.pause(0.5)  # what follows the last screen (the collection and freeze) counts to it
        took = time.perf_counter() - began
        print(f"HOLDS {took:.2f} " + " ".join(f"{key}={holds.longest(key, 0) * 1000:.1f}/"
                                              f"{holds.longest(key, 1) * 1000:.1f}/{holds.over(key, HOLD_LIMIT)}"
                                              for key in app.prebuilt))
        await workers_done(app)


@contextlib.contextmanager
def ab_plan(old_tree: str) -> Iterator[tuple[dict[str, str], str]]:
    """The two trees of an interleaved A/B ("old", "new": this one) and the --switches plan built by this tree."""
    me = str(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        argv = [sys.executable, "-m", "bench.bench_tui"]
        subprocess.run(argv + ["--build", db], check=True, cwd=me)
        subprocess.run(argv + ["--build-people", db], check=True, cwd=me)
        yield {"old": str(Path(old_tree).resolve()), "new": me}, db


def ab_holds(old_tree: str, rounds: int = 5) -> None:
    """Interleaved A/B of the loop holds while building ahead (prebuild_holds), one process per run, the order
    alternating each round; per screen the median of the longest hold and of the holds over HOLD_LIMIT."""
    with ab_plan(old_tree) as (trees, db):
        got: dict[str, dict[str, list[tuple[float, ...]]]] = {name: {} for name in trees}
        took: dict[str, list[float]] = {name: [] for name in trees}
        loads = []
        for n in range(rounds):
            for name in (("old", "new") if n % 2 == 0 else ("new", "old")):
                env = {**os.environ, "PYTHONPATH": trees[name]}
                out = subprocess.run([sys.executable, __file__, "--child-holds", db], cwd=trees[name], env=env,
                                     check=True, capture_output=True, text=True).stdout
                line = next(x for x in out.splitlines() if x.startswith("HOLDS ")).split()
                took[name].append(float(line[1]))
                for item in line[2:]:
                    key, _, value = item.partition("=")
                    got[name].setdefault(key, []).append(tuple(float(v) for v in value.split("/")))
                loads.append(os.getloadavg()[0])
    print(f"\nloop holds while the screens are built ahead, interleaved A/B, {rounds} rounds, one process each, "
          f"80x24, load average {min(loads):.2f}-{max(loads):.2f}; per screen, medians over the runs of its longest "
          f"hold (wall ms / UI thread CPU ms) and of its holds over {HOLD_LIMIT * 1000:.0f} ms wall")
    print(f"  {'screen':<10} {'old':>22} {'new':>22}")
    for key in got["old"]:
        cells = [" / ".join(f"{statistics.median(v[n] for v in got[name].get(key, [(0.0, 0.0, 0.0)])):{w}.1f}"
                            for n, w in ((0, 6), (1, 6), (2, 3))) for name in trees]
        print(f"  {key:<10} {cells[0]:>22} {cells[1]:>22}")
    for n, what in ((0, "wall"), (1, "CPU")):
        print(f"  longest hold ({what}), median over the runs of each run's worst: " + ", ".join(
            f"{name} {statistics.median(max(vs[i][n] for vs in got[name].values()) for i in range(rounds)):.1f} ms"
            for name in trees))
    print(f"  from the app's start to every screen built (median): old {statistics.median(took['old']):.2f} s, "
          f"new {statistics.median(took['new']):.2f} s")


async def first_visit(db: str, key: str) -> None:
    """One screen's first visit in a new process, then three returns (medians): `--ab`'s child."""
    async with started(db) as (app, pilot, visits):
        await pilot.pause(0.3)
        first = await visits.visit(key)
        later = []
        for _ in range(3):
            await pilot.pause(0.1)
            await visits.visit("timeline")
            await pilot.pause(0.1)
            later.append(await visits.visit(key))
        print("FIRST", *(f"{v * 1000:.1f}" for v in first),
              *(f"{statistics.median(v[n] for v in later) * 1000:.1f}" for n in (0, 1)))
        await workers_done(app)


def ab(old_tree: str, keys: list[str], rounds: int = 7) -> None:
    """Interleaved A/B of first visits: this tree against `old_tree` (e.g. `git archive OLD | tar -x -C DIR`), one
    process per visit, the order alternating each round, on the --switches plan; medians and the load average.

        .venv/bin/python -m bench.bench_tui --ab /tmp/old letters outbox
    """
    with ab_plan(old_tree) as (trees, db):
        got: dict[tuple[str, str], list[list[float]]] = {(k, t): [] for k in keys for t in trees}
        bare: list[float] = []  # per round: a bare Textual app's first visit of a 200-row table screen (median, ms)
        loads = []
        for n in range(rounds):
            # The baseline in the same round, a process of its own (the figures below are also given against it).
            out = subprocess.run([sys.executable, __file__, "--child-bare-first"], check=True, capture_output=True,
                                 text=True).stdout
            bare.append(float(next(x for x in out.splitlines() if x.startswith("BARE ")).split()[1]))
            for key in keys:
                for name in (("old", "new") if n % 2 == 0 else ("new", "old")):
                    env = {**os.environ, "PYTHONPATH": trees[name]}
                    # This file as a script (its children measure alike), imgcoach from the tree under test.
                    out = subprocess.run([sys.executable, __file__, "--child-first", db, key], cwd=trees[name],
                                         env=env, check=True, capture_output=True, text=True).stdout
                    line = next(x for x in out.splitlines() if x.startswith("FIRST "))
                    got[(key, name)].append([float(v) for v in line.split()[1:]])
                    loads.append(os.getloadavg()[0])
    print(f"\nfirst visits, interleaved A/B, {rounds} rounds, one process each, 80x24, load average "
          f"{min(loads):.2f}-{max(loads):.2f} (ms, medians)")
    print(f"  {'screen':<10} {'tree':<4} {'first wall':>10} {'first CPU':>10} {'return wall':>12} {'return CPU':>11}"
          f" {'first / bare first':>19}")
    for (key, name), values in got.items():
        ratio = statistics.median(v[0] / b for v, b in zip(values, bare, strict=True))
        print(f"  {key:<10} {name:<4}" + "".join(f" {statistics.median(v[n] for v in values):>10.1f}"
                                                    for n in range(4)) + f" {ratio:>18.2f}x")
    print(f"  bare Textual app, first visit of a screen with a {FIRST_VISIT_ROWS}-row DataTable and a Static: "
          f"{statistics.median(bare):.1f} ms (median of the rounds' medians; rounds {min(bare):.1f}-{max(bare):.1f}); "
          f"the ratios are each run's first visit against its round's")


def ab_start(old_tree: str, rounds: int = 9) -> None:
    """Interleaved A/B of the start-up: per round the bare Textual app, then each tree's `data` and `full` children
    (the order of the trees flipped each round), one process each in an 80x24 pty, on the large plan built by this
    tree; medians of the wall time, of the child's CPU time (user + system, from wait4, to its exit at the frame)
    and of each run's ratio to the same round's bare app. Both trees' start-up modules byte-compiled first."""
    me = Path(__file__).resolve().parent.parent
    trees = {"old": Path(old_tree).resolve(), "new": me}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        subprocess.run([sys.executable, "-m", "bench.bench_tui", "--build", db], check=True, cwd=me)
        for tree in trees.values():
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "imgcoach"), str(tree / "bench")],
                           check=True, stdout=subprocess.DEVNULL)

        def argv(name: str, *rest: str) -> list[str]:  # this file's children, imgcoach from the tree under test
            return ["env", f"PYTHONPATH={trees[name]}", sys.executable, str(trees[name] / "bench" / "bench_tui.py"),
                    *rest]

        runs = {"hello": argv("new", "--child-hello")}
        for name in trees:
            for until in ("data", "full"):
                runs[f"{name} {until}"] = argv(name, "--child-app", db, until)
        for command in runs.values():  # warm-up: file cache, .pyc
            run_in_pty(command, Path(tmp) / "paint")
        got: dict[str, list[tuple[float, float, float, float]]] = {label: [] for label in runs}
        loads = []
        for n in range(rounds):
            order = ["hello"] + [f"{name} {until}" for name in (("old", "new") if n % 2 == 0 else ("new", "old"))
                                 for until in ("data", "full")]
            hello = hello_cpu = 0.0
            for label in order:
                wall, _, cpu = run_in_pty_cpu(runs[label], Path(tmp) / "paint")
                hello, hello_cpu = (wall, cpu) if label == "hello" else (hello, hello_cpu)
                got[label].append((wall, cpu, wall / hello, cpu / hello_cpu))
            loads.append(os.getloadavg()[0])
    print(f"\nstart-up, interleaved A/B, {rounds} rounds, one process each, 80x24 pty, load average "
          f"{min(loads):.2f}-{max(loads):.2f} (medians; x hello: each run's wall, and CPU, over its round's bare "
          "Textual app's)")
    print(f"  {'run':<10} {'wall ms':>9} {'CPU ms':>9} {'x hello':>8} {'CPU x hello':>12}")
    for label, values in got.items():
        print(f"  {label:<10}" + "".join(f" {statistics.median(v[n] for v in values) * (1000 if n < 2 else 1):>{w}.{d}f}"
                                         for n, w, d in ((0, 9, 1), (1, 9, 1), (2, 8, 2), (3, 12, 2))))


def child_switches(db: str) -> None:
    # First, in a process of its own (its memory is the figure): the first visits of screens built ahead.
    out = subprocess.run([sys.executable, "-m", "bench.bench_tui", "--child-prebuilt", db], check=True,
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent).stdout
    line = next(x for x in out.splitlines() if x.startswith("PREBUILT ")).split()
    took, rss_before, rss_after, rss_end = (float(v) for v in line[1:5])
    prebuilt = {key: float(value) / 1000 for key, value in (item.split("=") for item in line[5:])}
    times = asyncio.run(switch_timings(db))
    base = statistics.median(asyncio.run(baseline_switches(SWITCH_ROUNDS * 2)))
    first_base = statistics.median(asyncio.run(baseline_first_visits(SWITCH_ROUNDS * 2)))
    print(f"\nscreen switches on the large plan + 200 supervisors and letters, 80x24, load average "
          f"{os.getloadavg()[0]:.2f} (key to the first frame with the screen's data; ms)")
    print(f"  {'screen':<12} {'first visit':>12} {'later (median / max)':>24} {'later / bare Textual':>22}"
          f" {'first / bare first':>20}")
    over = []
    for key, (first, later) in times.items():
        head = f"{first[0] * 1000:9.1f}" if first else "        -"
        ratio = f"{first[0] / first_base:17.2f}x" if first else f"{'-':>18}"
        median = statistics.median(later)
        print(f"  {key:<12} {head:>12}    {median * 1000:8.1f} / {max(later) * 1000:7.1f}   {median / base:14.2f}x"
              f"   {ratio}")
        if median >= 0.1:
            over.append(key)
    print(f"  bare Textual app, same measure between two built screens: {base * 1000:.1f} ms (median)")
    print(f"  bare Textual app, first visit of a screen with a {FIRST_VISIT_ROWS}-row DataTable and a Static: "
          f"{first_base * 1000:.1f} ms (median)")
    print(f"  goal < 100 ms per later visit (median): {'met' if not over else 'NOT met: ' + ', '.join(over)}")
    worst = max(first[0] for first, _ in times.values() if first)
    print(f"  first visits (the screen built, its first load): up to {worst * 1000:.0f} ms")
    print(f"\nfirst visits once the app built the screens ahead (idle {took:.1f} s after the timeline's full "
          f"snapshot), against the first visits above (ms; load average {os.getloadavg()[0]:.2f})")
    for key, value in prebuilt.items():
        first = times[key][0]
        print(f"  {key:<12} built ahead {value * 1000:8.1f}   built by the visit {first[0] * 1000 if first else 0:8.1f}")
    print(f"  median: built ahead {statistics.median(prebuilt.values()) * 1000:.1f} ms, built by the visit "
          f"{statistics.median(t[0][0] for k, t in times.items() if k in prebuilt and t[0]) * 1000:.1f} ms; "
          f"worst built ahead {max(prebuilt.values()) * 1000:.1f} ms")
    print(f"  resident memory: {rss_before:.1f} MiB before building, {rss_after:.1f} MiB with every screen built "
          f"and loaded, {rss_end:.1f} MiB after the visits")


def switches() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        me = [sys.executable, "-m", "bench.bench_tui"]
        subprocess.run(me + ["--build", str(db)], check=True)
        subprocess.run(me + ["--build-people", str(db)], check=True)
        subprocess.run(me + ["--child-switches", str(db)], check=True)


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def run_in_pty(argv: list[str], out: Path) -> tuple[float, float]:
    """Seconds from fork to the child's first paint, and its peak RSS in MiB, under an 80x24 pty."""
    wall, peak, _ = run_in_pty_cpu(argv, out)
    return wall, peak


def run_in_pty_cpu(argv: list[str], out: Path) -> tuple[float, float, float]:
    """run_in_pty's figures and the child's CPU seconds (user + system) up to its exit at the paint."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    reader = threading.Thread(target=_drain, args=(master,), daemon=True)
    reader.start()
    out.unlink(missing_ok=True)
    start = time.monotonic()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24", "BENCH_OUT": str(out),
           "BENCH_T0": repr(start)}
    pid = os.fork()
    if pid == 0:  # child
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(slave)
    _, status, usage = os.wait4(pid, 0)
    os.close(master)
    reader.join(timeout=1)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} exited with {os.waitstatus_to_exitcode(status)}")
    return float(out.read_text()), usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


async def in_app_timings(db: str) -> tuple[list[float], list[float]]:
    from imgcoach.tui.app import make_app
    from imgcoach.tui.widgets.form import FormScreen

    app = make_app(db=db, poll_seconds=0, cursor_blink=False)
    week, form = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await pilot.pause()
            await workers_done(app)
        screen = app.screen
        view = screen.query_one("#timeline")
        for _ in range(30):
            start = time.perf_counter()
            screen.action_week(1)  # type: ignore[attr-defined]
            view.render()  # the redraw the move causes
            week.append(time.perf_counter() - start)
        await pilot.press("r")
        for _ in range(3):
            await pilot.pause()
            await workers_done(app)
        for _ in range(10):
            start = time.perf_counter()
            app.screen.action_add()  # type: ignore[attr-defined]
            while not (isinstance(app.screen, FormScreen) and app.screen.is_mounted):
                await asyncio.sleep(0)
            while not app.screen.query_one("#form-save").is_mounted:  # every field mounted
                await asyncio.sleep(0)
            form.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
    return week, form


def child_inapp(db: str) -> None:
    week, form = asyncio.run(in_app_timings(db))
    print("\napp time on the large plan (median / max)")
    print(f"  move the timeline one week           {statistics.median(week) * 1000:6.2f} / {max(week) * 1000:.2f} ms")
    print(f"  open the add-rotation form (mounted) {statistics.median(form) * 1000:6.2f} / {max(form) * 1000:.2f} ms")
    ok = max(statistics.median(week), statistics.median(form)) < 0.05
    print(f"  goal < 50 ms (medians): {'met' if ok else 'NOT met'}")


def main() -> None:
    if sys.argv[1:2] == ["--child-hello"]:
        return child_hello()
    if sys.argv[1:2] == ["--child-app"]:
        return child_app(sys.argv[2], sys.argv[3])
    if sys.argv[1:2] == ["--build"]:
        return build_plan(Path(sys.argv[2]))
    if sys.argv[1:2] == ["--build-empty"]:  # a first run: migrated, nobody set up yet
        from imgcoach.storage.db import Database

        return Database(f"sqlite:///{sys.argv[2]}").close()
    if sys.argv[1:2] == ["--in-app"]:
        return child_inapp(sys.argv[2])
    if sys.argv[1:2] == ["--build-people"]:
        return add_people(Path(sys.argv[2]))
    if sys.argv[1:2] == ["--child-switches"]:
        return child_switches(sys.argv[2])
    if sys.argv[1:2] == ["--switches"]:  # issue 15: screen switches (first and later visits) on a large plan
        return switches()
    if sys.argv[1:2] == ["--child-prebuilt"]:
        return asyncio.run(prebuilt_first_visits(sys.argv[2]))
    if sys.argv[1:2] == ["--child-first"]:
        return asyncio.run(first_visit(sys.argv[2], sys.argv[3]))
    if sys.argv[1:2] == ["--child-bare-first"]:  # `--ab`'s baseline: a bare Textual app's first visits (median)
        return print(f"BARE {statistics.median(asyncio.run(baseline_first_visits(SWITCH_ROUNDS * 2))) * 1000:.1f}")
    if sys.argv[1:2] == ["--child-holds"]:
        return asyncio.run(prebuild_holds(sys.argv[2]))
    if sys.argv[1:2] == ["--ab-holds"]:  # issue 15: the loop held while screens are built ahead, against a tree
        return ab_holds(sys.argv[2])
    if sys.argv[1:2] == ["--ab-start"]:  # issues 15 and 17: the start-up against an older tree, interleaved
        return ab_start(sys.argv[2], *(int(v) for v in sys.argv[3:4]))
    if sys.argv[1:2] == ["--ab"]:  # issue 17: first visits against an older tree, interleaved
        return ab(sys.argv[2], sys.argv[3:] or ["letters", "outbox"])
    if sys.argv[1:]:  # `--help` (or a typo) ran the whole bench, minutes long, before anyone read a word
        print(__doc__)
        raise SystemExit(0 if sys.argv[1] in ("-h", "--help") else 2)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        started = time.perf_counter()
        me = [sys.executable, "-m", "bench.bench_tui"]
        # Children of a small parent: ru_maxrss would otherwise count a big parent's pages before exec.
        subprocess.run(me + ["--build", str(db)], check=True)
        empty = Path(tmp) / "first-run.sqlite"
        subprocess.run(me + ["--build-empty", str(empty)], check=True)
        print(f"large plan built in {time.perf_counter() - started:.1f} s "
              "(300 rotations + study blocks over 5 years, 2,000 reminders, 5,000 programs)")
        commands = {
            "hello (minimal Textual app)": me + ["--child-hello"],
            "imgcoach: timeline frame painted": me + ["--child-app", str(db), "frame"],
            "imgcoach: timeline with plan data": me + ["--child-app", str(db), "data"],
            "imgcoach: full snapshot (services)": me + ["--child-app", str(db), "full"],
            "imgcoach: first-run set-up dialog": me + ["--child-app", str(empty), "setup"],
        }
        # Byte-compiled as an installed copy is (pip compiles on install): with PYTHONDONTWRITEBYTECODE set, each
        # child compiled imgcoach's ~40 start-up modules again while Textual's came compiled.
        root = Path(__file__).resolve().parent.parent
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "imgcoach"), str(root / "bench")],
                       check=True, stdout=subprocess.DEVNULL)
        for argv in commands.values():  # warm-up: file cache, .pyc
            run_in_pty(argv, Path(tmp) / "paint")
        walls: dict[str, list[float]] = {label: [] for label in commands}
        rss: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(ROUNDS):  # interleaved so machine noise hits every command alike
            for label, argv in commands.items():
                wall, peak = run_in_pty(argv, Path(tmp) / "paint")
                walls[label].append(wall)
                rss[label].append(peak)
        base = walls["hello (minimal Textual app)"]
        print(f"\nstart-up in an 80x24 pty, process start to first paint, {ROUNDS} rounds (median)")
        for label in commands:
            ratio = statistics.median(w / b for w, b in zip(walls[label], base, strict=True))
            print(f"  {label:<36} {statistics.median(walls[label]) * 1000:7.1f} ms   "
                  f"ratio {ratio:4.2f}x hello   peak RSS {statistics.median(rss[label]):6.1f} MiB")
        data = statistics.median(w / b for w, b in zip(walls["imgcoach: timeline with plan data"], base, strict=True))
        full = statistics.median(w / b for w, b in zip(walls["imgcoach: full snapshot (services)"], base, strict=True))
        # The goals as the issues set them (this said "<= 2.5x: met" of a 1.62x first paint whose goal is 1.5x).
        print(f"\ngoal: first timeline with data <= {GOAL_RATIO}x hello: {data:.2f}x, "
              f"{'met' if data <= GOAL_RATIO else 'NOT met'}; full snapshot <= {SNAPSHOT_RATIO}x hello: {full:.2f}x, "
              f"{'met' if full <= SNAPSHOT_RATIO else 'NOT met'}; "
              f"RSS < 200 MiB: {'met' if max(max(v) for v in rss.values()) < 200 else 'NOT met'}")
        first_run = statistics.median(w / f for w, f in zip(walls["imgcoach: first-run set-up dialog"],
                                                            walls["imgcoach: timeline frame painted"], strict=True))
        print(f"goal: first-run set-up dialog <= {FIRST_RUN_RATIO}x the timeline's first paint: {first_run:.2f}x, "
              f"{'met' if first_run <= FIRST_RUN_RATIO else 'NOT met'}")
        subprocess.run(me + ["--in-app", str(db)], check=True)
        subprocess.run(me + ["--build-people", str(db)], check=True)  # the --switches plan, part of `make bench`
        subprocess.run(me + ["--child-switches", str(db)], check=True)


if __name__ == "__main__":
    main()
