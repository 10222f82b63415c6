"""Coach additions to the SYNTHETIC demo: outreach pipeline, weekly log, projects, a progress moment.

Every institution and person is fictional (names say so); dates are relative to the clock.
"""

from __future__ import annotations

from datetime import timedelta

from imgcoach.coach import actions as coach
from imgcoach.coach import outreach_actions as outreach
from imgcoach.core.context import Context
from imgcoach.core.ids import saved_id
from imgcoach.plan import add_case, edit_rotation, list_rotations
from imgcoach.storage.models import OutreachEntry


def extend_demo(ctx: Context) -> None:
    today = ctx.clock.now().date()
    rotations = {r.institution: r for r in list_rotations(ctx)}
    im = rotations["Brookside University Hospital (fictional)"]
    fm = rotations["Lakeview Community Health Center (fictional)"]

    # Outreach pipeline: one entry per interesting state.
    sent = outreach.add_outreach(
        ctx, "St. Brigid Medical Center (fictional)", department="Department of Medicine", specialty="Internal Medicine",
        kind="externship", coordinator="Ms. Grace Kim (fictional)", contact_email="gme@stbrigid.example.com",
        status="sent", written_on=today - timedelta(days=12))
    offered = outreach.add_outreach(
        ctx, "Harborview Clinics Network (fictional)", department="Internal Medicine", specialty="Internal Medicine",
        kind="externship", coordinator="Placements team", contact_email="placements@harborview.example.com",
        status="sent", written_on=today - timedelta(days=40), cost_usd=4200,
        notes="Asks for payment before any interview")
    outreach.set_outreach_status(ctx, saved_id(offered.id), "offered", on=today - timedelta(days=5))
    # The offer that became the current Family Medicine externship (linked, so the demo keeps its rotations).
    accepted = outreach.add_outreach(
        ctx, fm.institution, department="Family Medicine", specialty="Family Medicine", kind="externship",
        coordinator="Maria Lopez (fictional)", contact_email="m.lopez@example.com", status="sent",
        written_on=fm.start_date - timedelta(days=90), cost_usd=0, visa_requirement="B-1/B-2 visitor visa accepted",
        role_in_writing=True, verified_legitimate=True)
    for status, days in (("replied", 80), ("interview", 75), ("offered", 60), ("accepted", 55)):
        outreach.set_outreach_status(ctx, saved_id(accepted.id), status, on=fm.start_date - timedelta(days=days))
    with ctx.db.transaction(ctx.applicant_id) as session:
        row = session.get(OutreachEntry, accepted.id)
        assert row is not None  # added just above
        row.rotation_id = fm.id
        session.add(row)
    interview = outreach.add_outreach(
        ctx, "Mercy Lakes Hospital (fictional)", department="Family Medicine", specialty="Family Medicine",
        kind="observership", coordinator="Ms. Ana Souza (fictional)", contact_email="fm@mercylakes.example.com",
        status="sent", written_on=today - timedelta(days=21), cost_usd=0, visa_requirement="B-1/B-2",
        role_in_writing=True, verified_legitimate=True)
    outreach.set_outreach_status(ctx, saved_id(interview.id), "interview", on=today - timedelta(days=3))
    outreach.add_outreach(ctx, "Eastside Health (fictional)", department="Family Medicine",
                          specialty="Family Medicine", coordinator="Ms. Erin Walsh (fictional)",
                          contact_email="students@eastside.example.com")
    declined = outreach.add_outreach(
        ctx, "Pinecrest Medical Center (fictional)", department="Internal Medicine", specialty="Internal Medicine",
        contact_email="gme@pinecrest.example.com", status="sent", written_on=today - timedelta(days=70))
    outreach.set_outreach_status(ctx, saved_id(declined.id), "declined", on=today - timedelta(days=55))
    del sent

    # Weekly log: the finished observership and the current externship.
    for week in range(4):
        coach.add_log_entry(
            ctx, saved_id(im.id), im.start_date + timedelta(days=7 * week), 40,
            activities="Rounds on the teaching service; noon conference",
            procedures_observed=["lumbar puncture"] if week == 1 else [],
            presentations=["Noon conference: delirium in older inpatients"] if week == 2 else [],
            feedback="Presentations too long; lead with the assessment" if week == 1 else "",
            change_after_feedback="Presented the assessment and plan first, under three minutes" if week == 1 else "")
    for week in range(3):
        day = fm.start_date + timedelta(days=7 * week)
        if day <= today:
            coach.add_log_entry(ctx, saved_id(fm.id), day, 42, activities="Continuity clinic under supervision",
                                procedures_performed=["point-of-care HbA1c"] if week == 1 else [])
    edit_rotation(ctx, saved_id(fm.id), feedback_requested_on=fm.start_date + timedelta(days=17))
    add_case(ctx, saved_id(fm.id), "First visit in a US clinic without an interpreter on site",
          summary="Used the phone interpreter service for a Haitian Creole speaker; learned the workflow.",
          tags="system differences", occurred_on=fm.start_date + timedelta(days=3))

    # Projects.
    coach.add_project(ctx, "case_report", "Delirium reversed by deprescribing: a case report", rotation_id=im.id,
                      supervisor="Dr. James Whitaker (fictional)", status="submitted")
    coach.add_project(ctx, "qi", "Heart-failure readmissions: a chart-review QI project",
                      supervisor="Dr. Elena Petrova (fictional)", status="planned")

    # Keeping mentors close: a moment with approval-gated drafts to former supervisors.
    outreach.mark_progress(ctx, "exam_score", today - timedelta(days=1), "Step 2 CK result received: 246")
