"""After the follow-ups the rule allows (readiness.toml: max_follow_ups = 2) go unanswered, the entry says it is
better closed, and no reminder asks for a third follow-up.

Found by a new applicant who followed up twice: the outreach list still read "follow_up_due" with no word of
the rule, and a third "Time to follow up" reminder was scheduled ("A short, polite follow-up is the usual next
step"), though the shipped rule says an entry unanswered after two follow-ups is better closed.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from imgcoach.coach import add_outreach, list_outreach, set_outreach_status
from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli


def _pending_follow_ups(ctx: Context, entry_id: int) -> list[str]:
    with ctx.db.read() as session:
        rows = session.exec(select(Reminder).where(col(Reminder.key).startswith(f"outreach:{entry_id}:follow_up:"),
                                                   Reminder.status == "pending")).all()
        return [r.key for r in rows]


def _followed_up_twice(ctx: Context) -> int:
    assert load_thresholds().max_follow_ups == 2
    entry = add_outreach(ctx, "Riverside General (fictional)", status="sent", written_on=date(2026, 10, 1))
    assert entry.id is not None
    set_outreach_status(ctx, entry.id, "sent", on=date(2026, 10, 12))  # first follow-up
    assert _pending_follow_ups(ctx, entry.id) == [f"outreach:{entry.id}:follow_up:1"]
    set_outreach_status(ctx, entry.id, "sent", on=date(2026, 10, 23))  # second follow-up
    return entry.id


def test_no_third_follow_up_is_asked_for(ctx: Context) -> None:
    entry_id = _followed_up_twice(ctx)
    assert _pending_follow_ups(ctx, entry_id) == []
    (row, status, _, warnings), = list_outreach(ctx)
    assert row.follow_ups_sent == 2 and status.value == "follow_up_due"  # 25 Nov: 10 days since 23 Oct are over
    assert any("2 follow-ups" in w and "withdrawn" in w for w in warnings)


def test_one_follow_up_still_gets_its_reminder(ctx: Context) -> None:
    entry = add_outreach(ctx, "Lakeside Clinic (fictional)", status="sent", written_on=date(2026, 11, 1))
    assert entry.id is not None
    set_outreach_status(ctx, entry.id, "sent", on=date(2026, 11, 12))
    assert _pending_follow_ups(ctx, entry.id) == [f"outreach:{entry.id}:follow_up:1"]
    (_, _, _, warnings), = list_outreach(ctx)
    assert warnings == []


def test_cli_list_says_so(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str, cli_clock: FixedClock) -> None:
    _followed_up_twice(ctx)
    (shown,) = run_cli(capsys, "outreach", "list", "--db", db_url, "--json").json()
    assert shown["status_today"] == "follow_up_due" and any("better closed" in w for w in shown["warnings"])
