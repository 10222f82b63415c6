"""Readiness checks on constructed profiles, each at its boundaries, with an injected ``today``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.models import Applicant, ExamRecord, Letter, Plan, Rotation, RotationKind
from imgcoach.coach.readiness import (
    Status,
    check_exams,
    check_feedback,
    check_graduation,
    check_letters,
    check_recency,
    check_specialties,
    check_usce,
    evaluate,
    render_text,
    split_weeks,
    whole_months,
)
from imgcoach.coach.thresholds import load_thresholds, parse_thresholds
from imgcoach.plan import rotation_weeks

T = load_thresholds()
SEASON = T.season(2026)  # submission 2025-09-03 (AAMC ERAS 2026 timeline)
SUB = SEASON.submission
TODAY = date(2025, 3, 3)

APPLICANT = Applicant("Test Applicant", date(2022, 6, 30), 2026, ("Internal Medicine",))


def rot(rid: int, start: date, weeks: int, kind: RotationKind = RotationKind.EXTERNSHIP, specialty: str = "Internal Medicine",
        **kw) -> Rotation:
    """A rotation of exactly ``weeks`` weeks (Monday to the Sunday ``weeks`` later)."""
    return Rotation(rid, kind, specialty, f"Hospital {rid}", start, start + timedelta(weeks=weeks, days=-1), **kw)


def plan(*rotations: Rotation, letters=(), exams=(), applicant=APPLICANT) -> Plan:
    return Plan(applicant, tuple(rotations), tuple(letters), tuple(exams))


def test_thresholds_carry_sources_and_rule_of_thumb_marks():
    for section in ("usce", "recency", "letters", "graduation", "outreach"):
        assert T.source(section), section
    assert T.source("usce").endswith("(rule of thumb)")
    assert "JIMGS" in T.source("graduation") and not T.source("graduation").endswith("(rule of thumb)")
    assert SEASON.submission == date(2025, 9, 3) and not SEASON.estimated
    assert T.season(2030).estimated and T.season(2030).submission == date(2029, 9, 3)


def test_missing_field_in_thresholds_names_it():
    with pytest.raises(CoachInputError, match="missing field 'usce'"):
        parse_thresholds({"months": {"weeks_per_month": 4}, "exam_paths": {}, "season": {"known": {}}})


def test_week_counting():
    r = Rotation(1, RotationKind.EXTERNSHIP, "IM", "H", date(2025, 6, 2), date(2025, 6, 27))  # Mon..Fri
    assert rotation_weeks(r.start, r.end) == 4
    assert split_weeks(r, date(2025, 6, 1)) == (0, 4)
    assert split_weeks(r, date(2025, 6, 16)) == (2, 2)
    assert split_weeks(r, date(2025, 6, 28)) == (4, 0)
    # Thu 12 Nov .. Thu 17 Dec: 36 days, 5 weeks and a day; rounding up called it 6 weeks of experience
    thu = Rotation(2, RotationKind.EXTERNSHIP, "FM", "H", date(2026, 11, 12), date(2026, 12, 17))
    assert rotation_weeks(thu.start, thu.end) == 5
    assert split_weeks(thu, date(2026, 12, 2)) == (2, 3)
    assert rotation_weeks(date(2026, 3, 2), date(2026, 3, 4)) == 1  # three days: a week, never 0
    assert whole_months(date(2024, 9, 3), date(2025, 9, 3)) == 12
    assert whole_months(date(2024, 9, 4), date(2025, 9, 3)) == 11


class TestUsce:
    def test_exactly_the_minimum_completed_with_hands_on_is_met(self):
        r = rot(1, date(2024, 9, 2), 12)  # 12 weeks = 3 months
        result = check_usce(plan(r), TODAY, T, SEASON)
        assert result.status is Status.MET
        assert "Completed 3 months (3 hands-on, 0 observing)" in result.evidence[0]

    def test_one_week_short_is_missing_with_dated_action(self):
        r = rot(1, date(2024, 9, 2), 11)
        result = check_usce(plan(r), TODAY, T, SEASON)
        assert result.status is Status.MISSING
        assert result.action is not None and result.action.due == SUB - timedelta(weeks=1)

    def test_planned_weeks_reaching_the_minimum_is_at_risk(self):
        done = rot(1, date(2024, 9, 2), 8)
        planned = rot(2, date(2025, 4, 7), 4)
        result = check_usce(plan(done, planned), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK
        assert result.action.due == planned.end
        assert "planned 1 month (1 hands-on, 0 observing)" in result.evidence[0], "1 month, not '1 months'"
        assert f"(as of {TODAY})" in result.evidence[0]

    def test_observing_only_is_at_risk_even_above_the_minimum(self):
        r = rot(1, date(2024, 6, 3), 16, RotationKind.OBSERVERSHIP)
        result = check_usce(plan(r), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK
        assert "0 hands-on, 4 observing" in result.evidence[0]

    def test_weeks_served_of_a_rotation_under_way_are_said_to_be(self):
        """Readiness counts the weeks served so far ("Completed 1.5 months") where the shortlist, counting ended
        rotations only, said "you have 1": the part under way is now named, so the two do not contradict."""
        ended = rot(1, date(2024, 9, 2), 4)
        under_way = rot(2, TODAY - timedelta(weeks=2), 4)  # 2 weeks served, 2 to go
        evidence = check_usce(plan(ended, under_way), TODAY, T, SEASON).evidence[0]
        assert "Completed 1.5 months (1.5 hands-on, 0 observing, 0.5 of them in a rotation under way)" in evidence
        assert "under way" not in check_usce(plan(ended), TODAY, T, SEASON).evidence[0]

    def test_home_country_and_research_do_not_count(self):
        home = rot(1, date(2024, 6, 3), 16, country="IN")
        research = rot(2, date(2024, 6, 3), 16, RotationKind.RESEARCH)
        assert check_usce(plan(home, research), TODAY, T, SEASON).status is Status.MISSING


class TestRecency:
    def test_ending_exactly_twelve_months_before_submission_is_met(self):
        r = rot(1, SUB - timedelta(weeks=4) - timedelta(days=365), 4)
        r = replace(r, end=date(2024, 9, 3))
        assert check_recency(plan(r), TODAY, T, SEASON).status is Status.MET

    def test_one_day_older_is_at_risk(self):
        r = replace(rot(1, date(2024, 8, 1), 4), end=date(2024, 9, 2))
        result = check_recency(plan(r), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK
        assert "13 months" not in result.evidence[0] and "11 months" not in result.evidence[0]

    def test_older_than_two_years_is_missing(self):
        r = replace(rot(1, date(2023, 6, 1), 4), end=date(2023, 9, 2))
        assert check_recency(plan(r), TODAY, T, SEASON).status is Status.MISSING

    def test_planned_recent_rotation_is_at_risk_until_done(self):
        r = rot(1, date(2025, 5, 5), 4)
        result = check_recency(plan(r), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK and result.action.due == r.end
        assert check_recency(plan(r), r.end + timedelta(days=1), T, SEASON).status is Status.MET

    def test_rotation_ending_after_submission_does_not_count(self):
        r = rot(1, date(2025, 8, 30), 4)  # not a full week served by the submission date (2025-09-03)
        assert check_recency(plan(r), TODAY, T, SEASON).status is Status.MISSING

    def test_rotation_under_way_on_the_submission_date_counts_its_weeks_served(self):
        """check_usce counts its week served by then; this said "No host-country rotation ends by ..." of it."""
        r = rot(1, date(2025, 8, 25), 4)
        result = check_recency(plan(r), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK and result.action.due == SUB
        assert "under way on the submission date (2025-09-03): 1 week served by then counted" in result.evidence[0]


class TestSpecialties:
    def test_each_target_specialty_gets_its_own_check(self):
        applicant = replace(APPLICANT, target_specialties=("Internal Medicine", "Pediatrics", "Neurology"))
        im = rot(1, date(2024, 9, 2), 4)
        peds = rot(2, date(2025, 5, 5), 4, specialty="pediatrics")  # case-insensitive
        old_neuro = replace(rot(3, date(2023, 7, 3), 4, specialty="Neurology"), end=date(2023, 9, 2))
        results = check_specialties(plan(im, peds, old_neuro, applicant=applicant), TODAY, T, SEASON)
        assert [r.key for r in results] == ["specialty:Internal Medicine", "specialty:Pediatrics", "specialty:Neurology"]
        assert [r.status for r in results] == [Status.MET, Status.AT_RISK, Status.MISSING]
        assert "last one ended 2023-09-02" in results[2].evidence[0]

    def test_the_action_for_a_missing_specialty_reads_as_english(self):
        """It said "Arrange a Internal Medicine rotation": the specialty goes after "a rotation in"."""
        applicant = replace(APPLICANT, target_specialties=("Internal Medicine", "Emergency Medicine"))
        results = check_specialties(plan(applicant=applicant), TODAY, T, SEASON)
        assert [r.action.text.split(":")[0] for r in results] == [
            "Arrange a rotation in Internal Medicine", "Arrange a rotation in Emergency Medicine"]

    def test_a_rotation_ending_after_the_submission_date_is_not_said_to_have_ended(self):
        """"No Internal Medicine rotation ending between ...; the last one ended 2027-10-24", said in December 2026
        of a rotation planned to end seven weeks after the submission date."""
        late = rot(1, SUB - timedelta(days=3), 12)  # not a full week served by then: nothing of it counts
        evidence = check_specialties(plan(late), TODAY, T, SEASON)[0].evidence[0]
        assert "ended" not in evidence and evidence.endswith(f"; one ends {late.end}, after the submission date")
        old = replace(rot(2, date(2022, 7, 4), 4), end=date(2022, 8, 1))
        both = check_specialties(plan(old, late), TODAY, T, SEASON)[0].evidence[0]
        assert both.endswith(f"; the last one ended 2022-08-01; one ends {late.end}, after the submission date")

    def test_a_rotation_under_way_is_in_progress_not_planned(self):
        """The demo's externship, begun 19 days before, read "Planned: Clinical Externship ..." while the
        experience check above it listed the same rotation as in progress."""
        under_way = rot(1, TODAY - timedelta(days=19), 5)
        ahead = rot(2, TODAY + timedelta(days=30), 4)
        assert check_specialties(plan(under_way), TODAY, T, SEASON)[0].evidence[0].startswith(
            f"In progress: {under_way.title}, ")
        assert check_specialties(plan(ahead), TODAY, T, SEASON)[0].evidence[0].startswith(f"Planned: {ahead.title}, ")
        starts_today = rot(3, TODAY, 4)
        assert check_specialties(plan(starts_today), TODAY, T, SEASON)[0].evidence[0].startswith("In progress: ")

    def test_window_boundary_is_inclusive(self):
        edge = replace(rot(1, date(2023, 8, 1), 4), end=date(2023, 9, 3))  # exactly 24 months
        assert check_specialties(plan(edge), TODAY, T, SEASON)[0].status is Status.MET
        older = replace(edge, end=date(2023, 9, 2))
        assert check_specialties(plan(older), TODAY, T, SEASON)[0].status is Status.MISSING


class TestLetters:
    def test_target_reached_is_met(self):
        rotations = [rot(i, date(2024, 10, 7) + timedelta(weeks=5 * i), 4, supervisor=f"Dr {i}") for i in range(3)]
        letters = [Letter(f"Dr {i}", "agreed" if i else "uploaded", rotation_id=i) for i in range(3)]
        assert check_letters(plan(*rotations, letters=letters), date(2025, 6, 1), T, SEASON).status is Status.MET

    def test_one_short_with_ask_window_from_next_rotation(self):
        done = [rot(i, date(2024, 10, 7) + timedelta(weeks=5 * i), 4, supervisor=f"Dr {i}") for i in range(2)]
        nxt = rot(9, date(2025, 4, 7), 6, supervisor="Dr Next")
        letters = [Letter("Dr 0", "uploaded", 0), Letter("Dr 1", "agreed", 1), Letter("Dr X", "declined")]
        result = check_letters(plan(*done, nxt, letters=letters), TODAY, T, SEASON)
        assert result.status is Status.MISSING
        assert result.action.due == nxt.end - timedelta(weeks=4)
        assert str(nxt.end - timedelta(weeks=2)) in result.action.text

    def test_asked_letters_make_it_at_risk(self):  # asked: "requested" (an "asked" status no letter can have)
        done = [rot(i, date(2024, 10, 7) + timedelta(weeks=5 * i), 4, supervisor=f"Dr {i}") for i in range(3)]
        letters = [Letter("Dr 0", "uploaded", 0), Letter("Dr 1", "agreed", 1), Letter("Dr 2", "requested", 2)]
        result = check_letters(plan(*done, letters=letters), date(2025, 6, 1), T, SEASON)
        assert result.status is Status.AT_RISK
        assert result.action.text.startswith("Confirm with Dr 2")

    def test_old_and_home_country_letters_do_not_reach_the_target(self):
        old = [replace(rot(i, date(2023, 1, 2) + timedelta(weeks=5 * i), 4), supervisor=f"Dr {i}") for i in range(3)]
        letters = [Letter(f"Dr {i}", "uploaded", i) for i in range(3)] + [Letter("Home", "uploaded", host_country=False)]
        result = check_letters(plan(*old, letters=letters), TODAY, T, SEASON)
        assert result.status is Status.AT_RISK
        assert "3 from rotations that ended more than 12 months before the submission date" in result.evidence[0]

    def test_each_letter_shows_the_day_of_its_status(self):
        done = [rot(i, date(2024, 10, 7) + timedelta(weeks=5 * i), 4, supervisor=f"Dr {i}") for i in range(2)]
        letters = [Letter("Dr 0", "uploaded", 0, status_on=date(2024, 11, 20)),
                   Letter("Dr 1", "agreed", 1, status_on=date(2024, 12, 2)), Letter("Dr X", "requested")]
        result = check_letters(plan(*done, letters=letters), TODAY, T, SEASON)
        assert result.evidence[1:] == ("Dr 0: uploaded on 2024-11-20", "Dr 1: agreed on 2024-12-02",
                                       "Dr X: requested (date not recorded)")

    def test_the_rotation_letter_window_is_the_one_shown(self):
        """The service passes the reminders' letter_window; readiness shows that window, not its own."""
        nxt = replace(rot(9, date(2025, 4, 7), 4, supervisor="Dr Next"),
                      letter_window=(date(2025, 4, 21), date(2025, 4, 27)))
        letters = [Letter("Dr Next", "planned", 9)]
        result = check_letters(plan(nxt, letters=letters), TODAY, T, SEASON)
        assert result.evidence[1] == "Dr Next: planned, ask between 2025-04-21 and 2025-04-27"
        assert "between 2025-04-21 and 2025-04-27" in result.action.text and result.action.due == date(2025, 4, 21)


