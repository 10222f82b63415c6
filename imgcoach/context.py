"""What every service call needs: the database, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from imgcoach.clock import Clock, SystemClock
from imgcoach.settings import Settings, load_settings
from imgcoach.storage.db import Database, open_database


@dataclass
class Context:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    settings: Settings = field(default_factory=Settings)
    applicant_id: int | None = None  # None: the database's first applicant (the single-user case)


def open_context(db: str | None = None, *, clock: Clock | None = None, settings: Settings | None = None) -> Context:
    """The one door faces use: --db value (or env / default), real clock, config file."""
    settings = settings or load_settings()
    return Context(db=open_database(db or settings.database_url), clock=clock or SystemClock(), settings=settings)
