"""The app survives a database another process keeps locked (issue 16, item 2).

Another connection holds the write lock (SQLite BEGIN IMMEDIATE, PostgreSQL's write advisory lock) past
the busy timeout while the user saves a form in the app: the app says the database is busy in the form,
keeps what was typed, and keeps running; once the lock is released, saving again saves. The busy
timeout is shortened to half a second for the test (the real lock and the real timeout, only shorter).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Input, Static

import imgcoach.storage.db as storage_db
from imgcoach.core.context import Context
from imgcoach.plan.rotations import list_rotations
from imgcoach.storage.db import Database
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import SIZE, app_for, fill, press, settle

SHORT_BUSY_MS = 500


@pytest.fixture
def short_ctx(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    """The applicant's database opened again with a half-second busy timeout (lock_timeout on PostgreSQL)."""
    monkeypatch.setattr(storage_db, "BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    db = Database(ctx.db.url)
    yield Context(db=db, clock=ctx.clock, settings=ctx.settings, applicant_id=ctx.applicant_id)
    db.close()


async def test_a_save_while_another_connection_holds_the_write_lock_is_kept_for_retry(short_ctx: Context) -> None:
    holder = Database(short_ctx.db.url, migrate=False)
    conn = holder.write_engine.connect()
    try:
        async with app_for(short_ctx).run_test(size=SIZE) as pilot:
            await press(pilot, "r", "a")
            form = pilot.app.screen
            assert isinstance(form, FormScreen)
            fill(form, specialty="Internal Medicine", institution="Riverside General (fictional)",
                 start_date="2027-01-04", end_date="2027-01-31")
            transaction = conn.begin()  # the write lock, held well past the busy timeout
            await press(pilot, "ctrl+s")
            assert pilot.app.is_running and pilot.app.screen is form, "the form stays open with the input"
            error = str(form.query_one("#form-error", Static).render())
            assert "busy" in error and "nothing was saved" in error, error
            assert "Traceback" not in error and "SELECT" not in error and "INSERT" not in error, error
            assert form.query_one("#field-institution", Input).value == "Riverside General (fictional)"
            assert form.query_one("#field-start_date", Input).value == "2027-01-04"
            transaction.rollback()  # the other writer finishes
            await press(pilot, "ctrl+s")
            assert not isinstance(pilot.app.screen, FormScreen), "the retry saved and closed the form"
            assert pilot.app.is_running
            assert pilot.app.screen.query_one(DataTable).row_count == 1
        assert [r.institution for r in list_rotations(short_ctx)] == ["Riverside General (fictional)"]
    finally:
        conn.close()
        holder.close()


async def test_an_action_while_the_database_is_locked_is_a_notification_and_the_app_goes_on(
        short_ctx: Context) -> None:
    """Not only forms: any save run in a worker (here deleting a rotation) says the database is busy."""
    from datetime import date

    from imgcoach.plan import add_rotation

    add_rotation(short_ctx, kind="observership", specialty="Internal Medicine", institution="Lakeside (fictional)",
                 start_date=date(2027, 2, 1), end_date=date(2027, 2, 28))
    holder = Database(short_ctx.db.url, migrate=False)
    conn = holder.write_engine.connect()
    try:
        async with app_for(short_ctx).run_test(size=SIZE) as pilot:
            await press(pilot, "r", "down", "d")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            transaction = conn.begin()
            await press(pilot, "y")  # confirm the delete while the other writer holds the lock
            notes = [str(n.message) for n in pilot.app._notifications]
            assert any("busy" in n and "nothing was saved" in n for n in notes), notes
            assert not any("Unexpected error" in str(n.title) for n in pilot.app._notifications), notes
            assert pilot.app.is_running
            transaction.rollback()
        assert len(list_rotations(short_ctx)) == 1, "nothing was deleted"
    finally:
        conn.close()
        holder.close()


async def test_any_worker_stopped_by_the_lock_is_told_in_plain_words_not_logged_as_a_crash(
        short_ctx: Context) -> None:
    """A worker that writes outside a form or an action (the safety net, PlannerApp._handle_exception)."""
    import asyncio

    from imgcoach.plan import set_profile
    from imgcoach.tui.crash import error_log_path

    holder = Database(short_ctx.db.url, migrate=False)
    conn = holder.write_engine.connect()
    try:
        async with app_for(short_ctx).run_test(size=SIZE) as pilot:
            await settle(pilot)
            transaction = conn.begin()
            worker = pilot.app.run_worker(lambda: set_profile(short_ctx, name="Renamed"), thread=True)
            for _ in range(100):  # not workers.wait_for_complete(): it re-raises the worker's error
                await asyncio.sleep(0.05)
                if worker.is_finished:
                    break
            await pilot.pause()
            transaction.rollback()
            notes = [(str(n.title), str(n.message)) for n in pilot.app._notifications]
            assert ("Not saved", storage_db._BUSY) in notes, notes
            assert pilot.app.is_running and pilot.app.return_code in (None, 0)
        assert not error_log_path().exists(), "a busy database is not a bug: nothing in the crash log"
    finally:
        conn.close()
        holder.close()


def test_a_cli_write_while_the_database_is_locked_exits_2_and_changes_nothing(
        short_ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    """On PostgreSQL the lock timeout used to be an "internal error" (exit 1): its text was not recognised."""
    from tests.cli_helpers import database_state, run_cli

    url = short_ctx.db.url
    holder = Database(url, migrate=False)
    conn = holder.write_engine.connect()
    try:
        transaction = conn.begin()
        before = database_state(url)
        result = run_cli(capsys, "--db", url, "rotations", "add", "--kind", "observership", "--specialty",
                         "Internal Medicine", "--institution", "X (fictional)", "--start", "2027-03-01",
                         "--end", "2027-03-28")
        assert result.code == 2, result
        assert result.err.strip() == f"imgcoach: error: {storage_db._BUSY}", result.err
        transaction.rollback()
        assert database_state(url) == before
        assert list_rotations(short_ctx) == []
    finally:
        conn.close()
        holder.close()
