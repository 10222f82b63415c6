"""Committed changes reach a subscribed calendar feed at once; a failing hook never undoes the action."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from imgcoach.calendar.exporting import add_feed
from imgcoach.composition import open_context
from imgcoach.core.context import Context
from imgcoach.plan import rotations


def test_feed_is_rewritten_after_each_committed_change(ctx: Context, db_url: str, tmp_path: Path) -> None:
    live = open_context(db_url, clock=ctx.clock)
    feed = tmp_path / "plan.ics"
    add_feed(live, feed)
    rotations.add_rotation(live, kind="externship", specialty="Pediatrics", institution="Feed Children's Hospital",
                           start_date=date(2027, 2, 1), end_date=date(2027, 3, 26))
    assert "Feed Children's Hospital" in feed.read_text(encoding="utf-8").replace("\r\n ", "")
    rotation = rotations.list_rotations(live)[0]
    rotations.remove_rotation(live, rotation.id)
    assert "Feed Children's Hospital" not in feed.read_text(encoding="utf-8").replace("\r\n ", "")
    live.db.close()


def test_a_failing_hook_does_not_fail_the_committed_action(ctx: Context) -> None:
    def broken() -> None:
        raise OSError("disk full")

    ctx.db.after_commit.append(broken)
    rotation = rotations.add_rotation(ctx, kind="research", specialty="Cardiology", institution="Lab",
                                      start_date=date(2027, 2, 1), end_date=date(2027, 3, 26))
    ctx.db.after_commit.remove(broken)
    assert [r.id for r in rotations.list_rotations(ctx)] == [rotation.id]
