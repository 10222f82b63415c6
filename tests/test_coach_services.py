"""Coach services and CLI on real SQLite files: pipeline reminders, offer -> rotation, materials, bad input."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from imgcoach.coach import actions as coach
from imgcoach.coach import outreach_actions as outreach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import list_contacts
from imgcoach.plan.rotations import add_rotation
from imgcoach.storage.models import OutreachEntry, Reminder, Rotation
from tests.cli_helpers import database_state, run_cli

TODAY = date(2026, 11, 25)  # conftest's FIXED_NOW in New York


def _reminders(ctx: Context, prefix: str) -> list[Reminder]:
    with ctx.db.read() as session:
        return [r for r in session.exec(select(Reminder)).all() if r.key.startswith(prefix)]


def test_follow_up_reminder_is_scheduled_and_cancelled_by_a_reply(ctx: Context, clock) -> None:
    row = outreach.add_outreach(ctx, "XYZ University Hospital", department="Cardiology", status="sent",
                                contact_email="coord@xyz.example.org", coordinator="Ms. C")
    [rem] = _reminders(ctx, f"outreach:{row.id}:follow_up:")
    assert rem.status == "pending" and rem.recipient == "applicant@example.com" and not rem.requires_approval
    assert rem.due_at.astimezone().date() >= TODAY + timedelta(days=10)
    assert rem.due_at.isoformat().startswith("2026-12-05T14:00")  # 09:00 New York on day 10
    assert rem.payload["draft_subject"].startswith("Re: Observership request, Cardiology")
    # Day 10: the entry shows as follow-up due; sending the follow-up restarts the clock with a new reminder.
    clock.advance(timedelta(days=10))
    [(_, status, due, _)] = outreach.list_outreach(ctx)
    assert status.value == "follow_up_due" and due == TODAY + timedelta(days=10)
    outreach.set_outreach_status(ctx, row.id, "sent")
    rems = {r.key: r.status for r in _reminders(ctx, f"outreach:{row.id}:")}
    assert rems == {f"outreach:{row.id}:follow_up:0": "cancelled", f"outreach:{row.id}:follow_up:1": "pending"}
    outreach.set_outreach_status(ctx, row.id, "replied")
    assert {r.status for r in _reminders(ctx, f"outreach:{row.id}:")} == {"cancelled"}


def test_accepted_offer_becomes_a_rotation_in_one_step(ctx: Context) -> None:
    row = outreach.add_outreach(ctx, "XYZ University Hospital", department="Cardiology", specialty="Cardiology",
                                kind="externship", status="sent")
    outreach.set_outreach_status(ctx, row.id, "offered")
    rotation = outreach.accept_offer(ctx, row.id, date(2027, 3, 1), date(2027, 3, 26), supervisor="Dr. Heart",
                                     supervisor_email="heart@xyz.example.org")
    with ctx.db.read() as session:
        stored = session.get(OutreachEntry, row.id)
        assert stored.status == "accepted" and stored.rotation_id == rotation.id
        rot = session.get(Rotation, rotation.id)
        # Cardiology is Internal Medicine experience, as `rotations add` files it: the service stays the department.
        assert (rot.kind, rot.specialty, rot.department, rot.institution, rot.hands_on) == (
            "externship", "Internal Medicine", "Cardiology", "XYZ University Hospital", True)
    assert _reminders(ctx, f"rotation:{rotation.id}:")  # the rotation's own reminders were derived
    data = coach.load_coach_data(ctx)
    assert data.plan.rotations[-1].supervisor == "Dr. Heart"


def test_an_offer_is_accepted_on_the_command_line_without_a_setting(ctx: Context, db_url: str, capsys) -> None:
    """`outreach accept ID --start --end` (the setting is optional, "not said") failed with "Invalid value for
    '--setting': '' is not one of 'inpatient', 'outpatient', 'mixed'" and exit 2: the option's default was ""."""
    row = outreach.add_outreach(ctx, "XYZ University Hospital", specialty="Internal Medicine", kind="externship",
                                status="sent")
    outreach.set_outreach_status(ctx, row.id, "offered")
    res = run_cli(capsys, "outreach", "accept", str(row.id), "--start", "2027-03-01", "--end", "2027-03-26",
                  "--db", db_url)
    assert res.code == 0, res.err
    with ctx.db.read() as session:
        stored = session.get(OutreachEntry, row.id)
        assert stored is not None and stored.status == "accepted" and stored.rotation_id is not None
        rotation = session.get(Rotation, stored.rotation_id)
        assert rotation is not None and rotation.setting == ""  # not said, as `rotations add` leaves it
    assert f"rotation {stored.rotation_id} planned 01 Mar 2027 to 26 Mar 2027" in res.out  # as its sentences write days
    # Given, it is stored
    row = outreach.add_outreach(ctx, "ABC Clinic", specialty="Internal Medicine", kind="externship", status="sent")
    outreach.set_outreach_status(ctx, row.id, "offered")
    res = run_cli(capsys, "outreach", "accept", str(row.id), "--start", "2027-05-03", "--end", "2027-05-28",
                  "--setting", "outpatient", "--db", db_url)
    assert res.code == 0, res.err
    with ctx.db.read() as session:
        stored = session.get(OutreachEntry, row.id)
        assert stored is not None and session.get(Rotation, stored.rotation_id).setting == "outpatient"


