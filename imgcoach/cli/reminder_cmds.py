"""`imgcoach reminders list|cancel` (the daemon adds retry and approve)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from imgcoach.cli.common import db_option, get_context, group, json_option, print_json, print_table
from imgcoach.reminders import REMINDER_STATUSES


@group()
def reminders() -> None:
    """The reminder outbox."""


def reminder_json(row: Any, tz: ZoneInfo, now: datetime | None = None) -> dict[str, Any]:
    """Times in the applicant's zone, ISO 8601 with the UTC offset.

    ``overdue``: pending past its due time (nobody sent it: no daemon running, or delivery failing).
    ``delivered_via``: "email" or "local_mailbox" (written to the Maildir only, not e-mailed).
    """
    local = {
        key: (getattr(row, key).astimezone(tz).isoformat() if getattr(row, key) else None)
        for key in ("due_at", "expires_at", "sent_at", "next_attempt_at")
    }
    return {
        "id": row.id, "kind": row.kind, "status": row.status, "rotation_id": row.rotation_id,
        "recipient": row.recipient, **local, "attempts": row.attempts, "last_error": row.last_error,
        "late": row.late, "note": row.note, "message_id": row.message_id,
        "overdue": bool(now is not None and row.status == "pending" and row.due_at < now),
        "delivered_via": row.delivered_via or None,
    }


def status_text(d: dict[str, Any]) -> str:
    if d["overdue"]:
        return "pending, OVERDUE"
    if d["status"] == "sent":
        return {"email": "sent by e-mail", "local_mailbox": "in local mailbox (not e-mailed)"}.get(
            d["delivered_via"] or "", "sent")
    return str(d["status"])


@reminders.command("list")
@db_option
@click.option("--status", type=click.Choice(REMINDER_STATUSES))
@json_option
def list_(status: str | None, as_json: bool) -> None:
    """Reminders by due time, shown in your time zone."""
    from imgcoach.plan import get_profile
    from imgcoach.reminders import daemon_status, list_reminders

    ctx = get_context()
    now = ctx.clock.now()
    rows = list_reminders(ctx, status)
    tz = ZoneInfo(get_profile(ctx).timezone)  # type: ignore[union-attr]
    data = [reminder_json(r, tz, now) for r in rows]
    if as_json:
        print_json(data)
        return
    click.echo(daemon_status(ctx, now).summary(tz))
    print_table(
        ["id", "due", "kind", "status", "rotation", "note"],
        [[d["id"], d["due_at"][:16].replace("T", " "), d["kind"], status_text(d), d["rotation_id"],
          d["last_error"] or d["note"]] for d in data],
    )


@reminders.command("cancel")
@db_option
@click.argument("reminder_id", type=int)
def cancel(reminder_id: int) -> None:
    """Cancel one pending or failed reminder."""
    from imgcoach.reminders import cancel_reminder

    cancel_reminder(get_context(), reminder_id)
    click.echo(f"reminder {reminder_id} cancelled")
