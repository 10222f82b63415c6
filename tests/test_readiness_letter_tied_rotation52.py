"""Readiness does not ask who supervises a rotation whose letter is already recorded.

Found walking an applicant's letters on 7 December: the attending of a running externship filed with the role
"attending" (`contacts add --role attending --rotation 2`, or w on Rotations), a letter from them tied to it and
marked uploaded; the letters check still said "next: Record who supervises you on Clinical Externship ..., St Luke
Clinic and plan a letter from them", naming the rotation whose letter was in hand, while the January observership
with nobody recorded went unsaid. Only a supervisor's link counted as someone recorded.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach.models import Letter
from imgcoach.coach.readiness import check_letters
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot
from tests.tui_helpers import app_for, readiness_detail, settle


def test_the_next_rotation_with_nobody_recorded_is_named() -> None:
    running = rot(2, date(2025, 2, 17), 4)  # its attending, filed as attending: no supervisor on it
    later = rot(3, date(2025, 4, 7), 4, letter_window=(date(2025, 4, 21), date(2025, 4, 25)))
    uploaded = Letter("Dr Jane Smith", "uploaded", 2, host_country=True, status_on=date(2025, 3, 1))
    action = check_letters(plan(running, later, letters=[uploaded]), TODAY, T, SEASON).action
    assert action is not None
    assert "Hospital 2" not in action.text and "--rotation 2" not in action.text, action.text
    assert action.text.startswith("Record who supervises you on Clinical Externship in Internal Medicine, Hospital 3"), \
        action.text


@pytest.mark.parametrize("status", ["planned", "requested", "agreed", "uploaded", "declined"])
def test_a_rotation_with_a_letter_tied_to_it_is_not_asked_about(status: str) -> None:
    """Its writer is recorded whatever the letter's state (a planned one is asked for by name, as before)."""
    running = rot(2, date(2025, 2, 17), 4, letter_window=(date(2025, 3, 3), date(2025, 3, 7)))
    action = check_letters(plan(running, letters=[Letter("Dr Jane Smith", status, 2, host_country=True)]),
                           TODAY, T, SEASON).action
    assert action is not None and not action.text.startswith("Record who supervises you"), action.text


def _walk(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    """An externship under way (the test's day is 25 Nov 2026), an observership in January; the externship's
    attending, filed as attending, has uploaded her letter."""
    db = ("--db", ctx.db.url)

    def ok(*words: str) -> str:
        result = run_cli(capsys, *words, *db)
        assert result.code == 0, result
        return result.out

    ok("rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine", "--institution",
       "St Luke Clinic", "--state", "TX", "--start", "2026-11-02", "--end", "2026-12-25", "--hours", "50")
    ok("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine", "--institution",
       "Mercy Hospital", "--state", "IL", "--start", "2027-01-04", "--end", "2027-01-29", "--hours", "40")
    ok("contacts", "add", "--name", "Dr Jane Smith", "--role", "attending", "--rotation", "1")
    ok("letters", "add", "--writer", "1", "--rotation", "1")
    ok("letters", "set-status", "1", "requested")
    ok("letters", "set-status", "1", "uploaded")


def test_the_cli_names_the_observership(capsys: pytest.CaptureFixture[str], ctx: Context,
                                        cli_clock: FixedClock) -> None:
    _walk(capsys, ctx)
    out = run_cli(capsys, "readiness", "--db", ctx.db.url).out
    assert "Dr Jane Smith: uploaded on 2026-11-25" in out, out
    assert "Record who supervises you on Clinical Externship" not in out, out
    assert ("next: Record who supervises you on Clinical Observership in Internal Medicine, Mercy Hospital and plan "
            "a letter from them (imgcoach contacts add --name NAME --rotation 2") in out, out


async def test_the_app_names_the_observership(capsys: pytest.CaptureFixture[str], ctx: Context,
                                              cli_clock: FixedClock) -> None:
    _walk(capsys, ctx)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = await readiness_detail(pilot, "letters")
        assert "Host-country letters" in detail, detail
        assert "Record who supervises you on Clinical Externship" not in detail, detail
        assert "Record who supervises you on Clinical Observership in Internal Medicine, Mercy Hospital" in detail, \
            detail
