"""A follow-up is drafted only for an e-mail that was sent.

Found walking the demo: `imgcoach outreach draft 5 --follow-up` for Eastside Health (drafted, never sent) ended in
"internal error: AttributeError: 'NoneType' object has no attribute 'day'" (the template reads the day of the e-mail
it follows up), and the app's Outreach screen, which drafts both e-mails for `v`, failed the same way for that row.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from imgcoach.coach import draft_outreach
from imgcoach.coach.outreach_actions import add_outreach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.tui.widgets.draft import DraftScreen
from tests.cli_helpers import database_state, run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, press

REFUSAL = ("outreach {id}: no e-mail to Eastside Health (fictional) is recorded as sent, so there is nothing to "
           "follow up; `imgcoach outreach draft {id}` drafts the first, and `imgcoach outreach set-status {id} sent` "
           "records it once sent")


def _eastside(ctx: Context) -> int:
    from imgcoach.coach.outreach_actions import list_outreach

    row = next(row for row, *_ in list_outreach(ctx) if row.institution.startswith("Eastside Health"))
    assert row.status == "drafted" and row.written_on is None and row.id is not None
    return row.id


def test_the_cli_refuses_a_follow_up_to_nothing_sent(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    entry = _eastside(demo_ctx)
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "outreach", "draft", str(entry), "--follow-up", "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip() == "imgcoach: error: " + REFUSAL.format(id=entry)
    assert database_state(demo_ctx.db.url) == before
    first = run_cli(capsys, "outreach", "draft", str(entry), "--db", demo_ctx.db.url)
    assert first.code == 0 and first.out.startswith("Subject: Observership request, Family Medicine:")


def test_a_drafted_entry_with_a_written_day_is_still_not_followed_up(ctx: Context) -> None:
    """The status says nothing went out: "following up on my e-mail of ..." would say it did."""
    row = add_outreach(ctx, "Eastside Health (fictional)", status="drafted",
                       written_on=ctx.clock.now().date())
    assert row.id is not None
    with pytest.raises(UserError) as refused:
        draft_outreach(ctx, row.id, "follow-up")
    assert str(refused.value) == REFUSAL.format(id=row.id)


async def test_the_app_shows_the_first_email_and_why_there_is_no_follow_up(demo_ctx: Context) -> None:
    _eastside(demo_ctx)  # drafted, never sent
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(demo_ctx, "Eastside Health"))
        await press(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen)
        text = str(dialog.query_one("#text-content", Static).content)
    assert dialog.title_text.startswith("First e-mail") and dialog.draft.subject.startswith("Observership request")
    # where it stands, the words `outreach draft` prints on stderr (test_outreach_draft_state51), says why no other
    assert text.startswith("The first e-mail is not sent yet: it is the one that fits today (a follow-up comes only "
                           "after it is sent)\n\nTo: students@eastside.example.com\nSubject: "
                           "Observership request, Family Medicine:"), text


@pytest.mark.parametrize(("institution", "status"), [
    ("Harborview Clinics Network", "offered"), ("Lakeview Community Health Center", "accepted"),
    ("Mercy Lakes Hospital", "interview"), ("Pinecrest Medical Center", "declined"),
])
def test_no_follow_up_once_the_place_answered(demo_ctx: Context, capsys: pytest.CaptureFixture[str],
                                              institution: str, status: str, cli_clock: FixedClock) -> None:
    """The follow-up asks after an e-mail nobody answered ("I remain very interested ... could you point me to
    another office?"): drafted for a place that offered, declined or interviewed, it said what was not so."""
    from imgcoach.coach.outreach_actions import list_outreach

    row = next(row for row, *_ in list_outreach(demo_ctx) if row.institution.startswith(institution))
    assert row.status == status
    refused = run_cli(capsys, "outreach", "draft", str(row.id), "--follow-up", "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip() == (f"imgcoach: error: outreach {row.id} ({row.institution}) has the status {status}: "
                                   "a follow-up is for an e-mail still without an answer")


def test_the_unanswered_one_still_gets_its_follow_up(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    from imgcoach.coach.outreach_actions import list_outreach

    row, shown, *_ = next(item for item in list_outreach(demo_ctx) if item[0].institution.startswith("St. Brigid"))
    assert shown.value == "follow_up_due"
    drafted = run_cli(capsys, "outreach", "draft", str(row.id), "--follow-up", "--db", demo_ctx.db.url)
    assert drafted.code == 0 and drafted.out.startswith("Subject: Re: Externship request")
