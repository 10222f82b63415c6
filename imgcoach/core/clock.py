"""Clocks: every rule that depends on "now" receives one, so tests can pick the moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def default_clock() -> Clock:
    """The clock of a command given none: the wall clock. The one place both CLI paths take it from (the full
    path's composition root and the quick read, cli.quick), so the two read the same moment and a test's
    fixture (tests/conftest.py cli_clock) sets both at once. Looked up at each call, never bound at import."""
    return SystemClock()


class FixedClock:
    """A clock that stands still until told to move (tests, demo, benchmarks)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def local_today(clock: Clock, tz: str) -> date:
    """Today's date where the applicant lives."""
    return local_date(clock.now(), tz)


def local_date(moment: datetime, tz: str) -> date:
    """The date of `moment` where the applicant lives (a use case that took `now` once, for its transaction)."""
    from zoneinfo import ZoneInfo  # here: `applicants export`'s quick read loads this module and no zone

    return moment.astimezone(ZoneInfo(tz)).date()


def ensure_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC, so say so."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
