"""An outreach follow-up reminder's draft is signed with the profile as it is when it is sent, not when planned.

Found walking outreach on 7 December: `outreach add "Riverside General" --status sent` planned a follow-up reminder
whose e-mail carries the follow-up for the applicant to send, stored then ("Kind regards, Ana Silva"); after
`profile set --name "Ana Maria Silva"` (a name completed, as a passport spells it) the reminder, its Outbox preview and
the e-mail the daemon sends still signed "Ana Silva", while `outreach draft 1 --follow-up` signed the new name: two
texts for one follow-up. The profile's save redrafts them in its transaction (coach.save_profile_and_drafts, the
CLI's and the app's). The reminder goes to the applicant alone, who sends the draft: no approval is asked again.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import reminder_preview
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, fill, press, settle


def _follow_up(ctx: Context) -> Reminder:
    with ctx.db.read() as session:
        return session.exec(select(Reminder).where(Reminder.kind == "outreach_follow_up",
                                                   Reminder.status == "pending")).one()


def _sent(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    added = run_cli(capsys, "outreach", "add", "Riverside General", "--coordinator", "Ms Ada Stone", "--email",
                    "ada@example.org", "--status", "sent", "--written-on", "2026-11-20", "--db", ctx.db.url)
    assert added.code == 0, added
    assert "Test Applicant\napplicant@example.com" in _follow_up(ctx).payload["draft_body"]


def test_profile_set_redrafts_the_follow_up(capsys: pytest.CaptureFixture[str], ctx: Context,
                                            cli_clock: FixedClock) -> None:
    _sent(capsys, ctx)
    before = _follow_up(ctx)
    saved = run_cli(capsys, "profile", "set", "--name", "Ana Maria Silva", "--email", "ana@example.com",
                    "--db", ctx.db.url)
    assert saved.code == 0, saved
    after = _follow_up(ctx)
    assert after.id == before.id and after.due_at == before.due_at and after.approved_at is None
    assert after.payload["draft_body"].endswith("Kind regards,\nAna Maria Silva\nana@example.com\n"), after.payload
    assert after.payload["draft_subject"].endswith(": Ana Maria Silva")
    preview = reminder_preview(ctx, after.id)
    assert "Ana Maria Silva\nana@example.com" in preview.text and "Test Applicant" not in preview.text, preview.text
    drafted = run_cli(capsys, "outreach", "draft", "1", "--follow-up", "--db", ctx.db.url)
    assert drafted.code == 0 and after.payload["draft_body"] in drafted.out, drafted


def test_another_field_leaves_the_draft_as_it_was(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  cli_clock: FixedClock) -> None:
    """A guard: the graduation year is not in the follow-up; the row is not touched."""
    _sent(capsys, ctx)
    before = _follow_up(ctx)
    assert run_cli(capsys, "profile", "set", "--graduation-year", "2021", "--db", ctx.db.url).code == 0
    after = _follow_up(ctx)
    assert (after.payload, after.updated_at) == (before.payload, before.updated_at)


async def test_the_apps_profile_form_redrafts_the_follow_up(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                           cli_clock: FixedClock) -> None:
    from imgcoach.tui.widgets.form import FormScreen

    _sent(capsys, ctx)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "p", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, name="Ana Maria Silva")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, FormScreen)
    assert "Kind regards,\nAna Maria Silva\n" in _follow_up(ctx).payload["draft_body"]
