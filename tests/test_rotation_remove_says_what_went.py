"""`rotations remove` names what goes with the rotation (found walking remove, then `cases list`): it said
"rotation 1 removed; 4 pending reminders cancelled" while the database deleted the rotation's cases (interview
stories), weekly log and supervisor links with it and left its letter requests tied to nothing. Real databases,
the CLI in process on the fixed clock (Wed 25 Nov 2026, New York)."""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _cli(capsys: pytest.CaptureFixture[str], ctx: Context, *args: str) -> str:
    result = run_cli(capsys, *args, "--db", ctx.db.url)
    assert result.code == 0, result.err
    return result.out.strip()


def test_remove_names_the_cases_log_and_links_that_go_with_the_rotation(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    rotation = _cli(capsys, ctx, "rotations", "add", "--kind", "externship", "--specialty", "IM", "--institution",
                    "Mercy Hospital", "--start", "2026-11-02", "--end", "2026-11-27", "--hours", "40")
    _cli(capsys, ctx, "cases", "add", rotation, "Septic shock on nights", "--tags", "teamwork")
    _cli(capsys, ctx, "log", "add", rotation, "--week", "2026-11-16", "--hours", "40", "--did", "Wards")
    writer = _cli(capsys, ctx, "contacts", "add", "--name", "Dr. Ada Obi", "--rotation", rotation)
    _cli(capsys, ctx, "letters", "add", "--writer", writer, "--rotation", rotation)
    said = _cli(capsys, ctx, "rotations", "remove", rotation)
    assert said.startswith(f"rotation {rotation} removed with 1 case, 1 weekly log entry and 1 supervisor link; "
                           "1 letter request no longer tied to it; "), said
    assert "no cases yet" in _cli(capsys, ctx, "cases", "list"), "the case it named did go"
    plain = _cli(capsys, ctx, "rotations", "add", "--kind", "externship", "--specialty", "IM", "--institution",
                 "Lakeview", "--start", "2027-01-04", "--end", "2027-01-29", "--hours", "40")
    data = run_cli(capsys, "rotations", "remove", plain, "--json", "--db", ctx.db.url).json()
    assert set(data) == {"removed", "cancelled_reminders", "deleted", "untied"}  # the first two keys kept
    assert data["deleted"] == {"case_note": 0, "coach_weekly_entry": 0, "rotation_contact": 0}
    assert data["untied"] == {"letter_request": 0, "coach_project": 0, "coach_outreach": 0}
