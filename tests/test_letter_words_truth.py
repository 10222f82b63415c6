"""What the letter flows tell a new applicant, checked against the data and the clock.

Found walking the Letters board and readiness as a new applicant: the request e-mail for a rotation that has not
begun said "I have been working with you since" a day still to come.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_letter_request, add_rotation, letter_draft
from tests.cli_helpers import database_state, run_cli
from tests.clock_helpers import clock_at
from tests.tui_helpers import app_for, press, settle


def _rotation(ctx: Context, start: date, end: date, institution: str) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=institution,
                            start_date=start, end_date=end, hours_per_week=40)
    assert rotation.id is not None
    return rotation.id


def _letter(ctx: Context, rotation_id: int, writer: str, role: str = "supervisor") -> int:
    contact = add_contact(ctx, writer, email="writer@example.org", rotation_id=rotation_id, role=role)
    assert contact.id is not None
    letter = add_letter_request(ctx, contact.id, rotation_id=rotation_id)
    assert letter.id is not None
    return letter.id


def test_request_email_for_a_rotation_not_begun_is_written_for_its_window(ctx: Context) -> None:
    """Today is 25 Nov 2026; the rotation runs 1-26 February 2027. The draft read "I have been working with you
    since 1 February 2027" in November, as if that had happened. It is now the e-mail as the window to ask
    opens (the day the reminder sends it), when those words are true."""
    rotation_id = _rotation(ctx, date(2027, 2, 1), date(2027, 2, 26), "Lake Clinic (fictional)")
    draft = letter_draft(ctx, _letter(ctx, rotation_id, "Dr. Future Writer (fictional)"))
    assert "I have been working with you since 1 February 2027" in draft.body
    assert draft.dated == date(2027, 2, 15)  # the window opens the day after the mid-rotation feedback
    assert draft.dated > ctx.clock.now().date()


def test_request_email_once_the_window_is_open_is_dated_today(ctx: Context) -> None:
    today = ctx.clock.now().date()  # 25 Nov 2026
    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    draft = letter_draft(ctx, _letter(ctx, rotation_id, "Dr. Now Writer (fictional)"))
    assert draft.dated == today
    assert "I have been working with you since 2 November 2026" in draft.body


async def test_the_board_says_the_email_is_for_the_day_the_window_opens(ctx: Context) -> None:
    """The Letters board's preview and its e-mail (v) said nothing of the day: in November they showed "I have
    been working with you since 1 February 2027" as today's e-mail, ready to copy and send."""
    rotation_id = _rotation(ctx, date(2027, 2, 1), date(2027, 2, 26), "Lake Clinic (fictional)")
    _letter(ctx, rotation_id, "Dr. Future Writer (fictional)")
    note = "Written for 15 February 2027, when the window to ask opens: the rotation begins 1 February 2027"
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        await settle(pilot)
        preview = str(pilot.app.screen.query_one("#letter-preview", Static).render())
        assert "I have been working with you since 1 February 2027" in preview
        assert note in " ".join(preview.split())
        await press(pilot, "v")
        await settle(pilot)
        shown = " ".join(str(w.render()) for w in pilot.app.screen.query(Static))
        assert note in " ".join(shown.split())


def _ended_rotation_with_a_planned_letter(ctx: Context) -> int:
    """A March 2025 observership (the applicant adds a supervisor, "Plan a letter? yes") 20 months later."""
    rotation_id = _rotation(ctx, date(2025, 3, 3), date(2025, 3, 28), "Old Clinic (fictional)")
    return _letter(ctx, rotation_id, "Dr. Late Writer (fictional)")


def test_readiness_says_a_planned_letters_last_call_has_passed(ctx: Context) -> None:
    """Readiness read "planned, ask between 2025-03-17 and 2025-03-21" in November 2026: advice to ask in a
    window 20 months gone. It now says the last call to ask was that day."""
    from imgcoach.coach.actions import readiness

    _ended_rotation_with_a_planned_letter(ctx)
    check = next(c for c in readiness(ctx).checks if c.key == "letters")
    line = next(x for x in check.evidence if x.startswith("Dr. Late Writer (fictional)"))
    assert line == "Dr. Late Writer (fictional): planned, not asked; the last call to ask was 2025-03-21"


