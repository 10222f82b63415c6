"""The letter writer's packet: its items, what each is called, and the sentence that names them.

One rule for the three places that list it (the reminder e-mail, the app's letter checklist, the writer's
packet files): each had its own list, and the e-mail wrote "Attach your CV, Personal statement draft, Summary
of cases", capitals mid-sentence and no "and". It lives here, the lowest layer that uses it (plan and coach
import reminders; reminders may import neither).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

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


# Where the files were looked for, said with what was found. The daemon's e-mail: it may run on another machine
# (a server) than the app. The app's Outbox preview looks on the app's own machine, and says so: it said "where the
# reminder daemon runs" of a check it had made itself.
WHERE_DAEMON_RUNS = " where the reminder daemon runs"
WHERE_THIS_MACHINE = " on this machine"


def document_problem(path: str | None, *, where: str = "") -> str:
    """Why the letter packet would leave this file out (it attaches files only), "" when it would attach it or no
    path is given: the one rule and the words `profile set`, the app's Letters and Profile, `coach packet` and
    the reminder e-mail say. A path is accepted either way (the file may come later). `where` says where it was
    looked for (WHERE_DAEMON_RUNS, WHERE_THIS_MACHINE), when that may not be where the applicant is."""
    if not path:
        return ""
    found = Path(str(path)).expanduser()
    if not found.exists():
        return f"does not exist{where} (yet); the packet will leave it out until it does"
    if not found.is_file():
        return f"is not a file{where}; the packet will leave it out"
    return ""


def document_line(label: str, path: str, why: str) -> str:
    """"CV: ~/cv.pdf does not exist (yet); ...": a file the packet leaves out, named as every face names it."""
    return f"{label}: {path} {why}"


def packet_checklist(cv_path: str | None, statement_path: str | None, cases: int, *,
                     where: str = "") -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(ready, missing, unfound) of the writer's packet: the labels a draft may claim attached (a named file that
    is there), the labels not named yet, and a `document_line` for each named file that is not there (a draft
    claimed "I have attached: CV" while the path named no file)."""
    paths = {PACKET_CV: cv_path, PACKET_STATEMENT: statement_path}
    ready: list[str] = []
    missing: list[str] = []
    unfound: list[str] = []
    for label, named in packet_items(cv_path, statement_path, cases):
        why = document_problem(paths.get(label), where=where) if named else ""
        if why:
            unfound.append(document_line(label, str(paths[label]), why))
        elif named:
            ready.append(label)
        else:
            missing.append(label)
    return tuple(ready), tuple(missing), tuple(unfound)


def packet_in_sentence(labels: Iterable[str]) -> str:
    """"CV, personal statement draft and summary of cases": the labels as words inside a sentence."""
    words = [_IN_SENTENCE.get(label, label) for label in labels]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
