"""Retry spacing for temporary delivery failures: first retry within a minute, doubling, capped at 6 hours."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from imgcoach.core.words import counted

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


class RepeatedErrors:
    """One log line per distinct error, with a count, instead of a traceback per attempt.

    A lasting problem (disk full, a corrupt file) fails every wake the same way; logging each one filled
    64,805 lines in 70 s. The first occurrence of an error is logged (with its traceback at debug level),
    repeats only at 2, 4, 8... occurrences, each with the running count.
    """

    def __init__(self, logger: logging.Logger, what: str) -> None:
        self.log = logger
        self.what = what
        self.counts: dict[str, int] = {}
        self.streak = 0  # consecutive failures, for the wake backoff

    @staticmethod
    def key(exc: BaseException) -> str:
        text = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
        return f"{type(getattr(exc, 'orig', None) or exc).__name__}: {text}"[:300]

    def report(self, exc: BaseException) -> bool:
        """Count ``exc``; returns True when it was logged (first time or a power of two)."""
        key = self.key(exc)
        n = self.counts[key] = self.counts.get(key, 0) + 1
        self.streak += 1
        if n & (n - 1) == 0:  # 1, 2, 4, 8...
            self.log.error("%s failed (%d time%s so far): %s", self.what, n, "" if n == 1 else "s", key)
            self.log.debug("traceback", exc_info=exc)
            return True
        return False

    def success(self) -> None:
        if self.streak:
            self.log.info("%s works again after %s", self.what, counted(self.streak, "failure"))
        self.streak = 0

    def delay(self, base: float, cap: float = 300.0) -> float:
        """Seconds to wait before the next try: doubling from ``base`` while the failures go on."""
        if not self.streak:
            return 0.0
        return min(base * 2 ** min(self.streak - 1, 20), cap)


CORRUPTION_HINTS = ("malformed", "not a database", "disk image", "corrupt", "file is encrypted")


def suggests_corruption(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(hint in text for hint in CORRUPTION_HINTS)
