"""A Step 3 booking whose day has passed is a sitting with no result recorded, not a sitting still to come.

Found on 25 November 2026 with an H-1B need and Step 3 booked for 2 November, no result typed yet: the shortlist's
warning (and the same sentence on the Readiness screen) said "you have not passed Step 3 (booked for
2026-11-02)", a day three weeks gone read as a booking ahead, while readiness's own line said "Sat on ...".
"""

from __future__ import annotations

from datetime import date

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.matching.runs import gather
from imgcoach.plan import add_exam, set_profile
from imgcoach.storage.applicants import current_applicant


def test_a_past_step3_booking_is_said_as_sat_on_both_features(ctx: Context) -> None:
    set_profile(ctx, visa="h1b")
    add_exam(ctx, "Step 3", date(2026, 11, 2))  # booked, sat, result not typed yet (today is 25 Nov 2026)
    with ctx.db.read() as session:
        warnings = gather(session, ctx, current_applicant(session, ctx), date(2026, 11, 25)).facts.warnings()
    said = [w for w in warnings if w.startswith("H-1B")]
    assert len(said) == 1 and "(sat on 2026-11-02, no result recorded yet)" in said[0], warnings
    assert "booked for" not in said[0] and said[0].endswith("; record its result once you have it"), said[0]
    visa = next(c for c in check_readiness(ctx).checks if c.key == "visa:h1b_step3")
    assert visa.evidence[0] == said[0], visa.evidence
    # A booking ahead is still "booked for".
    add_exam(ctx, "Step 3", date(2027, 2, 1))
    assert "(booked for 2027-02-01)" in next(c for c in check_readiness(ctx).checks
                                             if c.key == "visa:h1b_step3").evidence[0]
