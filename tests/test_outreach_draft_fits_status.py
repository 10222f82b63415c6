"""`imgcoach outreach draft` drafted the first request ("I am writing to ask whether ... offers observership
positions") whatever the entry's status, so a place that had accepted, declined or offered was asked again. Now
it drafts what fits the status (the request while unanswered; once accepted, a confirmation of the dates before
the rotation and the thank-you note after it) or refuses, naming the entry and its status, with exit 2 and the
database unchanged. The app's Drafts view calls the same function."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import accept_offer, add_outreach, draft_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.tui.widgets.draft import DraftScreen
from tests.cli_helpers import database_state, run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, press

REQUEST = "I am writing to ask whether"


def _entry(ctx: Context, *moves: str) -> int:
    row = add_outreach(ctx, "Riverside General (fictional)", specialty="Internal Medicine", status="sent",
                       written_on=date(2026, 10, 1), coordinator="Ms. Ada Stone", contact_email="ada@example.org")
    for status in moves:
        set_outreach_status(ctx, row.id, status)
    return int(row.id)


def test_an_accepted_entry_drafts_a_confirmation_of_its_dates(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    entry = _entry(ctx, "offered")
    accept_offer(ctx, entry, date(2027, 4, 5), date(2027, 5, 2), supervisor="Dr. Lee", supervisor_email="lee@example.org")
    shown = run_cli(capsys, "outreach", "draft", str(entry), "--db", db_url)
    assert shown.code == 0 and REQUEST not in shown.out
    assert "confirming my place" in shown.out and "Thank you for accepting me" in shown.out
    assert "from 5 April 2027 to 2 May 2027" in shown.out


def test_an_accepted_entry_without_a_rotation_asks_for_the_dates(ctx: Context) -> None:
    draft = draft_outreach(ctx, _entry(ctx, "offered", "accepted"))
    assert draft.title == "Confirmation" and REQUEST not in draft.body
    assert "Could you confirm the start and end dates?" in draft.body and "I will attend from" not in draft.body


def test_after_the_rotation_the_thank_you_note_to_the_supervisor(ctx: Context) -> None:
    entry = _entry(ctx, "offered")
    accept_offer(ctx, entry, date(2026, 10, 5), date(2026, 11, 1), supervisor="Dr. Lee", supervisor_email="lee@example.org")
    draft = draft_outreach(ctx, entry)  # the clock: 25 Nov 2026, after the rotation
    assert draft.title == "Thank-you note" and draft.to == "Dr. Lee <lee@example.org>"
    assert "Dear Dr. Lee" in draft.body and REQUEST not in draft.body
    # days as a letter writes them, as the other drafts do (it wrote "(2026-10-05 to 2026-11-01)")
    assert "(5 October 2026 to 1 November 2026)" in draft.body


@pytest.mark.parametrize(("moves", "status", "words"), [
    (("replied",), "replied", "reply to its e-mail in your own words"),
    (("interview",), "interview", "reply to its invitation"),
    (("offered",), "offered", "imgcoach outreach accept"),
    (("declined",), "declined", "the entry is closed"),
    (("withdrawn",), "withdrawn", "the entry is closed"),
    (("offered", "accepted", "withdrawn"), "withdrawn", "the entry is closed"),
])
def test_where_no_e_mail_fits_one_clear_refusal(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], moves: tuple[str, ...], status: str, words: str, cli_clock: FixedClock
) -> None:
    entry = _entry(ctx, *moves)
    before = database_state(db_url)
    refused = run_cli(capsys, "outreach", "draft", str(entry), "--db", db_url)
    assert refused.code == 2 and refused.out == "" and REQUEST not in refused.err
    assert f"outreach {entry} (Riverside General (fictional)) has the status {status}" in refused.err
    assert words in refused.err and len(refused.err.strip().splitlines()) == 1
    assert database_state(db_url) == before
    # `outreach list` names the same status
    (listed,) = [r for r in run_cli(capsys, "outreach", "list", "--json", "--db", db_url).json() if r["id"] == entry]
    assert listed["status_today"] == status


def test_an_accepted_rotation_under_way_has_no_e_mail_to_draft(ctx: Context) -> None:
    entry = _entry(ctx, "offered")
    accept_offer(ctx, entry, date(2026, 11, 16), date(2026, 12, 11))
    with pytest.raises(UserError, match=r"has the status accepted: no e-mail to draft, its rotation \d+ is under way"):
        draft_outreach(ctx, entry)


def test_unanswered_entries_still_draft_the_first_request(ctx: Context) -> None:
    assert REQUEST in draft_outreach(ctx, _entry(ctx), "first").body  # sent, the e-mail as it went out
    drafted = add_outreach(ctx, "Lakeside Clinic (fictional)", specialty="Family Medicine")
    assert REQUEST in draft_outreach(ctx, int(drafted.id)).body


async def test_the_app_shows_the_same_draft_or_refusal(demo_ctx: Context) -> None:
    declined = index_of(demo_ctx, "Pinecrest")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, declined)
        screen = pilot.app.screen
        await press(pilot, "v")
        assert pilot.app.screen is screen, "no e-mail: no draft dialog"
        said = str(list(pilot.app._notifications)[-1].message)
        assert REQUEST not in said and "has the status declined: no e-mail to draft" in said


def _sent_on(ctx: Context, day: date) -> int:
    row = add_outreach(ctx, "Harbor Clinic (fictional)", specialty="Family Medicine", status="sent", written_on=day,
                       coordinator="Mr. Bo Reyes", contact_email="bo@example.org")
    return int(row.id)


async def _app_drafts(ctx: Context, entry: int) -> tuple[str, str]:
    """The draft dialog's title and the e-mail it takes out (Subject and body, as the CLI prints them)."""
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(ctx, "Harbor Clinic"))
        await press(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen)
        return dialog.title_text, f"Subject: {dialog.draft.subject}\n\n{dialog.draft.body}"


@pytest.mark.parametrize(("sent", "fits"), [
    (date(2026, 10, 1), "follow-up"),  # sent 55 days before the tests' day: its follow-up is due (10 days)
    (date(2026, 11, 20), "first"),  # sent 5 days before: the follow-up is not due yet
])
async def test_the_cli_drafts_what_the_apps_drafts_view_shows_first(
    ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: object, sent: date, fits: str
) -> None:
    """`outreach draft` printed the first request for an entry whose follow-up was due while the app's Drafts view
    showed the follow-up first (and, for a sent entry not yet due, the app put the follow-up first too)."""
    entry = _sent_on(ctx, sent)
    printed = run_cli(capsys, "outreach", "draft", str(entry), "--db", db_url)
    assert printed.code == 0, printed.err
    follow_up = printed.out.startswith("Subject: Re: ")
    assert follow_up == (fits == "follow-up") and (REQUEST in printed.out) == (fits == "first")
    title, shown = await _app_drafts(ctx, entry)
    assert title.startswith("Follow-up" if fits == "follow-up" else "First e-mail"), title
    assert shown == printed.out  # the same e-mail, subject and all
