"""People type `rotations delete` and `rotation list`: the CLI answers with the command they meant, or
names it, instead of a bare "No such command" (found when the delete-then-add sequence was tried as a new
user would: the first thing typed was `rotations delete 1`)."""

from __future__ import annotations

import json

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

ADD = ("rotations", "add", "--kind", "observership", "--specialty", "IM", "--institution", "Mercy Hospital",
       "--start", "2027-01-04", "--end", "2027-01-29")


def test_delete_is_remove_and_a_later_add_works(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    assert run_cli(capsys, "profile", "set", "--db", db_url, "--name", "Ravi Kumar", "--email",
                   "ravi@example.com", "--timezone", "Asia/Kolkata").code == 0
    first = run_cli(capsys, *ADD, "--db", db_url)
    assert first.code == 0, first.err
    removed = run_cli(capsys, "rotations", "delete", first.out.strip(), "--db", db_url)
    assert removed.code == 0 and "removed" in removed.out, removed.err
    again = run_cli(capsys, *ADD, "--db", db_url)
    assert again.code == 0, again.err  # (SQLite may give the new rotation the freed id: keys stay unique)
    listed = run_cli(capsys, "rotations", "ls", "--db", db_url, "--json").json()
    assert [r["id"] for r in listed] == [int(again.out.strip())]


@pytest.mark.parametrize(("args", "meant"), [
    (("rotation", "list"), "'rotations'"),
    (("rotations", "lst"), "'list'"),
    (("exams", "ad"), "'add'"),
])
def test_a_typo_names_the_command_meant_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], ctx: Context, args: tuple[str, ...], meant: str) -> None:
    db_url = ctx.db.url
    before = database_state(db_url)
    result = run_cli(capsys, *args, "--db", db_url)
    assert result.code == 2 and f"Did you mean {meant}" in result.err, result.err
    assert database_state(db_url) == before


def test_cli_dates_take_the_forms_relative_days(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                cli_clock: FixedClock) -> None:
    """`--start today --end +4w` as in the app's forms: one rule (plan.parse_day) for both faces. On the fixed
    clock: the test read the real clock after the CLI had, a different day when run across New York's midnight."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from imgcoach.plan import get_profile

    added = run_cli(capsys, "study", "add", "--db", ctx.db.url, "--exam", "Step 2 CK", "--start", "today",
                    "--end", "+4w", "--hours", "6", "--json")
    assert added.code == 0, added.err
    today = cli_clock.now().astimezone(ZoneInfo(get_profile(ctx).timezone)).date()  # type: ignore[union-attr]
    block = added.json()
    assert (block["start_date"], block["end_date"]) == (str(today), str(today + timedelta(weeks=4)))
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "study", "add", "--db", ctx.db.url, "--exam", "Step 2 CK", "--start", "someday",
                      "--end", "+4w", "--hours", "6")
    assert refused.code == 2 and "'someday' is not a date: use YYYY-MM-DD, today" in refused.err
    assert database_state(ctx.db.url) == before


@pytest.mark.parametrize(("option", "typed", "reason"), [
    ("--end", "2027-02-29", "February 2027 has 28 days"),
    ("--start", "2026-13-01", "there is no month 13"),
])
def test_a_day_the_calendar_lacks_is_named_not_told_to_use_yyyy_mm_dd(
        capsys: pytest.CaptureFixture[str], ctx: Context, option: str, typed: str, reason: str) -> None:
    """A rotation to end on 29 Feb 2027 was refused with "use YYYY-MM-DD, today, ...", the form it was typed in:
    a person reads the date again and finds nothing wrong with its form. The refusal says why (exit 2, nothing
    written)."""
    args = {"--start": "2027-02-01", "--end": "2027-02-26", option: typed}
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "rotations", "add", "--db", ctx.db.url, "--kind", "observership", "--specialty", "IM",
                      "--institution", "Mercy Hospital", "--start", args["--start"], "--end", args["--end"])
    assert refused.code == 2 and f"{option}': '{typed}' is not a date: {reason}" in refused.err, refused.err
    assert "use YYYY-MM-DD" not in refused.err
    assert database_state(ctx.db.url) == before


def test_a_relative_day_counts_from_the_applicants_today_not_the_machines(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    """At 19:30 in New York the machine's UTC date is already tomorrow: `--start today` typed then was stored as
    tomorrow, while the app's forms and `readiness` ("as of") count from the applicant's day."""
    from datetime import UTC, datetime

    from imgcoach.cli.common import State
    from imgcoach.cli.main import cli
    from imgcoach.composition import open_context
    from imgcoach.core.clock import FixedClock

    assert run_cli(capsys, "profile", "set", "--db", db_url, "--name", "Ana Silva", "--email", "ana@example.com",
                   "--timezone", "America/New_York").code == 0
    state = State(db=db_url)
    state._ctx = open_context(db_url, clock=FixedClock(datetime(2026, 12, 4, 0, 30, tzinfo=UTC)))
    try:
        cli.main(args=[*ADD[:8], "--start", "today", "--end", "+4w", "--db", db_url, "--json"],
                 prog_name="imgcoach", standalone_mode=False, obj=state)
    finally:
        state._ctx.db.close()
    added = json.loads(capsys.readouterr().out)
    assert (added["start_date"], added["end_date"]) == ("2026-12-03", "2026-12-31")


def test_rotations_add_without_end_takes_the_forms_four_weeks(capsys: pytest.CaptureFixture[str], ctx: Context) -> None:
    """The app's form leaves a blank end at start + 4 weeks (plan.default_end); `rotations add` required --end.
    Same rule on both faces now, and the help names the relative forms instead of YYYY-MM-DD alone."""
    from datetime import date

    from imgcoach.plan import default_end

    added = run_cli(capsys, *ADD[:8], "--start", "2027-03-01", "--db", ctx.db.url, "--json")
    assert added.code == 0, added.err
    assert added.json()["end_date"] == str(default_end(date(2027, 3, 1))) == "2027-03-28"
    helped = run_cli(capsys, "rotations", "add", "--help")
    words = " ".join(helped.out.split())  # click wraps the help: read it as one line
    assert "next monday" in words and "four weeks from --start" in words
    # `--end +4w` counts from today, not from --start (the default's words beside it suggested so): said.
    assert words.count("+4w and the like count from today") == 2, helped.out
