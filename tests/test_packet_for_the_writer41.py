"""The packet's summary goes to the letter writer: it says nothing meant for the applicant.

Found on 6 December (day 41): `packet "Dr. Ken Ito"` for a rotation with no case logged and a profile naming
no CV wrote "## Cases we saw together - (no case logged yet)" and "## Attached - (none in profile)" into the
one-page summary the applicant sends to the writer. Those sections are now left out when empty, and the command
tells the applicant (stderr, `note:`) what is missing and how to add it. Real SQLite, the CLI in-process.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_case, add_contact, add_rotation
from tests.cli_helpers import run_cli


def test_an_empty_section_is_left_out_and_the_applicant_told(ctx: Context, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             cli_clock: FixedClock) -> None:
    today = cli_clock.now().date()
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=today - timedelta(days=20),
                            end_date=today + timedelta(days=7))
    add_contact(ctx, "Dr. Ken Ito (fictional)", rotation_id=rotation.id, role="supervisor")
    made = run_cli(capsys, "packet", "Dr. Ken Ito (fictional)", "-o", str(tmp_path / "a"), "--db", ctx.db.url)
    assert made.code == 0, made.err
    (md,) = (tmp_path / "a").glob("*.md")
    summary = md.read_text()
    assert "## Rotations with you" in summary
    assert "Cases we saw together" not in summary and "## Attached" not in summary and "(no" not in summary, summary
    assert made.err.splitlines() == [
        "note: no case logged on your rotation with Dr. Ken Ito (fictional), so the summary has no cases section, "
        f"the part that helps a writer most: `imgcoach cases add {rotation.id} TITLE --summary TEXT` adds one",
        "note: nothing attached: your profile names no CV or personal statement (`imgcoach profile set --cv-path PATH "
        "--personal-statement-path PATH`)"]
    assert rotation.id is not None
    add_case(ctx, rotation.id, "DKA in a 19-year-old", summary="Fluids, insulin, potassium watched hourly")
    again = run_cli(capsys, "packet", "Dr. Ken Ito (fictional)", "-o", str(tmp_path / "b"), "--db", ctx.db.url)
    (md,) = (tmp_path / "b").glob("*.md")
    assert "## Cases we saw together\n\n- DKA in a 19-year-old: Fluids, insulin" in md.read_text()
    assert again.err.splitlines() == [made.err.splitlines()[1]], again.err
