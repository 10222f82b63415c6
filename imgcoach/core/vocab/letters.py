"""A letter request's statuses, as every feature and face reads them: here, below them all, so the reminders, the
coach's readiness, the letters board and `people show` share one rule for "asked for" (they each said
`status == "planned"` or, in readiness, tested an "asked" status no letter can have)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# A letter request's one status before it is asked for: past it (requested, agreed, uploaded, declined) there is
# nothing left to ask (plan.rules.vocab.LETTER_STATUSES).
NOT_YET_ASKED = "planned"


def letter_asked(status: str) -> bool:
    """Whether a letter in `status` has been asked for: the one rule the rotation's letter reminders, their
    supervisor drafts (approval, retry), the drafts' addressee (a planned letter's writer), readiness, the letters
    board and `people show` read."""
    return status != NOT_YET_ASKED


def ask_window_chunks(opens: date, closes: date, day: Callable[[date], str],
                      span: Callable[[date, date], list[str]] | None = None) -> list[str]:
    """A rotation's window to ask for its letter, as the chunks of words every face uses: "ask on 11 Feb 2027"
    when it is one day (a rotation of a week or less), not "ask between 11 Feb 2027 and 11 Feb 2027", which
    `rotations show`, the letters board and readiness each wrote on their own. `span` writes a longer window
    more briefly (the letters board's narrow cards: "11 Feb –", "25 Feb 2027"); a chunk holds a whole date."""
    if opens == closes:
        return ["ask", "on", day(opens)]
    return ["ask", *span(opens, closes)] if span is not None else ["ask", "between", day(opens), "and", day(closes)]


def ask_window_words(opens: date, closes: date, day: Callable[[date], str]) -> str:
    """The window in one line (ask_window_chunks): "ask on 11 Feb 2027", "ask between 11 Feb 2027 and ..."."""
    return " ".join(ask_window_chunks(opens, closes, day))