async def test_the_board_card_says_the_last_call_has_passed(ctx: Context) -> None:
    from textual.widgets import OptionList

    letter_id = _ended_rotation_with_a_planned_letter(ctx)
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        await settle(pilot)
        column = pilot.app.screen.query_one("#column-planned", OptionList)
        column.highlighted = column.get_option_index(str(letter_id))
        await settle(pilot)
        card = " ".join(column.render_line(y).text.strip() for y in range(column.scrollable_content_region.height))
        assert "last call was 21 Mar 2025" in card and "ask 17 Mar" not in card, card
        preview = " ".join(str(pilot.app.screen.query_one("#letter-preview", Static).render()).split())
        assert "the last call to ask was 21 Mar 2025" in preview and "ask between" not in preview, preview


def test_readiness_next_letter_is_the_planned_one_due_first(ctx: Context) -> None:
    """The running externship's letter is planned from its attending (not the contact filed as supervisor), its
    window opening in 5 days; a February rotation has a supervisor and no letter yet. Readiness's next step was
    "Ask Dr. Future ... between 2027-02-15 and 2027-02-19": the letter planned and due first was left out (only
    supervisors were read), while its reminders and the Letters board said to ask from 30 November."""
    from imgcoach.coach.actions import readiness

    running = _rotation(ctx, date(2026, 11, 9), date(2026, 12, 18), "City Hospital (fictional)")
    _letter(ctx, running, "Dr. Now Attending (fictional)", role="attending")
    later = _rotation(ctx, date(2027, 2, 1), date(2027, 2, 26), "Lake Clinic (fictional)")
    add_contact(ctx, "Dr. Future Supervisor (fictional)", rotation_id=later)
    check = next(c for c in readiness(ctx).checks if c.key == "letters")
    assert check.action is not None
    assert check.action.text.startswith("Ask Dr. Now Attending (fictional) (Clinical Observership in Internal "
                                        "Medicine, City Hospital (fictional)) for a letter between 2026-11-30 and "
                                        "2026-12-08"), check.action.text
    assert check.action.due == date(2026, 11, 30)


def test_readiness_counts_old_letters_in_agreement(ctx: Context) -> None:
    """Two uploaded letters from 2024 rotations read "2 from a rotation that ended more than 12 months before the
    submission date": one rotation, when there were two."""
    from imgcoach.coach.actions import readiness
    from imgcoach.plan import set_letter_status

    for n, month in enumerate((3, 5)):
        letter_id = _letter(ctx, _rotation(ctx, date(2024, month, 4), date(2024, month, 29), f"Clinic {n} (fictional)"),
                            f"Dr. Old Writer {n} (fictional)")
        set_letter_status(ctx, letter_id, "uploaded", on=date(2024, month, 30))
    check = next(c for c in readiness(ctx).checks if c.key == "letters")
    assert ", 2 from rotations that ended more than 12 months before the submission date" in check.evidence[0]


def test_the_cv_lists_clinical_experience_only_under_its_clinical_heading(ctx: Context) -> None:
    """`imgcoach cv` listed "Research Experience in Internal Medicine, Research Lab" and "Volunteer Experience in
    Family Medicine, Free Clinic" under "Clinical Experience in the US", which readiness (and programs) do not
    count as clinical. The section now lists the clinical rotations; one with none says so."""
    from imgcoach.coach import render_cv

    for kind, specialty, institution, month in (("research", "Internal Medicine", "Research Lab (fictional)", 6),
                                                ("volunteer", "Family Medicine", "Free Clinic (fictional)", 5)):
        add_rotation(ctx, kind=kind, specialty=specialty, institution=institution, start_date=date(2026, month, 1),
                     end_date=date(2026, month, 26), hours_per_week=10)
    only_research = render_cv(ctx, "md")
    assert isinstance(only_research, str)
    assert "Research Experience" not in only_research and "Volunteer Experience" not in only_research
    assert "(no host-country clinical rotation recorded yet)" in only_research, only_research
    _rotation(ctx, date(2026, 9, 7), date(2026, 10, 2), "Mercy Hospital (fictional)")
    text = render_cv(ctx, "txt")
    assert isinstance(text, str)
    assert "Clinical Observership in Internal Medicine, Mercy Hospital (fictional)" in text
    assert "Research Experience" not in text and "Volunteer Experience" not in text, text


