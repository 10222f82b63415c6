"""The Outreach e-mail dialog and `imgcoach outreach draft` say what is true of the entry's e-mails today (issue 15).

The dialog called the first e-mail of a sent entry, already sent and with its follow-up not yet due, "the one that
fits today"; after the rule's last follow-up it called a third follow-up so, where the list says the entry is better
closed; nothing said when the first e-mail went out, and the CLI printed the e-mail alone. Now both say where the
e-mails stand (coach.outreach_emails, one sentence): what was sent on which day, which e-mail fits today or that none
does, when the follow-up falls due; the CLI on stderr (stdout stays the e-mail) and in --json (`fits_today`,
`standing`), the app above the e-mail. The tests' clock: 25 Nov 2026 14:00 UTC (09:00 in New York)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from textual.widgets import Static

from imgcoach.coach import accept_offer, add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.widgets.draft import DraftScreen
from tests.cli_helpers import database_state, run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, press

FITS = "the one that fits today"
PLACE = "Riverside General (fictional)"


def again(day: str) -> str:
    """The sentence after the standing once the first e-mail went (test_outreach_redrafted52): it is drafted again."""
    return (f". The first e-mail shown here is drafted again from today's profile, rotations and entry (its text is "
            f"not kept), so it may differ from the one sent on {day}")


def _sent(ctx: Context, written: date, *follow_ups: date) -> int:
    row = add_outreach(ctx, PLACE, specialty="Internal Medicine", status="sent", written_on=written,
                       coordinator="Ms. Ada Stone", contact_email="ada@example.org")
    assert row.id is not None
    for day in follow_ups:
        set_outreach_status(ctx, row.id, "sent", on=day)
    return row.id


def _cli(capsys: pytest.CaptureFixture[str], ctx: Context, entry: int, *more: str) -> tuple[Any, Any]:
    """`outreach draft` as text and as --json; the database unchanged by either."""
    before = database_state(ctx.db.url)
    text = run_cli(capsys, "outreach", "draft", str(entry), *more, "--db", ctx.db.url)
    shaped = run_cli(capsys, "outreach", "draft", str(entry), *more, "--json", "--db", ctx.db.url)
    assert (text.code, shaped.code) == (0, 0), text.err + shaped.err
    assert database_state(ctx.db.url) == before
    return text, shaped.json()


async def _dialog(ctx: Context, institution: str, presses: int = 0) -> tuple[str, str]:
    """The e-mail dialog v opens on the entry's row (after `presses` more v in it): its title and its text."""
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(ctx, institution))
        await press(pilot, "v", *("v",) * presses)
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen), "a draft dialog"
        return dialog.title_text, str(dialog.query_one("#text-content", Static).content)


