"""A change of zone or of a rotation's dates says what it did to pending reminders (found walking the daemon).

`profile set --timezone` said "profile saved for ..." and `rotations edit --start/--end` "rotation 1 updated" while
every pending reminder moved (to the same clock time in the new zone; to the new dates); the app's rotation form
said "Saved; pending reminders moved with the dates" of an edit of the hours, which moves none. The words are now
the use cases' (plan.ProfileSaved, plan.RotationSaved), counted from the rows before and after the save; `--json`
prints the same object as before and says the count on stderr. Real SQLite/PostgreSQL, the real CLI, the app under
Pilot, the injected clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.rotations import add_rotation
from tests.cli_helpers import run_cli
from tests.tui_helpers import app_for, fill, press


def _rotation(ctx: Context, clock: FixedClock) -> int:
    clock.set(datetime(2026, 10, 20, 14, tzinfo=UTC))
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Bayview (synthetic)",
                            start_date=date(2026, 12, 7), end_date=date(2027, 1, 29), hours_per_week=40)
    assert rotation.id is not None
    return rotation.id


def _pending(capsys: pytest.CaptureFixture[str], db: str) -> dict[int, str]:
    rows = run_cli(capsys, "reminders", "list", "--db", db, "--json", "--status", "pending").json()
    return {r["id"]: r["due_at"] for r in rows}


def test_profile_set_and_rotations_edit_say_how_many_pending_reminders_moved(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    rid, db = _rotation(ctx, cli_clock), ctx.db.url
    before = _pending(capsys, db)
    assert len(before) >= 3, before
    zone = run_cli(capsys, "profile", "set", "--db", db, "--timezone", "Asia/Kolkata")
    assert zone.code == 0, zone.err
    assert zone.out == (f"profile saved for Test Applicant; {len(before)} pending reminders now fall due at the same "
                        "clock time in Asia/Kolkata\n"), zone.out
    after = _pending(capsys, db)
    assert after.keys() == before.keys() and all(after[k] != before[k] for k in before)
    assert all(due[11:16] == before[k][11:16] for k, due in after.items())  # the same clock time, said true
    # --json: the profile object as before; the count on stderr
    back = run_cli(capsys, "profile", "set", "--db", db, "--timezone", "America/New_York", "--json")
    assert back.json()["timezone"] == "America/New_York"
    assert back.err == (f"imgcoach: note: {len(before)} pending reminders now fall due at the same clock time in "
                        "America/New_York\n"), back.err

    moved = run_cli(capsys, "rotations", "edit", str(rid), "--db", db, "--start", "2026-12-14", "--end", "2027-02-05")
    assert moved.code == 0, moved.err
    now_pending = _pending(capsys, db)
    changed = sum(1 for k, due in now_pending.items() if k in before and due != before[k])
    assert changed >= 3
    assert moved.out == f"rotation {rid} updated; its {changed} pending reminders moved with its dates\n", moved.out
    hours = run_cli(capsys, "rotations", "edit", str(rid), "--db", db, "--hours", "30")
    assert hours.out == f"rotation {rid} updated\n", hours.out  # nothing moved: nothing said
    again = run_cli(capsys, "rotations", "edit", str(rid), "--db", db, "--start", "2026-12-07", "--end", "2027-01-29",
                    "--json")
    assert again.json()["start_date"] == "2026-12-07"  # the rotation object, as before
    assert again.err.endswith(f"imgcoach: note: its {changed} pending reminders moved with its dates\n"), again.err


async def test_the_apps_rotation_form_says_what_rotations_edit_says(ctx: Context, clock: FixedClock) -> None:
    _rotation(ctx, clock)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "r", "e")
        fill(pilot.app.screen, hours_per_week="30")
        await press(pilot, "ctrl+s")
        said = [str(n.message) for n in pilot.app._notifications]
        assert said[-1] == "Rotation 1 updated", said
        await press(pilot, "e")
        fill(pilot.app.screen, start_date="2026-12-14", end_date="2027-02-05")
        await press(pilot, "ctrl+s")
        said = [str(n.message) for n in pilot.app._notifications]
    assert said[-1].startswith("Rotation 1 updated; its ") and said[-1].endswith(
        " pending reminders moved with its dates"), said
