"""`contacts remove ID`: there was no way to remove a person from the command line (the app had one).

The CLI calls the app's delete (plan.delete_with_undo, "contact"): the person goes with their supervisor links
and letter requests, and the command says so; cases and outreach entries name no person and stay.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


def _person_with_a_letter(ctx: Context) -> tuple[int, int]:
    from imgcoach.plan import add_rotation
    from imgcoach.plan.people import add_contact, add_letter_request

    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside General (fictional)", start_date=date(2026, 11, 2),
                            end_date=date(2026, 11, 27))
    assert rotation.id is not None
    person = add_contact(ctx, "Dr. Jane Okafor", rotation_id=rotation.id, email="jane@hospital.example")
    assert person.id is not None
    add_letter_request(ctx, person.id, rotation_id=rotation.id)
    return rotation.id, person.id


def test_remove_json_is_the_list_row_and_names_what_went(ctx: Context, db_url: str, cli_clock: object,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.plan import add_case

    rid, pid = _person_with_a_letter(ctx)
    add_case(ctx, rid, "DKA in a 19-year-old")
    listed = run_cli(capsys, "contacts", "list", "--db", db_url, "--json").json()
    removed = run_cli(capsys, "contacts", "remove", str(pid), "--db", db_url, "--json")
    assert removed.code == 0, removed.err
    out = removed.json()
    assert out["removed"] == pid and out["contact"] == listed[0]
    assert out["deleted_with"] == {"letter_request": 1, "rotation_contact": 1} and out["unlinked"] == {}
    assert run_cli(capsys, "contacts", "list", "--db", db_url, "--json").json() == []
    assert run_cli(capsys, "letters", "list", "--db", db_url, "--json").json() == []
    assert [c["title"] for c in run_cli(capsys, "cases", "list", "--db", db_url, "--json").json()] == [
        "DKA in a 19-year-old"]


def test_remove_says_what_went(ctx: Context, db_url: str, cli_clock: object,
                               capsys: pytest.CaptureFixture[str]) -> None:
    _, pid = _person_with_a_letter(ctx)
    removed = run_cli(capsys, "contacts", "remove", str(pid), "--db", db_url)
    assert removed.code == 0, removed.err
    assert removed.out.startswith(f"contact {pid} (Dr. Jane Okafor) removed with 1 letter request and 1 "
                                  "link to a rotation")


def test_remove_unknown_changes_nothing(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _person_with_a_letter(ctx)
    before = database_state(db_url)
    refused = run_cli(capsys, "contacts", "remove", "99", "--db", db_url, "--json")
    assert refused.code == 2 and refused.out == ""
    assert refused.err == "imgcoach: error: no contact with id 99\n"
    assert database_state(db_url) == before
