"""What a visa need implies beyond sponsorship: H-1B programs want USMLE Step 3 passed before they rank.

One warning, built here so the shortlist (CLI text, JSON) and the coach's readiness say the same thing.
"""

from __future__ import annotations

from datetime import date

from imgcoach.core.datewords import ISO, DateWords

H1B_STEP3_SOURCE = (
    "[S] residencyadvisor.com and edexlive.com: most programs that sponsor an H-1B require USMLE Step 3 passed "
    "before ranking or filing the petition (a program practice, not an NRMP rule; check each program)"
)
ROL_DEADLINE_TEXT = "the NRMP rank order list deadline (early March of the Match year; the date is on nrmp.org)"


def h1b_step3_warning(visa_need: str, step3_passed: bool, step3_booked_on: date | None, match_year: int,
                      words: DateWords = ISO, *, today: date | None = None) -> str | None:
    """The warning for an applicant who may need an H-1B and has not passed Step 3, else None. A booking whose
    day has passed (`today`) is a sitting whose result is not recorded: "booked for" a day gone read as a
    sitting still to come."""
    if visa_need not in ("h1b", "j1_or_h1b") or step3_passed:
        return None
    head = (f"H-1B: programs that sponsor it usually need USMLE Step 3 passed before {ROL_DEADLINE_TEXT} "
            f"for the {match_year} Match; you have not passed Step 3")
    sat = False
    if step3_booked_on is None:
        booked = " and it is not booked"
    elif today is not None and step3_booked_on < today:
        sat, booked = True, f" (sat on {words.day(step3_booked_on)}, no result recorded yet)"
    else:
        booked = f" (booked for {words.day(step3_booked_on)})"
    tail = ("; until you pass it, count on J-1 programs" if visa_need == "j1_or_h1b"
            else "; record its result once you have it" if sat
            else "; book it early enough for the score to arrive before then")
    return head + booked + tail
