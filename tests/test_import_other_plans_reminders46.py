"""Another database's plan export imported: its reminders are left out, said so, not kept as calendar events.

Found by exporting the demo and importing the file into a fresh database through the CLI: the 13 reminders the
export carries ("Reminder: Ask for a letter · Family Medicine, Lakeview ...", VEVENTs marked X-IMGCOACH-KIND:
reminder) became 13 plain imported events, listed by `events list` beside the hospitals' own, and once the
rotations were accepted from the same file the plan made their reminders itself: each reminder twice, the
imported copy frozen at the other plan's time. The same database's own export already left its reminders out
("already in the plan"); another's now does too, with a line that says why. Letter deadlines stay events (the
letters themselves are not imported, so nothing else holds those dates).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_another_database_s_reminders_are_not_imported_as_events(
        demo_ctx: Context, new_db_url: Callable[..., str], cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    plan = tmp_path / "plan.ics"
    assert run_cli(capsys, "export", "-o", str(plan), "--db", str(demo_ctx.db.url)).code == 0
    exported = plan.read_text(encoding="utf-8")
    reminders = exported.count("X-IMGCOACH-KIND:reminder")
    assert reminders > 0 and "X-IMGCOACH-KIND:letter_deadline" in exported

    other = new_db_url("other")
    assert run_cli(capsys, "profile", "set", "--name", "Second Applicant", "--email", "second@example.com",
                   "--timezone", "America/New_York", "--db", other).code == 0
    done = run_cli(capsys, "import", str(plan), "--accept-suggestions", "--db", other)
    assert done.code == 0, done.err
    assert (f"{reminders} reminders exported by imgcoach from another database, not imported: this plan makes its "
            "own reminders from what it holds") in done.out, done.out

    events = run_cli(capsys, "events", "list", "--json", "--db", other).json()
    titles = [e["summary"] for e in events]
    assert not [t for t in titles if t.startswith(("Reminder:", "Progress update:"))], titles
    assert any(t.startswith("Letter deadline:") for t in titles), titles
    # The rotations accepted from the file have the reminders this plan made for them: the only copies now.
    planned = run_cli(capsys, "reminders", "list", "--json", "--db", other).json()
    assert {r["rotation_id"] for r in planned} - {None}, planned

    again = run_cli(capsys, "import", str(plan), "--json", "--db", other)
    assert again.code == 0 and again.json()["created"] == 0
