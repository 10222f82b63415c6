"""Retry spacing for temporary delivery failures: first retry within a minute, doubling, capped at 6 hours."""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_RETRY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


def retry_delay(failures: int, *, first: timedelta = FIRST_RETRY, cap: timedelta = MAX_DELAY) -> timedelta:
    """Delay before the next attempt after ``failures`` consecutive temporary failures (1 = first failure)."""
    if failures < 1:
        raise ValueError(f"failures must be >= 1, got {failures}")
    if failures > 40:  # 2**40 * 30 s is far past any cap; avoid huge integers
        return cap
    return min(first * (2 ** (failures - 1)), cap)


def next_attempt_at(failures: int, now: datetime, **kwargs: timedelta) -> datetime:
    """Wall-clock time of the next attempt; stored in the outbox so a restart keeps the schedule."""
    return now + retry_delay(failures, **kwargs)
