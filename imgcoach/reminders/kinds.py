"""Reminder vocabulary shared by the plan, the calendar and the mail: statuses and how a kind reads."""

from __future__ import annotations

REMINDER_STATUSES = ("pending", "sending", "sent", "failed", "missed", "cancelled")


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")
