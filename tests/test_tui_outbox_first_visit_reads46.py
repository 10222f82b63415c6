"""The Outbox's first visit reads each thing once (issue 15). Counted, never timed: the statements the visit sends,
transaction by transaction (the data version's look on SQLite, the load, the first row's preview).

It sent about 25: the load counted the reminders per status twice (outbox_view, then the daemon line), read the
rotations' feedback_requested_on again after reading the rotations, and the letter requests twice (their writers,
then their statuses); the preview read the row and the applicant in two transactions, each twice, and the addressees
of a rotation twice, and asked for the case notes of no rotation; and the first row's preview was often asked for
twice (by the load's show and by the first row's highlight), both read in their threads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.plan.people import add_contact
from tests.tui_helpers import app_for, at_each_frame, press, settle


async def outbox_first_visit(ctx: Context, check: Callable[[Any, list[list[str]]], None]) -> None:
    """The Outbox's first visit from the timeline; `check` is given the screen (still running) and the statements
    each transaction sent."""
    transactions: list[list[str]] = []
    open_on: dict[int, list[str]] = {}  # connection -> its transaction's statements (two threads may read at once)

    def begun(conn: Any) -> None:
        transactions.append([])
        open_on[id(conn)] = transactions[-1]

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip() != "BEGIN":  # SQLite's; the begin event marks every engine's
            open_on[id(conn)].append(" ".join(statement.split()))

    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        event.listen(ctx.db.engine, "begin", begun)
        event.listen(ctx.db.engine, "before_cursor_execute", record)
        try:
            await press(pilot, "o")
        finally:
            event.remove(ctx.db.engine, "before_cursor_execute", record)
            event.remove(ctx.db.engine, "begin", begun)
        screen: Any = app.screen
        assert type(screen).__name__ == "OutboxScreen" and screen.loads == 1
        assert screen.preview is not None  # the first row's e-mail was read and shown
        check(screen, transactions)


def reads_of(statements: list[str], table: str) -> list[str]:
    """The statements that read `table` (its first FROM or a JOIN)."""
    return [s for s in statements if f"FROM {table} " in f"{s} " or f"JOIN {table} " in s]


def assert_nothing_twice(statements: list[str]) -> None:
    repeated = [s for s, n in Counter(statements).items() if n > 1]
    assert not repeated, repeated
    empty = [s for s in statements if "1 != 1" in s or "1!=1" in s]  # an IN of no ids: a query for nothing
    assert not empty, empty


async def test_outbox_first_visit_reads_each_thing_once(demo_ctx: Context) -> None:
    await outbox_first_visit(demo_ctx, check_demo_visit)


def load_and_preview(screen: Any, transactions: list[list[str]]) -> tuple[list[str], list[str]]:
    """The load's statements and the first row's preview's. Before them on SQLite, the data version's look (one
    transaction: the read_version counters); on PostgreSQL that look reads no table through the engine since
    migration 0017's write notices (storage.write_notices: its own listening connection), so two transactions."""
    sqlite = screen.app.context.db.engine.dialect.name == "sqlite"
    assert len(transactions) == (3 if sqlite else 2), transactions
    return transactions[-2], transactions[-1]


def check_demo_visit(screen: Any, transactions: list[list[str]]) -> None:
    load, preview = load_and_preview(screen, transactions)
    for statements in transactions:
        assert_nothing_twice(statements)
    assert len([s for s in load if "GROUP BY reminder.status" in s]) == 1, load
    assert len(reads_of(load, "rotation")) == 1, load
    assert len(reads_of(load, "letter_request")) == 1, load
    assert len(reads_of(load, "applicant")) == 1, load
    # The preview: its row and its applicant once each, in one transaction.
    assert len(reads_of(preview, "applicant")) == 1, preview
    assert len([s for s in preview if s.startswith("SELECT reminder.id")]) == 1, preview
    assert sum(map(len, transactions)) <= 13, transactions  # 22 before
    # What the reads gave is shown: the rows, the daemon line and the e-mail of the first row.
    assert screen.query_one("#outbox-table").row_count == len(screen.reminders) > 0
    assert screen.preview.subject


async def test_a_rotation_reminders_preview_reads_its_addressees_once(ctx: Context) -> None:
    """The first row a rotation's (its feedback request): the approval offer and the message each read the
    rotation's supervisor, letters, log and the queued draft."""
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=today + timedelta(days=10),
                            end_date=today + timedelta(days=37))
    assert rotation.id is not None
    add_contact(ctx, "Dr. Sam Reyes", rotation_id=rotation.id, email="sam.reyes@example.org")
    await outbox_first_visit(ctx, lambda screen, transactions: check_rotation_preview(screen, transactions, rotation.id))


def check_rotation_preview(screen: Any, transactions: list[list[str]], rotation_id: int | None) -> None:
    first = screen.reminders[screen.selected_id()]
    assert first.rotation_id == rotation_id
    _, preview = load_and_preview(screen, transactions)
    assert_nothing_twice(preview)
    for table in ("applicant", "rotation", "rotation_contact", "letter_request", "coach_weekly_entry"):
        assert len(reads_of(preview, table)) == 1, (table, preview)
    assert len([s for s in preview if "reminder.key IN" in s or "reminder.\"key\" IN" in s
                or "reminder.key =" in s or "reminder.\"key\" =" in s]) <= 1, preview
    assert "Dr. Sam Reyes" in screen.preview.text or "sam.reyes@example.org" in screen.preview.text


async def test_the_first_rows_frame_is_painted_before_the_preview_is_read(demo_ctx: Context,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The first row's e-mail is read in a thread started once the frame with the rows is painted: started in the
    load's show, it composed the e-mail against that frame (the GIL taken from the UI thread). Counted at each
    frame written: the preview workers begun by then."""
    from imgcoach.tui.screens.outbox_screen import OutboxScreen

    previews: list[str] = []
    run_worker = OutboxScreen.run_worker

    def counted_worker(screen: Any, work: Any, *args: Any, **options: Any) -> Any:
        if options.get("group") == "preview":
            previews.append("begun")
        return run_worker(screen, work, *args, **options)

    monkeypatch.setattr(OutboxScreen, "run_worker", counted_worker)
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        def rows_and_previews(app: Any) -> tuple[int, int]:
            tables = app.screen.query("#outbox-table")
            return tables.first().row_count if tables else 0, len(previews)

        begun = at_each_frame(app, "outbox", rows_and_previews)  # (rows in the table, preview workers begun)
        await press(pilot, "o")
        with_rows = [workers for rows, workers in begun if rows]
        assert with_rows and with_rows[0] == 0, begun
        assert app.screen.preview is not None  # type: ignore[attr-defined]  # then read and shown
