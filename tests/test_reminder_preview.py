"""The Outbox preview and the daemon compose a message with one function and one renderer, so a template
override in the config folder's emails/ shows in the preview exactly as it is sent (real Maildir)."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.reminders import list_reminders, reminder_preview
from imgcoach.reminders.daemon.daemon import ReminderDaemon
from imgcoach.reminders.daemon.worker import OutboxWorker
from imgcoach.reminders.mail.settings import MailSettings
from tests.daemon_helpers import add_due_reminders, add_supervised_rotation
from tests.tui_helpers import SIZE, app_for, press, settle

CUSTOM_SUBJECT = "Custom: thank {{ rotation.supervisor.name }} today"
EXPECTED = "Custom: thank Dr. Jane Okafor today"


def _override(isolated_user_dirs: Path) -> None:
    emails = isolated_user_dirs / "config" / "emails"
    emails.mkdir(parents=True)
    (emails / "thank_you.subject.j2").write_text(CUSTOM_SUBJECT)


def test_preview_subject_is_the_sent_subject_with_a_user_override(ctx: Context, isolated_user_dirs: Path,
                                                                   tmp_path: Path) -> None:
    _override(isolated_user_dirs)
    rotation_id = add_supervised_rotation(ctx)
    (reminder_id,) = add_due_reminders(ctx, rotation_id, 1, due=ctx.clock.now() - timedelta(minutes=1))
    preview = reminder_preview(ctx, reminder_id)
    assert preview.subject == EXPECTED

    maildir = tmp_path / "Maildir"
    assert ReminderDaemon(OutboxWorker(ctx, MailSettings(maildir=maildir)), ctx.clock, tasks=[]).run_once() == 1
    (sent,) = list(mailbox.Maildir(maildir, create=False))
    assert str(make_header(decode_header(sent["Subject"]))) == preview.subject
    assert sent["To"].endswith(f"<{preview.to}>")


async def test_app_outbox_preview_shows_the_overridden_subject(demo_ctx: Context, isolated_user_dirs: Path) -> None:
    _override(isolated_user_dirs)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "o")
        screen = pilot.app.screen
        thank_you = next(r.id for r in list_reminders(demo_ctx) if r.kind == "thank_you" and r.status == "pending")
        table = screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(thank_you)))
        await settle(pilot)
        assert screen.selected_id() == thank_you  # type: ignore[attr-defined]
        shown = str(screen.query_one("#outbox-preview", Static).render())
    expected = reminder_preview(demo_ctx, thank_you)
    assert expected.subject.startswith("Custom: thank ")
    assert f"Subject: {expected.subject}" in shown
