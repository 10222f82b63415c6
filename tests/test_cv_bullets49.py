"""A CV's bullets read as one list: each begins with a capital, none ends with a lone full stop.

Responsibilities and lessons are written as one sentence split at semicolons ("Took histories under supervision;
drafted notes for co-signature."). `imgcoach cv` printed "- drafted notes for co-signature." under "- Took
histories under supervision": the second bullet in lower case, only the last with a full stop, which a program
director reads as careless. A first word that is a term (eGFR, pH) stays as written, as do the dots of "e.g."
The markdown test failed before; the plain-text one (a line joined at semicolons, as written) is a guard.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from tests.cli_helpers import run_cli


@pytest.fixture
def rotation(ctx: Context) -> None:
    start = ctx.clock.now().date() - timedelta(weeks=8)
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Riverside General (fictional)",
                 start_date=start, end_date=start + timedelta(weeks=4, days=-3),
                 responsibilities="Took histories under supervision; drafted notes for co-signature.",
                 learned="eGFR-based dosing;pH and gases at the bedside;\nteaching rounds, e.g. the U.S.")


def test_markdown_bullets_begin_with_a_capital_and_end_alike(
        rotation: None, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: FixedClock) -> None:
    res = run_cli(capsys, "cv", "--db", db_url)
    assert res.code == 0, res.err
    assert ("Responsibilities:\n- Took histories under supervision\n- Drafted notes for co-signature\n"
            in res.out), res.out
    assert ("What I learned:\n- eGFR-based dosing\n- pH and gases at the bedside\n- Teaching rounds, e.g. the U.S.\n"
            in res.out), res.out


def test_the_plain_text_line_ends_once_guard(
        rotation: None, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: FixedClock) -> None:
    res = run_cli(capsys, "cv", "--format", "txt", "--db", db_url)
    assert res.code == 0, res.err
    assert "  Responsibilities: Took histories under supervision; drafted notes for co-signature.\n" in res.out
    assert "  What I learned: eGFR-based dosing; pH and gases at the bedside; teaching rounds, e.g. the U.S.\n" \
        in res.out, res.out
