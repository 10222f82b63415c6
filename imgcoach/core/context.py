"""What every service call needs: the database, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imgcoach.core.clock import Clock, SystemClock
from imgcoach.core.settings import Settings

if TYPE_CHECKING:  # core sits below storage: the type only, never the import at run time
    from imgcoach.storage.db import Database


@dataclass
class Context:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    settings: Settings = field(default_factory=Settings)
    applicant_id: int | None = None  # None: the database's first applicant (the single-user case)
