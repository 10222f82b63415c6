"""A re-import says what it changes: "1 updated" (the app: "1 changed", its row "update") said nothing of what,
also when the change was a field no screen shows (a calendar's new SEQUENCE alone, or the event now coming from
another file). Each update now has a line, the same words in the CLI and the app (ImportReport.change_lines), and
`--json` lists them under a new key, "changes". Real ICS files (tests/data/ics, edited as a calendar program
re-sends them), real SQLite/PostgreSQL databases, the Import screen under Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

INVITE = Path(__file__).parent / "data" / "ics" / "method_request.ics"
SERIES = Path(__file__).parent / "data" / "ics" / "rrule_exdate_override.ics"


def _edited(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text()
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)


def test_a_re_import_names_what_each_update_changes(ctx: Context, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = ctx.db.url
    invite = tmp_path / "invite.ics"
    invite.write_bytes(INVITE.read_bytes())
    assert run_cli(capsys, "import", str(invite), "--db", db).code == 0
    # The program re-sends the invitation: a new DTSTAMP and SEQUENCE, nothing else.
    _edited(invite, ("DTSTAMP:20260101T000000Z", "DTSTAMP:20260102T000000Z"), ("SEQUENCE:0", "SEQUENCE:1"))
    out = run_cli(capsys, "import", str(invite), "--db", db).out
    assert "1 updated" in out, out
    assert ('updated "Interview day - Family Medicine Residency": only its SEQUENCE (the calendar\'s revision '
            "number): nothing shown changed") in out, out
    # Then it moves the interview and names a room.
    _edited(invite, ("DTSTART:20270120T140000Z", "DTSTART:20270120T150000Z\nLOCATION:Room 2"),
            ("SEQUENCE:1", "SEQUENCE:2"))
    res = run_cli(capsys, "import", str(invite), "--db", db, "--json")
    assert res.json()["changes"] == [{"uid": "invite-42@program.example", "recurrence_id": "",
                                      "summary": "Interview day - Family Medicine Residency",
                                      "changed": ["time", "location", "SEQUENCE"]}], res.out
    # The same events from another file: the only change is where they come from.
    copy = tmp_path / "copy.ics"
    copy.write_bytes(invite.read_bytes())
    out = run_cli(capsys, "import", str(copy), "--db", db).out
    assert ('updated "Interview day - Family Medicine Residency": now from this file (imported from another '
            "before)") in out, out


def test_a_series_changed_alike_is_one_line(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    db = ctx.db.url
    series = tmp_path / "series.ics"
    series.write_bytes(SERIES.read_bytes())
    assert run_cli(capsys, "import", str(series), "--db", db).code == 0
    _edited(series, ("SUMMARY:UWorld block review\n", "SUMMARY:UWorld block review\nLOCATION:Library\n"))
    out = run_cli(capsys, "import", str(series), "--db", db).out
    assert 'updated "UWorld block review" (4 occurrences): location' in out, out
    assert "UWorld block review (moved)" not in out, "the moved occurrence did not change"


async def test_the_import_screen_says_what_changed(ctx: Context, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from textual.widgets import Static

    from tests.tui_helpers import app_for, preview_import, settle

    invite = tmp_path / "invite.ics"
    invite.write_bytes(INVITE.read_bytes())
    assert run_cli(capsys, "import", str(invite), "--db", ctx.db.url).code == 0
    _edited(invite, ("SEQUENCE:0", "SEQUENCE:1"))
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await preview_import(pilot, invite)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "1 changed" in summary, summary
        notes = " ".join(str(screen.query_one("#import-notes", Static).render()).split())
        assert ('updated "Interview day - Family Medicine Residency": only its SEQUENCE (the calendar\'s revision '
                "number): nothing shown changed") in notes, notes
