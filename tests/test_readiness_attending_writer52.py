"""Readiness names a rotation's attending as its letter writer, rather than asking who supervises it.

Found walking an applicant's letters on 7 December: the attending of a running externship filed with the role
"attending" (`contacts add --role attending --rotation 2`, or w on Rotations; `rotations show` lists her under
Supervisors), no letter planned yet; the letters check said "next: Record who supervises you on Clinical Externship
..., St Luke Clinic and plan a letter from them (imgcoach contacts add --name NAME --rotation 2 ...)", as if nobody
were recorded: the coach read supervisor links only. A supervisor, when there is one, is still the one named.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach.readiness import check_letters
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.test_coach_readiness import SEASON, TODAY, T, plan, rot
from tests.tui_helpers import app_for, readiness_detail, settle

WINDOW = (date(2025, 3, 3), date(2025, 3, 7))
SAID = ("next: Ask Dr Jane Smith (Clinical Externship in Internal Medicine, St Luke Clinic) for a letter between "
        "2026-11-30 and 2026-12-11")


def test_the_attending_is_asked() -> None:
    running = rot(2, date(2025, 2, 17), 4, attending="Dr Jane Smith", letter_window=WINDOW)
    action = check_letters(plan(running), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Ask Dr Jane Smith (Clinical Externship in Internal "
                                                         "Medicine, Hospital 2) for a letter"), action.text


def test_a_supervisor_is_named_before_the_attending() -> None:
    """A guard: as before, the supervisor link is the one named when there is one."""
    running = rot(2, date(2025, 2, 17), 4, supervisor="Dr Sup", attending="Dr Jane Smith", letter_window=WINDOW)
    action = check_letters(plan(running), TODAY, T, SEASON).action
    assert action is not None and action.text.startswith("Ask Dr Sup ("), action.text


def _walk(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    """An externship under way (the test's day is 25 Nov 2026), its attending recorded as attending."""
    db = ("--db", ctx.db.url)
    for words in (("rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine", "--institution",
                   "St Luke Clinic", "--state", "TX", "--start", "2026-11-02", "--end", "2026-12-25", "--hours", "50"),
                  ("contacts", "add", "--name", "Dr Jane Smith", "--role", "attending", "--rotation", "1")):
        result = run_cli(capsys, *words, *db)
        assert result.code == 0, result


@pytest.mark.parametrize("full_read", [False, True], ids=["quick", "full"])
def test_the_cli_asks_the_attending(capsys: pytest.CaptureFixture[str], ctx: Context, cli_clock: FixedClock,
                                    monkeypatch: pytest.MonkeyPatch, full_read: bool) -> None:
    if full_read:
        monkeypatch.setenv("IMGCOACH_FULL_READ", "1")
    _walk(capsys, ctx)
    out = run_cli(capsys, "readiness", "--db", ctx.db.url).out
    assert "Record who supervises you on" not in out, out
    assert SAID in out, out


async def test_the_app_asks_the_attending(capsys: pytest.CaptureFixture[str], ctx: Context,
                                          cli_clock: FixedClock) -> None:
    _walk(capsys, ctx)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        detail = await readiness_detail(pilot, "letters")
        assert "Record who supervises you on" not in detail, detail
        assert "Ask Dr Jane Smith (Clinical Externship in Internal Medicine, St Luke Clinic) for a letter" in detail, \
            detail
