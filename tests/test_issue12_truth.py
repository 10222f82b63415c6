"""Issue 12: the planner tells the truth on day one (ids, letter timing, zones, wording)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, list_rotations, remove_rotation
from imgcoach.reminders.sync import list_reminders
from tests.cli_helpers import database_state, run_cli
from tests.clock_helpers import clock_at
from tests.tui_helpers import SIZE, app_for, fill, press


def _add(ctx: Context, institution: str, start: date, end: date) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=end)
    assert rotation.id is not None
    return rotation.id


# --- point 1: keys unique forever -------------------------------------------------------------

def test_delete_then_add_again_and_again(ctx: Context) -> None:
    first = _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    remove_rotation(ctx, first)
    second = _add(ctx, "Lakeside Clinic (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    assert second != first, "the deleted newest id is never handed out again (SQLite reused it before 0008)"
    third = _add(ctx, "Hilltop Hospital (fictional)", date(2027, 3, 1), date(2027, 3, 26))
    rows = list_reminders(ctx)
    assert len({r.key for r in rows}) == len(rows)
    assert len({r.message_id for r in rows}) == len(rows)
    assert len({r.calendar_uid for r in rows}) == len(rows)
    live = {r.rotation_id for r in rows if r.status == "pending"}
    assert live == {second, third}


def test_cli_delete_then_add_again(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str) -> None:
    args = ("rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "Internal Medicine",
            "--start", "2027-01-04", "--end", "2027-01-29")
    first = run_cli(capsys, *args, "--institution", "Riverside General (fictional)")
    assert first.code == 0, first.err
    removed = run_cli(capsys, "rotations", "remove", "--db", db_url, first.out.strip())
    assert removed.code == 0, removed.err
    for place in ("Lakeside Clinic (fictional)", "Hilltop Hospital (fictional)"):
        again = run_cli(capsys, *args, "--institution", place)
        assert again.code == 0, again.err
    assert [r.institution for r in list_rotations(ctx)] == ["Lakeside Clinic (fictional)",
                                                            "Hilltop Hospital (fictional)"]


async def test_app_delete_then_add_again_and_again(ctx: Context) -> None:
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        for place in ("Riverside General (fictional)", "Lakeside Clinic (fictional)", "Hilltop Hospital (fictional)"):
            await press(pilot, "r", "a")
            fill(pilot.app.screen, specialty="Internal Medicine", institution=place,
                 start_date="2027-01-04", end_date="2027-01-29")
            await press(pilot, "ctrl+s")
            if place.startswith("Riverside"):
                await press(pilot, "d", "y")
        assert pilot.app.is_running
    assert [r.institution for r in list_rotations(ctx)] == ["Lakeside Clinic (fictional)",
                                                            "Hilltop Hospital (fictional)"]


async def test_app_shows_a_failed_save_and_goes_on(ctx: Context, isolated_user_dirs: Path) -> None:
    from imgcoach.tui.widgets.form import FormField, FormScreen

    def broken(_ctx: object, _values: dict[str, object]) -> None:
        raise RuntimeError("disk on fire")

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        form = FormScreen("Broken", [FormField("name", "Name")], {"name": "x"}, broken)
        await pilot.app.push_screen(form)
        await press(pilot, "ctrl+s")
        assert pilot.app.is_running and pilot.app.screen is form, "the app goes on, the form keeps the input"
        shown = [n.message for n in pilot.app._notifications]
        assert any("RuntimeError: disk on fire" in m and "app-errors.log" in m for m in shown), shown
        await press(pilot, "escape", "r")
        assert pilot.app.current_mode == "rotations"
    log = (isolated_user_dirs / "data" / "app-errors.log").read_text()
    assert "disk on fire" in log and "Traceback" in log


async def test_app_exits_non_zero_when_it_cannot_go_on(ctx: Context, isolated_user_dirs: Path) -> None:
    app = app_for(ctx)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=SIZE) as pilot:
            pilot.app.call_later(lambda: 1 / 0)  # a handler on the app itself, not a worker
            await pilot.pause()
            await pilot.pause()
    assert app.return_code == 1
    assert "ZeroDivisionError" in (isolated_user_dirs / "data" / "app-errors.log").read_text()


# --- point 2: letter timing, one deadline, tense, packet --------------------------------------

def _mail(ctx: Context, rotation_id: int, kind: str) -> tuple[str, str]:
    from imgcoach.reminders import reminder_preview

    row = next(r for r in list_reminders(ctx) if r.rotation_id == rotation_id and r.kind == kind)
    preview = reminder_preview(ctx, row.id)  # type: ignore[arg-type]
    return preview.text, preview.to


def test_four_week_rotation_letter_mail_says_the_one_deadline(ctx: Context) -> None:
    from imgcoach.plan import letter_board, letter_draft
    from imgcoach.plan.people import add_contact, add_letter_request

    rid = _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    writer = add_contact(ctx, "Dr. Jane Okafor", rotation_id=rid, email="jane.okafor@hospital.example")
    letter = add_letter_request(ctx, writer.id, rotation_id=rid)  # type: ignore[arg-type]
    due = {r.kind: r.due_at.date() for r in list_reminders(ctx) if r.rotation_id == rid}
    assert due["mid_rotation_feedback"] < due["letter_request_open"] < due["letter_request_last_call"]
    assert due["letter_request_last_call"] == date(2027, 1, 22)  # a Friday, not Saturday 23rd
    text, _ = _mail(ctx, rid, "letter_request_open")
    assert "Ask by 22 January 2027." in text
    assert "April" not in text and "12 February" not in text, "never the reminder's expiry (end + 14)"
    assert "I have been working with you since 4 January 2027" in text, "the draft goes out during the rotation"
    assert "I worked with you" not in text
    assert "I have attached" not in text and "Not ready yet: CV, personal statement draft and summary of cases." in text
    last, _ = _mail(ctx, rid, "letter_request_last_call")
    assert "The last day to ask is 22 January 2027" in last
    card = next(c for c in letter_board(ctx) if c.letter.id == letter.id)
    assert card.window == (date(2027, 1, 18), date(2027, 1, 22))  # Monday to Friday
    draft = letter_draft(ctx, letter.id)  # type: ignore[arg-type]
    assert "attached" not in draft.body and [i.ready for i in draft.packet] == [False, False, False]


def test_after_the_rotation_the_draft_says_worked(ctx: Context, tmp_path: Path) -> None:
    from imgcoach.plan import add_case, add_contact
    from imgcoach.plan.profile import set_profile

    (tmp_path / "cv.pdf").write_bytes(b"%PDF-1.4 synthetic")  # a file that is there: the draft attaches only those
    set_profile(ctx, cv_path=str(tmp_path / "cv.pdf"))
    rid = _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 4))  # one day
    add_contact(ctx, "Dr. Jane Okafor", rotation_id=rid, email="jane.okafor@hospital.example")
    with clock_at(ctx, datetime(2027, 1, 4, 20, tzinfo=UTC)):  # a case is logged once the rotation has begun
        add_case(ctx, rid, "DKA in a 19-year-old")
    text, _ = _mail(ctx, rid, "letter_request_last_call")
    assert "I worked with you during my observership" in text and "from 4 January 2027 to 4 January 2027" in text
    assert "- CV" in text and "- Summary of cases" in text and "- Personal statement draft" not in text
    assert "Not ready yet: personal statement draft (the draft" in text


# --- point 13: wording --------------------------------------------------------------------

def test_no_supervisor_mail_asks_to_add_one_and_offers_no_approve(ctx: Context) -> None:
    rid = _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    for kind in ("mid_rotation_feedback", "letter_request_open", "thank_you"):
        text, to = _mail(ctx, rid, kind)
        assert "Dear your supervisor" not in text
        assert "reminders approve" not in text
        assert f"imgcoach contacts add --rotation {rid}" in text
        assert to == "applicant@example.com"


def test_exam_result_update_reads_as_a_sentence() -> None:
    from imgcoach.coach.mentors import Moment, MomentKind

    text = Moment(MomentKind.EXAM_SCORE, date(2027, 1, 4), "Step 2 CK result received: 246").text
    assert text == "I received my Step 2 CK result: 246."


def test_draft_to_a_person_is_not_marked_auto_submitted() -> None:
    from datetime import UTC, datetime

    from imgcoach.reminders.mail.message import Mailbox, build_message

    common = dict(sender=Mailbox("Amira", "amira@example.org"), recipient=Mailbox("Dr. O", "o@hospital.example"),
                  subject="Hello", text="Hi", html=None, message_id="<a1@imgcoach.local>",
                  date=datetime(2027, 1, 4, tzinfo=UTC))
    assert "Auto-Submitted" not in build_message(**common, auto_submitted=False)  # type: ignore[arg-type]
    assert build_message(**common)["Auto-Submitted"] == "auto-generated"  # type: ignore[arg-type]


# --- point 12: a changed time zone moves every pending reminder, cancels nothing ----------------

def test_time_zone_change_keeps_local_hour_and_cancels_nothing(demo_ctx: Context) -> None:
    from zoneinfo import ZoneInfo

    from imgcoach.coach import outreach_actions as outreach
    from imgcoach.plan.profile import get_profile, set_profile

    outreach.add_outreach(demo_ctx, "XYZ University Hospital (fictional)", status="sent",
                          contact_email="coord@xyz.example.org", coordinator="Ms. C")
    outreach.mark_progress(demo_ctx, "exam_score", detail="Step 2 CK: 246")
    old = get_profile(demo_ctx).timezone  # type: ignore[union-attr]
    new = "Asia/Kolkata" if old != "Asia/Kolkata" else "America/Chicago"
    before = {r.id: r for r in list_reminders(demo_ctx, "pending")}
    kinds = {r.kind for r in before.values()}
    assert {"outreach_follow_up", "progress_update"} <= kinds, kinds
    set_profile(demo_ctx, timezone=new)
    after = {r.id: r for r in list_reminders(demo_ctx)}
    for rid, was in before.items():
        now = after[rid]
        assert now.status == "pending", (was.kind, now.note)
        old_local = was.due_at.astimezone(ZoneInfo(old))
        new_local = now.due_at.astimezone(ZoneInfo(new))
        assert (new_local.date(), new_local.time()) == (old_local.date(), old_local.time()), was.kind


# --- point 4: closed vocabularies ---------------------------------------------------------------

def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_cli_exam_spellings_one_attempt_and_a_failing_score(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                            db_url: str, cli_clock: FixedClock) -> None:
    from imgcoach.plan.exams import list_exams

    db = ("--db", db_url)
    booked = run_cli(capsys, "exams", "add", *db, "--exam", "Step2 CK", "--date", "2026-03-01")
    assert booked.code == 0, booked.err
    result = run_cli(capsys, "exams", "add", *db, "--exam", "USMLE Step 2", "--date", "2026-03-22", "--score", "205")
    assert result.code == 0, result.err
    rows = list_exams(ctx)  # a result is recorded once sat (the CLI reads the real clock: these dates are past)
    assert [(r.exam, r.taken_on, r.score, r.result) for r in rows] == [("Step 2 CK", date(2026, 3, 22), 205, "fail")], \
        "the booking and its result are one attempt, on the day sat; 205 is below every Step 2 CK passing standard"
    oet = run_cli(capsys, "exams", "add", *db, "--exam", "oet", "--date", "2026-02-01", "--score", "350/360/350/370")
    assert oet.code == 0, oet.err
    assert [r.result for r in list_exams(ctx) if r.exam == "OET"] == ["pass"]


def test_cli_unknown_exam_country_specialty_refused_and_db_untouched(capsys: pytest.CaptureFixture[str],
                                                                   ctx: Context, db_url: str) -> None:
    assert run_cli(capsys, "exams", "list", "--db", db_url).code == 0  # the first CLI close checkpoints the WAL
    before = database_state(db_url)
    bad = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 4", "--date", "2027-03-01")
    assert bad.code == 2 and "unknown exam" in bad.err and "Step 2 CK" in bad.err
    rot = ("rotations", "add", "--db", db_url, "--kind", "observership", "--institution", "X (fictional)",
           "--start", "2027-01-04", "--end", "2027-01-29")
    bad = run_cli(capsys, *rot, "--specialty", "Cardiolgy")
    assert bad.code == 2 and "unknown specialty" in bad.err
    bad = run_cli(capsys, *rot, "--specialty", "IM", "--country", "Amerika")
    assert bad.code == 2 and "unknown country" in bad.err
    assert database_state(db_url) == before
    good = run_cli(capsys, *rot, "--specialty", "IM", "--country", "USA")
    assert good.code == 0, good.err
    [rotation] = list_rotations(ctx)
    assert (rotation.country, rotation.specialty) == ("US", "Internal Medicine")
    # The next block (same dates at the same place would be the same rotation typed twice, refused).
    fellowship = run_cli(capsys, *rot[:-4], "--start", "2027-02-01", "--end", "2027-02-26", "--specialty", "Cardiology")
    assert fellowship.code == 0, fellowship.err
    cardiology = list_rotations(ctx)[-1]
    assert (cardiology.specialty, cardiology.department) == ("Internal Medicine", "Cardiology")


def test_profile_targets_use_the_lists(ctx: Context) -> None:
    from imgcoach.core.errors import ValidationError
    from imgcoach.plan.profile import get_profile, set_profile

    set_profile(ctx, target_specialties=["IM", "FM", "Ob/Gyn"], target_countries=["USA", "Canada"])
    profile = get_profile(ctx)
    assert profile is not None and profile.target_countries == ["US", "CA"]
    assert profile.target_specialties[:2] == ["Internal Medicine", "Family Medicine"]
    with pytest.raises(ValidationError, match="fellowship"):
        set_profile(ctx, target_specialties=["Cardiology"])


def test_migration_converts_country_names_to_codes(tmp_path: Path) -> None:
    import sqlite3

    from alembic import command

    from imgcoach.storage.db import Database, _alembic_config

    path = tmp_path / "old.sqlite"
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0002_us_citizen")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                    " VALUES ('Old', 'old@example.com', 'UTC', '', '', 'none', '[]', '[]', '[]', '', '', 0, 0)")
        for country in ("USA", "United States", "Atlantis"):
            raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state,"
                        " country, start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned)"
                        f" VALUES (1, 'observership', 'Internal Medicine', 'H', '', '', '', '{country}', '2027-01-04',"
                        " '2027-01-29', 'inpatient', 40, 0, '', '')")
    db.close()
    Database(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        assert [r[0] for r in raw.execute("SELECT country FROM rotation ORDER BY id")] == ["US", "US", "Atlantis"]


async def test_exam_form_has_no_prefilled_value_and_completes(demo_ctx: Context) -> None:
    from textual.widgets import Input

    from imgcoach.tui.forms import EXAM_FORM
    from imgcoach.tui.widgets.form import FormScreen

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        form = FormScreen("Exam", EXAM_FORM, {}, lambda c, v: None)
        await pilot.app.push_screen(form)
        await press(pilot)
        field = form.query_one("#field-exam", Input)
        assert field.value == "" and field.placeholder.startswith("e.g.")
        field.focus()
        for key in "Step 2":
            await pilot.press(key if key != " " else "space")
        await press(pilot, "right")  # accept the completion
        assert field.value == "Step 2 CK"


# --- point 5: weekly hours count each day once ------------------------------------------------

def test_week_where_two_blocks_meet_counts_each_day_once() -> None:
    from dataclasses import dataclass

    from imgcoach.plan.rules.load import weekly_load

    @dataclass
    class Item:
        id: int | None
        start_date: date
        end_date: date
        hours_per_week: int

    # 4 h a day, every day: 28 h/week. Block one ends Wednesday 6 January, block two starts Thursday 7 January.
    blocks = [Item(1, date(2026, 12, 21), date(2027, 1, 6), 28), Item(2, date(2027, 1, 7), date(2027, 1, 31), 28)]
    weeks = {w.week_start: w for w in weekly_load([], blocks, date(2026, 12, 21), date(2027, 1, 31))}
    assert weeks[date(2027, 1, 4)].study_hours == 28
    assert all(w.study_hours == 28 for w in weeks.values())


def test_study_generator_plans_nothing_on_full_time_rotation_days(ctx: Context) -> None:
    from imgcoach.plan import propose_plan

    _add(ctx, "Riverside General (fictional)", date(2026, 12, 7), date(2027, 1, 1))  # 40 h/week
    proposal = propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 2, 26), hours_per_day=4, rest_days="")
    for block in proposal.blocks:
        assert block.end_date < date(2026, 12, 7) or block.start_date > date(2027, 1, 1), block
    weeks = {w.week_start: w for w in proposal.weeks}
    assert weeks[date(2026, 12, 14)].added == 0, "a full-time week gets no study"


# --- point 6: overlapping full-time rotations warn at once, by place and dates ----------------

def test_cli_overlap_warns_on_stderr_naming_both(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                 db_url: str) -> None:
    rot = ("rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "IM", "--hours", "40")
    first = run_cli(capsys, *rot, "--institution", "Riverside General (fictional)", "--start", "2027-01-04",
                    "--end", "2027-01-29")
    assert first.code == 0 and first.err == ""
    second = run_cli(capsys, *rot, "--institution", "Lakeside Clinic (fictional)", "--start", "2027-01-25",
                     "--end", "2027-02-19")
    assert second.code == 0
    assert ("imgcoach: warning: Lakeside Clinic (fictional) (25 Jan 2027 to 19 Feb 2027) overlaps full-time Riverside General "
            "(fictional) (04 Jan 2027 to 29 Jan 2027) for 25 Jan 2027 to 29 Jan 2027") in second.err


def test_timeline_conflicts_name_places(ctx: Context) -> None:
    from imgcoach.plan.rules.conflicts import find_conflicts

    _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    _add(ctx, "Lakeside Clinic (fictional)", date(2027, 1, 25), date(2027, 2, 19))
    [conflict] = find_conflicts(list_rotations(ctx), [])
    assert "Riverside General (fictional)" in conflict.message and "Lakeside Clinic (fictional)" in conflict.message
    assert "rotations 1" not in conflict.message


async def test_app_overlap_warns_on_save(ctx: Context) -> None:
    _add(ctx, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        fill(pilot.app.screen, specialty="Internal Medicine", institution="Lakeside Clinic (fictional)",
             start_date="2027-01-25", end_date="2027-02-19")
        await press(pilot, "ctrl+s")
        shown = [n.message for n in pilot.app._notifications]
        assert any("overlaps full-time Riverside General (fictional)" in m for m in shown), shown


def test_oet_sub_test_scores_are_kept_shown_and_survive_an_edit(capsys: pytest.CaptureFixture[str],
                                                                ctx: Context) -> None:
    """The four sub-test scores decided pass or fail but were thrown away: the applicant could not see which
    sub-test missed 300 in writing. They are stored, listed, shown by readiness, and kept by an edit."""
    db = ("--db", ctx.db.url)
    added = run_cli(capsys, "exams", "add", *db, "--exam", "OET", "--date", "2026-10-03", "--score",
                    "L 350 R 360 W 290 S 370", "--json")
    assert added.code == 0, added.err
    row = added.json()
    assert (row["sub_scores"], row["result"]) == ("L 350 R 360 W 290 S 370", "fail"), "writing 290 < 300 (2022 rule)"
    listed = run_cli(capsys, "exams", "list", *db)
    assert "L 350 R 360 W 290 S 370" in listed.out and "fail" in listed.out
    assert run_cli(capsys, "exams", "edit", str(row["id"]), *db, "--date", "2026-10-04").code == 0
    again = run_cli(capsys, "exams", "list", *db, "--json").json()
    assert [(e["taken_on"], e["sub_scores"], e["result"]) for e in again] == [
        ("2026-10-04", "L 350 R 360 W 290 S 370", "fail")]
    assert run_cli(capsys, "exams", "add", *db, "--exam", "OET", "--date", "2026-11-20", "--score",
                   "350/360/300/370").code == 0
    readiness = run_cli(capsys, "readiness", *db)
    assert "sub-tests L 350 R 360 W 300 S 370" in readiness.out, readiness.out