def test_a_status_day_before_the_request_is_refused(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                     db_url: str) -> None:
    """`letters set-status 3 agreed --on 2026-11-01` on a letter requested on 25 November stored "agreed on
    2026-11-01" beside "requested 2026-11-25": the writer agreeing three weeks before being asked. The day of a
    step is refused before the day of the step it follows, naming both."""
    from imgcoach.core.errors import ValidationError
    from imgcoach.plan import set_letter_status

    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    letter_id = _letter(ctx, rotation_id, "Dr. Asked Writer (fictional)")
    assert set_letter_status(ctx, letter_id, "requested").requested_on == date(2026, 11, 25)
    before = database_state(db_url)
    refused = run_cli(capsys, "letters", "set-status", "--db", db_url, str(letter_id), "agreed", "--on", "2026-11-01")
    assert refused.code == 2, refused.out
    assert refused.err == ("imgcoach: error: --on: before the letter was requested (2026-11-25): give the day it "
                           "happened (got '2026-11-01')\n"), refused.err
    assert database_state(db_url) == before
    with pytest.raises(ValidationError, match=r"before the letter was requested \(2026-11-25\)"):
        set_letter_status(ctx, letter_id, "declined", on=date(2026, 11, 24))
    assert set_letter_status(ctx, letter_id, "agreed", on=date(2026, 11, 25)).agreed_on == date(2026, 11, 25)


def test_uploaded_on_a_day_before_a_begun_rotation_says_when_it_began(capsys: pytest.CaptureFixture[str],
                                                                       ctx: Context, db_url: str) -> None:
    """`letters set-status ID uploaded --on 2026-10-30` for a rotation under way since 2 November was refused with
    "the rotation at City Hospital has not started yet": false, it had. The refusal now names the day it began."""
    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    letter_id = _letter(ctx, rotation_id, "Dr. Early Writer (fictional)")
    before = database_state(db_url)
    refused = run_cli(capsys, "letters", "set-status", "--db", db_url, str(letter_id), "uploaded", "--on", "2026-10-30")
    assert refused.code == 2, refused.out
    assert "has not started yet" not in refused.err, refused.err
    assert ("the rotation at City Hospital (fictional) began on 2026-11-02, after 2026-10-30, so its letter cannot "
            "have been uploaded by then") in refused.err, refused.err
    assert database_state(db_url) == before


def test_a_writer_who_only_agreed_is_not_thanked_for_a_letter(ctx: Context) -> None:
    """The applications-submitted update to a supervisor whose letter is agreed (not uploaded) said "Thank you
    again for your letter": a letter the data does not hold as written. It thanks them for agreeing to write it;
    the one whose letter is uploaded is thanked for the letter."""
    from imgcoach.coach import mark_progress
    from imgcoach.plan import set_letter_status

    bodies = {}
    for n, status in enumerate(("agreed", "uploaded")):
        rotation_id = _rotation(ctx, date(2026, 9 + n, 1), date(2026, 9 + n, 25), f"Hospital {n} (fictional)")
        contact = add_contact(ctx, f"Dr. Writer {status} (fictional)", email=f"w{n}@example.org", rotation_id=rotation_id)
        assert contact.id is not None
        letter = add_letter_request(ctx, contact.id, rotation_id=rotation_id)
        assert letter.id is not None
        set_letter_status(ctx, letter.id, "requested", on=date(2026, 10, 28))
        set_letter_status(ctx, letter.id, status, on=date(2026, 11, 2))
    for reminder in mark_progress(ctx, "applications_submitted").drafts:
        bodies[reminder.payload["draft_to_name"]] = reminder.payload["draft_body"]
    assert "Thank you again for your letter" not in bodies["Dr. Writer agreed (fictional)"]
    assert "Thank you again for agreeing to write my letter" in bodies["Dr. Writer agreed (fictional)"]
    assert "Thank you again for your letter and your support." in bodies["Dr. Writer uploaded (fictional)"]


