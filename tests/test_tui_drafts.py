"""Drafted e-mails can be taken out (clipboard, mail program, editor) and rows open details on Enter."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.widgets.dialogs import TextScreen
from imgcoach.tui.widgets.draft import DraftScreen
from tests.tui_helpers import app_for, press, settle

SIZE = (100, 32)


async def test_enter_on_an_outbox_row_shows_the_email_and_c_copies_it(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "enter")
        draft_screen = app.screen
        assert isinstance(draft_screen, DraftScreen)
        await press(pilot, "c")
        assert app.clipboard == draft_screen.draft.as_text()
        assert app.clipboard.startswith(f"To: {draft_screen.draft.to}\nSubject: ")


async def test_mail_program_gets_a_mailto_link_and_nothing_is_sent(demo_ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    app = app_for(demo_ctx)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))  # the OS boundary (xdg-open)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "v", "M")
        draft = app.screen.draft  # type: ignore[attr-defined]
    assert len(opened) == 1
    url = urlsplit(opened[0])
    assert url.scheme == "mailto" and url.path == draft.to
    query = parse_qs(url.query)
    assert query["subject"] == [draft.subject]
    assert query["body"][0].replace("\r\n", "\n") == draft.body.replace("\r\n", "\n")


async def test_editor_without_a_terminal_says_where_the_draft_is(demo_ctx: Context,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "true")
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "o", "v", "E")
        draft = app.screen.draft  # type: ignore[attr-defined]
        message = str(list(app._notifications)[-1].message)
    path = Path(message.split(" in ")[-1].split(";")[0].rstrip("."))
    assert path.read_text(encoding="utf-8") == draft.as_text()
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"


async def test_enter_on_a_shortlist_row_opens_its_explanation(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        await settle(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, TextScreen)
        assert "interview" in app.screen.title_text
