"""The other read-only commands answered from the full path's kept answer (cli.common.kept_answer ->
storage.readcache, issue 17): `outreach|log|cases|projects|programs list`, `stories`, `cv`, `import --history`,
`applicants show` and shortlist's other views. Byte for byte what the full path prints, in new processes; never
an older text after a write by another process, raw SQL, a new day or a zone change; one answer per command
form (its words and every option value given); refusals never kept.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.conftest import FIXED_NOW
from tests.matching_support import csv_text, row
from tests.test_cli_quickanswer import KEPT_FORMS, _staleness, cli_write, quick, settle
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_quickread import HEAVY, run


@pytest.mark.parametrize("form", KEPT_FORMS, ids=" ".join)
def test_the_kept_answer_is_what_the_full_path_prints_in_a_new_process(demo_ctx: Context, db_engine: str,
                                                                       form: tuple[str, ...]) -> None:
    """As a person runs them: the second run loads none of click, SQLAlchemy, SQLModel, Alembic and prints the
    full path's bytes. PostgreSQL: always the full path, the same text."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    run("--db", url, *form, full=True)
    fast, slow = run("--db", url, *form), run("--db", url, *form, full=True)
    assert (fast.code, fast.err, fast.out) == (slow.code, slow.err, slow.out) and fast.code == 0
    assert slow.out
    if db_engine == "sqlite":
        assert not set(HEAVY) & fast.modules, f"{form}: the quick read imported {set(HEAVY) & fast.modules}"
    else:
        assert "sqlalchemy" in fast.modules