def test_an_uploaded_letter_cannot_be_moved_to_a_rotation_not_begun(capsys: pytest.CaptureFixture[str],
                                                                     ctx: Context, db_url: str, cli_clock: FixedClock) -> None:
    """`letters edit 4 --rotation 3` tied a letter uploaded in March to a February observership still to come, and
    readiness counted it among the recent host-country letters ("uploaded on ...") before the writer had met the
    applicant: `set-status` refuses that state; the edit reached it all the same. Refused there too."""
    from imgcoach.core.errors import FieldError
    from imgcoach.plan import edit_letter, set_letter_status

    ended = _rotation(ctx, date(2026, 3, 2), date(2026, 3, 27), "Old Clinic (fictional)")
    letter_id = _letter(ctx, ended, "Dr. Uploaded Writer (fictional)")
    set_letter_status(ctx, letter_id, "uploaded", on=date(2026, 3, 30))
    future = _rotation(ctx, date(2027, 2, 1), date(2027, 2, 26), "Lake Clinic (fictional)")
    before = database_state(db_url)
    refused = run_cli(capsys, "letters", "edit", "--db", db_url, str(letter_id), "--rotation", str(future))
    assert refused.code == 2, refused.out
    assert "the rotation at Lake Clinic (fictional) has not started yet" in refused.err, refused.err
    assert database_state(db_url) == before
    with pytest.raises(FieldError, match="has not started yet"):
        edit_letter(ctx, letter_id, rotation_id=future)
    assert edit_letter(ctx, letter_id, rotation_id=None).rotation_id is None  # untying stays possible


def test_a_rotation_cannot_move_past_its_uploaded_letter(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                         db_url: str) -> None:
    """`rotations edit 4 --start 2027-04-05 --end 2027-04-30` moved a March observership, whose letter was
    uploaded on 30 March, into next April; readiness then counted "uploaded on 2026-03-30" as a recent
    host-country letter from a rotation still to come. Refused, naming the letter and its day."""
    from imgcoach.core.errors import FieldError
    from imgcoach.plan import edit_rotation, set_letter_status

    rotation_id = _rotation(ctx, date(2026, 3, 2), date(2026, 3, 27), "Old Clinic (fictional)")
    letter_id = _letter(ctx, rotation_id, "Dr. Uploaded Writer (fictional)")
    set_letter_status(ctx, letter_id, "uploaded", on=date(2026, 3, 30))
    before = database_state(db_url)
    refused = run_cli(capsys, "rotations", "edit", "--db", db_url, str(rotation_id), "--start", "2027-04-05",
                      "--end", "2027-04-30")
    assert refused.code == 2, refused.out
    assert ("--start: the letter from Dr. Uploaded Writer (fictional) for this rotation was uploaded on "
            "2026-03-30, before 2027-04-05") in refused.err, refused.err
    assert database_state(db_url) == before
    with pytest.raises(FieldError, match="was uploaded on 2026-03-30"):
        edit_rotation(ctx, rotation_id, start_date=date(2026, 4, 1), end_date=date(2026, 4, 24))
    moved = edit_rotation(ctx, rotation_id, start_date=date(2026, 3, 9), end_date=date(2026, 4, 3))  # still before
    assert moved.start_date == date(2026, 3, 9)


