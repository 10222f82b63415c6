"""Reminder daemon bookkeeping: one row per daemon process, for `imgcoach daemon status`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import UTCDateTime


class DaemonState(SQLModel, table=True):
    """Heartbeat of one daemon run. ``owner`` is the value it writes into ``reminder.claimed_by``."""

    __tablename__ = "daemon_state"
    owner: str = Field(primary_key=True)
    host: str
    pid: int
    poll_seconds: float = 5.0
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    heartbeat_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_run_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    stopped_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    sent: int = 0
    failed: int = 0
    last_error: str = ""  # the last delivery problem, with what to fix when it is a settings problem
    last_error_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    paused_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    delivers_to: str = ""  # "email via HOST:PORT" or "local mailbox PATH"
