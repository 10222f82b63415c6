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


def open_context(
    db: str | None = None, *, clock: Clock | None = None, settings: Settings | None = None, refresh_feeds: bool = True
) -> Context:
    """The one door faces use: --db value (or env / default), real clock, config file.

    With refresh_feeds, every committed change rewrites the subscribed calendar feeds
    (`imgcoach export --feed`), so a calendar app sees the plan as it is now.
    """
    settings = settings or load_settings()
    ctx = Context(db=open_database(db or settings.database_url), clock=clock or SystemClock(), settings=settings)
    if refresh_feeds:
        ctx.db.after_commit.append(lambda: _refresh_feeds(ctx))
    return ctx


def _refresh_feeds(ctx: Context) -> None:
    from sqlmodel import select

    from imgcoach.storage.models import CalendarFeed

    with ctx.db.read() as session:
        if session.exec(select(CalendarFeed.id).limit(1)).first() is None:
            return  # no subscribed feed: skip loading the calendar writer at all
    from imgcoach.services.calendar_export import refresh_feed

    refresh_feed(ctx.db, ctx.settings, ctx.clock)
