"""Stored answers of read commands (`readiness`, `shortlist`) and the write counters that say when one is stale.

Why: those commands cost 25-60x `python -c pass`, most of it importing SQLAlchemy, SQLModel and the models
(issue 17: at most 5x). The full path stores the exact text it printed with a validity key; the CLI's quick
read (storage.readcache, sqlite3 alone) computes the same key and prints the stored text only when they are
equal. The key holds the ``read_version`` counters, which triggers (SQLite) raise on every insert, update and
delete of every table an answer may read, by any process or tool, so no write can leave an old answer valid.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from imgcoach.storage.types import UTCDateTime


class ReadVersion(SQLModel, table=True):
    """One row per watched table: ``n`` goes up by one with every row written to it (triggers, SQLite)."""

    __tablename__ = "read_version"
    name: str = Field(primary_key=True)
    n: int = 0


class ReadAnswer(SQLModel, table=True):
    """The last answer of one command form for one applicant (``subject``: the applicant's id; not called
    applicant_id because it is not the applicant's data: exports and ownership checks leave it alone)."""

    __tablename__ = "read_answer"
    command: str = Field(primary_key=True)  # e.g. "readiness --json"
    subject: int = Field(primary_key=True)
    key: str  # storage.readcache.validity_key when the output was printed
    output: str = Field(sa_column=Column(Text(), nullable=False))
    stored_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