async def test_a_sent_first_e_mail_is_said_sent_and_the_follow_up_not_due_yet(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """Sent 21 Nov, 10 days to wait: the follow-up falls due on 01 Dec (past the month's end); nothing fits today."""
    entry = _sent(ctx, date(2026, 11, 21))
    standing = ("The first e-mail was sent on 21 Nov 2026, with no answer yet: no e-mail is due today; the follow-up "
                "falls due on 01 Dec 2026 if no answer comes by then" + again("21 Nov 2026"))
    title, shown = await _dialog(ctx, PLACE)
    assert title.startswith("First e-mail") and FITS not in shown, shown
    assert shown.startswith(f"{standing}\nE-mail 1 of 2; v shows the follow-up\n\nTo: ada@example.org\n"), shown
    title, shown = await _dialog(ctx, PLACE, presses=1)
    assert title.startswith("Follow-up") and FITS not in shown, shown
    assert shown.startswith(f"{standing}\nE-mail 2 of 2; v shows the first e-mail\n\n"), shown
    text, shaped = _cli(capsys, ctx, entry)
    assert text.out.startswith("Subject: Observership request"), "the first e-mail (drafted again: its text is not kept)"
    assert text.err == standing + "\n", "said on stderr: stdout is the e-mail alone"
    assert (shaped["title"], shaped["fits_today"], shaped["standing"]) == ("First e-mail", False, standing)
    assert shaped["address"] == "ada@example.org"
    follow_up, shaped = _cli(capsys, ctx, entry, "--follow-up")
    # The follow-up printed alone: the first e-mail is not shown, so it is not said to be drafted again (walk54)
    beside = standing.removesuffix(again("21 Nov 2026"))
    assert follow_up.out.startswith("Subject: Re: ") and follow_up.err == beside + "\n"
    assert shaped["standing"] == beside
    assert (shaped["title"], shaped["fits_today"]) == ("Follow-up", False)


async def test_a_due_follow_up_fits_and_the_first_e_mail_is_said_sent(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """The demo's St. Brigid: written 13 Nov, no answer; the follow-up is due from 23 Nov."""
    from imgcoach.coach import list_outreach

    row = next(r for r, *_ in list_outreach(demo_ctx) if r.institution.startswith("St. Brigid"))
    standing = ("The first e-mail was sent on 13 Nov 2026, with no answer since: the follow-up, due from 23 Nov 2026, "
                f"is {FITS}" + again("13 Nov 2026"))
    text, shaped = _cli(capsys, demo_ctx, row.id)
    beside = standing.removesuffix(again("13 Nov 2026"))  # the CLI prints the follow-up alone (walk54)
    assert text.out.startswith("Subject: Re: ") and text.err == beside + "\n"
    assert (shaped["title"], shaped["fits_today"], shaped["standing"]) == ("Follow-up", True, beside)
    _, shaped = _cli(capsys, demo_ctx, row.id, "--follow-up")
    assert shaped["fits_today"] is True
    title, shown = await _dialog(demo_ctx, "St. Brigid")
    assert title.startswith("Follow-up") and shown.startswith(f"{standing}\nE-mail 1 of 2; v shows the first e-mail\n")
    title, shown = await _dialog(demo_ctx, "St. Brigid", presses=1)
    assert title.startswith("First e-mail") and shown.startswith(f"{standing}\nE-mail 2 of 2; v shows the follow-up\n")


async def test_one_follow_up_sent_the_next_falls_due_later(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    entry = _sent(ctx, date(2026, 10, 1), date(2026, 11, 20))
    standing = ("The first e-mail was sent on 01 Oct 2026 and a follow-up on 20 Nov 2026, with no answer yet: no "
                "e-mail is due today; the next follow-up falls due on 30 Nov 2026 if no answer comes by then"
                + again("01 Oct 2026"))
    text, shaped = _cli(capsys, ctx, entry)
    assert text.err == standing + "\n" and shaped["fits_today"] is False
    _, shown = await _dialog(ctx, PLACE)
    assert shown.startswith(standing + "\n") and FITS not in shown


@pytest.mark.parametrize(("follow_ups", "standing"), [
    # due from 22 Nov: the list says "better closed"; the dialog called a third follow-up the one that fits
    ((date(2026, 11, 1), date(2026, 11, 12)),
     "The first e-mail was sent on 20 Oct 2026 and 2 follow-ups after it, the last on 12 Nov 2026, with no answer "
     "since: no e-mail fits today; the rule asks for 2 follow-ups at most, so the entry is better closed"
     + again("20 Oct 2026")),
    ((date(2026, 11, 10), date(2026, 11, 20)),
     "The first e-mail was sent on 20 Oct 2026 and 2 follow-ups after it, the last on 20 Nov 2026, with no answer "
     "yet: no e-mail is due today, and the rule asks for 2 follow-ups at most: if no answer comes by 30 Nov 2026, "
     "the entry is better closed" + again("20 Oct 2026")),
], ids=["due", "not-due"])
async def test_after_the_rules_last_follow_up_no_e_mail_fits(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, follow_ups: tuple[date, ...],
    standing: str
) -> None:
    entry = _sent(ctx, date(2026, 10, 20), *follow_ups)
    for presses in (0, 1):
        _, shown = await _dialog(ctx, PLACE, presses)
        assert FITS not in shown and shown.startswith(standing + "\n"), shown
    text, shaped = _cli(capsys, ctx, entry)
    if text.out.startswith("Subject: Re: "):  # the follow-up printed alone: the first e-mail is not shown (walk54)
        standing = standing.removesuffix(again("20 Oct 2026"))
    assert text.err == standing + "\n" and shaped["fits_today"] is False and shaped["standing"] == standing


async def test_a_drafted_entry_its_first_e_mail_fits(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    row = add_outreach(ctx, PLACE, specialty="Internal Medicine", contact_email="ada@example.org")
    assert row.id is not None
    standing = f"The first e-mail is not sent yet: it is {FITS} (a follow-up comes only after it is sent)"
    text, shaped = _cli(capsys, ctx, row.id)
    assert text.err == standing + "\n" and (shaped["fits_today"], shaped["standing"]) == (True, standing)
    title, shown = await _dialog(ctx, PLACE)
    assert title.startswith("First e-mail") and shown.startswith(f"{standing}\n\nTo: ada@example.org\n"), shown


@pytest.mark.parametrize(("start", "end", "title", "standing"), [
    (date(2027, 4, 5), date(2027, 5, 2), "Confirmation",
     "Accepted, its rotation starts on 05 Apr 2027: the confirmation is the e-mail for now (nothing records whether "
     "it went out)"),
    (date(2026, 9, 7), date(2026, 10, 4), "Thank-you note",
     "Accepted, and its rotation ended on 04 Oct 2026: the thank-you note to the supervisor is the e-mail for now "
     "(nothing records whether it went out)"),
], ids=["before", "after"])
async def test_an_accepted_place_its_e_mail_for_now(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, start: date, end: date, title: str,
    standing: str
) -> None:
    entry = _sent(ctx, date(2026, 6, 1))
    set_outreach_status(ctx, entry, "offered")
    accept_offer(ctx, entry, start, end, supervisor="Dr. Lee", supervisor_email="lee@example.org")
    text, shaped = _cli(capsys, ctx, entry)
    assert text.err == standing + "\n" and (shaped["title"], shaped["fits_today"]) == (title, True)
    shown_title, shown = await _dialog(ctx, PLACE)
    assert shown_title.startswith(title) and shown.startswith(standing + "\n\nTo: ")


@pytest.mark.parametrize("moves", [("replied",), ("interview",), ("offered",), ("declined",), ("withdrawn",)])
async def test_where_the_place_answered_both_faces_give_the_same_refusal(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, moves: tuple[str, ...]
) -> None:
    """A guard: no e-mail, no dialog; the app's toast is the CLI's error, which names the state; for an offer, with
    the app's keys where the CLI names its commands (test_outreach_after_last_follow_up51)."""
    entry = _sent(ctx, date(2026, 11, 1))
    for status in moves:
        set_outreach_status(ctx, entry, status)
    refused = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    said = refused.err.strip().removeprefix("imgcoach: error: ")
    assert f"has the status {moves[-1]}: no e-mail to draft" in said
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, index_of(ctx, PLACE))
        await press(pilot, "v")
        assert pilot.app.screen is screen
        toast = str(list(pilot.app._notifications)[-1].message)
    if moves[-1] == "offered":
        head = said.partition("it offered you a place: ")[0]
        assert toast.startswith(f"{head}it offered you a place: check the warnings in its details, then ctrl+a "), toast
        assert "imgcoach" not in toast
    else:
        assert toast == said


async def test_the_follow_up_falls_due_on_the_applicants_day(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """Sent 15 Nov: due on 25 Nov where the applicant lives. At 03:00 UTC it is still 24 Nov in New York (nothing
    due); at 05:00 UTC it is 25 Nov there (the follow-up fits); moved to Kolkata, 03:00 UTC is already 25 Nov."""
    entry = _sent(ctx, date(2026, 11, 15))
    cli_clock.set(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    text, shaped = _cli(capsys, ctx, entry)
    assert shaped["fits_today"] is False and "the follow-up falls due on 25 Nov 2026" in text.err
    cli_clock.set(datetime(2026, 11, 25, 5, 0, tzinfo=UTC))
    text, shaped = _cli(capsys, ctx, entry)
    assert shaped["fits_today"] is True and f"the follow-up, due from 25 Nov 2026, is {FITS}" in text.err
    from imgcoach.plan import set_profile

    set_profile(ctx, timezone="Asia/Kolkata")
    cli_clock.set(datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    _, shaped = _cli(capsys, ctx, entry)
    assert shaped["fits_today"] is True
    _, shown = await _dialog(ctx, PLACE)
    assert shown.startswith("The first e-mail was sent on 15 Nov 2026, with no answer since: the follow-up, due from "
                            f"25 Nov 2026, is {FITS}" + again("15 Nov 2026") + "\n")


def test_dialog_snapshot(demo_ctx: Context, snap_compare: Any) -> None:
    """The demo's St. Brigid dialog on its first e-mail (v twice): what was sent on which day, which fits today."""
    async def run_before(pilot: Any) -> None:
        await open_outreach(pilot, index_of(demo_ctx, "St. Brigid"))
        await press(pilot, "v", "v")

    assert snap_compare(app_for(demo_ctx), run_before=run_before, terminal_size=(80, 24))
