"""A host-country rotation under way on the submission date counts the weeks served by then.

Found on 5 December: an externship from 2 August to 24 October 2027 (Match 2028, submission 3 September 2027)
was left out of readiness's months entirely ("ends after the submission date: not counted"), while the CV lists
it "(in progress)" and the application shows it as current experience, with the weeks served by then. Real
SQLite/PostgreSQL, the context's FixedClock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from imgcoach.coach import check_readiness, render_cv
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation


def _plan(ctx: Context) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Brook Hospital (fictional)",
                 state="NY", country="US", start_date=date(2026, 6, 1), end_date=date(2026, 7, 26))
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Lake Hospital (fictional)",
                 state="NJ", country="US", start_date=date(2027, 8, 2), end_date=date(2027, 10, 24), hands_on=True)


def _usce(ctx: Context):  # type: ignore[no-untyped-def]
    report = check_readiness(ctx)
    assert report.season.submission == date(2027, 9, 3)
    return next(c for c in report.checks if c.key == "usce_months")


def test_the_weeks_served_by_the_submission_date_count_as_planned_before_it_starts(ctx: Context) -> None:
    _plan(ctx)
    usce = _usce(ctx)  # 25 November 2026: the externship is ahead
    assert usce.evidence[0].startswith("Completed 2 months (0 hands-on, 2 observing); planned 1 month (1 hands-on, "
                                       "0 observing); not counted: 2 months after the 2028 submission date"), usce
    line = next(x for x in usce.evidence if "Lake Hospital" in x)
    assert line.endswith("12 weeks, under way on the submission date: 4 weeks served by then counted, the rest not")
    assert usce.status.value == "at_risk" and usce.action is not None  # 3 months by plan: complete them
    assert usce.action.due == date(2027, 9, 3), usce.action  # by the submission date, not the rotation's end


def test_readiness_counts_what_the_cv_lists_in_progress(ctx: Context, clock: FixedClock) -> None:
    _plan(ctx)
    clock.set(datetime(2027, 8, 31, 14, 0, tzinfo=UTC))  # four weeks into it, three days before submission
    cv = str(render_cv(ctx, "txt"))
    assert "Lake Hospital (fictional)" in cv and "(in progress)" in cv, cv
    usce = _usce(ctx)
    assert usce.evidence[0].startswith("Completed 3 months (1 hands-on, 2 observing, 1 of them in a rotation under "
                                       "way); planned 0 months"), usce.evidence[0]
    assert usce.status.value == "met", usce
