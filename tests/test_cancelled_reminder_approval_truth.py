"""A cancelled rotation reminder has no request to approve: `reminders approve` refuses it in one line, the Outbox
does not offer `a` on it, and its e-mail's draft section no longer says "approve it with `imgcoach reminders
approve N`". `approval_refusal` never looked at a rotation reminder's status, so a reminder the applicant
cancelled ("cancelled by you") was approved all the same and its supervisor draft queued. Real SQLite/PostgreSQL
on the demo data, the app under Pilot, time from the context's FixedClock."""

from __future__ import annotations

from datetime import timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.screens.outbox_screen import OutboxScreen
from imgcoach.tui.widgets.table import DetailsTable
from tests.cli_helpers import database_state, run_cli
from tests.tui_helpers import app_for, press, settle

APPROVE_LINE = "approve it with `imgcoach reminders approve"


def _approvable_letter_reminder(ctx: Context) -> int:
    """The demo's first rotation reminder whose supervisor draft can be approved (a letter window's opening)."""
    from imgcoach.reminders import list_reminders, outbox_view

    view = outbox_view(ctx)
    ids = [r.id for r in list_reminders(ctx) if r.rotation_id is not None and r.kind == "letter_request_open"
           and r.status == "pending" and r.id in view.awaiting]
    assert ids, "the demo has a letter reminder waiting for approval"
    return ids[0]


def test_a_cancelled_reminders_e_mail_says_nothing_of_approving(demo_ctx: Context) -> None:
    from imgcoach.reminders import cancel_reminder, reminder_preview

    rid = _approvable_letter_reminder(demo_ctx)
    assert f"{APPROVE_LINE} {rid}`" in reminder_preview(demo_ctx, rid).text  # offered while it is pending
    cancel_reminder(demo_ctx, rid)
    text = reminder_preview(demo_ctx, rid).text
    assert APPROVE_LINE not in text, "the draft section offers no approval"
    assert "send it from your own mail program." in text, text


def test_approving_a_cancelled_reminder_is_refused_in_one_line(demo_ctx: Context, capsys, cli_clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    from imgcoach.reminders import cancel_reminder

    rid = _approvable_letter_reminder(demo_ctx)
    cancel_reminder(demo_ctx, rid)
    before = database_state(demo_ctx.db.url)
    result = run_cli(capsys, "reminders", "approve", str(rid), "--db", demo_ctx.db.url)
    assert result.code == 2, result
    assert f"reminder {rid} is cancelled (cancelled by you); there is no request to approve" in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert database_state(demo_ctx.db.url) == before


async def test_the_outbox_does_not_offer_a_on_a_cancelled_reminder(demo_ctx: Context) -> None:
    from imgcoach.reminders import cancel_reminder

    rid = _approvable_letter_reminder(demo_ctx)
    cancel_reminder(demo_ctx, rid)
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "o", "F", "F", "F")  # all, cancelled ones included
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        screen.query_one(DetailsTable).move_to_key(str(rid))
        await settle(pilot)
        assert screen.selected_id() == rid
        assert screen.check_action("approve", ()) is False
        await press(pilot, "A")
        assert pilot.app.screen is screen, "A does nothing there"


def test_a_reminder_past_its_expiry_has_no_request_to_approve(demo_ctx: Context, cli_clock: FixedClock,
                                                             capsys) -> None:  # type: ignore[no-untyped-def]
    """A missed reminder (or a sent one past its use) was approvable: its supervisor draft, queued with a validity
    of its own, asked for a letter or mid-rotation feedback long after the moment had gone."""
    from imgcoach.core.clock import ensure_utc
    from imgcoach.reminders import list_reminders, outbox_view

    rid = _approvable_letter_reminder(demo_ctx)
    (row,) = [r for r in list_reminders(demo_ctx) if r.id == rid]
    cli_clock.set(ensure_utc(row.expires_at) + timedelta(hours=1))
    assert rid not in outbox_view(demo_ctx).awaiting, "the Outbox does not offer a on it"
    before = database_state(demo_ctx.db.url)
    result = run_cli(capsys, "reminders", "approve", str(rid), "--db", demo_ctx.db.url)
    assert result.code == 2, result
    assert f"reminder {rid} expired on " in result.err and "there is no request left to approve" in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert database_state(demo_ctx.db.url) == before
