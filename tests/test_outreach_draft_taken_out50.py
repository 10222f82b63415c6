"""Outreach's e-mails can be taken out (issue 15), as a letter request's and a reminder's can: v on an Outreach row
opened a plain text dialog with both drafts and no key to copy them, open them in the mail program or in $EDITOR.
It opens the draft dialog on the e-mail `imgcoach outreach draft` prints (the one that fits the entry today), v
shows the other one where there are two; c writes it to the terminal's clipboard (OSC 52), M opens a mailto: link
to the place's contact address (none where none is recorded)."""

from __future__ import annotations

import base64
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from textual.widgets import Static

from imgcoach.coach import add_outreach, draft_outreach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.widgets.draft import DraftScreen
from tests.cli_helpers import run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, press

ST_BRIGID = "gme@stbrigid.example.com"  # the demo's contact address for St. Brigid (follow-up due)


def _osc52(text: str) -> str:
    return f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"


async def test_v_opens_the_clis_e_mail_and_c_copies_it_over_osc_52(
    demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    from imgcoach.coach.outreach_actions import list_outreach

    entry = 0  # St. Brigid, the first row of the demo's list
    row = list_outreach(demo_ctx)[entry][0]
    assert row.contact_email == ST_BRIGID
    printed = run_cli(capsys, "outreach", "draft", str(row.id), "--db", demo_ctx.db.url)
    assert printed.code == 0 and printed.out.startswith("Subject: Re: "), printed.out  # the follow-up is due
    app = app_for(demo_ctx)
    written: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await open_outreach(pilot, entry)
        await press(pilot, "v")
        dialog = app.screen
        assert isinstance(dialog, DraftScreen)
        draft = dialog.draft
        assert f"Subject: {draft.subject}\n\n{draft.body}" == printed.out, "the CLI's e-mail, word for word"
        assert draft.to == ST_BRIGID
        driver = app._driver
        assert driver is not None
        real_write = driver.write
        driver.write = lambda data: (written.append(data), real_write(data))[1]  # type: ignore[method-assign]
        await press(pilot, "c")
    expected = f"To: {ST_BRIGID}\n{printed.out}"
    assert _osc52(expected) in written
    assert app.clipboard == expected


async def test_m_opens_a_mailto_link_and_v_shows_the_other_e_mail(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    from imgcoach.coach.outreach_actions import list_outreach

    row = list_outreach(demo_ctx)[0][0]
    first = run_cli(capsys, "outreach", "draft", str(row.id), "--db", demo_ctx.db.url)  # the follow-up (due)
    app = app_for(demo_ctx)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))  # the OS boundary (xdg-open)
    async with app.run_test(size=SIZE) as pilot:
        await open_outreach(pilot, 0)
        await press(pilot, "v", "M")
        assert isinstance(app.screen, DraftScreen)
        follow_up = app.screen.draft
        await press(pilot, "v", "M")  # the dialog's v: the first e-mail
        other = app.screen.draft
        shown = str(app.screen.query_one("#text-content", Static).content)
        assert shown.startswith("The first e-mail was sent on 13 Nov 2026, with no answer since: the follow-up, due "
                                "from 23 Nov 2026, is the one that fits today. The first e-mail shown here is drafted again from "
                                "today's profile, rotations and entry (its text is not kept), so it may differ from the "
                                "one sent on 13 Nov 2026\nE-mail 2 of 2; v shows the follow-up\n\n"
                                f"To: {ST_BRIGID}\nSubject: {other.subject}\n"), shown
    assert f"Subject: {follow_up.subject}\n\n{follow_up.body}" == first.out
    first_email = draft_outreach(demo_ctx, row.id, "first")
    assert (other.subject, other.body) == (first_email.subject, first_email.body)
    assert len(opened) == 2
    for url, shown in zip(opened, (follow_up, other), strict=True):
        parts = urlsplit(url)
        assert parts.scheme == "mailto" and parts.path == ST_BRIGID
        assert " " not in url and "\n" not in url and "%0D%0A" in url, "subject and body percent-encoded"
        query = parse_qs(parts.query)
        assert query["subject"] == [shown.subject]
        assert query["body"][0].replace("\r\n", "\n") == shown.body


async def test_no_contact_address_opens_the_mail_program_with_none(
    demo_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drafted entry has one e-mail (nothing to follow up): v is not offered in the dialog; with no address
    recorded the link names none, and the mail program asks for it (it refused to open before, for any draft)."""
    add_outreach(demo_ctx, "Harbor Clinic (fictional)", specialty="Family Medicine", status="drafted")
    app = app_for(demo_ctx)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(demo_ctx, "Harbor Clinic"))
        await press(pilot, "v")
        dialog = app.screen
        assert isinstance(dialog, DraftScreen) and dialog.draft.to == ""
        assert app._check_action_state("other_draft", dialog) is False
        await press(pilot, "v")
        assert app.screen is dialog and dialog.draft.subject.startswith("Observership request")
        await press(pilot, "M")
    assert len(opened) == 1
    parts = urlsplit(opened[0])
    assert parts.scheme == "mailto" and parts.path == ""
    assert parse_qs(parts.query)["subject"] == [dialog.draft.subject]


async def test_a_thank_you_note_goes_to_the_supervisors_address(demo_ctx: Context) -> None:
    """After the accepted rotation ended the e-mail is the thank-you to the supervisor: the mail program is given
    the supervisor's address, never the coordinator's."""
    from imgcoach.coach import accept_offer, set_outreach_status

    row = add_outreach(demo_ctx, "Riverside General (fictional)", specialty="Internal Medicine", status="sent",
                       written_on=date(2026, 6, 1), coordinator="Ms. Ada Stone", contact_email="ada@example.org")
    set_outreach_status(demo_ctx, row.id, "offered")
    accept_offer(demo_ctx, row.id, date(2026, 9, 7), date(2026, 10, 4), supervisor="Dr. Lee",
                 supervisor_email="lee@example.org")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(demo_ctx, "Riverside General"))
        await press(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen)
        assert dialog.draft.to == "lee@example.org" and "Thank-you note" in dialog.title_text
