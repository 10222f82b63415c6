"""`imgcoach packet` names a writer as every other command names a person: exactly (any case), or by contact id.

No command takes part of a name (`letters add --writer` and `contacts remove` take a contact id, `--applicant`
an id or e-mail address), so `packet Dr.` or `packet Ada` is refused: the refusal must say how to name the person
meant. It named a candidate only when one stored name held every word typed ("Elena"); "Dr." (three of the four
people on the demo's rotations) got the bare list, and no refusal said which contact id names whom, though each
ended "(give the name as stored, or the contact id)". Now every candidate is named with its contact id, none is
guessed, exit 2 and nothing written. Real demo database, the CLI in process on the fixed clock.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact
from tests.cli_helpers import database_state, run_cli


def _refused(demo_ctx: Context, capsys: pytest.CaptureFixture[str], out: Path, typed: str) -> str:
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "packet", typed, "-o", str(out), "--db", demo_ctx.db.url)
    assert (refused.code, refused.out, out.exists()) == (2, "", False), refused
    assert refused.err.count("\n") == 1, refused.err
    assert database_state(demo_ctx.db.url) == before
    return refused.err


def test_several_people_fit_each_is_named_with_its_contact_id(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = _refused(demo_ctx, capsys, tmp_path / "packets", "dr.")
    assert err.rstrip().endswith(
        "; 'dr.' could mean 'Dr. Elena Petrova (fictional)' (contact 4), 'Dr. James Whitaker (fictional)' "
        "(contact 1) or 'Dr. Priya Nair (fictional)' (contact 2) (give one name as stored, or the contact id)"), err
    assert "Maria Lopez (fictional)' (contact" not in err  # on the rotations, but "dr." is not in her name
    # The id the refusal gives is the one that makes the packet.
    made = run_cli(capsys, "packet", "2", "-o", str(tmp_path / "packets"), "--db", demo_ctx.db.url)
    assert made.code == 0 and "packet-dr-priya-nair-fictional-" in made.out, made.err


def test_one_person_fits_is_named_with_its_contact_id(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = _refused(demo_ctx, capsys, tmp_path / "packets", "whitaker")
    assert "did you mean 'Dr. James Whitaker (fictional)' (contact 1)? (give the name as stored, or the contact id)" \
        in err, err


def test_nobody_fits_the_refusal_still_says_how_to_name_one(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    err = _refused(demo_ctx, capsys, tmp_path / "packets", "Ada")
    assert err.rstrip().endswith(
        "Maria Lopez (fictional)); give one of these names as stored, or a contact id (`imgcoach contacts list`)"), err


def test_two_contacts_of_one_name_get_no_id_that_would_pick_one(
        demo_ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A second contact named as a supervisor already is: the name no longer tells one id."""
    add_contact(demo_ctx, "Dr. Priya Nair (fictional)", email="other.nair@example.com")
    err = _refused(demo_ctx, capsys, tmp_path / "packets", "Priya")
    assert "did you mean 'Dr. Priya Nair (fictional)'? (give the name as stored" in err, err
