"""The work of the first `shortlist` after a write (issue 17: every read command within 5x `python -c pass`),
counted in the look's own process, a real subprocess on a real demo database: what it imports. Its answer is
still the full path's, byte for byte.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import FIXED_NOW
from tests.test_cli_quickanswer import full
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_shortlist_quick import Pair
from tests.test_shortlist_first_look_work import _look


def _exam_names(db: str) -> set[str]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        names = {name for (name,) in conn.execute('SELECT "exam" FROM "exam_result"')}
    conn.close()
    return names


@pytest.mark.sqlite_only
@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_a_first_look_asks_for_no_suggestions(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              form: tuple[str, ...]) -> None:
    """The plan's exam standing read each exam row with parse_exam, whose refusal of a name it does not know (the
    demo's "ECFMG certification") works out "did you mean" suggestions (difflib's import and its ratios over every
    exam name) that the standing then drops: at every first look after a write. It asks known_exam now."""
    pair = Pair(url, tmp_path, capsys)
    assert "ECFMG certification" in _exam_names(pair.fast), "the demo's exam row no vocabulary knows"
    pair.write("rotations", "edit", "1", "--hours", "31")
    shown, seen = _look(pair.fast, FIXED_NOW, *form)
    assert shown == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert "difflib" not in seen["modules"], "the look worked out suggestions for an exam name"


def test_the_exam_standing_leaves_out_the_names_it_does_not_know() -> None:
    """What the standing makes of each name is what it made with parse_exam: an unknown, a retired (Step 2 CS) and
    an ambiguous name ("USMLE") are left out; the known ones count, whatever their spelling."""
    from imgcoach.plan.rules.exam_standing import exam_standing

    def row(exam: str, score: int | None, result: str | None, day: date) -> SimpleNamespace:
        return SimpleNamespace(exam=exam, taken_on=day, score=score, result=result, attempt=1)

    rows = [row("ECFMG certification", None, "pass", date(2025, 1, 5)), row("Step 2 CS", None, "fail", date(2019, 1, 5)),
            row("USMLE", None, "fail", date(2024, 1, 5)), row("usmle step 2ck", 250, None, date(2025, 3, 1)),
            row("Step 3", None, None, date(2027, 2, 1))]
    standing = exam_standing(rows)
    assert (standing.step2_score, standing.failed_attempts, standing.max_attempts_any_step,
            standing.step3_pending_on) == (250, 0, 1, date(2027, 2, 1))
