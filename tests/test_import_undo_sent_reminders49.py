"""`import --undo` wrote every reminder the import changed back as it was: one the daemon sent since (the
mid-rotation feedback of a rotation the import moved, due on the new day) went back to pending at its old moment,
overdue, and the next `daemon --once` sent it a second time ("a sent reminder is never sent again or rewritten").
The journal keeps each reminder's status as the import left it; the undo leaves one sent (or otherwise dealt with)
since as it is, and says so. The real CLI and daemon (a local mailbox), the test's clock moved past the send."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

EVENT = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Lakeside General//Observer Schedule//EN\r\nBEGIN:VEVENT\r\n"
         "UID:lakeside-obs-2027@hospital.example\r\nDTSTAMP:20261101T000000Z\r\n"
         "SUMMARY:Observership - Internal Medicine\r\nLOCATION:Lakeside General\r\nDTSTART;VALUE=DATE:{start}\r\n"
         "DTEND;VALUE=DATE:20270130\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (args, res.out, res.err)
    return res.out


def _feedback(ctx: Context, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    (row,) = [r for r in json.loads(_cli(ctx, capsys, "reminders", "list", "--json"))
              if r["kind"] == "mid_rotation_feedback"]
    return row["status"], row["due_at"]


def test_an_undo_leaves_a_reminder_sent_since_as_it_is(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                         cli_clock: FixedClock, tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.ics"
    schedule.write_bytes(EVENT.format(start="20270104").encode())
    assert "made rotation 1 " in _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    assert _feedback(ctx, capsys) == ("pending", "2027-01-15T09:00:00-05:00")
    schedule.write_bytes(EVENT.format(start="20270106").encode())  # the start moved: the feedback with it
    assert "moved rotation 1 to 2027-01-06..2027-01-29" in _cli(ctx, capsys, "import", str(schedule))
    assert _feedback(ctx, capsys) == ("pending", "2027-01-18T09:00:00-05:00")

    cli_clock.set(datetime(2027, 1, 18, 15, 0, tzinfo=UTC))  # 10:00 in New York: the daemon sends it
    assert "1 reminder" in _cli(ctx, capsys, "daemon", "--once")
    assert _feedback(ctx, capsys) == ("sent", "2027-01-18T09:00:00-05:00")

    out = _cli(ctx, capsys, "import", "--undo")
    assert "moved 1 plan item back and left 1 reminder sent or dealt with since as it is" in out, out
    assert _feedback(ctx, capsys) == ("sent", "2027-01-18T09:00:00-05:00")
    _cli(ctx, capsys, "daemon", "--once")  # sends what the undo put back due (the letter window's day, passed)
    assert _feedback(ctx, capsys) == ("sent", "2027-01-18T09:00:00-05:00")
    assert len(_sent_ids()) == len(set(_sent_ids())), _sent_ids()  # no message sent a second time


def _sent_ids() -> list[str]:
    """The Message-IDs of every message the daemon wrote to the local mailbox (a resend keeps its Message-ID)."""
    from email.parser import BytesHeaderParser

    mailbox = Path(os.environ["IMGCOACH_DATA_DIR"]) / "Maildir"
    return [str(BytesHeaderParser().parsebytes(f.read_bytes())["Message-ID"])
            for folder in ("new", "cur") for f in sorted((mailbox / folder).glob("*"))]


def test_an_undo_of_the_import_that_made_the_rotation_keeps_its_reminder_sent_since(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The undo deleted the reminders the import made, the one the daemon sent since with them: its history went."""
    schedule = tmp_path / "schedule.ics"
    schedule.write_bytes(EVENT.format(start="20270104").encode())
    assert "made rotation 1 " in _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    cli_clock.set(datetime(2027, 1, 15, 15, 0, tzinfo=UTC))
    assert "1 reminder" in _cli(ctx, capsys, "daemon", "--once")
    out = _cli(ctx, capsys, "import", "--undo")
    assert "removed 1 rotation and left 1 reminder sent or dealt with since as it is" in out, out
    assert _cli(ctx, capsys, "rotations", "list", "--json") == "[]\n"
    sent = [r for r in json.loads(_cli(ctx, capsys, "reminders", "list", "--json"))
            if r["kind"] == "mid_rotation_feedback"]
    assert [(r["status"], r["due_at"]) for r in sent] == [("sent", "2027-01-15T09:00:00-05:00")], sent