def test_bad_input_exits_2_and_changes_nothing(ctx: Context, db_url: str, capsys, tmp_path: Path) -> None:
    rotation = add_rotation(ctx, kind="observership", specialty="IM", institution="H", start_date=date(2027, 1, 4),
                            end_date=date(2027, 1, 29))
    row = outreach.add_outreach(ctx, "XYZ")
    before = database_state(db_url)
    res = run_cli(capsys, "outreach", "set-status", str(row.id), "pending", "--db", db_url)
    assert res.code == 2 and "unknown outreach status 'pending'" in res.err and "Traceback" not in res.err
    res = run_cli(capsys, "log", "add", str(rotation.id), "--week", "2027-02-01", "--hours", "40", "--db", db_url)
    assert res.code == 2 and "outside rotation" in res.err
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    res = run_cli(capsys, "cv", "--format", "md", "-o", str(blocker / "cv.md"), "--db", db_url)
    assert res.code == 2 and "not a folder" in res.err
    res = run_cli(capsys, "outreach", "set-status", str(row.id), "accepted", "--db", db_url)
    assert res.code == 2 and "cannot go from drafted to accepted" in res.err
    assert database_state(db_url) == before


def test_demo_readiness_json_and_materials(demo_ctx: Context, capsys, tmp_path: Path, cli_clock: FixedClock) -> None:
    res = run_cli(capsys, "readiness", "--json", "--db", demo_ctx.db.url)
    assert res.code == 0, res.err
    data = res.json()
    assert data["match_year"] == 2028 and data["submission"] == "2027-09-03"
    keys = {c["key"] for c in data["checks"]}
    assert {"usce_months", "recency", "letters", "feedback", "graduation", "exam:step1",
            "specialty:Internal Medicine", "specialty:Family Medicine"} <= keys
    assert all(c["status"] in ("met", "at_risk", "missing") for c in data["checks"])
    assert all(c["action"] is None or c["action"]["due"] >= "2026-11-25" for c in data["checks"])

    out = tmp_path / "cv.pdf"
    assert run_cli(capsys, "cv", "--format", "pdf", "-o", str(out), "--db", demo_ctx.db.url).code == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    for r in coach.load_coach_data(demo_ctx).plan.rotations:
        if r.country == "US" and r.start <= TODAY:
            assert r.title in text
    md = run_cli(capsys, "cv", "--format", "md", "--db", demo_ctx.db.url).out
    assert "### Clinical Observership in Internal Medicine, Brookside University Hospital (fictional)" in md

    res = run_cli(capsys, "packet", "Dr. James Whitaker (fictional)", "-o", str(tmp_path / "pk"), "--db", demo_ctx.db.url)
    assert res.code == 0, res.err
    pdf = next((tmp_path / "pk").glob("*.pdf"))
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert len(reader.pages) == 1
    ptext = " ".join(reader.pages[0].extract_text().split())
    assert "Elderly patient with delirium and polypharmacy" in ptext and "Delirium reversed by deprescribing" in ptext
    # The writer can also be named by contact id, as `imgcoach contacts list` shows it.
    whitaker = next(c for c in list_contacts(demo_ctx) if c.name.startswith("Dr. James Whitaker"))
    by_id = run_cli(capsys, "packet", str(whitaker.id), "-o", str(tmp_path / "pk2"), "--db", demo_ctx.db.url)
    assert by_id.code == 0, by_id.err
    assert sorted(p.name for p in (tmp_path / "pk2").iterdir()) == sorted(p.name for p in (tmp_path / "pk").iterdir())
    assert run_cli(capsys, "packet", "999", "--db", demo_ctx.db.url).code == 2

    stories = run_cli(capsys, "stories", "--json", "--db", demo_ctx.db.url).json()
    assert stories["How do you handle feedback?"] and stories["What differences did you notice between systems?"]
    only = run_cli(capsys, "stories", "--tag", "ethical dilemma", "--json", "--db", demo_ctx.db.url).json()
    assert {s["title"] for items in only.values() for s in items} == {"Goals-of-care meeting with a family"}

    outreach_rows = run_cli(capsys, "outreach", "list", "--json", "--db", demo_ctx.db.url).json()
    statuses = {r["status_today"] for r in outreach_rows}
    assert {"follow_up_due", "offered", "accepted", "interview", "drafted", "declined"} <= statuses
    offered = next(r for r in outreach_rows if r["status_today"] == "offered")
    assert any("not verified" in w for w in offered["warnings"])
    draft = run_cli(capsys, "outreach", "draft", str(outreach_rows[0]["id"]), "--db", demo_ctx.db.url).out
    # its follow-up is due: the follow-up, as the app's Outreach v shows first (coach.outreach_emails)
    assert outreach_rows[0]["status_today"] == "follow_up_due" and draft.startswith("Subject: Re: Externship request")


