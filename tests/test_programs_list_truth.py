"""`programs list` says what it leaves out and marks synthetic rows, on the demo's 6,000 sample programs.

Found walking it as an applicant: `--state ZZ` (or a state and specialty with no program) printed a bare header
and exit 0, as if the data held no such program; `--limit 0` or `--limit -3` listed all 6,000; the default
limit cut the list to 50 without a word; and the name column cut "(synthetic)" off every sample row
("Westview General Hospital Dermatology Program (s"), which the shortlist keeps whole.
"""

from __future__ import annotations

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


def test_a_filter_that_matches_nothing_says_so(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    found = run_cli(capsys, "programs", "list", "--state", "AK", "--specialty", "Dermatology",
                    "--db", demo_ctx.db.url)
    lines = found.out.splitlines()
    assert found.code == 0 and lines[0].split() == ["id", "name", "specialty", "state", "unknown", "overridden"]
    assert lines[-1] == "no program matches specialty Dermatology, state AK (6,000 programs stored)"


def test_a_filter_on_an_empty_database_says_there_is_no_data(ctx: Context,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    found = run_cli(capsys, "programs", "list", "--state", "NY", "--db", ctx.db.url)
    assert found.code == 0
    assert found.out.splitlines()[-1] == ("no program matches state NY (no program data yet: "
                                          "`imgcoach programs import FILE.csv`)")


@pytest.mark.parametrize(("args", "message"), [
    (("--state", "ZZ"), "--state: unknown state: a two-letter code such as NY, or the state's name (got 'ZZ')"),
    (("--limit", "0"), "--limit: must be a whole number of programs, 1 or more (got 0)"),
    (("--limit", "-3"), "--limit: must be a whole number of programs, 1 or more (got -3)"),
], ids=["unknown_state", "zero_limit", "negative_limit"])
def test_bad_values_are_refused(demo_ctx: Context, capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                message: str, cli_clock: FixedClock) -> None:
    before = database_state(demo_ctx.db.url)
    refused = run_cli(capsys, "programs", "list", *args, "--db", demo_ctx.db.url)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err.strip().splitlines() == [f"imgcoach: error: {message}"]
    assert database_state(demo_ctx.db.url) == before


def test_a_state_may_be_named(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    by_name = run_cli(capsys, "programs", "list", "--state", "new York", "--limit", "3", "--db", demo_ctx.db.url)
    by_code = run_cli(capsys, "programs", "list", "--state", "NY", "--limit", "3", "--db", demo_ctx.db.url)
    assert by_name.code == 0 and by_name.out == by_code.out
    assert [line.split()[-2] for line in by_name.out.splitlines()[2:5]] == ["NY", "NY", "NY"]


def test_the_limit_says_how_many_it_left_out(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    shown = run_cli(capsys, "programs", "list", "--db", demo_ctx.db.url)
    lines = shown.out.splitlines()
    assert len(lines) == 2 + 50 + 1
    assert lines[-1] == "showing the first 50 of 6,000 programs; `--limit N` shows more"
    state = run_cli(capsys, "programs", "list", "--state", "NY", "--limit", "3", "--db", demo_ctx.db.url)
    assert state.out.splitlines()[-1].startswith("showing the first 3 of ")
    assert state.out.splitlines()[-1].endswith(" programs matching state NY; `--limit N` shows more")
    everything = run_cli(capsys, "programs", "list", "--limit", "6000", "--db", demo_ctx.db.url)
    assert everything.out.splitlines()[-1].startswith("SYN")  # all shown: no note


def test_every_synthetic_row_says_so_in_text_and_json(demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    text = run_cli(capsys, "programs", "list", "--specialty", "Dermatology", "--db", demo_ctx.db.url)
    rows = [line for line in text.out.splitlines() if line.startswith("SYN")]
    assert len(rows) == 50 and all("(synthetic)" in row for row in rows)
    listed = run_cli(capsys, "programs", "list", "--json", "--limit", "5", "--db", demo_ctx.db.url).json()
    assert [p["synthetic"] for p in listed] == [True] * 5


def test_an_imported_program_is_not_marked_synthetic(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    added = run_cli(capsys, "programs", "add", "P1", "--name", "Riverside Internal Medicine Residency", "--specialty",
                    "IM", "--state", "NY", "--set", "source=program website", "--db", ctx.db.url)
    assert added.code == 0, added.err
    listed = run_cli(capsys, "programs", "list", "--json", "--db", ctx.db.url).json()
    assert [p["synthetic"] for p in listed] == [False]
    text = run_cli(capsys, "programs", "list", "--db", ctx.db.url)
    assert "synthetic" not in text.out and "Riverside Internal Medicine Residency" in text.out
