"""Step 4 of the first run: where reminders go (issue 12, point 3). E-mail is saved and tested with one
message; a failed test says so in the form and keeps the input; the local mailbox is said to be not e-mail."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

from textual.widgets import Static

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import app_for, error_of, fill, press, settle


async def _to_mail_step(pilot) -> FormScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    fill(pilot.app.screen, name="Ana Silva", email="ana@example.com", timezone="America/Sao_Paulo")
    await press(pilot, "ctrl+s", "escape", "escape")
    form = pilot.app.screen
    assert isinstance(form, FormScreen) and form.form_title.startswith("Step 4 of 4")
    return form


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_email_without_a_server_is_refused_in_place(empty_ctx: Context, isolated_user_dirs: Path) -> None:
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        form = await _to_mail_step(pilot)
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form and "an SMTP server is needed" in error_of(form, "host")
    assert not (isolated_user_dirs / "config" / "config.toml").exists()


async def test_a_failed_test_message_is_shown_and_the_form_stays(empty_ctx: Context,
                                                                 isolated_user_dirs: Path) -> None:
    port = _closed_port()
    async with app_for(empty_ctx).run_test(size=(80, 24)) as pilot:
        form = await _to_mail_step(pilot)
        fill(form, host="127.0.0.1", port=str(port), user="ana@example.com")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        shown = " ".join(str(w.render()) for w in form.query(Static))
        assert "mail test via 127.0.0.1" in shown and "failed" in shown, shown
        assert form.query_one("#field-host").value == "127.0.0.1"  # type: ignore[attr-defined]
    smtp = tomllib.loads((isolated_user_dirs / "config" / "config.toml").read_text())["smtp"]
    assert smtp == {"host": "127.0.0.1", "port": port, "security": "starttls", "user": "ana@example.com"}