def test_progress_drafts_wait_for_approval(demo_ctx: Context, capsys, cli_clock: FixedClock) -> None:
    res = run_cli(capsys, "progress", "mark", "match_day", "--detail", "I matched in Internal Medicine!",
                  "--db", demo_ctx.db.url)
    assert res.code == 0, res.err
    drafts = [r for r in _reminders(demo_ctx, "progress:") if "matched" in r.payload["draft_body"]]
    assert drafts and all(r.requires_approval and r.approved_at is None for r in drafts)
    assert {r.recipient for r in drafts} == {"j.whitaker@example.com"}  # the only former supervisor so far
    res = run_cli(capsys, "progress", "mark", "birthday", "--db", demo_ctx.db.url)
    assert res.code == 2 and "unknown kind 'birthday'" in res.err


def test_log_and_cases_cli(ctx: Context, db_url: str, capsys) -> None:
    rotation = add_rotation(ctx, kind="externship", specialty="IM", institution="H", start_date=date(2026, 11, 2),
                            end_date=date(2026, 11, 27), hands_on=True)
    res = run_cli(capsys, "log", "add", str(rotation.id), "--week", "2026-11-09", "--hours", "44",
                  "--performed", "ECG; venepuncture", "--feedback", "Be concise", "--changed", "Shorter notes",
                  "--db", db_url)
    assert res.code == 0, res.err
    [entry] = run_cli(capsys, "log", "list", "--json", "--db", db_url).json()
    assert entry["procedures_performed"] == ["ECG", "venepuncture"] and entry["hours"] == 44
    res = run_cli(capsys, "cases", "add", str(rotation.id), "Sepsis bundle", "--tags", "guideline_in_practice,Teamwork",
                  "--db", db_url)
    assert res.code == 0 and "[guideline in practice, teamwork]" in res.out
    res = run_cli(capsys, "cases", "add", str(rotation.id), "X", "--tags", "gossip", "--db", db_url)
    assert res.code == 2 and "unknown tag 'gossip'" in res.err
    assert [c["title"] for c in run_cli(capsys, "cases", "list", "--json", "--db", db_url).json()] == [
        "Sepsis bundle"]


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_cv_file_export(ctx: Context, db_url: str, capsys, tmp_path: Path, fmt: str) -> None:
    add_rotation(ctx, kind="observership", specialty="Cardiology", institution="XYZ University Hospital",
                 start_date=date(2026, 6, 1), end_date=date(2026, 6, 26), hours_per_week=40)
    out = tmp_path / "sub" / f"cv.{fmt}"
    out.parent.mkdir()  # a missing folder is refused (tests/test_output_folders44.py)
    assert run_cli(capsys, "cv", "--format", fmt, "-o", str(out), "--db", db_url).code == 0
    assert "Clinical Observership in Internal Medicine, XYZ University Hospital" in out.read_text()


def test_projects_cli(demo_ctx: Context, capsys, cli_clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    before = len(run_cli(capsys, "projects", "list", "--json", "--db", demo_ctx.db.url).json())
    res = run_cli(capsys, "projects", "add", "--kind", "case report", "--title", "Atypical presentation of Lyme carditis",
                  "--rotation", "1", "--supervisor", "Dr. James Whitaker (fictional)", "--db", demo_ctx.db.url)
    assert res.code == 0, res.err
    rows = run_cli(capsys, "projects", "list", "--json", "--db", demo_ctx.db.url).json()
    assert len(rows) == before + 1 and rows[-1]["kind"] == "case_report" and rows[-1]["status"] == "in_progress"
    snapshot = database_state(demo_ctx.db.url)
    for bad in (["--kind", "poster"], ["--kind", "qi", "--status", "dreaming"], ["--kind", "qi", "--rotation", "999"]):
        result = run_cli(capsys, "projects", "add", "--title", "X", *bad, "--db", demo_ctx.db.url)
        assert result.code == 2 and "Traceback" not in result.err
    assert database_state(demo_ctx.db.url) == snapshot


def test_a_negative_or_absurd_outreach_cost_is_refused_and_changes_nothing(ctx: Context, db_url: str,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """`outreach add --cost -5` was stored; the accept checklist then took it for free and skipped its warning
    to verify before paying."""
    outreach.add_outreach(ctx, "Existing Hospital (fictional)")
    before = database_state(db_url)
    for cost in ("-5", "2000000"):
        res = run_cli(capsys, "outreach", "add", "New Hospital (fictional)", "--cost", cost, "--db", db_url)
        assert res.code == 2 and "--cost: is a fee in U.S. dollars from 0 (free)" in res.err, res.err
        assert "Traceback" not in res.err
    assert database_state(db_url) == before
    free = run_cli(capsys, "outreach", "add", "Free Hospital (fictional)", "--cost", "0", "--db", db_url)
    assert free.code == 0, free.err