class TestFeedback:
    r = rot(1, date(2025, 3, 3), 4, supervisor="Dr Mid")  # middle day Sunday 2025-03-16: asked on Monday the 17th

    def test_before_midpoint_is_not_met_yet_and_acts_on_the_midpoint(self):
        result = check_feedback(plan(self.r), date(2025, 3, 15), T, SEASON)
        assert result.status is Status.AT_RISK, "nothing received yet is not met"
        assert result.action.due == self.r.midpoint == date(2025, 3, 17)
        assert result.evidence == (f"{self.r.title}: ask at the midpoint, 2025-03-17",)

    def test_on_the_midpoint_without_asking_is_at_risk_today(self):
        result = check_feedback(plan(self.r), date(2025, 3, 17), T, SEASON)
        assert result.status is Status.AT_RISK and result.action.due == date(2025, 3, 17)

    def test_ended_without_feedback_is_missing(self):
        assert check_feedback(plan(self.r), date(2025, 4, 1), T, SEASON).status is Status.MISSING

    def test_asked_but_not_recorded_is_not_met(self):
        """Asking (or the reminder going out) is not receiving: issue 12 point 7."""
        asked = replace(self.r, feedback_asked_on=date(2025, 3, 16))
        result = check_feedback(plan(asked), date(2025, 4, 1), T, SEASON)
        assert result.status is Status.AT_RISK
        assert result.evidence == (f"{asked.title}: asked 2025-03-16; no feedback recorded yet",)
        assert result.action.due == date(2025, 4, 1) and "imgcoach log feedback 1 --week" in result.action.text

    def test_recorded_is_met_with_its_week_and_words(self):
        got = replace(self.r, feedback_asked_on=date(2025, 3, 16), feedback_recorded_on=date(2025, 3, 17),
                      feedback_note="Lead with the assessment")
        result = check_feedback(plan(got), date(2025, 4, 1), T, SEASON)
        assert result.status is Status.MET and result.action is None
        assert result.evidence == (f'{got.title}: feedback recorded in the log, week of 2025-03-17: '
                                   '"Lead with the assessment"',)

    def test_recorded_on_one_and_the_next_still_ahead_is_met_with_the_next_action(self):
        got = replace(self.r, feedback_recorded_on=date(2025, 3, 17))
        later = rot(2, date(2025, 5, 5), 4, supervisor="Dr Later")
        result = check_feedback(plan(got, later), date(2025, 4, 1), T, SEASON)
        assert result.status is Status.MET and result.action.due == later.midpoint

    def test_recorded_on_one_but_another_asked_only_is_at_risk(self):
        got = replace(self.r, feedback_recorded_on=date(2025, 3, 17))
        asked = replace(rot(2, date(2025, 3, 3), 4, supervisor="Dr B"), feedback_asked_on=date(2025, 3, 16))
        assert check_feedback(plan(got, asked), date(2025, 3, 20), T, SEASON).status is Status.AT_RISK

    def test_no_rotation_is_missing(self):
        assert check_feedback(plan(), TODAY, T, SEASON).status is Status.MISSING


