"""A letter tied to no rotation is not a host-country letter in readiness, as it is not in the shortlist.

Found by a new user's sequence: no rotation at all, three letters from home-country writers added without
`--rotation` (agreed, one uploaded): readiness said "[MET] Host-country letters: 3 recent host-country letters",
beside "[MISSING] Mid-rotation feedback: No host-country rotation yet", while the shortlist counted 0 US letters.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from imgcoach.coach import actions as coach
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_letter_request, add_rotation, set_letter_status
from tests.cli_helpers import database_state, run_cli


def _letters_check(ctx: Context):  # type: ignore[no-untyped-def]
    return next(c for c in coach.readiness(ctx).checks if c.key == "letters")


def test_untied_letters_are_named_and_not_counted(ctx: Context) -> None:
    from imgcoach.matching import compute

    for n in range(3):
        writer = add_contact(ctx, f"Dr. Home {n} (fictional)", institution="Karachi General (fictional)")
        assert writer.id is not None
        add_letter_request(ctx, writer.id, status="agreed")
    check = _letters_check(ctx)
    assert check.status.value == "missing"
    assert check.evidence[0] == "0 recent host-country letters agreed or uploaded (target 3)"
    assert check.evidence[-1].startswith("Not counted: Dr. Home 0 (fictional), Dr. Home 1 (fictional), "
                                         "Dr. Home 2 (fictional) (no rotation tied to the letter")
    # The same letters in the shortlist's facts: none is a US letter there either
    from imgcoach.matching import add_program

    add_program(ctx, {"program_id": "P1", "name": "First Program", "specialty": "Internal Medicine", "state": "NY"})
    facts = compute(ctx)[2].facts
    assert (facts.us_letters_received, facts.us_letters_planned) == (0, 0)
    # Tied to a host-country rotation that has ended, a letter counts in both
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Riverside (fictional)",
                            start_date=today - timedelta(weeks=8), end_date=today - timedelta(weeks=4, days=-3))
    assert rotation.id is not None
    writer = add_contact(ctx, "Dr. Host (fictional)", rotation_id=rotation.id)
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation.id)
    assert letter.id is not None
    set_letter_status(ctx, letter.id, "uploaded")
    check = _letters_check(ctx)
    assert check.evidence[0] == "1 recent host-country letter agreed or uploaded (target 3)"
    assert compute(ctx)[2].facts.us_letters_received == 1


def test_an_untied_letter_is_tied_from_the_command_line(ctx: Context, db_url: str,
                                                        capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The readiness line says how to tie a letter; the CLI had no `letters edit` (only the app could). The
    person's sequence: tie it, change only its notes (the rotation stays), untie it, refuse a contradiction,
    remove it."""
    today = ctx.clock.now().date()
    rotation = add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Riverside (fictional)",
                            start_date=today - timedelta(weeks=8), end_date=today - timedelta(weeks=4, days=-3))
    writer = add_contact(ctx, "Dr. Host (fictional)")
    assert rotation.id is not None and writer.id is not None
    letter = add_letter_request(ctx, writer.id, status="agreed")
    assert "letters edit ID --rotation N" in _letters_check(ctx).evidence[-1]
    lid = str(letter.id)

    def stored() -> dict[str, object]:
        found = json.loads(run_cli(capsys, "letters", "list", "--json", "--db", db_url).out)
        return next(x for x in found if str(x["id"]) == lid)

    assert run_cli(capsys, "letters", "edit", lid, "--rotation", str(rotation.id), "--db", db_url).code == 0
    assert _letters_check(ctx).evidence[0] == "1 recent host-country letter agreed or uploaded (target 3)"
    assert run_cli(capsys, "letters", "edit", lid, "--notes", "asked in person", "--db", db_url).code == 0
    assert (stored()["rotation_id"], stored()["notes"]) == (rotation.id, "asked in person")
    before = database_state(db_url)
    for bad in (("--rotation", str(rotation.id), "--no-rotation"), (), ("--rotation", "999")):
        res = run_cli(capsys, "letters", "edit", lid, *bad, "--db", db_url)
        assert res.code == 2 and res.err.startswith("imgcoach: error: ") and "Traceback" not in res.err, res.err
    assert database_state(db_url) == before
    assert run_cli(capsys, "letters", "edit", lid, "--no-rotation", "--db", db_url).code == 0
    assert (stored()["rotation_id"], stored()["notes"]) == (None, "asked in person")
    assert run_cli(capsys, "letters", "remove", lid, "--db", db_url).code == 0
    assert json.loads(run_cli(capsys, "letters", "list", "--json", "--db", db_url).out) == []