def test_readiness_asks_now_once_the_last_call_has_passed(ctx: Context) -> None:
    """Two days before a rotation ends, past its last call: the evidence says the last call was 20 November, and
    the next step said "Ask ... for a letter between 2026-11-16 and 2026-11-20 (by 2026-11-25)", a window
    already gone. It says to ask now, and when the last call was."""
    from imgcoach.coach.actions import readiness

    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    _letter(ctx, rotation_id, "Dr. Late Asker (fictional)")
    check = next(c for c in readiness(ctx).checks if c.key == "letters")
    assert "Dr. Late Asker (fictional): planned, not asked; the last call to ask was 2026-11-20" in check.evidence
    assert check.action is not None
    assert check.action.text.startswith("Ask Dr. Late Asker (fictional) (Clinical Observership in Internal Medicine, "
                                        "City Hospital (fictional)) for a letter now: the last call was 2026-11-20;"), \
        check.action.text
    assert check.action.due == date(2026, 11, 25)


def test_the_packet_reads_whole_without_target_specialties(empty_ctx: Context, tmp_path) -> None:
    """A profile with no target specialty yet (the guided set-up asks for them later) made the packet's first line
    "Bo Chen, applying to  (Match 2028)". It says "applying to residency" instead, as the outreach e-mail does."""
    from imgcoach.coach import export_packet
    from imgcoach.plan.profile import set_profile

    set_profile(empty_ctx, name="Bo Chen (fictional)", email="bo@example.com", timezone="Europe/London")
    rotation_id = _rotation(empty_ctx, date(2026, 9, 7), date(2026, 10, 2), "X Hospital (fictional)")
    add_contact(empty_ctx, "Dr. X (fictional)", rotation_id=rotation_id)
    files = export_packet(empty_ctx, "Dr. X (fictional)", tmp_path)
    text = files.markdown.read_text(encoding="utf-8")
    assert "applying to  (" not in text
    assert "- Bo Chen (fictional), applying to residency (Match 2028); bo@example.com" in text, text


async def test_the_rotation_pane_says_an_unsent_reminder_is_overdue(ctx: Context) -> None:
    """A running rotation's "Ask for feedback" reminder, due on 13 November and never sent (no daemon), read
    "pending" in the app's rotation pane on 25 November, where `rotations show` and `reminders list` say
    "pending, OVERDUE": the pane read as if it would still go out on time."""
    from imgcoach.plan import rotation_detail

    with clock_at(ctx, datetime(2026, 11, 2, 14, 0, tzinfo=UTC)):  # entered on its first day: its mid-point ahead
        rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    now = ctx.clock.now()
    overdue = [r for r in rotation_detail(ctx, rotation_id).reminders if r.status == "pending" and r.due_at < now]
    assert overdue, "the feedback reminder is past due"
    async with app_for(ctx).run_test(size=(120, 50)) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        shown = "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())  # as drawn
        assert "Ask for feedback  pending, OVERDUE" in shown, shown


async def test_the_preview_of_an_uploaded_letter_gives_its_day_not_a_window_to_ask(ctx: Context) -> None:
    """The Letters board's preview of an uploaded letter was headed "ask between 16 Mar 2026 and 20 Mar 2026", advice
    to ask for a letter in hand (its card, rightly, shows no window). It gives the day it was uploaded."""
    from textual.widgets import OptionList

    from imgcoach.plan import set_letter_status

    letter_id = _letter(ctx, _rotation(ctx, date(2026, 3, 2), date(2026, 3, 27), "Old Clinic (fictional)"),
                        "Dr. Uploaded Writer (fictional)")
    set_letter_status(ctx, letter_id, "uploaded", on=date(2026, 3, 30))
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "l")
        await settle(pilot)
        column = pilot.app.screen.query_one("#column-uploaded", OptionList)
        column.focus()
        column.highlighted = column.get_option_index(str(letter_id))
        await settle(pilot)
        preview = " ".join(str(pilot.app.screen.query_one("#letter-preview", Static).render()).split())
        assert "Dr. Uploaded Writer (fictional) · Internal Medicine, Old Clinic (fictional) · uploaded on 30 Mar 2026" \
            in preview, preview
        assert "ask between" not in preview, preview


