"""When two rotations are one rotation to the applicant: the same kind, place and days; and when a deleted one's
sent reminders count for a new one: the same place and days, whatever kind each was entered as.

Why here: the rule refuses a rotation typed twice (`plan.same_rotation`: an add, an edit, an undo) and finds what
was sent for a deleted rotation added again (`reminders.sent_for_deleted_twin`), and reminders may not import plan.
It had two copies that disagreed: the refusal compared the place with SQL's lower() (ASCII only on SQLite, so
"ÉCOLE" was another place than "école", and "Straße" than "STRASSE"), the reminders with casefold(); neither
collapsed a doubled space. Pure: no database, so both compare in Python with the same key.
"""

from __future__ import annotations

import unicodedata
from datetime import date

RotationKey = tuple[str, str, date, date]


def place_key(institution: str) -> str:
    """A place as the rule compares it: its letters as one Unicode form without case ("Straße" is "STRASSE", an
    "é" typed as e + accent is "é"), its spaces collapsed ("Lakeside  General " is "Lakeside General")."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", institution).casefold())
    return " ".join(folded.split())


def same_rotation_key(kind: str, institution: str, start: date, end: date) -> RotationKey:
    """What makes a rotation the one it is to the applicant; two rotations are the same when their keys are equal."""
    return kind, place_key(institution), start, end


def same_stay(a: RotationKey, b: RotationKey) -> bool:
    """The same place on the same days, the kind aside: what a re-added rotation's reminders compare with a deleted
    one's. A rotation deleted and entered again with its kind corrected (an observership that was an externship)
    is the stay its reminders were sent for; sending its "Letter: last call" again would say the same twice. The
    refusal of a rotation typed twice keeps the kind: two kinds on the same days are two entries a person made."""
    return a[1:] == b[1:]
