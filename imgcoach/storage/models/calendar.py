"""Imported calendar files and their events, keyed as calendar tools key them: by UID."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


class CalendarSource(SQLModel, table=True):
    __tablename__ = "calendar_source"
    __table_args__ = (UniqueConstraint("applicant_id", "path"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    path: str
    name: str = ""
    sha256: str = ""
    events: int = 0  # rows the last import of this file left under it: an unchanged file is skipped only if all remain
    imported_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


# storage.event_window counts a window's visible events from these columns alone (a covering index).
WHEN_INDEX = ("applicant_id", "end_at", "start_at", "status", "mapped_kind", "mapped_id")
DAYS_INDEX = ("applicant_id", "end_date", "start_date", "all_day", "status", "mapped_kind", "mapped_id")
# and counts a crowded window's events per day they start from these (a range of the index per day, no sort)
STARTS_INDEX = ("applicant_id", "start_at", "end_at", "status", "mapped_kind", "mapped_id")
START_DAYS_INDEX = ("applicant_id", "start_date", "end_date", "all_day", "status", "mapped_kind", "mapped_id")


class CalendarEvent(SQLModel, table=True):
    """One event occurrence. Its identity is (applicant, UID, RECURRENCE-ID), as calendar tools key
    events: the same UID imported from another file updates this row (source_id is the file it came
    from last), never copies it."""

    __tablename__ = "calendar_event"
    __table_args__ = (
        UniqueConstraint("source_id", "uid", "recurrence_id"),
        Index("uq_calendar_event_identity", "applicant_id", "uid", "recurrence_id", unique=True),
        # The timeline reads the events of the weeks in view: "ends after the window starts and starts before
        # it ends" is a range on the end with the start checked in the index (timed and all-day events). The
        # columns after those let it count a crowded window's events from the index alone (storage.event_window).
        Index("ix_calendar_event_when", *WHEN_INDEX),
        Index("ix_calendar_event_days", *DAYS_INDEX),
        Index("ix_calendar_event_starts", *STARTS_INDEX),
        Index("ix_calendar_event_start_days", *START_DAYS_INDEX),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="calendar_source.id", index=True, ondelete="CASCADE")
    applicant_id: int = 0  # the source's applicant, copied so identity is one unique index
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
    # Floating (no zone in the file): start_at/end_at hold its wall-clock time in the applicant's zone, and are
    # placed again when that zone changes (plan.event_links.replace_floating_events). False for rows imported
    # before upgrade 0011, which could not know: importing their file again records it.
    floating: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    # The clock times the file gave ("2027-03-14T02:30:00"), kept for a row that follows the applicant's zone
    # (floating, or zone_assumed): a time the zone skips has no instant to read it back from (upgrade 0012).
    # "" for other rows and for rows imported before 0012 (placed from their instant).
    wall_start: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    wall_end: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    # Its DURATION ("PT1H", core.clock_times.length_text) when that gave its end, for a row that follows the zone:
    # placed again, it ends that long after its start (hours elapsed, RFC 5545), not at its old clock end (0013).
    wall_length: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    # A TZID of the file that no zone matched ("Hospital Time"): its times were read in the applicant's zone,
    # as the import warned, and follow it when it changes, as floating ones do.
    zone_assumed: str = Field(default="", sa_column=Column(Text(), nullable=False, server_default=""))
    status: str = ""
    sequence: int = 0
    suggested_kind: str = "event"  # event | rotation | study_block | exam | interview
    mapped_kind: str = ""  # what the user accepted
    mapped_id: int | None = None
    link_only: bool = False  # linked to a plan row it did not make (an existing rotation, or a series' first
    # occurrence made it): never moves nor deletes that row


class CalendarImport(SQLModel, table=True):
    """One applied import, for `import --history` and `import --undo`.

    journal holds what undo needs, as JSON: per table, the ids the import added and the rows it
    changed or removed as they were before (see imgcoach.calendar.journal).
    """

    __tablename__ = "calendar_import"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    file: str
    imported_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created: int = 0
    updated: int = 0
    removed: int = 0
    plan_items: int = 0  # made, linked and moved together
    undone_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    journal: str = Field(default="{}", sa_column=Column(Text(), nullable=False))
    # Of plan_items, the links of its events to rows already in the plan (0014); None: recorded before they were
    # counted apart.
    linked: int | None = None
