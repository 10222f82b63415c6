"""Recent experience already completed is met, whatever rotation comes after it.

Found by a new applicant's profile: an Internal Medicine externship completed in December 2024 and a second one
under way in March 2025 (Match 2026, submission 3 September 2025). "Experience in Internal Medicine" said met
(the completed one), while "Recent host-country experience" said at risk, "Complete Hospital 2", as though the
rule (an experience ending within 12 months of the submission date) hung on the rotation still running.
"""

from __future__ import annotations

from datetime import date, timedelta

from imgcoach.coach.models import Applicant, Plan, Rotation, RotationKind
from imgcoach.coach.readiness import Status, check_recency, check_specialties, evaluate
from imgcoach.coach.thresholds import load_thresholds

T = load_thresholds()
SEASON = T.season(2026)  # submission 2025-09-03 (AAMC ERAS 2026 timeline)
TODAY = date(2025, 3, 3)
APPLICANT = Applicant("Test Applicant", date(2022, 6, 30), 2026, ("Internal Medicine",))


def rot(rid: int, start: date, weeks: int) -> Rotation:
    return Rotation(rid, RotationKind.EXTERNSHIP, "Internal Medicine", f"Hospital {rid}", start,
                    start + timedelta(weeks=weeks, days=-1))


DONE = rot(1, date(2024, 11, 4), 4)  # ends 2024-12-01: 9 months before the submission date
RUNNING = rot(2, date(2025, 2, 17), 8)  # ends 2025-04-13, after TODAY
PLAN = Plan(APPLICANT, (DONE, RUNNING), (), ())


def test_a_completed_recent_rotation_meets_recency_while_another_runs() -> None:
    result = check_recency(PLAN, TODAY, T, SEASON)
    assert result.status is Status.MET and result.action is None
    assert any("Hospital 1" in line and "2024-12-01" in line for line in result.evidence)
    (specialty,) = check_specialties(PLAN, TODAY, T, SEASON)
    assert specialty.status is result.status  # the two checks read the same rotations alike


def test_the_report_counts_it_once_as_met() -> None:
    report = evaluate(PLAN, TODAY, T)
    (recency,) = (c for c in report.checks if c.key == "recency")
    assert recency.status is Status.MET


def test_only_a_running_rotation_is_still_at_risk() -> None:
    result = check_recency(Plan(APPLICANT, (RUNNING,), (), ()), TODAY, T, SEASON)
    assert result.status is Status.AT_RISK and result.action is not None and result.action.due == RUNNING.end
