"""A rotation deleted and entered again with its kind corrected is the same stay: what it sent is not sent again.

Left open in stop 50: the re-added rotation's reminders compared the deleted one's kind too, so an observership
deleted and entered again as the externship it really was (same hospital, same days) sent its "Letter: last call"
a second time. The refusal of a rotation typed twice still compares the kind (two entries a person made); the
reminders compare the place and the days (core.same_rotation.same_stay). Real SQLite/PostgreSQL, a real loopback
SMTP server, time from a FixedClock.
"""

from __future__ import annotations

from datetime import date, timedelta

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation, remove_rotation
from tests.daemon_helpers import last_call_row, last_calls_received, send_due_once
from tests.smtp_server import SmtpServer

PLACE = "Lakeside General (synthetic)"


def _add(ctx: Context, kind: str, start: date, place: str = PLACE) -> int:
    rotation = add_rotation(ctx, kind=kind, specialty="Internal Medicine", institution=place,
                            start_date=start, end_date=start + timedelta(days=27))
    assert rotation.id is not None
    return rotation.id




def test_kind_corrected_on_re_entry_the_last_call_goes_once(ctx: Context, clock: FixedClock) -> None:
    start = clock.now().date() - timedelta(days=20)  # its last call is due: the daemon sends it
    first = _add(ctx, "observership", start)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert len(last_calls_received(server)) == 1, last_calls_received(server)

    clock.advance(timedelta(hours=3))
    remove_rotation(ctx, first)  # it was an externship: deleted and entered again as one
    again = _add(ctx, "externship", start, place="lakeside  general (SYNTHETIC)")
    clock.advance(timedelta(minutes=5))
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert last_calls_received(server) == [], "the same letter request e-mail went twice for the same stay"
    row = last_call_row(ctx, again)
    assert (row.status, row.note) == (
        "cancelled", f"not sent: already sent on 25 Nov 2026 for rotation {first} (the same place and days), "
                     "which you deleted")


def test_another_place_on_the_same_days_is_another_stay(ctx: Context, clock: FixedClock) -> None:
    """A guard: the kind aside, the place still makes the stay (a second hospital in the same weeks)."""
    start = clock.now().date() - timedelta(days=20)
    first = _add(ctx, "observership", start)
    with SmtpServer() as server:
        send_due_once(ctx, server)
    remove_rotation(ctx, first)
    again = _add(ctx, "externship", start, place="Riverside Clinic (synthetic)")
    assert last_call_row(ctx, again).status == "pending"
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert len(last_calls_received(server)) == 1, last_calls_received(server)