@pytest.mark.sqlite_only
def test_rows_added_by_another_process(url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Each list after the write that changes it, by an `imgcoach` subprocess."""
    path = tmp_path / "more.csv"
    path.write_text(csv_text(*[row(program_id=f"K{i}", name=f"Kept Read IM {i}", yog_cutoff_years="none",
                                   state="NY", step2_typical="225") for i in range(3)]))

    def writes() -> None:
        cli_write(url, "cases", "add", "1", "A teamwork case from elsewhere", "--tags", "teamwork")
        cli_write(url, "outreach", "add", "Elsewhere General", "--status", "sent", "--written-on", "2026-11-20")
        cli_write(url, "projects", "add", "--kind", "qi", "--title", "Handover checklist")
        cli_write(url, "log", "add", "2", "--week", "2026-11-16", "--hours", "38", "--did", "Ward rounds")
        cli_write(url, "programs", "import", str(path))

    forms = [("cases", "list"), ("stories", "--tag", "teamwork"), ("outreach", "list", "--json"),
             ("projects", "list"), ("log", "list", "--rotation", "2"), ("programs", "list", "--state", "NY"),
             ("shortlist", "--budget", "5")]
    _staleness(url, capsys, writes, forms=forms, must_change=("cases", "stories", "outreach", "projects", "log"))


@pytest.mark.sqlite_only
def test_raw_sql_from_another_tool_is_seen(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = url.removeprefix("sqlite:///")

    def edit() -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE applicant SET name = 'Renamed Elsewhere'")
            conn.execute("UPDATE case_note SET title = title || ' (edited)'")
            conn.execute("UPDATE rotation SET institution = institution || ' East'")

    _staleness(url, capsys, edit, forms=[("applicants", "show"), ("cases", "list"), ("cv",)],
               must_change=("applicants", "cases", "cv"))


@pytest.mark.sqlite_only
def test_a_new_day_with_no_write_at_all(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing is written; months pass in the applicant's zone: rotations end (cv)."""
    _staleness(url, capsys, lambda: None, after_at=FIXED_NOW + timedelta(days=150),
               forms=[("cv",), ("outreach", "list")], must_change=("cv",))


@pytest.mark.sqlite_only
def test_the_time_zone_changed(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _staleness(url, capsys, lambda: cli_write(url, "profile", "set", "--timezone", "Pacific/Kiritimati"),
               forms=[("applicants", "show", "--json"), ("outreach", "list", "--json")], must_change=("applicants",))


@pytest.mark.sqlite_only
def test_each_form_has_its_own_answer(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The command's words and each option's value are part of the key: another value, or another command
    with the same options, never gets this one's text."""
    kept = {form: settle(url, FIXED_NOW, form, capsys) for form in [
        ("programs", "list", "--limit", "5"), ("programs", "list", "--limit", "7"), ("stories",),
        ("stories", "--tag", "teamwork"), ("cases", "list"), ("projects", "list"),
        ("shortlist", "--budget", "5"), ("shortlist", "--budget", "6")]}
    assert len(set(kept.values())) == len(kept)
    for form, text in kept.items():
        assert quick(url, FIXED_NOW, *form) == text
    assert quick(url, FIXED_NOW, "programs", "list", "--limit", "9") is None
    assert quick(url, FIXED_NOW, "stories", "--tag", "ethical dilemma") is None
    assert quick(url, FIXED_NOW, "programs", "list", "--limit=05") == kept[("programs", "list", "--limit", "5")]


@pytest.mark.parametrize("args", [
    ("programs", "list", "--specialty", "Not A Specialty"), ("shortlist", "--explain", "NO-SUCH-PROGRAM"),
    ("shortlist", "--json", "--csv"), ("log", "list", "--rotation", "x"),
])
@pytest.mark.sqlite_only
def test_refusals_are_the_full_paths_and_never_kept(url: str, args: tuple[str, ...]) -> None:
    for _ in range(2):  # a refusal is never kept: the second run is refused the same way
        fast, slow = run("--db", url, *args), run("--db", url, *args, full=True)
        assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err), args
        assert fast.code == 2 and b"rror: " in fast.err and fast.out == b"", args


@pytest.mark.parametrize("args", [
    ("cv", "--output", "cv.md"), ("import", "some.ics"), ("outreach", "ls"), ("cv", "--format", "pdf"),
])
@pytest.mark.sqlite_only
def test_forms_that_write_files_or_are_not_known_take_the_full_path(url: str, capsys: pytest.CaptureFixture[str],
                                                                    args: tuple[str, ...]) -> None:
    settle(url, FIXED_NOW, ("cv",), capsys)
    assert quick(url, FIXED_NOW, *args) is None


@pytest.mark.sqlite_only
def test_an_answer_with_anything_on_stderr_or_wrapped_to_the_terminal_is_never_kept(url: str) -> None:
    """A warning goes to stderr, which the quick read does not print again, and text wrapped to the terminal's
    width depends on something the key leaves out: such answers are not kept. A stand-in `cases list` (in this process, on the real database) prints a line, with and without a warning."""
    import click

    from imgcoach.cli.common import State, kept_answer, print_table
    from imgcoach.composition import open_context
    from imgcoach.core.clock import FixedClock

    def stand_in(warning: bool, wrapped: bool = False) -> None:
        @click.command("list")
        def leaf() -> None:
            with kept_answer():
                click.echo("one case")
                if warning:
                    click.echo("imgcoach: warning: something to see", err=True)
                if wrapped:
                    print_table(["id", "what"], [[1, "prose wrapped to the terminal"]], wrap_last=True)

        root = click.Group("imgcoach", commands={"cases": click.Group("cases", commands={"list": leaf})})
        state = State(db=url)
        state._ctx = open_context(url, clock=FixedClock(FIXED_NOW))
        try:
            root.main(args=["cases", "list"], prog_name="imgcoach", standalone_mode=False, obj=state)
        finally:
            state._ctx.db.close()

    stand_in(warning=True)
    assert quick(url, FIXED_NOW, "cases", "list") is None
    stand_in(warning=False, wrapped=True)  # the width (COLUMNS, the terminal) is not in the key
    assert quick(url, FIXED_NOW, "cases", "list") is None
    stand_in(warning=False)
    assert quick(url, FIXED_NOW, "cases", "list") == "one case\n"


@pytest.mark.sqlite_only
def test_the_exported_calendar_follows_every_change(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`export`'s kept bytes never outlive a change to a row it is made from (a rotation, a study block, a
    letter's writer, a reminder, the applicant's name), made by raw SQL from another tool."""
    path = url.removeprefix("sqlite:///")

    def edit() -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE applicant SET name = 'Renamed Elsewhere'")
            conn.execute("UPDATE rotation SET institution = institution || ' East'")
            conn.execute("UPDATE contact SET name = name || ' Jr.'")
            conn.execute("UPDATE reminder SET note = 'moved' WHERE id = (SELECT min(id) FROM reminder)")

    _staleness(url, capsys, edit, forms=[("export",)], must_change=("export",))


@pytest.mark.sqlite_only
def test_an_export_whose_stamp_is_the_clock_is_not_kept(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An applicant row without created_at (written outside imgcoach) leaves study blocks and exams without a
    stored change time: their DTSTAMP is the moment of export, so those bytes are never kept."""
    from tests.test_cli_quickanswer import full

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE applicant SET created_at = NULL")
    first = full(url, FIXED_NOW, "export", capsys=capsys)
    later = full(url, FIXED_NOW + timedelta(minutes=1), "export", capsys=capsys)
    assert first != later  # the clock's DTSTAMP
    assert quick(url, FIXED_NOW + timedelta(minutes=1), "export") is None


@pytest.mark.sqlite_only
def test_a_new_tz_database_file_is_a_new_key(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The exported VTIMEZONE is built from the system's tz database: an updated zone file (apt's tzdata) must
    not leave an export (or a local day) computed from the old one."""
    import os
    import shutil
    import zoneinfo

    from imgcoach.core.settings import Settings
    from imgcoach.storage.readcache import current_key

    source = next(os.path.join(folder, "America", "New_York") for folder in zoneinfo.TZPATH
                  if os.path.isfile(os.path.join(folder, "America", "New_York")))
    (tmp_path / "zones" / "America").mkdir(parents=True)
    copy = tmp_path / "zones" / "America" / "New_York"
    shutil.copy(source, copy)
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tmp_path / "zones"),))
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE applicant SET timezone = 'America/New_York'")

    def key() -> str | None:
        return current_key(url, "export", applicant=None, now=FIXED_NOW, settings=Settings())

    before = key()
    assert before is not None and key() == before
    os.utime(copy, ns=(0, 10**18))
    assert key() != before
