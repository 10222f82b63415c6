"""The demo applicant: SYNTHETIC data, realistic in shape, for trying imgcoach and for tests.

Every person, school and hospital here is fictional (names say so); e-mail addresses use the
reserved example.com domain. Dates are relative to the clock, so the plan always has past,
current and coming rotations; the graduation year is relative to the Match the clock aims at, so the years
since graduation readiness and the shortlist count are the same whenever the demo is built.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from imgcoach import plan
from imgcoach.composition import demo_extensions
from imgcoach.core.context import Context
from imgcoach.core.ids import saved_id

# Years from the demo applicant's graduation to the Match the demo aims at (readiness and the shortlist read it).
DEMO_YEARS_TO_MATCH = 5


def demo_db_path() -> Path:
    from imgcoach.core.locations import data_dir

    return data_dir() / "imgcoach-demo.sqlite"


def build_demo(ctx: Context) -> None:
    """Fill an empty database with the demo applicant."""
    today = ctx.clock.now().date()

    def day(offset: int) -> date:
        return today + timedelta(days=offset)

    # Graduated five Matches before the one aimed at (4 full years before its submission date, counted from the
    # assumed 30 June): `today.year - 3` moved by a year with the build date (5 years in December, 4 in June).
    graduation_year = plan.aimed_match_year(ctx.settings, today).year - DEMO_YEARS_TO_MATCH

    plan.set_profile(
        ctx,
        name="Amina Rahman (synthetic demo)",
        email="amina.rahman@example.com",
        timezone="America/New_York",
        school="Indus Valley Medical College (fictional)",
        school_country="Pakistan",
        graduation_year=graduation_year,
        visa="j1",
        us_citizen=False,  # said: a J-1 applicant from abroad (profile show: "no", not "not said")
        target_specialties=["Internal Medicine", "Family Medicine"],
        target_countries=["US"],
        target_states=["NY", "NJ", "PA", "MI"],
        cv_path="~/Documents/residency/CV_Amina_Rahman.pdf",
        personal_statement_path="~/Documents/residency/personal_statement_draft.docx",
        application_budget_programs=80,
        synthetic=True,
    )
    plan.add_exam(ctx, "Step 1", day(-620), result="pass")
    plan.add_exam(ctx, "Step 2 CK", day(-400), score=246)
    plan.add_exam(ctx, "OET", day(-300), result="pass")
    plan.add_exam(ctx, "ECFMG certification", day(-280), result="pass")

    im = plan.add_rotation(
        ctx, kind="observership", specialty="Internal Medicine", institution="Brookside University Hospital (fictional)",
        department="Department of Medicine", city="Newark", state="NJ", country="US", start_date=day(-150),
        end_date=day(-123), setting="inpatient", hours_per_week=40, hands_on=False,
        responsibilities="Observed inpatient rounds on the general medicine teaching service; presented two cases at noon conference.",
        learned="US inpatient workflow, sign-out with I-PASS, writing concise progress notes.",
        feedback_requested_on=day(-137),
    )
    fm = plan.add_rotation(
        ctx, kind="externship", specialty="Family Medicine", institution="Lakeview Community Health Center (fictional)",
        city="Detroit", state="MI", country="US", start_date=day(-20), end_date=day(15), setting="outpatient",
        hours_per_week=40, hands_on=True,
        responsibilities="Took histories and examined patients under supervision; drafted notes in the EHR for co-signature.",
        learned="Chronic disease management in a federally qualified health center; motivational interviewing.",
    )
    research = plan.add_rotation(
        ctx, kind="research", specialty="Internal Medicine", institution="Northgate Medical Center (fictional)",
        department="Division of Cardiology", city="Philadelphia", state="PA", country="US", start_date=day(45),
        end_date=day(100), setting="outpatient", hours_per_week=20, hands_on=False,
        responsibilities="Chart review for a heart-failure readmission QI project.",
    )
    plan.add_rotation(
        ctx, kind="volunteer", specialty="Family Medicine", institution="Harbor Street Free Clinic (fictional)",
        city="Newark", state="NJ", country="US", start_date=day(110), end_date=day(166), setting="outpatient",
        hours_per_week=8, hands_on=False, responsibilities="Patient intake and health education in Urdu and English.",
    )
    whitaker = plan.add_contact(ctx, "Dr. James Whitaker (fictional)", rotation_id=im.id,
                                  title="MD, Attending Physician, Internal Medicine", email="j.whitaker@example.com",
                                  institution="Brookside University Hospital (fictional)")
    nair = plan.add_contact(ctx, "Dr. Priya Nair (fictional)", rotation_id=fm.id,
                              title="MD, Family Medicine Faculty", email="p.nair@example.com",
                              institution="Lakeview Community Health Center (fictional)")
    plan.add_contact(ctx, "Maria Lopez (fictional)", rotation_id=fm.id, role="coordinator",
                       title="Clinical Education Coordinator", email="m.lopez@example.com")
    petrova = plan.add_contact(ctx, "Dr. Elena Petrova (fictional)", rotation_id=research.id,
                                 title="MD, Cardiology, Research Mentor", email="e.petrova@example.com",
                                 institution="Northgate Medical Center (fictional)")
    plan.add_letter_request(ctx, saved_id(whitaker.id), rotation_id=saved_id(im.id), status="uploaded")
    plan.add_letter_request(ctx, saved_id(nair.id), rotation_id=saved_id(fm.id), status="planned", due_on=day(30))
    plan.add_letter_request(ctx, saved_id(petrova.id), rotation_id=saved_id(research.id), status="planned", due_on=day(110))
    plan.add_case(ctx, saved_id(im.id), "Elderly patient with delirium and polypharmacy", tags=["challenging patient", "guideline in practice"],
                    summary="Beers criteria review led to stopping two sedating drugs; delirium resolved by day 3.",
                    occurred_on=day(-140))
    plan.add_case(ctx, saved_id(im.id), "Goals-of-care meeting with a family", tags=["ethical dilemma", "system differences"],
                    summary="Observed how advance directives and surrogate decision-making work in the US.",
                    occurred_on=day(-130))
    plan.add_case(ctx, saved_id(fm.id), "Uncontrolled diabetes and food insecurity", tags=["teamwork", "challenging patient"],
                    summary="Coordinated with the social worker and dietitian; HbA1c plan with the patient.",
                    occurred_on=day(-10))
    plan.add_study_blocks(ctx, [
        {"exam": "Step 3", "start_date": day(5), "end_date": day(40), "hours_per_week": 15,
         "weekly_goal": "2 UWorld blocks a day; review CCS cases on weekends"},
        {"exam": "Step 3", "start_date": day(41), "end_date": day(95), "hours_per_week": 25,
         "weekly_goal": "Full-length practice test every other week"},
    ])
    plan.add_exam(ctx, "Step 3", day(100))
    for extend in demo_extensions():
        extend(ctx)
