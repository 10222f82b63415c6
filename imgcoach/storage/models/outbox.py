"""The reminder outbox: the single truth for what is to be e-mailed, and what was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


class Reminder(SQLModel, table=True):
    """One e-mail to send once.

    `key` is unique, so deriving the same reminder twice finds the existing row. The Message-ID
    and calendar UID are fixed when the row is created and reused on every retry, so a duplicate
    delivery after a crash is recognisable and updates the same calendar entry.
    """

    __table_args__ = (Index("ix_reminder_status_due", "status", "due_at"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    key: str = Field(unique=True)
    kind: str
    template_key: str
    rotation_id: int | None = Field(default=None, foreign_key="rotation.id", index=True, ondelete="SET NULL")
    letter_id: int | None = Field(default=None, foreign_key="letter_request.id", ondelete="SET NULL")
    recipient: str
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    status: str = "pending"  # pending | sending | sent | failed | unconfirmed | missed | cancelled
    attempts: int = 0
    last_error: str = ""
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    claimed_by: str = ""
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    message_id: str = Field(unique=True)
    calendar_uid: str
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    late: bool = False
    delivered_via: str = ""  # "email" (an SMTP server accepted it) | "local_mailbox" (Maildir, no SMTP host)
    unknown_outcomes: int = 0  # sends whose final reply never came; the second makes the row "unconfirmed"
    note: str = ""  # e.g. "clamped to the rotation start: rotation shorter than 28 days"
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    requires_approval: bool = False  # drafts to anyone but the applicant
    approved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
