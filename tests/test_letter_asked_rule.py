"""One rule for "a letter was asked for" (core.vocab.letters.letter_asked): the rotation's letter reminders, the
coach's readiness, `people show` and the letters board read it, so a letter in any status (a declined one too) is
asked-for everywhere or nowhere. Readiness counted a status "asked" that no letter can have, and the others each
tested `== "planned"` on their own."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from imgcoach.core.vocab.letters import letter_asked
from imgcoach.plan import LETTER_STATUSES

DAY = date(2026, 11, 2)


def test_the_reminders_read_the_same_rule() -> None:
    from imgcoach.reminders import rules

    assert rules.letter_asked is letter_asked
    assert [s for s in LETTER_STATUSES if not letter_asked(s)] == ["planned"]


@pytest.mark.parametrize("status", LETTER_STATUSES)
def test_readiness_and_people_show_agree_with_the_rule(status: str) -> None:
    from imgcoach.cli.show_text import _letter_line as shown
    from imgcoach.coach.models import Letter
    from imgcoach.coach.readiness import _letter_line as readiness_line

    asked = letter_asked(status)
    line = readiness_line(Letter("Dr. Lee", status, status_on=DAY), {}, DAY)
    assert line.startswith("Dr. Lee: planned") is (not asked), line
    letter = SimpleNamespace(status=status, requested_on=DAY, agreed_on=DAY, uploaded_on=DAY, declined_on=DAY,
                             due_on=None)
    text = shown(letter, SimpleNamespace(name="Dr. Lee"))
    assert (f": {status} on " in text) is asked, text



@pytest.mark.parametrize("status", LETTER_STATUSES)
def test_the_letters_board_offers_the_ask_window_only_before_it_is_asked(status: str) -> None:
    from imgcoach.tui.screens.letters_screen import CardText

    letter = SimpleNamespace(status=status, due_on=None)
    card = SimpleNamespace(letter=letter, writer=SimpleNamespace(name="Dr. Lee"), rotation=None,
                           window=(DAY, date(2026, 11, 16)), last_call_passed=False)
    lines = [line for line, _ in CardText(card, None).lines(40)]  # type: ignore[arg-type]
    assert any(line.startswith("ask") for line in lines) is (not letter_asked(status)), lines
