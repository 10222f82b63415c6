"""Events with no UID (hand-written files, some exporters) are keyed by their start and title. Two such events
with the same start and title (two interviews at 09:00 in different places) got one key: the second was skipped
as "appears twice in the file (same UID and RECURRENCE-ID)", which the file never said, and the user's event was
lost. Each is imported now, the later ones keyed also by their place among those events in the file; a second
import of the unchanged file changes nothing, and changing one changes that one only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

EVENTS = [  # (start, end, title, location): the first two share their start and title
    ("20270204T140000Z", "20270204T150000Z", "Interview", "Mercy Hospital"),
    ("20270204T140000Z", "20270204T160000Z", "Interview", "St Luke Hospital"),
    ("20270205T140000Z", "20270205T150000Z", "Call with mentor", ""),
]


def _write(path: Path, events: list[tuple[str, str, str, str]]) -> Path:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hand written//EN"]
    for start, end, title, place in events:
        body += ["BEGIN:VEVENT", f"DTSTART:{start}", f"DTEND:{end}", f"SUMMARY:{title}"]
        body += [f"LOCATION:{place}"] if place else []
        body += ["END:VEVENT"]
    path.write_text("\r\n".join([*body, "END:VCALENDAR", ""]))
    return path


def _import(ctx: Context, capsys: pytest.CaptureFixture[str], path: Path) -> Any:
    res = run_cli(capsys, "import", str(path), "--json", "--db", ctx.db.url)
    assert res.code == 0, res.err
    return json.loads(res.out)


def _events(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    res = run_cli(capsys, "events", "list", "--json", "--db", ctx.db.url)
    assert res.code == 0, res.err
    return sorted((e["summary"], e.get("location") or "") for e in json.loads(res.out))


def test_events_with_no_uid_and_the_same_start_and_title_are_each_kept(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    path = _write(tmp_path / "hand.ics", EVENTS)
    first = _import(ctx, capsys, path)
    assert (first["created"], first["skipped"]) == (3, []), first
    assert not any("same UID" in p["reason"] for p in first["warnings"]), first["warnings"]
    assert _events(ctx, capsys) == [("Call with mentor", ""), ("Interview", "Mercy Hospital"),
                                    ("Interview", "St Luke Hospital")]
    # the same events, saved again by an editor (one more blank property): nothing added, nothing gone
    path.write_text(path.read_text().replace("PRODID:-//hand written//EN", "PRODID:-//hand written//EN\r\nX-SAVED:1"))
    again = _import(ctx, capsys, path)
    assert (again["created"], again["updated"], again["unchanged"], again["gone"], again["removed"]) == (
        0, 0, 3, [], []), again
    # one of the two interviews moves to another room: that one is updated, the other untouched
    changed = [EVENTS[0], (*EVENTS[1][:3], "St Luke Hospital, room 4"), EVENTS[2]]
    third = _import(ctx, capsys, _write(path, changed))
    assert (third["created"], third["updated"], third["unchanged"], third["gone"]) == (0, 1, 2, []), third
    assert _events(ctx, capsys) == [("Call with mentor", ""), ("Interview", "Mercy Hospital"),
                                    ("Interview", "St Luke Hospital, room 4")]


def test_the_warning_of_a_second_event_with_that_start_and_title_says_how_it_is_matched(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    path = _write(tmp_path / "hand.ics", EVENTS)
    res = run_cli(capsys, "import", str(path), "--db", ctx.db.url)
    assert res.code == 0, res.err
    assert res.out.splitlines()[0].endswith("hand.ics: 3 created, 0 updated, 0 unchanged, 0 removed, 0 skipped"), res.out
    warnings = [line for line in res.err.splitlines() if "has no UID" in line]
    assert len(warnings) == 3, res.err
    assert "the same start and title as an event above it" in warnings[1], warnings[1]
    assert "its place among them" in warnings[1], warnings[1]
