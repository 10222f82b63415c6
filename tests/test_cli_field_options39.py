"""`profile set`, `applicants add` and `exams add|edit` name the option typed in a field error, never the column.

Found on 5 December: `profile set --states ZZ` said "target_states: ...", `--budget-usd` would have been
"application_budget_usd", and `exams add --date` said "taken_on: after today": names the user never typed
(cli.fields_as_options, which `rotations` used, was not around them).
"""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

PROFILE_CASES = [
    (("--graduation-year", "1800"), "--graduation-year", "graduation_year"),
    (("--timezone", "Mars/Base"), "--timezone", None),
    (("--email", "nobody"), "--email", None),
    (("--states", "ZZ"), "--states", "target_states"),
    (("--home-states", "QQ"), "--home-states", "home_states"),
    (("--specialties", "Nonsense"), "--specialties", "target_specialties"),
    (("--countries", "Narnia"), "--countries", "target_countries"),
    (("--name", ""), "--name", None),
]


@pytest.mark.parametrize(("args", "option", "column"), PROFILE_CASES)
def test_profile_set_names_the_option(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str],
                                      args: tuple[str, str], option: str, column: str | None) -> None:
    before = database_state(db_url)
    result = run_cli(capsys, "profile", "set", "--db", db_url, *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"imgcoach: error: {option}: ")
    assert result.err.count("\n") == 1
    if column:
        assert column not in result.err
    assert database_state(db_url) == before


@pytest.mark.parametrize(("args", "option"), [
    (("--email", "nobody"), "--email"), (("--email", "b@example.com", "--timezone", "Mars"), "--timezone"),
])
def test_applicants_add_names_the_option(ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str],
                                         args: tuple[str, ...], option: str) -> None:
    before = database_state(db_url)
    result = run_cli(capsys, "applicants", "add", "--db", db_url, "--name", "B", *args)
    assert result.code == 2
    assert result.err.startswith(f"imgcoach: error: {option}: ")
    assert database_state(db_url) == before


EXAM_CASES = [
    (("--exam", "Foo", "--date", "2026-01-01"), "--exam", None),
    (("--exam", "Step 2 CK", "--date", "2026-01-01", "--score", "400"), "--score", None),
    (("--exam", "Step 2 CK", "--date", "2026-01-01", "--attempt", "0"), "--attempt", None),
    (("--exam", "Step 2 CK", "--date", "2027-06-01", "--result", "pass"), "--date", "taken_on"),
]


@pytest.mark.parametrize(("args", "option", "column"), EXAM_CASES)
def test_exams_add_names_the_option(ctx: Context, db_url: str, cli_clock: object,
                                    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], option: str,
                                    column: str | None) -> None:
    before = database_state(db_url)
    result = run_cli(capsys, "exams", "add", "--db", db_url, *args)
    assert result.code == 2
    assert result.err.startswith(f"imgcoach: error: {option}: ")
    if column:
        assert column not in result.err
    assert database_state(db_url) == before


@pytest.mark.parametrize(("args", "option", "column"), [
    (("--score", "999"), "--score", None),
    (("--exam", "Foo"), "--exam", None),
    (("--attempt", "0"), "--attempt", None),
    (("--date", "2030-01-01", "--result", "pass"), "--date", "taken_on"),
])
def test_exams_edit_names_the_option(ctx: Context, db_url: str, cli_clock: object,
                                     capsys: pytest.CaptureFixture[str], args: tuple[str, ...], option: str,
                                     column: str | None) -> None:
    added = run_cli(capsys, "exams", "add", "--db", db_url, "--exam", "Step 2 CK", "--date", "2026-01-01",
                    "--score", "250")
    assert added.code == 0, added.err
    before = database_state(db_url)
    result = run_cli(capsys, "exams", "edit", added.out.strip(), "--db", db_url, *args)
    assert result.code == 2
    assert result.err.startswith(f"imgcoach: error: {option}: ")
    if column:
        assert column not in result.err
    assert database_state(db_url) == before
