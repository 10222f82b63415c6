"""Issue 12 point 8 in the app: `imgcoach --db /new/path.sqlite` with no file there asks before creating a
database; No exits 2 with "no database at PATH" and creates nothing. SQLite files only: a server database
is never created by the app, the server says whether it exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.locations import default_db_path
from imgcoach.tui.app import PlannerApp, make_app
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, settle

pytestmark = pytest.mark.sqlite_only


async def wait_for_dialog(pilot: Any) -> None:
    """No settle(): the app's loads wait for the answer, so waiting for every worker would wait forever."""
    for _ in range(50):
        await pilot.pause()
        if isinstance(pilot.app.screen, ConfirmScreen):
            return


async def test_no_creates_nothing_and_says_no_database(tmp_path: Path, clock: FixedClock) -> None:
    new = tmp_path / "typo" / "imgcoach.sqlite"
    app = make_app(db=str(new), clock=clock, cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dialog(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert f"There is no database at {new}." in str(dialog.query_one("#confirm-message", Static).render())
        await pilot.press("n")
        await pilot.pause()
    assert app.return_code == 2 and app.refused_new_database == new
    assert not new.exists() and not new.parent.exists(), "nothing created"


async def test_yes_creates_it_and_starts_the_setup(tmp_path: Path, clock: FixedClock) -> None:
    new = tmp_path / "mine.sqlite"
    app = make_app(db=str(new), clock=clock, cursor_blink=False, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_dialog(pilot)
        assert not new.exists(), "nothing opened while the question is up"
        await pilot.press("y")
        await settle(pilot)
        assert new.exists()
        assert isinstance(pilot.app.screen, FormScreen) and pilot.app.screen.form_title.startswith("Step 1")
    assert not app.return_code and app.refused_new_database is None


async def test_an_existing_file_and_the_default_location_are_not_asked_about(tmp_path: Path,
                                                                            clock: FixedClock) -> None:
    assert not default_db_path().exists()
    for app in (make_app(db=None, clock=clock, cursor_blink=False, poll_seconds=0),
                make_app(db=str(default_db_path()), clock=clock, cursor_blink=False, poll_seconds=0)):
        assert app.new_database is None, "the app's own file in the data folder: the first run creates it"
    existing = tmp_path / "there.sqlite"
    existing.touch()
    assert make_app(db=str(existing), clock=clock).new_database is None


def test_cli_no_exits_2_with_the_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole command: `imgcoach --db NEW` answered No exits 2, "no database at NEW", nothing created."""
    new = tmp_path / "nope.sqlite"
    real_run = PlannerApp.run

    async def answer_no(pilot: Any) -> None:
        await wait_for_dialog(pilot)
        await pilot.press("n")

    monkeypatch.setattr(PlannerApp, "run", lambda self, **_: real_run(self, headless=True, size=SIZE,
                                                                        auto_pilot=answer_no))
    for args in (("--db", str(new)), ("app", "--db", str(new))):
        result = run_cli(capsys, *args)
        assert (result.code, result.err.strip()) == (2, f"imgcoach: error: no database at {new}"), result
        assert not new.exists()
    chosen = run_cli(capsys, "--db", str(new), "--applicant", "someone@example.com")
    assert (chosen.code, chosen.err.strip()) == (2, f"imgcoach: error: no database at {new}") and not new.exists()
