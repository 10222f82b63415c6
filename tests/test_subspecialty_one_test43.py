"""normalise_rotation and plan.specialty_note each tested a typed subspecialty on their own, and read its
department apart: a blank department of spaces (`--department " "`, a form's cleared field) was saved as the
department while the note said "Cardiology is kept as the department". One test now (rotations._subspecialty):
what the note says is what is saved."""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def test_a_blank_department_keeps_the_typed_subspecialty_as_the_note_says(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "Cardiology",
                  "--department", "  ", "--institution", "Lakeview Clinic", "--start", "2027-01-04",
                  "--end", "2027-01-29", "--hours", "30")
    assert res.code == 0, res.err
    assert "Cardiology is kept as the department" in res.err, res.err
    shown = run_cli(capsys, "rotations", "show", res.out.strip(), "--db", db_url, "--json").json()["rotation"]
    assert (shown["specialty"], shown["department"]) == ("Internal Medicine", "Cardiology"), shown
