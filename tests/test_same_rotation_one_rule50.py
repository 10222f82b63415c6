""""The same rotation" (same kind, place and days) is one rule, judged alike where a rotation typed twice is refused
and where a re-added rotation finds what its deleted twin sent.

It had two copies (stop 49): plan.same_rotation compared the place with SQL's lower(), which on SQLite lowers ASCII
letters only, while reminders.sync compared str.casefold(); neither collapsed a doubled space. So "Klinikum Straße"
typed again as "KLINIKUM STRASSE" was a second rotation to the refusal (a second row, every reminder twice) while
the reminders took it for the deleted one; "ÉCOLE" and "école" were two places on SQLite and one on PostgreSQL.
Both now key the place with core.same_rotation. Real SQLite/PostgreSQL, a real loopback SMTP server, a FixedClock.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock, ensure_utc
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError
from imgcoach.plan.rotations import add_rotation, remove_rotation
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import MID_FEEDBACK
from tests.daemon_helpers import send_due_once
from tests.smtp_server import SmtpServer

START, END = date(2026, 11, 30), date(2026, 12, 24)  # ahead of the clock (25 Nov 2026)
SAME_PLACE = [("Klinikum Straße", "KLINIKUM STRASSE"), ("Lakeside General", " lakeside  General"),
              ("ÉCOLE Hospital", "école hospital"), ("Cafe\u0301 Clinic", "CAFÉ CLINIC")]
IDS = ["sharp-s", "spaces", "accented-capital", "combining-accent"]


def _add(ctx: Context, place: str) -> int:
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=place,
                            start_date=START, end_date=END)
    assert rotation.id is not None
    return rotation.id


@pytest.mark.parametrize(("first", "again"), SAME_PLACE, ids=IDS)
def test_a_place_differing_only_in_case_or_spaces_is_refused_as_the_same_rotation(
        ctx: Context, first: str, again: str) -> None:
    kept = _add(ctx, first)
    with pytest.raises(FieldError, match=f"already in the plan \\(rotation {kept},"):
        _add(ctx, again)


@pytest.mark.parametrize(("first", "again"), SAME_PLACE, ids=IDS)
def test_the_same_place_added_again_after_a_delete_does_not_send_what_went_before(
        ctx: Context, clock: FixedClock, first: str, again: str) -> None:
    deleted = _add(ctx, first)
    (feedback,) = [r for r in list_reminders(ctx) if r.rotation_id == deleted and r.kind == MID_FEEDBACK]
    clock.set(ensure_utc(feedback.due_at) + timedelta(minutes=1))
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 1
    remove_rotation(ctx, deleted)
    readded = _add(ctx, again)  # the refusal has no rotation to find now: the add goes through
    (row,) = [r for r in list_reminders(ctx) if r.rotation_id == readded and r.kind == MID_FEEDBACK]
    assert (row.status, row.note) == ("cancelled", f"not sent: already sent on {feedback.due_at:%d %b %Y} for "
                                                   f"rotation {deleted} (the same place and days), which you deleted")


def test_another_place_is_another_rotation_to_both(ctx: Context, clock: FixedClock) -> None:
    """A guard: one letter more is another place: added beside it, and after its delete its reminders are its own."""
    deleted = _add(ctx, "Lakeside General")
    _add(ctx, "Lakeside Generals")
    (feedback,) = [r for r in list_reminders(ctx) if r.rotation_id == deleted and r.kind == MID_FEEDBACK]
    clock.set(ensure_utc(feedback.due_at) + timedelta(minutes=1))
    with SmtpServer() as server:
        assert send_due_once(ctx, server) == 2
    remove_rotation(ctx, deleted)
    other = _add(ctx, "Lakeside Generalist")
    (row,) = [r for r in list_reminders(ctx) if r.rotation_id == other and r.kind == MID_FEEDBACK]
    assert (row.status, row.note) == ("pending", ""), "another place's reminder is its own: it goes"
