"""Kept answers of the read commands `readiness` and `shortlist` (storage.readcache): the one API the CLI's
quick read and the full path both use, so both make the validity key the same way.

Its own module, light (sqlite3 only), so the quick read imports nothing else of the plan feature.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from imgcoach.storage.readcache import current_key, keep, lookup, stored

if TYPE_CHECKING:
    from imgcoach.core.context import Context

__all__ = ["answer_key", "keep_answer", "keep_answer_quickly", "lookup_answer_quickly", "stored_answer_quickly"]


def stored_answer_quickly(url: str, command: str, *, applicant: str | None, now: datetime,
                          settings: Any) -> str | None:
    """The text the full path printed for `command` (e.g. "readiness --json") for the applicant `applicant`
    names, when nothing it depends on changed since (data, day, zone, code, settings); None otherwise."""
    return stored(url, command, applicant=applicant, now=now, settings=settings)


def lookup_answer_quickly(url: str, command: str, *, applicant: str | None, now: datetime,
                          settings: Any) -> tuple[str | None, str | None]:
    """(stored_answer_quickly's text, the key to keep a computed answer under) from one snapshot: for a quick
    read that computes the answer itself when the kept one is stale (coach.readiness_quickly); (None, None)
    when no answer can be kept."""
    return lookup(url, command, applicant=applicant, now=now, settings=settings)


def keep_answer_quickly(url: str, command: str, key: str, output: str, *, applicant: str | None,
                        now: Callable[[], datetime], settings: Any) -> bool:
    """keep_answer for a quick read without a Context: kept only while the key is still `key`; never raises."""
    return keep(url, command, key, output, applicant=applicant, now=now, settings=settings)


def _ref(ctx: Context) -> str | None:
    return None if ctx.applicant_id is None else str(ctx.applicant_id)


def answer_key(ctx: Context, command: str) -> str | None:
    """The key to keep `command`'s answer under, taken before the command reads anything; None: keep nothing."""
    return current_key(ctx.db.url, command, applicant=_ref(ctx), now=ctx.clock.now(), settings=ctx.settings)


def keep_answer(ctx: Context, command: str, key: str | None, output: str) -> bool:
    """Keep the text `command` printed, when its key is still `key`; never raises. True when kept."""
    if key is None:
        return False
    return keep(ctx.db.url, command, key, output, applicant=_ref(ctx), now=ctx.clock.now, settings=ctx.settings)
