"""Residency programs and shortlist entries (their columns grow with the matching feature)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import UTCDateTime


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


class ShortlistEntry(SQLModel, table=True):
    __tablename__ = "shortlist_entry"
    id: int | None = Field(default=None, primary_key=True)
    applicant_id: int = Field(foreign_key="applicant.id", index=True, ondelete="CASCADE")
    program_id: str = Field(foreign_key="program.id", ondelete="CASCADE")
    tier: str = ""
    probability: float | None = None
    computed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
