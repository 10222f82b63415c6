"""The Outreach e-mail dialog says that a sent first e-mail is drafted again (issue 15).

The first e-mail's text is not kept when it is marked sent: `outreach draft` and the app's v draft it again from
today's profile, rotations and entry, so after the applicant's name (or a rotation ended since, or the entry) changed,
what they show is not what went. `outreach draft --help` said so; the dialog, and the sentence the CLI prints on
stderr, did not. One sentence, in coach.outreach_emails' standing, says it in both. The tests' clock: 25 Nov 2026."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static

from imgcoach.coach import accept_offer, add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import set_profile
from imgcoach.tui.widgets.draft import DraftScreen
from tests.cli_helpers import run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, press

PLACE = "Northfield Infirmary (fictional)"
AGAIN = ("The first e-mail shown here is drafted again from today's profile, rotations and entry (its text is not "
         "kept), so it may differ from the one sent on {day}")


def _entry(ctx: Context, status: str, written: date | None = None) -> int:
    row = add_outreach(ctx, PLACE, specialty="Internal Medicine", status=status, written_on=written,
                       contact_email="office@example.org")
    assert row.id is not None
    return row.id


async def _dialog_texts(ctx: Context) -> list[str]:
    """The dialog's text as v opens it, then after v (where it has a second e-mail)."""
    texts = []
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(ctx, PLACE))
        await press(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen)
        texts.append(str(dialog.query_one("#text-content", Static).content))
        await press(pilot, "v")
        texts.append(str(dialog.query_one("#text-content", Static).content))
    return texts


async def test_a_sent_first_e_mail_is_said_drafted_again(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                         cli_clock: FixedClock) -> None:
    """Sent on 21 Nov as "Test Applicant"; renamed since: the e-mail shown signs with the new name, and both faces
    say it may differ from what went."""
    entry = _entry(ctx, "sent", date(2026, 11, 21))
    set_profile(ctx, name="Test Applicant-Morgan")
    again = AGAIN.format(day="21 Nov 2026")
    text = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert text.code == 0 and "I am Test Applicant-Morgan" in text.out, "drafted today, from the profile as it is"
    assert text.err.endswith(f"if no answer comes by then. {again}\n"), text.err
    shaped = run_cli(capsys, "outreach", "draft", str(entry), "--json", "--db", ctx.db.url).json()
    assert shaped["standing"].endswith(again)
    for shown in await _dialog_texts(ctx):
        assert f". {again}\nE-mail " in shown, shown


async def test_after_a_follow_up_it_names_the_first_e_mails_day(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                cli_clock: FixedClock) -> None:
    """Written 01 Nov, followed up 20 Nov: the day the first e-mail went, not the follow-up's. Printed with
    --follow-up, the first e-mail is not shown, and is not said to be (walk54: "The first e-mail shown here ...")."""
    entry = _entry(ctx, "sent", date(2026, 11, 1))
    set_outreach_status(ctx, entry, "sent", on=date(2026, 11, 20))
    text = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert text.code == 0 and text.out.startswith("Subject: Observership request"), text.out
    assert text.err.endswith(AGAIN.format(day="01 Nov 2026") + "\n"), text.err
    follow_up = run_cli(capsys, "outreach", "draft", str(entry), "--follow-up", "--db", ctx.db.url)
    assert follow_up.code == 0 and follow_up.out.startswith("Subject: Re: "), follow_up.out
    assert "drafted again" not in follow_up.err and "no e-mail is due today" in follow_up.err, follow_up.err


@pytest.mark.parametrize("state", ["drafted", "accepted"])
async def test_not_said_where_no_first_e_mail_went(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                   cli_clock: FixedClock, state: str) -> None:
    """A guard: a drafted entry's first e-mail is not sent yet, and an accepted place's e-mail is the confirmation."""
    entry = _entry(ctx, "drafted" if state == "drafted" else "sent", None if state == "drafted" else date(2026, 6, 1))
    if state == "accepted":
        set_outreach_status(ctx, entry, "offered")
        accept_offer(ctx, entry, date(2027, 4, 5), date(2027, 5, 2))
    text = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert text.code == 0 and "drafted again" not in text.err, text.err
