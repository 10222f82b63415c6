"""A rotation that ends after the season's submission date is not on the application programs read.

Found by a new applicant on 25 November 2026 (Match 2028, submission 3 September 2027): 2 months of observership
done and a 3-month externship booked for October to December 2027. Readiness said "planned 3 months ... at risk:
complete the planned rotations" (by 26 December 2027, four months after submission), while its own recency and
specialty checks left that rotation out as ending after submission; the shortlist counted it too, and a program
asking for 3 months with no deadline on file was "eligible by your plan".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.plan import add_exam, add_rotation
from tests.matching_support import csv_text, row


def _plan(ctx: Context) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Brook Hospital (fictional)",
                 state="NY", country="US", start_date=date(2026, 6, 1), end_date=date(2026, 7, 26))
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lake Hospital (fictional)",
                 state="NJ", country="US", start_date=date(2027, 10, 4), end_date=date(2027, 12, 26),
                 hands_on=True)


def test_readiness_does_not_count_months_that_end_after_submission(ctx: Context) -> None:
    _plan(ctx)
    report = check_readiness(ctx)
    assert (report.season.match_year, report.season.submission) == (2028, date(2027, 9, 3))
    usce = next(c for c in report.checks if c.key == "usce_months")
    assert usce.status.value == "missing", usce
    assert usce.evidence[0].startswith("Completed 2 months (0 hands-on, 2 observing); planned 0 months (0 hands-on, "
                                       "0 observing); not counted: 3 months after the 2028 submission date "
                                       "(2027-09-03); target 3-6 months"), usce.evidence[0]
    assert any("Lake Hospital" in line and "ends after the submission date: not counted" in line
               for line in usce.evidence)
    assert usce.action is not None and usce.action.due <= date(2027, 9, 3)  # advice due before it is too late
    assert "Find 1 more month" in usce.action.text
    assert usce.gauge is not None and usce.gauge[:2] == (2, 0)


def test_the_shortlist_counts_and_says_the_same(ctx: Context, tmp_path: Path) -> None:
    _plan(ctx)
    add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=245)
    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="P1", usce_months_required="3", application_deadline="unknown",
                                 yog_cutoff_years="none")))
    programs_service.import_programs(ctx, path)
    shortlist, _, inputs, _ = service.compute(ctx)
    standing = inputs.facts.standing(include_planned=True)
    assert (standing.hands_on_months, standing.observing_months) == (0, 2)
    verdict = shortlist.ranking.by_id("P1")
    assert verdict is not None
    codes = [r.code for r in verdict.verdict.reasons]
    assert "usce_short" in codes and "usce_by_plan" not in codes, verdict.verdict.reasons
    said = [w for w in shortlist.to_dict()["warnings"] if w.startswith("not counted:")]
    assert said == ["not counted: internal medicine externship ending 2027-12-26: it ends after the 2028 Match's "
                    "submission date (2027-09-03, estimated: ERAS 2026's month and day), the first day applications "
                    "can be submitted: an application cannot change once submitted, and imgcoach counts experience "
                    "up to that day"]
