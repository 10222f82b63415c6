"""Coach tables: outreach pipeline, weekly rotation log, projects and progress moments (issue 8)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


class OutreachEntry(SQLModel, table=True):
    """A place the applicant writes to for an observership or externship."""

    __tablename__ = "coach_outreach"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    institution: str
    department: str = ""
    specialty: str = ""
    kind: str = "observership"
    coordinator: str = ""
    contact_email: str = ""
    status: str = "drafted"  # imgcoach.coach.outreach.OutreachStatus
    written_on: date | None = None
    last_sent_on: date | None = None
    follow_ups_sent: int = 0
    cost_usd: float | None = None
    visa_requirement: str = ""
    role_in_writing: bool = False
    verified_legitimate: bool = False
    notes: str = ""
    rotation_id: int | None = Field(default=None, foreign_key="rotation.id", ondelete="SET NULL")
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class WeeklyLogEntry(SQLModel, table=True):
    """One week of a rotation's log."""

    __tablename__ = "coach_weekly_entry"
    __table_args__ = (UniqueConstraint("rotation_id", "week_of"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    rotation_id: int = Field(foreign_key="rotation.id", index=True, ondelete="CASCADE")
    week_of: date
    hours: float = 0
    activities: str = ""
    procedures_observed: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    procedures_performed: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    presentations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    feedback: str = ""
    change_after_feedback: str = ""


class CoachProject(SQLModel, table=True):
    """A case report, QI project or research piece."""

    __tablename__ = "coach_project"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    rotation_id: int | None = Field(default=None, foreign_key="rotation.id", ondelete="SET NULL")
    kind: str = "case_report"
    title: str
    supervisor: str = ""
    status: str = "in_progress"


class ProgressMoment(SQLModel, table=True):
    """A moment the applicant marks to update former supervisors (new score, Match Day...)."""

    __tablename__ = "coach_moment"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    kind: str
    on: date
    detail: str = ""
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
