"""The first run: the set-up dialog shows at once, before the full (SQLAlchemy) load of the plan, and keys
typed as the app starts land in it, not on the timeline behind it (issue 15: it took 8.3 s, with
"Loading the plan…" first, and the keys typed meanwhile went to the timeline).

The app's full load is held back (its `open_context` waits for the test) so "at once" is not a race
the test could win by luck: the dialog must come from the quick read of the database alone.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from imgcoach.core.clock import FixedClock
from imgcoach.core.locations import default_db_path
from imgcoach.storage.db import Database
from imgcoach.tui.app import PlannerApp
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import settle


class HeldApp(PlannerApp):
    """The real app, whose database stack opens only once the test lets it (the slow part of a first run)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def open_context(self) -> Any:
        if self.context is None:
            self.gate.wait(timeout=60)
        return super().open_context()


async def wait_for_form(pilot: Any) -> FormScreen:
    for _ in range(400):
        await pilot.pause()
        if isinstance(pilot.app.screen, FormScreen) and pilot.app.screen.is_mounted:
            return pilot.app.screen
    raise AssertionError(f"no set-up dialog; the screen is {pilot.app.screen!r}")


async def first_run_takes_the_keys(app: HeldApp) -> None:
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"Ravi Kumar")  # typed at once, before anything is painted or loaded
            form = await wait_for_form(pilot)
            assert app.context is None, "the dialog came before the full load of the plan"
            assert form.form_title.startswith("Step 1")
            assert form.query_one("#field-name", Input).value == "Ravi Kumar", "the keys landed in the dialog"
            assert pilot.app.current_mode == "profile"
            app.gate.set()
            form.query_one("#field-email", Input).value = "ravi@example.com"
            await pilot.press("ctrl+s")
            await settle(pilot)
            step = pilot.app.screen
            assert isinstance(step, FormScreen) and step.form_title.startswith("Step 2"), "the profile was saved"
    finally:
        app.gate.set()  # never leave the worker thread waiting


async def test_first_run_on_an_empty_database(db_url: str, clock: FixedClock) -> None:
    Database(db_url).close()  # created and migrated, no applicant yet (as after `imgcoach init`)
    app = HeldApp(db=db_url, clock=clock, cursor_blink=False, poll_seconds=0)
    await first_run_takes_the_keys(app)
    check = Database(db_url)
    try:
        from imgcoach.core.context import Context
        from imgcoach.core.settings import Settings
        from imgcoach.plan import get_profile

        profile = get_profile(Context(db=check, clock=clock, settings=Settings()))
        assert profile is not None and profile.name == "Ravi Kumar"
    finally:
        check.close()


@pytest.mark.sqlite_only
async def test_first_run_with_no_database_file_yet(clock: FixedClock, db_engine: str) -> None:
    """The default location, nothing there: the app creates its own database without asking (issue 12)."""
    path: Path = default_db_path().expanduser()
    assert not path.exists()
    app = HeldApp(clock=clock, cursor_blink=False, poll_seconds=0)
    await first_run_takes_the_keys(app)
    assert path.exists()


def test_the_set_up_opens_without_the_database_stack(tmp_path: Path) -> None:
    """What the first run's dialog needs (the quick check, the profile screen, the set-up's forms) imports no
    SQLAlchemy: that import (about 0.6 s, seconds under load) is what kept the dialog waiting."""
    import subprocess
    import sys

    missing = f"sqlite:///{tmp_path / 'none.sqlite'}"
    code = (
        "import sys\n"
        "import imgcoach.tui.app, imgcoach.tui.setup, imgcoach.tui.screens.profile_screen\n"
        "from imgcoach.plan import no_applicant_yet\n"
        f"assert no_applicant_yet({missing!r})\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'alembic'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_no_applicant_yet_is_said_only_when_certain(db_url: str, clock: FixedClock, tmp_path: Path) -> None:
    from imgcoach.core.context import Context
    from imgcoach.core.settings import Settings
    from imgcoach.plan import no_applicant_yet, set_profile

    db = Database(db_url)
    try:
        assert no_applicant_yet(db_url), "migrated, nobody set up"
        assert not no_applicant_yet(db_url, heads=frozenset({"an-older-revision"})), "a migration is due: unsure"
        set_profile(Context(db=db, clock=clock, settings=Settings()), name="A", email="a@example.com",
                    timezone="UTC")
        assert not no_applicant_yet(db_url)
    finally:
        db.close()
    garbage = tmp_path / "not-a-database.sqlite"
    garbage.write_bytes(b"this is not SQLite")
    assert not no_applicant_yet(f"sqlite:///{garbage}")
    assert not no_applicant_yet("sqlite://"), "in memory: nothing to read from outside"