def test_the_day_given_for_a_status_already_recorded_is_kept(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                             db_url: str, cli_clock: FixedClock) -> None:
    """A letter marked agreed today, then `letters set-status ID agreed --on 2026-11-22` to give the real day:
    "letter N is now agreed", and the day stayed today's (the first day recorded is never replaced), so readiness
    went on saying "agreed on 2026-11-25". A day given is the day stored (checked as any day given is)."""
    from imgcoach.coach.actions import readiness
    from imgcoach.plan import set_letter_status
    from imgcoach.storage.models import LetterRequest

    rotation_id = _rotation(ctx, date(2026, 11, 2), date(2026, 11, 27), "City Hospital (fictional)")
    letter_id = _letter(ctx, rotation_id, "Dr. Agreeing Writer (fictional)")
    set_letter_status(ctx, letter_id, "requested", on=date(2026, 11, 20))
    assert set_letter_status(ctx, letter_id, "agreed").agreed_on == date(2026, 11, 25)
    done = run_cli(capsys, "letters", "set-status", "--db", db_url, str(letter_id), "agreed", "--on", "2026-11-22")
    assert done.code == 0, done.err
    with ctx.db.read() as session:
        letter = session.get(LetterRequest, letter_id)
        assert letter is not None and letter.agreed_on == date(2026, 11, 22)
    check = next(c for c in readiness(ctx).checks if c.key == "letters")
    assert "Dr. Agreeing Writer (fictional): agreed on 2026-11-22" in check.evidence
    from imgcoach.core.errors import ValidationError

    with pytest.raises(ValidationError, match=r"before the letter was requested \(2026-11-20\)"):
        set_letter_status(ctx, letter_id, "agreed", on=date(2026, 11, 19))


def test_a_day_given_again_for_uploaded_is_checked_against_the_rotation(ctx: Context) -> None:
    """Now that a day given replaces the recorded one, it is checked as a first one is: an uploaded letter re-dated
    before its rotation began would read as written before the writer had supervised the applicant."""
    from imgcoach.core.errors import FieldError
    from imgcoach.plan import set_letter_status

    letter_id = _letter(ctx, _rotation(ctx, date(2026, 3, 2), date(2026, 3, 27), "Old Clinic (fictional)"),
                        "Dr. Uploaded Writer (fictional)")
    set_letter_status(ctx, letter_id, "uploaded", on=date(2026, 3, 30))
    with pytest.raises(FieldError, match="began on 2026-03-02, after 2026-02-01"):
        set_letter_status(ctx, letter_id, "uploaded", on=date(2026, 2, 1))


def test_a_letter_asked_for_again_is_not_agreed_before_it_was_asked(ctx: Context) -> None:
    """Requested on 1 November, agreed on 5 November; the writer fell through and the applicant asked again on
    20 November (back to requested, with that day); moved on to agreed once more, the letter kept "agreed on
    2026-11-05" beside "requested on 2026-11-20". The kept day is replaced when it comes before a step it
    follows; a card only moved back and forth keeps its days."""
    from imgcoach.plan import set_letter_status

    rotation_id = _rotation(ctx, date(2026, 10, 5), date(2026, 10, 30), "City Hospital (fictional)")
    letter_id = _letter(ctx, rotation_id, "Dr. Twice Asked (fictional)")
    set_letter_status(ctx, letter_id, "requested", on=date(2026, 11, 1))
    set_letter_status(ctx, letter_id, "agreed", on=date(2026, 11, 5))
    set_letter_status(ctx, letter_id, "requested")  # moved back by mistake: the days stay
    again = set_letter_status(ctx, letter_id, "agreed")
    assert (again.requested_on, again.agreed_on) == (date(2026, 11, 1), date(2026, 11, 5))
    set_letter_status(ctx, letter_id, "requested", on=date(2026, 11, 20))  # asked again
    agreed = set_letter_status(ctx, letter_id, "agreed")
    assert (agreed.requested_on, agreed.agreed_on) == (date(2026, 11, 20), date(2026, 11, 25))  # today