class TestGraduation:
    @pytest.mark.parametrize(
        ("graduation", "status"),
        [
            (date(2022, 9, 3), Status.MET),  # exactly 3 years
            (date(2022, 9, 2), Status.AT_RISK),  # 3 years and a day
            (date(2020, 9, 3), Status.AT_RISK),  # exactly 5
            (date(2020, 9, 2), Status.MISSING),
        ],
    )
    def test_boundaries(self, graduation, status):
        result = check_graduation(plan(applicant=replace(APPLICANT, graduation=graduation)), TODAY, T, SEASON)
        assert result.status is status
        if status is not Status.MET:
            assert "What helps" in result.evidence[1] and result.action.due == SUB

    def test_met_but_crossing_next_season_is_flagged(self):
        result = check_graduation(plan(applicant=replace(APPLICANT, graduation=date(2022, 9, 3))), TODAY, T, SEASON)
        assert "Next season" in result.evidence[-1]


class TestExams:
    def test_statuses_at_the_planning_buffer_boundary(self):
        latest = SUB - timedelta(days=28)
        exams = [
            ExamRecord("step1", "passed", date(2024, 5, 1)),
            ExamRecord("step2ck", "scheduled", latest),
            ExamRecord("oet", "scheduled", latest + timedelta(days=1)),
        ]
        results = {r.key: r for r in check_exams(plan(exams=exams), TODAY, T, SEASON)}
        assert results["exam:step1"].status is Status.MET
        assert results["exam:step2ck"].status is Status.AT_RISK and results["exam:step2ck"].action.due == latest
        assert results["exam:oet"].status is Status.MISSING
        assert results["exam:ecfmg_certification"].status is Status.MISSING
        assert "2026-03-16" in results["exam:ecfmg_certification"].evidence[0]

    def test_step2_needs_a_score(self):
        no_score = check_exams(plan(exams=[ExamRecord("step2ck", "passed", date(2025, 1, 5))]), TODAY, T, SEASON)
        with_score = check_exams(plan(exams=[ExamRecord("step2ck", "passed", date(2025, 1, 5), 241)]), TODAY, T, SEASON)
        assert no_score[1].status is Status.MISSING and with_score[1].status is Status.MET
        assert "score 241" in with_score[1].evidence[0]

    def test_exam_path_is_data(self, tmp_path):
        text = (load_thresholds.__globals__["_default_path"]()).read_text()
        text += '\n[exam_paths.plab]\nlabel = "PLAB (UK)"\nsource = "GMC"\n' \
                '[[exam_paths.plab.milestones]]\ncode = "plab1"\nlabel = "PLAB 1 passed"\ndue = "submission"\n'
        path = tmp_path / "readiness.toml"
        path.write_text(text)
        custom = load_thresholds(path)
        applicant = replace(APPLICANT, exam_path="plab")
        results = check_exams(plan(applicant=applicant, exams=[ExamRecord("plab1", "passed")]), TODAY, custom, SEASON)
        assert [(r.key, r.status) for r in results] == [("exam:plab1", Status.MET)]
        with pytest.raises(CoachInputError, match="unknown exam path 'mccqe'"):
            check_exams(plan(applicant=replace(APPLICANT, exam_path="mccqe")), TODAY, custom, SEASON)


def test_evaluate_report_renders_and_serialises():
    r = rot(1, date(2024, 9, 2), 12, supervisor="Dr A", feedback_asked_on=date(2024, 9, 16))
    report = evaluate(plan(r, letters=[Letter("Dr A", "uploaded", 1)]), TODAY)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["submission"] == "2025-09-03"
    assert {c["status"] for c in data["checks"]} <= {"met", "at_risk", "missing"}
    assert sum(data["counts"].values()) == len(data["checks"]) == 10
    assert data["overall"] == "missing"
    text = render_text(report, sources=True)
    assert "[  MET  ] Host-country clinical experience" in text and "source:" in text
    # "missing" stays the JSON's word; the report says "not met": a graduation beyond every cutoff, or an exam
    # booked too late, lacks no record, and "[MISSING]" beside it read as something not entered.
    counts = data["counts"]
    assert f"{counts['met']} met, {counts['at_risk']} at risk, {counts['missing']} not met" in text, text
    assert "[NOT MET]" in text and "[MISSING]" not in text
