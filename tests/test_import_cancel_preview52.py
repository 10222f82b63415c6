"""A hospital's cancellation (METHOD:CANCEL) of an event an earlier import made a rotation from removes the rotation
with the event, with what is recorded on it; the import says so ('removed (cancelled): ...; also removed rotation 1',
`--json`: `also_removed`), but its dry run said only 'would be removed (cancelled): Observership - Cardiology', and
the app's preview 'cancelled, will be removed: ...', as if the event alone went. Both now name the rotation, as
they do for an event gone from the file (`--prune`). Real ICS files, written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

EVENT = ("BEGIN:VEVENT\r\nUID:mercy-cardio@example.org\r\nDTSTAMP:20261120T000000Z\r\n"
         "SUMMARY:Observership - Cardiology\r\nLOCATION:Mercy Hospital\r\n"
         "DTSTART;VALUE=DATE:20270201\r\nDTEND;VALUE=DATE:20270227\r\n{extra}END:VEVENT\r\n")


def _files(tmp_path: Path) -> tuple[Path, Path]:
    schedule, cancel = tmp_path / "schedule.ics", tmp_path / "cancel.ics"
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test hospital//EN\r\n"
    schedule.write_text(head + EVENT.format(extra="") + "END:VCALENDAR\r\n", encoding="utf-8", newline="")
    cancel.write_text(head + "METHOD:CANCEL\r\n" + EVENT.format(extra="STATUS:CANCELLED\r\nSEQUENCE:1\r\n")
                      + "END:VCALENDAR\r\n", encoding="utf-8", newline="")
    return schedule, cancel


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return res.out


@pytest.mark.parametrize(("made", "removes"), [(True, "rotation 1"), (False, "")])
def test_the_dry_run_of_a_cancellation_names_what_goes_with_it(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path, made: bool,
        removes: str) -> None:
    """Made into a rotation, it names it; a plain event (the second case, a guard) has nothing more to say."""
    schedule, cancel = _files(tmp_path)
    _cli(ctx, capsys, "import", str(schedule), *(("--accept-suggestions",) if made else ()))
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", str(cancel), "--dry-run", "--json"))
    text = _cli(ctx, capsys, "import", str(cancel), "--dry-run")
    assert database_state(ctx.db.url) == before
    assert [r["also_removed"] for r in dry["removed"]] == [removes], dry["removed"]
    line = next(line for line in text.splitlines() if "would be removed (cancelled)" in line)
    assert line.strip() == "would be removed (cancelled): Observership - Cardiology" + (
        f"; would also remove {removes}" if removes else ""), text
    real = json.loads(_cli(ctx, capsys, "import", str(cancel), "--json"))
    assert real["removed"] == dry["removed"]  # the import's own account, compared


async def test_the_import_screen_names_the_rotation_a_cancellation_removes(ctx: Context, tmp_path: Path) -> None:
    from textual.widgets import Static

    from imgcoach import calendar
    from tests.tui_helpers import app_for, preview_import

    schedule, cancel = _files(tmp_path)
    calendar.apply_import(ctx, schedule, accept=True)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await preview_import(pilot, cancel)
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
    assert ("cancelled, will be removed: Observership - Cardiology; removing it also removes rotation 1, made from "
            "it, and what is recorded on it (logged weeks, cases, links to people; its pending reminders are "
            "cancelled)") in notes, notes
