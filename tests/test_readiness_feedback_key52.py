"""The feedback check's advice names the key the Readiness screen binds to record feedback.

Found walking an applicant's externship on 7 December: feedback asked (`rotations edit 2 --feedback-asked ...`), the
check said "next: Write down the feedback from your supervisor (...) once you have it: imgcoach log feedback 2 --week
DATE --feedback TEXT (in the app: f on the Readiness screen)", in the CLI and in the app's Readiness detail alike; f
does nothing there: the screen records feedback with a (Add, as on every screen).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from textual.binding import Binding

from imgcoach.coach.readiness import check_feedback
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.screens.readiness_screen import ReadinessScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot
from tests.tui_helpers import app_for, press, readiness_detail, settle

SAID = re.compile(r"in the app: (\S+) on the Readiness screen")


def _bound(key: str) -> set[str]:
    return {b.action for b in ReadinessScreen.BINDINGS if isinstance(b, Binding) and key in b.key.split(",")}


@pytest.mark.parametrize("case", ["asked, not written down", "over, none written down"])
def test_the_key_named_is_the_one_bound(case: str) -> None:
    if case.startswith("asked"):
        rotation = rot(2, date(2025, 2, 3), 4, feedback_asked_on=date(2025, 2, 17))  # under way on TODAY (3 Mar)
    else:
        rotation = rot(2, date(2024, 11, 4), 4)
    action = check_feedback(plan(rotation), TODAY, T, SEASON).action
    assert action is not None
    said = SAID.search(action.text)
    assert said is not None, action.text
    assert _bound(said.group(1)) == {"record_feedback"}, f"{said.group(1)} on Readiness is {_bound(said.group(1))}"


async def test_the_key_the_app_names_opens_the_feedback_form(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                             cli_clock: FixedClock) -> None:
    db = ("--db", ctx.db.url)
    for words in (("rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine", "--institution",
                   "St Luke Clinic", "--start", "2026-11-02", "--end", "2026-12-18", "--hours", "50"),
                  ("rotations", "edit", "1", "--feedback-asked", "2026-11-20")):
        result = run_cli(capsys, *words, *db)
        assert result.code == 0, result
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = await readiness_detail(pilot, "feedback")
        said = SAID.search(detail)
        assert said is not None, detail
        await press(pilot, said.group(1))  # the key the advice names
        assert isinstance(app.screen, FormScreen), app.screen
        assert app.screen.form_title == "Record feedback"
