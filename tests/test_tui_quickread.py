"""The storage quick read that paints the first timeline: agrees with the full load, falls back when unsure."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import types
import typing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.plan import load_plan
from imgcoach.storage import quickread
from imgcoach.storage.models import CalendarEvent, CalendarSource
from imgcoach.storage.quickread import read_plan, sqlite_file
from imgcoach.storage.schema_heads import SCHEMA_HEADS, alembic_heads
from imgcoach.tui.app import PlannerApp, make_app
from imgcoach.tui.timeline_model import build_timeline


def url_of(ctx: Context) -> str:
    return ctx.db.url


def add_events(ctx: Context) -> None:
    """Three imported events: an all-day course, a timed interview, and one already turned into a rotation."""
    from imgcoach.plan.rotations import list_rotations

    rotation = list_rotations(ctx)[0]
    applicant_id = rotation.applicant_id
    with ctx.db.transaction() as session:
        source = CalendarSource(applicant_id=applicant_id, path="courses.ics", name="Courses (synthetic)")
        session.add(source)
        session.flush()
        session.add_all([
            CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid="bls@example", summary="BLS course", all_day=True,
                          start_date=date(2026, 12, 14), end_date=date(2026, 12, 16), suggested_kind="event"),
            CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid="interview@example", summary="Interview: Mercy IM",
                          start_at=datetime(2027, 1, 12, 15, tzinfo=UTC), end_at=datetime(2027, 1, 12, 16, tzinfo=UTC),
                          location="Zoom", suggested_kind="interview"),
            CalendarEvent(applicant_id=applicant_id, source_id=source.id, uid="obs@example", summary="Observership", all_day=True,
                          start_date=rotation.start_date, end_date=rotation.end_date, suggested_kind="rotation",
                          mapped_kind="rotation", mapped_id=rotation.id),
        ])


def test_quick_read_agrees_with_the_full_load(demo_ctx: Context) -> None:
    add_events(demo_ctx)
    now = demo_ctx.clock.now()
    days = (date(2026, 10, 1), date(2027, 6, 30))  # the imported events of these days only
    quick = read_plan(url_of(demo_ctx), now, events=days)
    assert quick is not None
    full = build_timeline(load_plan(demo_ctx, events=days), now)
    fast = build_timeline(quick, now)
    assert fast == full
    assert fast.conflicts and fast.upcoming, "the demo has conflicts and reminders: the comparison is not empty"
    assert {"reminder", "letter", "exam", "study"} <= {item.kind for item in fast.upcoming}, "every kind compared"
    events = [bar for bar in fast.bars if bar.kind == "event"]
    assert sorted(bar.label for bar in events) == ["BLS course", "Interview: Mercy IM"], "mapped events are drawn once"
    course = next(bar for bar in events if bar.label == "BLS course")
    assert (course.start, course.end) == (date(2026, 12, 14), date(2026, 12, 15)), "all-day end is exclusive"


def test_quick_read_counts_every_overdue_reminder_as_the_full_load_does(ctx: Context) -> None:
    """More unsent reminders past due than "Next up" lists (the daemon was off for two weeks): the first frame
    said "10 overdue" for 14, and listed none of the next ones, until the full load replaced it."""
    from datetime import timedelta

    from tests.daemon_helpers import add_due_reminders, add_supervised_rotation

    now = ctx.clock.now()
    rotation = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation, 14, due=now - timedelta(days=3))
    add_due_reminders(ctx, rotation, 3, due=now + timedelta(days=2), prefix="next")
    quick = read_plan(url_of(ctx), now)
    assert quick is not None
    fast, full = build_timeline(quick, now), build_timeline(load_plan(ctx), now)
    assert full.upcoming[0][:3] == (None, "14 overdue", "reminders not sent: see Outbox")
    assert fast.upcoming == full.upcoming


def test_the_full_load_reads_reminders_as_plain_values(ctx: Context) -> None:
    """The timeline reads five columns of each unsent reminder: the full load builds no Reminder object for them
    (800 on the large plan were most of its read), and shows what the quick read shows."""
    from datetime import timedelta

    from sqlalchemy import event

    from imgcoach.storage.models import Reminder
    from tests.daemon_helpers import add_due_reminders, add_supervised_rotation

    now = ctx.clock.now()
    rotation = add_supervised_rotation(ctx)
    add_due_reminders(ctx, rotation, 3, due=now - timedelta(days=3))
    add_due_reminders(ctx, rotation, 12, due=now + timedelta(days=2), prefix="next")
    built: list[Any] = []

    def loaded(target: Any, _context: Any) -> None:
        built.append(target)

    event.listen(Reminder, "load", loaded)
    try:
        plan = load_plan(ctx)
    finally:
        event.remove(Reminder, "load", loaded)
    assert len(plan.reminders) >= 15, "the unsent reminders were read"
    assert built == [], f"{len(built)} Reminder objects built for the timeline"
    quick = read_plan(url_of(ctx), now)
    assert quick is not None
    assert plan.reminders == quick.reminders
    assert build_timeline(plan, now).upcoming == build_timeline(quick, now).upcoming


def test_the_timelines_full_load_finds_the_conflicts_once(demo_ctx: Context) -> None:
    """build_timeline finds the conflicts in the app's date words: the load it reads does not look for them too
    (None, never an empty list that would say there are none), and what the timeline shows is the same."""
    now = demo_ctx.clock.now()
    plan = load_plan(demo_ctx, conflicts=False)
    assert plan.conflicts is None
    shown = build_timeline(plan, now)
    assert shown.conflicts, "the demo has conflicts: the comparison is not empty"
    assert shown == build_timeline(load_plan(demo_ctx), now)


def test_recorded_schema_heads_are_alembics_heads() -> None:
    """The first paint trusts a database whose alembic_version rows equal SCHEMA_HEADS: after a new migration
    this fails until `python -m imgcoach.storage.schema_heads` records the new heads."""
    assert alembic_heads() == SCHEMA_HEADS


def test_a_database_on_other_heads_takes_the_normal_path(ctx: Context) -> None:
    url = ctx.db.url
    assert read_plan(url, ctx.clock.now()) is not None
    assert read_plan(url, ctx.clock.now(), heads=SCHEMA_HEADS | {"a_migration_this_code_lacks"}) is None


# Each class the quick reader fills, and the table its fields are read from (same names, see _read).
QUICK_TABLES = {
    quickread.QuickApplicant: "applicant", quickread.QuickRotation: "rotation",
    quickread.QuickStudyBlock: "study_block", quickread.QuickExam: "exam_result",
    quickread.QuickLetter: "letter_request", quickread.QuickContact: "contact",
    quickread.QuickReminder: "reminder", quickread.QuickEvent: "calendar_event",
}


@pytest.mark.parametrize("quick", list(QUICK_TABLES), ids=lambda c: c.__name__)
def test_quick_classes_mirror_the_sqlmodel_tables(quick: type) -> None:
    """Every field the stdlib reader fills is a column of the model's table, with the same Python type, and
    may be None wherever the column may be NULL: a renamed or retyped column fails here, not at first paint."""
    from imgcoach.storage import models

    def kinds(annotation: Any) -> set[Any]:
        union = typing.get_origin(annotation) in (types.UnionType, typing.Union)
        return set(typing.get_args(annotation)) if union else {annotation}

    model = next(m for m in vars(models).values()
                 if isinstance(m, type) and getattr(m, "__tablename__", None) == QUICK_TABLES[quick])
    table = model.__table__  # type: ignore[attr-defined]
    quick_hints, model_hints = typing.get_type_hints(quick), typing.get_type_hints(model)
    # NamedTuples (the records) or a dataclass (an imported event)
    names = quick._fields if hasattr(quick, "_fields") else [f.name for f in dataclasses.fields(quick)]
    for name in names:
        assert name in table.c, f"{quick.__name__}.{name}: no column {table.name}.{name}"
        allowed = kinds(quick_hints[name])
        assert allowed - {type(None)} == kinds(model_hints[name]) - {type(None)}, (
            f"{quick.__name__}.{name}: {quick_hints[name]} but {model.__name__}.{name}: {model_hints[name]}")
        if table.c[name].nullable:
            assert type(None) in allowed, f"{quick.__name__}.{name} may be NULL in {table.name}"


@pytest.mark.sqlite_only  # the quick read opens the SQLite file itself (storage/quickread.py)
def test_falls_back_when_it_cannot_be_sure(demo_ctx: Context, tmp_path: Path) -> None:
    now = demo_ctx.clock.now()
    assert sqlite_file("postgresql+psycopg://u@localhost/imgcoach") is None
    assert read_plan("postgresql+psycopg://u@localhost/imgcoach", now) is None
    assert read_plan(f"sqlite:///{tmp_path / 'missing.sqlite'}", now) is None
    assert not (tmp_path / "missing.sqlite").exists(), "the quick read never creates a file"
    assert read_plan(url_of(demo_ctx), now, heads=frozenset({"0001_core"})) is None, "schema not what we know"
    assert read_plan(url_of(demo_ctx), now, applicant="999") is None

    old = tmp_path / "old.sqlite"
    demo_ctx.db.close()
    shutil.copyfile(demo_ctx.db.path, old)  # type: ignore[arg-type]
    with sqlite3.connect(old) as conn:
        conn.execute("DELETE FROM alembic_version WHERE version_num != '0001_core'")
    assert read_plan(f"sqlite:///{old}", now) is None, "an out-of-date schema takes the normal path"
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    assert read_plan(f"sqlite:///{tmp_path / 'junk.sqlite'}", now) is None


async def test_app_paints_the_quick_read_then_the_full_snapshot(demo_ctx: Context) -> None:
    """On both engines: a SQLite file through sqlite3, a PostgreSQL database through psycopg alone."""
    from tests.tui_helpers import settle

    url = demo_ctx.db.url
    app = make_app(db=url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: Any = app.screen
        assert screen.shown_from == ["quick", "full"]
        assert "Lakeview" in app.export_screenshot()
        assert app.context is not None and app.context.db.url == url


@pytest.mark.sqlite_only  # a server is read by a worker after the first frame (its connect may wait)
async def test_the_first_frame_written_shows_the_plan_before_the_services_load(demo_ctx: Context) -> None:
    """A SQLite file is read before the first frame: that frame shows the plan (it was an empty grid, the plan
    painted over it a moment later), and the services' load (its imports hold the GIL) waits until it is written."""
    from textual.widget import Widget

    from tests.tui_helpers import settle

    frames: list[tuple[bool, bool]] = []  # per frame written: the plan shown, the services' context open

    class Watched(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and not self._batch_count:  # Textual writes it (headless: would write)
                view: Any = next(iter(screen.query("#timeline").results(Widget)), None)
                frames.append((view is not None and view.today is not None, self.context is not None))
            super()._display(screen, renderable)

    app = Watched(db=demo_ctx.db.url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.shown_from == ["quick", "full"]  # type: ignore[attr-defined]
    assert frames[0] == (True, False)


def test_quick_read_on_postgresql_falls_back_when_it_cannot_connect(pg_server: Any) -> None:
    """A wrong password or a missing database is None (the normal path then reports it, masked)."""
    from tests.pg_server import ROLE

    now = datetime(2026, 11, 25, 14, tzinfo=UTC)
    url = pg_server.url("no_such_database")
    assert read_plan(url, now) is None
    assert read_plan(url.replace(f"{ROLE}@", f"{ROLE}:secret@"), now) is None


async def test_app_on_a_fresh_file_skips_the_quick_read() -> None:
    from tests.tui_helpers import settle

    # The default file in the (test's own) data folder: a new --db path would first ask before creating it
    # (tests/test_tui_new_database.py).
    app = make_app(db=None, clock=FixedClock(datetime(2026, 11, 25, 14, tzinfo=UTC)), cursor_blink=False,
                   poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.current_mode == "profile", "no profile: the guided set-up"
        with pytest.raises(KeyError):  # the first run opens on the Profile screen: no timeline is drawn at all
            app.get_screen_stack("timeline")


def test_study_blocks_in_next_up_agree_between_the_quick_read_and_the_full_load(ctx: Context) -> None:
    """A block starting today or later is a Next-up line on both paths (the quick read paints the first frame);
    one already begun is not (its bar under the today line shows it); at most NEXT_ITEMS, by day."""
    from datetime import timedelta

    from imgcoach.plan import add_study_blocks
    from imgcoach.tui.timeline_model import NEXT_ITEMS

    now = ctx.clock.now()
    today = load_plan(ctx).today
    begun, *coming = add_study_blocks(ctx, [
        {"exam": "Step 2 CK", "start_date": today - timedelta(days=3), "end_date": today + timedelta(days=4),
         "hours_per_week": 10},
        *({"exam": "Step 3", "start_date": today + timedelta(days=5 + 7 * n),
           "end_date": today + timedelta(days=11 + 7 * n), "hours_per_week": 20 + n} for n in range(NEXT_ITEMS + 2)),
    ])
    quick = read_plan(url_of(ctx), now)
    assert quick is not None
    fast, full = build_timeline(quick, now), build_timeline(load_plan(ctx), now)
    assert fast.upcoming == full.upcoming
    studies = [item for item in full.upcoming if item.kind == "study"]
    assert [item.ref for item in studies] == [b.id for b in coming][:NEXT_ITEMS], "the first ten, by day; not the begun one"
    assert begun.id not in [item.ref for item in full.upcoming]


async def test_the_screens_warm_up_once_the_full_snapshots_frame_is_written(demo_ctx: Context) -> None:
    """The warming worker (imports for other screens' first visits, it holds the GIL) starts after the frame that
    shows the full snapshot is written: started at the screen's next idle, it began before that frame (the
    widgets changed by show() report themselves dirty after that idle) and held back the frame (issue 15)."""
    from tests.tui_helpers import settle

    events: list[str] = []

    class Watched(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            super()._display(screen, renderable)
            if renderable is not None and not self._batch_count and getattr(screen, "data_source", "") == "full":
                events.append("full frame written")

        def warm_screens(self) -> None:
            events.append("warm")
            super().warm_screens()

    app = Watched(db=demo_ctx.db.url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.workers.wait_for_complete()
    assert "warm" in events and "full frame written" in events
    assert events.index("full frame written") < events.index("warm")
