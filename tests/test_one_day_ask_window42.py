"""A rotation of a week or less has a one-day window to ask for its letter, which `rotations show` wrote as
"ask between 11 Feb 2027 and 11 Feb 2027" (readiness and the letters board's preview the same way, each with
its own copy of the sentence). One rule now, core.vocab.letters.ask_window_words: "ask on 11 Feb 2027"."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.plan.people import add_contact, add_letter_request
from tests.cli_helpers import run_cli


def _week(ctx: Context) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Lakeview Clinic",
                            state="IL", start_date=date(2027, 2, 8), end_date=date(2027, 2, 12), hours_per_week=30)
    assert rotation.id is not None
    return rotation.id


def test_a_one_day_window_is_one_day_in_every_sentence(ctx: Context, db_url: str, cli_clock: FixedClock,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    rid = _week(ctx)
    shown = run_cli(capsys, "rotations", "show", str(rid), "--db", db_url)
    assert shown.code == 0, shown.err
    (line,) = [x for x in shown.out.splitlines() if "Letter window" in x]
    window = run_cli(capsys, "rotations", "show", str(rid), "--db", db_url, "--json").json()["letter_window"]
    assert window["opens"] == window["last_call"]  # the case itself: one day
    assert line.split("Letter window", 1)[1].strip() == f"ask on {date.fromisoformat(window['opens']):%d %b %Y}"
    writer = add_contact(ctx, name="Dr. Lee (fictional)", rotation_id=rid)
    assert writer.id is not None
    add_letter_request(ctx, writer.id, rotation_id=rid)
    evidence = " ".join(next(c for c in run_cli(capsys, "readiness", "--db", db_url, "--json").json()["checks"]
                             if c["key"] == "letters")["evidence"])
    assert f"Dr. Lee (fictional): planned, ask on {window['opens']}" in evidence, evidence
    assert "ask between" not in evidence
