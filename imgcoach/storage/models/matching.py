"""Residency programs, the applicant's local overrides, import history, shortlist runs and entries.

A program's facts are stored as their CSV text (`facts` JSON: field -> "245" | "unknown" | "none"),
so `unknown` and `none` survive the round trip exactly; the plain columns are for queries and lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import NEVER_REUSE_IDS, UTCDateTime


def _utc(nullable: bool = True) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class Program(SQLModel, table=True):
    id: str = Field(primary_key=True)  # the program's own id, e.g. ACGME/NRMP code
    name: str
    specialty: str = Field(index=True)
    institution: str = ""
    city: str = ""
    state: str = Field(default="", index=True)
    program_type: str = ""
    positions: int | None = None
    source: str = ""
    checked_on: date | None = None
    facts: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    field_sources: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    last_import_id: int | None = Field(default=None, foreign_key="program_import.id", ondelete="SET NULL")
    updated_at: datetime | None = Field(default=None, sa_column=_utc())


class ProgramImport(SQLModel, table=True):
    """One `programs import` run: what file, when, and what it did."""

    __tablename__ = "program_import"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    source: str
    imported_at: datetime | None = Field(default=None, sa_column=_utc())
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


class ProgramChange(SQLModel, table=True):
    """A field of a program that a re-import changed (old and new as CSV text)."""

    __tablename__ = "program_change"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="program_import.id", index=True, ondelete="CASCADE")
    program_id: str = Field(index=True)
    field: str
    old: str
    new: str


class ProgramOverride(SQLModel, table=True):
    """The applicant's own value for a program fact (e.g. after calling the program); kept across imports."""

    __tablename__ = "program_override"
    __table_args__ = (UniqueConstraint("applicant_id", "program_id", "field"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    program_id: str = Field(index=True)  # not a foreign key: an override outlives a program's absence
    field: str
    value: str
    note: str = ""
    created_at: datetime | None = Field(default=None, sa_column=_utc())


class ShortlistRun(SQLModel, table=True):
    """One recomputation of an applicant's shortlist, with what changed since the previous run."""

    __tablename__ = "shortlist_run"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    computed_at: datetime | None = Field(default=None, sa_column=_utc())
    trigger: str = "manual"  # manual | profile | rotations | letters | exams | programs | nightly
    budget_programs: int | None = None
    budget_usd: float | None = None
    chance: float = 0.0
    total_fee_usd: float = 0.0
    eligible_count: int = 0
    excluded_count: int = 0
    model_version: str = ""
    changes: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    inputs: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # fingerprints
    seen_at: datetime | None = Field(default=None, sa_column=_utc())


class ShortlistEntry(SQLModel, table=True):
    __tablename__ = "shortlist_entry"
    __table_args__ = NEVER_REUSE_IDS
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="shortlist_run.id", index=True, ondelete="CASCADE")
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    program_id: str
    position: int = 0
    tier: str = ""
    probability: float | None = None
    status: str = ""
    fee_usd: float = 0.0
    gain: float = 0.0
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    unknown_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    computed_at: datetime | None = Field(default=None, sa_column=_utc())
