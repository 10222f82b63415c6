"""The letter writer's packet: its items, what each is called, and the sentence that names them.

One rule for the three places that list it (the reminder e-mail, the app's letter checklist, the writer's
packet files): each had its own list, and the e-mail wrote "Attach your CV, Personal statement draft, Summary
of cases", capitals mid-sentence and no "and". It lives here, the lowest layer that uses it (plan and coach
import reminders; reminders may import neither).
"""

from __future__ import annotations

from collections.abc import Iterable

# Labels as a list or a checkbox shows them (an item of its own, so capitalised).
PACKET_CV = "CV"
PACKET_STATEMENT = "Personal statement draft"
PACKET_CASES = "Summary of cases"

# The same items inside a sentence: "CV" is an abbreviation and keeps its capitals.
_IN_SENTENCE = {PACKET_CV: "CV", PACKET_STATEMENT: "personal statement draft", PACKET_CASES: "summary of cases"}


def packet_items(cv_path: str | None, statement_path: str | None, cases: int) -> tuple[tuple[str, bool], ...]:
    """(label, ready) of each item, in the packet's order: the CV and statement are ready when the profile
    names their file, the summary when the rotation has a case."""
    return ((PACKET_CV, bool(cv_path)), (PACKET_STATEMENT, bool(statement_path)), (PACKET_CASES, cases > 0))


def packet_in_sentence(labels: Iterable[str]) -> str:
    """"CV, personal statement draft and summary of cases": the labels as words inside a sentence."""
    words = [_IN_SENTENCE.get(label, label) for label in labels]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
