"""The Import screen says true things about accept-all and undo (stop 44, walking the app as a new applicant).

`a` with nothing to accept said "No suggestions left to accept" also of a file none of whose events had one, as if
some had been accepted. ctrl+z asked "Undo import N of a.ics" of the import the screen had last read, and undid
whichever was newest when the answer came: after an import from the command line, the question named the app's
import and the undo removed the other. Real SQLite/PostgreSQL, the app under Pilot, the real CLI for the import
made beside it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.models import CalendarEvent
from imgcoach.tui.app import make_app
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from tests.cli_helpers import run_cli
from tests.tui_helpers import record_toasts

DATA = Path(__file__).parent / "data" / "ics"
SUGGESTING = "allday_multiday.ics"  # two events: suggested as a rotation and an exam
PLAIN = "lf_only.ics"  # one event that suggests nothing


async def _settle(app: Any, pilot: Any, until: Any = lambda: True) -> None:
    for _ in range(400):  # up to ~20 s on a loaded machine; returns as soon as `until` holds
        await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        if until():
            return
    raise AssertionError("the app did not get there")


async def _preview(app: Any, pilot: Any, name: str) -> Any:
    if not app.screen.query("#import-path"):
        await pilot.press("i")
        await _settle(app, pilot, lambda: app.screen.query("#import-path"))
    screen = app.screen
    path = screen.query_one("#import-path", Input)
    path.value = str(DATA / name)
    path.focus()
    await pilot.press("enter")
    table = screen.query_one("#import-table", DataTable)
    await _settle(app, pilot, lambda: screen.report is not None and Path(screen.report.file).name == name
                  and table.row_count > 0)
    table.focus()
    return screen


def _events(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        return sorted(e.summary for e in session.exec(select(CalendarEvent)).all())


def _question(app: Any) -> str:
    text = str(app.screen.query_one("#confirm-message").render())
    return " ".join(html.unescape(re.sub(r"\s+", " ", text)).split())


async def test_accept_all_says_why_there_is_nothing_to_accept(ctx: Context) -> None:
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        said = record_toasts(app)
        screen = await _preview(app, pilot, PLAIN)
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: said)
        assert said[-1] == (f"Nothing to accept: imgcoach suggests no plan item for any event of {PLAIN} "
                            "(k sets a row's kind)"), said

        screen = await _preview(app, pilot, SUGGESTING)
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await _settle(app, pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: len(said) > 1)
        assert said[-1] == ("Nothing left to accept: all 2 suggestions are decided (2 accepted or chosen here; "
                            "k changes a row)"), said

        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: len(_events(ctx)) == 2 and not app.workers._workers)
        screen = await _preview(app, pilot, SUGGESTING)
        await pilot.press("ctrl+a")
        await _settle(app, pilot, lambda: said[-1].startswith("Nothing left"))
        assert said[-1] == ("Nothing left to accept: all 2 suggestions are decided (2 already in your plan; "
                            "k changes a row)"), said


async def _answer_undo(app: Any, pilot: Any, screen: Any) -> str:
    await pilot.press("ctrl+z")
    await _settle(app, pilot, lambda: isinstance(app.screen, ConfirmScreen))
    question = _question(app)
    await pilot.press("y")
    await _settle(app, pilot, lambda: app.screen is screen)
    return question


async def test_undo_undoes_the_import_it_names_or_nothing(ctx: Context, cli_clock: FixedClock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(context=ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        said = record_toasts(app)
        screen = await _preview(app, pilot, SUGGESTING)
        await pilot.press("ctrl+s")
        await _settle(app, pilot, lambda: len(_events(ctx)) == 2 and screen.undo_target is not None)
        first = screen.undo_target[0]
        # Meanwhile, from the command line: a second import, which the screen has not read.
        res = run_cli(capsys, "import", str(DATA / PLAIN), "--db", ctx.db.url)
        assert res.code == 0, res.err
        assert len(_events(ctx)) == 3
        question = await _answer_undo(app, pilot, screen)
        assert f"Import {first} of {SUGGESTING}" in question, question
        await _settle(app, pilot, lambda: any("no longer the last import" in s for s in said) or len(_events(ctx)) != 3)
        assert len(_events(ctx)) == 3, said  # the command line's import stays: it was not the one named
        assert f"import {first} is no longer the last import: the last is import {first + 1} of {PLAIN}; nothing " \
               "was changed" in said[-1], said
        # Asked again (the screen read the import after its refusal), each undo names what it undoes.
        await _settle(app, pilot, lambda: screen.undo_target is not None and screen.undo_target[0] == first + 1)
        question = await _answer_undo(app, pilot, screen)
        assert f"Import {first + 1} of {PLAIN}" in question, question
        await _settle(app, pilot, lambda: len(_events(ctx)) == 2)
        await _settle(app, pilot, lambda: screen.undo_target is not None and screen.undo_target[0] == first)
        question = await _answer_undo(app, pilot, screen)
        assert f"Import {first} of {SUGGESTING}" in question, question
        await _settle(app, pilot, lambda: not _events(ctx))
        assert [s.split(" (")[0] for s in said if s.startswith("Undid")] == [
            f"Undid the import of {PLAIN}", f"Undid the import of {SUGGESTING}"], said
