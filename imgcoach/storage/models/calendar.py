"""Imported calendar files and their events, keyed as calendar tools key them: by UID."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import UTCDateTime


class CalendarSource(SQLModel, table=True):
    __tablename__ = "calendar_source"
    __table_args__ = (UniqueConstraint("applicant_id", "path"),)
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    path: str
    name: str = ""
    sha256: str = ""
    imported_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class CalendarEvent(SQLModel, table=True):
    """One event occurrence; re-import updates it by (source, uid, recurrence_id)."""

    __tablename__ = "calendar_event"
    __table_args__ = (UniqueConstraint("source_id", "uid", "recurrence_id"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="calendar_source.id", index=True, ondelete="CASCADE")
    uid: str
    recurrence_id: str = ""  # "" for a single event or a series master
    component: str = "VEVENT"  # VEVENT | VTODO
    summary: str = ""
    description: str = ""
    location: str = ""
    categories: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    all_day: bool = False
    start_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    end_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    start_date: date | None = None
    end_date: date | None = None
    tzid: str = ""
    status: str = ""
    sequence: int = 0
    suggested_kind: str = "event"  # event | rotation | study_block | exam | interview
    mapped_kind: str = ""  # what the user accepted
    mapped_id: int | None = None
