"""Reminder vocabulary shared by the plan, the calendar and the mail: statuses and how a kind reads."""

from __future__ import annotations

REMINDER_STATUSES = ("pending", "sending", "sent", "failed", "unconfirmed", "missed", "cancelled")
# How a sent reminder left: "email" (an SMTP server accepted it) or "local_mailbox" (written to the Maildir).
DELIVERY_LABELS = {"email": "sent by e-mail", "local_mailbox": "written to the local mailbox"}


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")
