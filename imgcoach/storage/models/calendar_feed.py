"""Calendar feed files a calendar app subscribes to; the daemon rewrites them when the plan changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


class CalendarFeed(SQLModel, table=True):
    __tablename__ = "calendar_feed"
    __table_args__ = (UniqueConstraint("applicant_id", "path"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    path: str
    sha256: str = ""  # of the last content written: unchanged plans are not rewritten
    written_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
