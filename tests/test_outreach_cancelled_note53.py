"""Why a follow-up reminder was cancelled, in words (issue 15).

Its note was "outreach is <status>": "outreach is interview" for an entry that led to an interview, and "outreach is
sent" once the follow-up itself was recorded as sent (which reads as the first e-mail). It now says what happened,
as a rotation's cancelled reminders do ("no longer needed: the letter was requested"), in `reminders list` and its
JSON alike. The tests' clock: 25 Nov 2026 14:00 UTC (09:00 in New York)."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.reminders import FOLLOW_UP_KIND
from tests.cli_helpers import run_cli

PLACE = "Harbour Light Hospital (fictional)"


def _notes(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    """The one entry's follow-up reminders, by id, as `reminders list --json` gives them."""
    listed = run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).json()
    return [(r["status"], r["note"]) for r in sorted(listed, key=lambda r: r["id"]) if r["kind"] == FOLLOW_UP_KIND]


@pytest.mark.parametrize(("status", "why"), [
    ("replied", "they replied"), ("interview", "it led to an interview"), ("offered", "it led to an offer"),
    ("declined", "the entry was marked declined"), ("withdrawn", "you withdrew the request"),
])
def test_an_answer_cancels_the_follow_up_saying_what_came(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                          cli_clock: FixedClock, status: str, why: str) -> None:
    row = add_outreach(ctx, PLACE, status="sent", written_on=date(2026, 11, 20), contact_email="desk@example.org")
    assert row.id is not None
    set_outreach_status(ctx, row.id, status, on=date(2026, 11, 24))
    assert _notes(ctx, capsys) == [("cancelled", f"no longer needed: {why}")]


def test_a_follow_up_sent_cancels_the_reminder_for_it_and_a_new_wait_begins(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The first wait's reminder said "outreach is sent" once the follow-up was recorded as sent."""
    row = add_outreach(ctx, PLACE, status="sent", written_on=date(2026, 11, 1), contact_email="desk@example.org")
    assert row.id is not None
    set_outreach_status(ctx, row.id, "sent", on=date(2026, 11, 12))
    notes = _notes(ctx, capsys)
    assert notes[0] == ("cancelled", "no longer needed: a follow-up went out on 12 Nov 2026"), notes
    assert [status for status, _ in notes[1:]] == ["pending"], notes
