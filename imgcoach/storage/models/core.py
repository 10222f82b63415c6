"""The applicant's plan: profile, exams, study blocks, rotations, people, letters, cases.

Every plan row carries applicant_id, so one database can hold many applicants (an advising
organisation) without a redesign; the single-user app simply uses the first applicant.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


def _utc_column(nullable: bool = True) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


def _version_column() -> Column:
    """The row's edit counter (migration 0004). SQLAlchemy bumps it on every ORM update and adds
    "AND version = <loaded>" to the UPDATE, so a form's save can tell that another process changed the row
    since the form loaded it (plan.edits), instead of silently writing over that change."""
    return Column("version", Integer, nullable=False, server_default="1")


_APPLICANT_VERSION = _version_column()


class Applicant(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    name: str
    email: str
    timezone: str = "UTC"
    school: str = ""
    school_country: str = ""
    graduation_year: int | None = None
    visa: str = "none"  # none | j1 | h1b
    us_citizen: bool = False  # NRMP reports U.S.-citizen and non-U.S.-citizen IMGs apart
    us_citizen_said: bool = False  # us_citizen was given: a false not said is "not said", not "no" (0015)
    target_specialties: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_states: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # States where the applicant lives or has family: geographic ties for the shortlist (matching_0002)
    home_states: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    cv_path: str = ""
    personal_statement_path: str = ""
    application_budget_programs: int | None = None
    application_budget_usd: float | None = None
    synthetic: bool = False  # demo data says so
    created_at: datetime | None = Field(default=None, sa_column=_utc_column())
    updated_at: datetime | None = Field(default=None, sa_column=_utc_column())
    version: int = Field(default=1, sa_column=_APPLICANT_VERSION)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _APPLICANT_VERSION}


_EXAM_VERSION = _version_column()


class ExamResult(SQLModel, table=True):
    __tablename__ = "exam_result"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    exam: str  # "Step 1", "Step 2 CK", "OET", "ECFMG certification", "MCCQE1", "PLAB 1", ...
    taken_on: date
    score: int | None = None
    result: str | None = None  # pass | fail | None (scored exams or not yet taken)
    sub_scores: str | None = None  # OET's four sub-test scores as written out: "L 350 R 360 W 300 S 370"
    attempt: int = 1
    calendar_uid: str | None = None  # the UID a row moved from another database was published under (core.uids)
    version: int = Field(default=1, sa_column=_EXAM_VERSION)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _EXAM_VERSION}


_STUDY_BLOCK_VERSION = _version_column()


class StudyBlock(SQLModel, table=True):
    __tablename__ = "study_block"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    exam: str
    start_date: date
    end_date: date
    hours_per_week: int
    weekly_goal: str = ""
    calendar_uid: str | None = None  # the UID a row moved from another database was published under (core.uids)
    version: int = Field(default=1, sa_column=_STUDY_BLOCK_VERSION)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _STUDY_BLOCK_VERSION}


_ROTATION_VERSION = _version_column()


class Rotation(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    kind: str  # observership | externship | clinical_job | research | volunteer
    specialty: str
    institution: str
    department: str = ""
    city: str = ""
    state: str = ""
    country: str = "US"
    start_date: date
    end_date: date
    setting: str = ""  # inpatient | outpatient | mixed, or "" when not said (never guessed: the CV prints it)
    hours_per_week: int = 40
    hours_assumed: bool = False  # 40 put in for hours nobody gave (the CV leaves it out; giving the hours clears it)
    hands_on: bool = False
    responsibilities: str = ""
    learned: str = ""
    feedback_requested_on: date | None = None
    source_event_id: int | None = Field(default=None, foreign_key="calendar_event.id", ondelete="SET NULL")
    calendar_uid: str | None = None  # the UID a row moved from another database was published under (core.uids)
    created_at: datetime | None = Field(default=None, sa_column=_utc_column())
    updated_at: datetime | None = Field(default=None, sa_column=_utc_column())
    version: int = Field(default=1, sa_column=_ROTATION_VERSION)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _ROTATION_VERSION}


_CONTACT_VERSION = _version_column()


class Contact(SQLModel, table=True):
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    name: str
    title: str = ""  # "MD, Attending Physician, Cardiology"
    email: str = ""
    phone: str = ""
    institution: str = ""
    notes: str = ""
    version: int = Field(default=1, sa_column=_CONTACT_VERSION)
    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": _CONTACT_VERSION}


class RotationContact(SQLModel, table=True):
    """A person's role on a rotation (supervisor, attending, coordinator)."""

    __tablename__ = "rotation_contact"
    __table_args__ = (UniqueConstraint("rotation_id", "contact_id", "role"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    rotation_id: int = Field(foreign_key="rotation.id", index=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    role: str = "supervisor"


class LetterRequest(SQLModel, table=True):
    __tablename__ = "letter_request"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    rotation_id: int | None = Field(default=None, foreign_key="rotation.id", index=True, ondelete="SET NULL")
    writer_id: int = Field(foreign_key="contact.id", index=True, ondelete="CASCADE")
    status: str = "planned"  # planned | requested | agreed | uploaded | declined
    requested_on: date | None = None
    agreed_on: date | None = None
    uploaded_on: date | None = None
    declined_on: date | None = None
    due_on: date | None = None
    eras_letter_id: str = ""
    notes: str = ""
    calendar_uid: str | None = None  # the UID a row moved from another database was published under (core.uids)
    updated_at: datetime | None = Field(default=None, sa_column=_utc_column())


class CaseNote(SQLModel, table=True):
    """A case worth remembering: raw material for interview stories and the writer's packet."""

    __tablename__ = "case_note"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    rotation_id: int = Field(foreign_key="rotation.id", index=True, ondelete="CASCADE")
    title: str
    summary: str = ""
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    occurred_on: date | None = None
