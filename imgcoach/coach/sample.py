"""SYNTHETIC sample data for the coach: a made-up applicant, made-up hospitals, made-up scores.

Dates are placed relative to ``today`` so the demo always shows every state (met, at risk, missing, a
follow-up due, an offer to check). None of these people or institutions exist; no figure here is a statistic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from imgcoach.coach.models import (
    Applicant,
    Case,
    ExamRecord,
    Letter,
    Plan,
    Project,
    Rotation,
    RotationKind,
    WeeklyEntry,
)
from imgcoach.coach.thresholds import Thresholds, load_thresholds

if TYPE_CHECKING:  # sample_data imports them: readiness reads next_match_year alone (issue 17: its start-up)
    from imgcoach.coach.mentors import Moment
    from imgcoach.coach.outreach import OutreachEntry

SYNTHETIC_NOTE = "Synthetic demo data: people, hospitals and scores are invented."


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def next_match_year(today: date, t: Thresholds, lead_days: int = 120) -> int:
    """The first Match year whose submission date is at least ``lead_days`` away."""
    year = today.year
    while t.season(year).submission < today + timedelta(days=lead_days):
        year += 1
    return year


@dataclass
class SampleData:
    plan: Plan
    cases: list[Case]
    projects: list[Project]
    entries: list[WeeklyEntry]
    outreach: list[OutreachEntry]
    moments: list[Moment] = field(default_factory=list)


def sample_data(today: date, thresholds: Thresholds | None = None) -> SampleData:
    from imgcoach.coach.mentors import Moment, MomentKind
    from imgcoach.coach.outreach import OutreachEntry, OutreachStatus

    t = thresholds or load_thresholds()
    year = next_match_year(today, t)
    sub = t.season(year).submission
    wk = _monday(today)
    applicant = Applicant(
        name="Dr. Amara Okafor (synthetic)",
        graduation=date(sub.year - 4, 7, 15),
        match_year=year,
        target_specialties=("Internal Medicine", "Family Medicine"),
        email="amara.okafor@example.org",
        cv_path="~/Documents/residency/cv-amara-okafor.pdf",
        personal_statement_path="~/Documents/residency/personal-statement-draft.docx",
    )
    obs_start = wk - timedelta(weeks=40)
    ext_start = wk - timedelta(weeks=18)
    fm_start = wk - timedelta(weeks=1)
    rotations = (
        Rotation(1, RotationKind.OBSERVERSHIP, "Internal Medicine", "Riverside University Hospital",
                 obs_start, obs_start + timedelta(days=25), department="Department of Medicine",
                 city="Springfield, IL", setting="inpatient", weekly_hours=40, supervisor="Dr. Jane Whitfield",
                 supervisor_email="j.whitfield@riverside.example.org",
                 responsibilities=("Observed daily rounds on a 20-bed general medicine ward",
                                   "Presented two patients at morning report"),
                 learned=("How US inpatient teams divide work between residents and attendings",
                          "Writing a concise assessment and plan"),
                 feedback_asked_on=obs_start + timedelta(days=12)),
        Rotation(2, RotationKind.EXTERNSHIP, "Internal Medicine", "Lakeview Community Medical Center",
                 ext_start, ext_start + timedelta(weeks=8, days=-3), department="Internal Medicine Clinic",
                 city="Lakeview, OH", setting="mixed", weekly_hours=45, supervisor="Dr. Marcus Bell",
                 supervisor_email="mbell@lakeview.example.org",
                 responsibilities=("Took histories and examined patients under supervision",
                                   "Drafted progress notes reviewed by the attending",
                                   "Presented a case at the weekly teaching conference"),
                 learned=("Outpatient diabetes management following current guidelines",
                          "Discharge planning with case managers"),
                 feedback_asked_on=ext_start + timedelta(weeks=4)),
        Rotation(3, RotationKind.OBSERVERSHIP, "Family Medicine", "Northgate Family Health Center",
                 fm_start, fm_start + timedelta(weeks=4, days=-3), department="Family Medicine",
                 city="Northgate, MN", setting="outpatient", weekly_hours=36, supervisor="Dr. Priya Raman",
                 supervisor_email="praman@northgate.example.org",
                 responsibilities=("Observed continuity clinics and well-child visits",),
                 learned=("Preventive care schedules in US primary care",)),
        Rotation(4, RotationKind.CLINICAL_JOB, "Internal Medicine", "Lagos Teaching Hospital (home country)",
                 date(sub.year - 5, 1, 10), date(sub.year - 5, 3, 28), country="NG",
                 supervisor="Dr. Tunde Adebayo", weekly_hours=50, setting="inpatient"),
    )
    letters = (
        Letter("Dr. Jane Whitfield", "uploaded", rotation_id=1, requested_on=obs_start + timedelta(days=8)),
        Letter("Dr. Marcus Bell", "agreed", rotation_id=2, requested_on=ext_start + timedelta(weeks=5)),
        Letter("Dr. Tunde Adebayo", "uploaded", rotation_id=4, host_country=False),
    )
    exams = (
        ExamRecord("step1", "passed", date(sub.year - 3, 5, 20)),
        ExamRecord("step2ck", "scheduled", today + timedelta(weeks=6)),
        ExamRecord("oet", "passed", date(sub.year - 2, 11, 2)),
        ExamRecord("ecfmg_certification", "not_started"),
    )
    plan = Plan(applicant, rotations, letters, exams, extras={"note": SYNTHETIC_NOTE})
    cases = [
        Case(1, 2, "Insulin start for a patient afraid of needles",
             "Middle-aged patient with poorly controlled type 2 diabetes refused insulin; we used teach-back and a "
             "pen demonstration, and agreed a two-week trial with phone follow-up.",
             ("challenging patient", "guideline in practice"), "Shared decision-making takes more than one visit.",
             ext_start + timedelta(weeks=2)),
        Case(2, 2, "Discharge delayed by insurance authorisation",
             "A patient ready for discharge waited three days for a rehabilitation bed approval; the case manager "
             "showed me how the team escalates.", ("system differences", "teamwork"),
             "Discharge planning starts on admission.", ext_start + timedelta(weeks=5)),
        Case(3, 1, "Goals-of-care conversation with a large family",
             "Elderly patient with advanced heart failure; the attending led a family meeting about comfort care "
             "while the family disagreed among themselves.", ("ethical dilemma",),
             "Name the disagreement, then return to the patient's own wishes.", obs_start + timedelta(days=9)),
        Case(4, 1, "Rapid response on the ward",
             "Watched a rapid-response call for sepsis: nurse, resident and pharmacist worked from one checklist.",
             ("teamwork", "guideline in practice"), "Closed-loop communication.", obs_start + timedelta(days=16)),
        Case(5, 3, "Vaccine-hesitant parent at a well-child visit",
             "The physician acknowledged the parent's worries and agreed to revisit the schedule next visit.",
             ("challenging patient",), "", fm_start + timedelta(days=2)),
    ]
    projects = [
        Project(1, "case_report", "Euglycemic DKA after an SGLT2 inhibitor: a case report", rotation_id=2,
                supervisor="Dr. Marcus Bell", status="submitted"),
        Project(2, "qi", "Medication reconciliation at discharge: a two-week audit", rotation_id=1,
                supervisor="Dr. Jane Whitfield", status="completed"),
    ]
    entries = []
    for week in range(8):
        monday = ext_start + timedelta(weeks=week)
        entries.append(WeeklyEntry(
            2, monday, 45 if week else 40, activities="Clinic and ward; notes under supervision",
            procedures_observed=("paracentesis",) if week == 2 else (),
            procedures_performed=("ECG interpretation",) if week in (3, 6) else (),
            presentations=("Teaching conference: euglycemic DKA",) if week == 5 else (),
            feedback="Presentations too long; lead with the assessment" if week == 3 else "",
            change_after_feedback="Started presenting the assessment and plan first, in under 3 minutes"
            if week == 3 else "",
        ))
    outreach = [
        OutreachEntry(1, "Riverside University Hospital", "Department of Medicine", OutreachStatus.ACCEPTED,
                      "Ms. Laura Chen", "gme@riverside.example.org", "Internal Medicine",
                      written_on=obs_start - timedelta(weeks=14), last_sent_on=obs_start - timedelta(weeks=14),
                      cost_usd=0, visa_requirement="B-1/B-2 visitor visa accepted", role_in_writing=True,
                      verified_legitimate=True),
        OutreachEntry(2, "Lakeview Community Medical Center", "Internal Medicine Clinic", OutreachStatus.ACCEPTED,
                      "Mr. David Ortiz", "education@lakeview.example.org", "Internal Medicine", RotationKind.EXTERNSHIP,
                      written_on=ext_start - timedelta(weeks=12), last_sent_on=ext_start - timedelta(weeks=12),
                      cost_usd=1500, visa_requirement="B-1/B-2 visitor visa accepted", role_in_writing=True,
                      verified_legitimate=True),
        OutreachEntry(3, "Northgate Family Health Center", "Family Medicine", OutreachStatus.ACCEPTED,
                      "Ms. Erin Walsh", "students@northgate.example.org", "Family Medicine",
                      written_on=fm_start - timedelta(weeks=10), last_sent_on=fm_start - timedelta(weeks=10),
                      cost_usd=0, visa_requirement="B-1/B-2 visitor visa accepted", role_in_writing=True,
                      verified_legitimate=True),
        OutreachEntry(4, "St. Brigid Medical Center", "Family Medicine", OutreachStatus.SENT,
                      "Dr. Omar Haddad", "fmclerkship@stbrigid.example.org", "Family Medicine",
                      RotationKind.EXTERNSHIP, written_on=today - timedelta(days=t.follow_up_days + 2),
                      last_sent_on=today - timedelta(days=t.follow_up_days + 2)),
        OutreachEntry(5, "Harborview Clinics Network", "Internal Medicine", OutreachStatus.OFFERED,
                      "Clinical Placements Team", "placements@harborview-clinics.example.net", "Internal Medicine",
                      RotationKind.EXTERNSHIP, written_on=today - timedelta(weeks=5),
                      last_sent_on=today - timedelta(weeks=5), cost_usd=4200, visa_requirement="",
                      role_in_writing=False, verified_legitimate=False,
                      notes="Asks for payment before an interview"),
        OutreachEntry(6, "Mercy General Hospital", "Cardiology", OutreachStatus.INTERVIEW, "Ms. Grace Kim",
                      "cardio.education@mercy.example.org", "Internal Medicine",
                      written_on=today - timedelta(weeks=4), last_sent_on=today - timedelta(weeks=4), cost_usd=0,
                      visa_requirement="B-1/B-2 visitor visa accepted", role_in_writing=True, verified_legitimate=True),
        OutreachEntry(7, "Eastside Health", "Family Medicine", OutreachStatus.DRAFTED, "Ms. Ana Souza",
                      "education@eastside.example.org", "Family Medicine"),
        OutreachEntry(8, "Pinecrest Medical Center", "Internal Medicine", OutreachStatus.DECLINED, "Mr. Ken Ito",
                      "gme@pinecrest.example.org", "Internal Medicine", written_on=today - timedelta(weeks=9),
                      last_sent_on=today - timedelta(weeks=9), notes="No observers this year"),
    ]
    moments = [Moment(MomentKind.EXAM_SCORE, today + timedelta(weeks=10), "USMLE Step 2 CK passed")]
    return SampleData(plan, cases, projects, entries, outreach, moments)
