"""`imgcoach events list` read without SQLAlchemy (storage.quicklist), in list_events' order.

Why apart from calendar.events: that module imports SQLAlchemy; the CLI answers `events list` before it
(issue 17). The order rule lives here, stdlib only, and list_events uses it too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from imgcoach.storage.quicklist import Listing, read_listing

__all__ = ["event_start", "read_events_quickly"]


def event_start(start_at: datetime | None, start_date: date | None) -> str:
    """What imported events sort by: the moment (ISO, UTC) of a timed one, the day of an all-day one."""
    return start_at.isoformat() if start_at else (start_date.isoformat() if start_date else "")


def read_events_quickly(url: str, *, applicant: str | None) -> Listing | None:
    """The rows `imgcoach events list` prints (every column, list_events' order), or None when only the full
    path can answer. Raises the full path's UserError for an unknown applicant or none at all."""
    listing = read_listing(url, "events", applicant=applicant)
    if listing is None:
        return None

    def key(row: dict[str, Any]) -> tuple[str, int]:
        return event_start(row["start_at"], row["start_date"]), row["id"] or 0

    listing.rows.sort(key=key)
    return listing
