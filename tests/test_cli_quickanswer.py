"""`readiness` and `shortlist` answered from the full path's kept answer (imgcoach.cli.quick ->
storage.readcache, issue 17): byte for byte what the full path prints, and never a stale answer.

The staleness tests follow one person: the full path answers (and keeps its text), then something that
changes the answer happens (a rotation added or the time zone changed by another process, an exam added,
programs imported, a new day), and the next quick read must print what the full path prints now. Each would
fail if the validity key left that input out: the quick read would print the kept, older text, and each test
first checks that the full path's text did change.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.conftest import FIXED_NOW
from tests.matching_support import csv_text, row
from tests.test_cli_quickread import HEAVY, run

FORMS = [("readiness",), ("readiness", "--json"), ("readiness", "--sources"), ("shortlist",), ("shortlist", "--json")]
# The other kept forms (cli.quick.KEPT; tests/test_cli_kept_reads.py).
KEPT_FORMS: list[tuple[str, ...]] = [
    ("outreach", "list"), ("outreach", "list", "--json"),
    ("log", "list"), ("log", "list", "--json", "--rotation", "1"),
    ("cases", "list"), ("cases", "list", "--json"),
    ("projects", "list"), ("projects", "list", "--json"),
    ("stories",), ("stories", "--json"), ("stories", "--tag", "teamwork"),
    ("programs", "list"), ("programs", "list", "--json", "--specialty", "IM", "--state", "NY", "--limit", "5"),
    ("import", "--history"), ("import", "--history", "--json"),
    ("cv",), ("cv", "--format", "txt", "--include-planned"),
    ("applicants", "show"), ("applicants", "show", "--json"),
    ("shortlist", "--csv"), ("shortlist", "--budget", "5"), ("shortlist", "--budget-usd", "1500.5"),
    ("shortlist", "--completed-only", "--json"), ("shortlist", "--what-if-step2", "250"),
    ("export",),  # the plan's ICS bytes on standard output
]


def full(url: str, at: datetime, *args: str, capsys: pytest.CaptureFixture[str], refresh_feeds: bool = True) -> str:
    """The full path (click, SQLAlchemy) in this process, with the clock at `at`: what `imgcoach` prints."""
    from imgcoach.cli.common import State
    from imgcoach.cli.main import cli
    from imgcoach.composition import open_context

    capsys.readouterr()
    state = State(db=url)
    chosen = args[args.index("--applicant") + 1] if "--applicant" in args else None  # (the State opens none now)
    state._ctx = open_context(url, clock=FixedClock(at), refresh_feeds=refresh_feeds, applicant=chosen)
    try:
        cli.main(args=["--db", url, *args], prog_name="imgcoach", standalone_mode=False, obj=state)
    finally:
        state._ctx.db.close()
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    return captured.out


def quick(url: str, at: datetime, *args: str) -> str | None:
    """The quick read's answer at `at`, or None when it leaves the command to the full path."""
    from imgcoach.cli.quick import quick_listing

    found = quick_listing(["--db", url, *args], now=lambda: at)
    if found is None:
        return None
    assert (found.code, found.err) == (0, "")
    return found.out


def settle(url: str, at: datetime, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the full path until its answer is kept (shortlist's first run marks its changes seen, so only the
    second prints what it prints again); the kept answer, checked to be served by the quick read."""
    for _ in range(3):
        text = full(url, at, *args, capsys=capsys)
        if quick(url, at, *args) == text:
            return text
    raise AssertionError(f"{args}: the full path's answer was never kept")


def cli_write(url: str, *args: str) -> None:
    """A change made by another process: the `imgcoach` command in a subprocess."""
    proc = subprocess.run([sys.executable, "-m", "imgcoach", "--db", url, *args], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def url(demo_ctx: Context, db_engine: str) -> str:
    if db_engine != "sqlite":
        pytest.skip("the quick read answers from SQLite files only")
    demo_ctx.db.close()
    return demo_ctx.db.url


@pytest.mark.parametrize("form", FORMS, ids=" ".join)
def test_the_kept_answer_is_what_the_full_path_prints_in_a_new_process(demo_ctx: Context, db_engine: str,
                                                                       form: tuple[str, ...]) -> None:
    """Subprocesses, as a person runs them: the quick read loads none of click, SQLAlchemy, SQLModel, Alembic
    and prints the full path's bytes. PostgreSQL keeps no answers: the full path, the same text, except
    `readiness`, computed by the quick read there every time (tests/test_cli_readiness_quick.py)."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for _ in range(2):  # shortlist's first run marks its changes seen; the second is kept
        run("--db", url, *form, full=True)
    fast, slow = run("--db", url, *form), run("--db", url, *form, full=True)
    assert (fast.code, fast.err, fast.out) == (slow.code, slow.err, slow.out) and fast.code == 0
    assert slow.out.count(b"\n") > 5
    if db_engine == "sqlite":
        assert not set(HEAVY) & fast.modules, f"{form}: the quick read imported {set(HEAVY) & fast.modules}"
        again = run("--db", url, *form)
        assert again.out == slow.out and not set(HEAVY) & again.modules
    else:
        assert ("sqlalchemy" in fast.modules) == (form[0] != "readiness"), form


def _copy(url: str) -> str:
    """The database as it is now, in a file beside it (SQLite's backup: the WAL's pages included)."""
    path = url.removeprefix("sqlite:///") + ".before.sqlite"
    Path(path).unlink(missing_ok=True)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{path}"


def _staleness(url: str, capsys: pytest.CaptureFixture[str], change: Callable[[], None], *,
               before_at: datetime = FIXED_NOW, after_at: datetime = FIXED_NOW,
               forms: list[tuple[str, ...]] = FORMS, must_change: tuple[str, ...] = ("readiness",)) -> None:
    for _ in range(3):  # until every form's answer is kept at once (one form's first run may write)
        kept = {form: settle(url, before_at, form, capsys) for form in forms}
        if all(quick(url, before_at, *form) == kept[form] for form in forms):
            break
    else:
        raise AssertionError("the answers were never all kept at once")
    change()
    for form in forms:
        # The full path looks at a copy of the state the change left: the quick read's first `shortlist` look
        # stores its run and marks its changes seen, as the full path's does (tests/test_cli_shortlist_quick.py).
        before = _copy(url)
        fast = quick(url, after_at, *form)
        now = full(before, after_at, *form, capsys=capsys)
        if form[0] in must_change:
            assert now != kept[form], f"{form}: the change does not show in the full path's answer"
        assert fast is None or fast == now, f"{form}: the quick read printed a stale answer"
        assert settle(url, after_at, form, capsys) == full(url, after_at, *form, capsys=capsys)


@pytest.mark.sqlite_only
def test_a_rotation_added_by_another_process(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _staleness(url, capsys, lambda: cli_write(
        url, "rotations", "add", "--kind", "externship", "--specialty", "Internal Medicine", "--institution",
        "Mercy Hospital", "--city", "Chicago", "--state", "IL", "--country", "US", "--start", "2027-01-04",
        "--end", "2027-02-26", "--hours", "40", "--setting", "inpatient"), must_change=("readiness", "shortlist"))


@pytest.mark.sqlite_only
def test_the_time_zone_changed_to_one_where_it_is_already_tomorrow(url: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """At 14:00 UTC it is the same day in the demo's zone and the next day at UTC+14: "As of" moves."""
    _staleness(url, capsys, lambda: cli_write(url, "profile", "set", "--timezone", "Pacific/Kiritimati"))


@pytest.mark.sqlite_only
def test_an_exam_score_corrected(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The Step 2 CK score corrected to 262: the exam check and every program's chance move. (A second
    attempt after the demo's pass, as this test once added, is refused now: a passed Step is not retaken.)"""
    import json

    listed = subprocess.run([sys.executable, "-m", "imgcoach", "--db", url, "exams", "list", "--json"],
                            capture_output=True, text=True, timeout=120, env=dict(os.environ))
    (step2,) = [row["id"] for row in json.loads(listed.stdout) if row["exam"] == "Step 2 CK"]
    _staleness(url, capsys, lambda: cli_write(url, "exams", "edit", str(step2), "--score", "262"),
               must_change=("readiness", "shortlist"))


@pytest.mark.sqlite_only
def test_programs_imported(url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "more.csv"
    path.write_text(csv_text(*[row(program_id=f"Q{i}", name=f"Quick Read IM {i}", yog_cutoff_years="none",
                                   state="NY", step2_typical="225") for i in range(5)]))
    _staleness(url, capsys, lambda: cli_write(url, "programs", "import", str(path)),
               forms=[("shortlist",), ("shortlist", "--json"), ("readiness",)], must_change=("shortlist",))


@pytest.mark.sqlite_only
def test_a_new_day_with_no_write_at_all(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing is written; the clock passes midnight in the applicant's zone."""
    _staleness(url, capsys, lambda: None, after_at=FIXED_NOW + timedelta(days=1))


@pytest.mark.sqlite_only
def test_raw_sql_from_another_tool_is_seen(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A write that bypasses imgcoach (the sqlite3 shell, a script): the triggers count it all the same."""
    path = url.removeprefix("sqlite:///")

    def edit() -> None:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE applicant SET name = 'Renamed Elsewhere'")

    _staleness(url, capsys, edit, forms=[("readiness",)])


@pytest.mark.sqlite_only
def test_no_answer_is_trusted_without_every_trigger(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing trigger would let writes to its table go unseen: then nothing is kept or served. (`readiness`
    is then computed afresh by the quick read each time, as on PostgreSQL, and kept by neither path.)"""
    from imgcoach.core.settings import load_settings
    from imgcoach.plan import stored_answer_quickly

    kept = settle(url, FIXED_NOW, ("readiness",), capsys)
    assert kept
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER read_version_rotation_insert")

    def served() -> str | None:
        return stored_answer_quickly(url, "readiness", applicant=None, now=FIXED_NOW, settings=load_settings())

    assert served() is None
    assert quick(url, FIXED_NOW, "readiness") == full(url, FIXED_NOW, "readiness", capsys=capsys) == kept
    assert served() is None
    assert quick(url, FIXED_NOW, "readiness", "--json") == full(url, FIXED_NOW, "readiness", "--json", capsys=capsys)
    assert served() is None


@pytest.mark.sqlite_only
def test_each_applicant_has_their_own_answer(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.composition import open_context
    from imgcoach.plan import add_applicant

    ctx = open_context(url, clock=FixedClock(FIXED_NOW))
    other = add_applicant(ctx, name="Other Person", email="other@example.com", timezone="Asia/Kolkata")
    ctx.db.close()
    first = settle(url, FIXED_NOW, ("readiness",), capsys)
    # Not the first applicant's kept answer: computed for the other (coach.readiness_quickly), as the full path does
    computed = quick(url, FIXED_NOW, "--applicant", str(other.id), "readiness")
    second = settle(url, FIXED_NOW, ("--applicant", "other@example.com", "readiness"), capsys)
    assert computed == second
    assert first != second and "Other Person" in second
    assert quick(url, FIXED_NOW, "readiness") == first
    assert quick(url, FIXED_NOW, "--applicant", str(other.id), "readiness") == second
    assert quick(url, FIXED_NOW, "--applicant", "nobody@example.com", "readiness") is None


# (`shortlist --csv`, `--budget N`, `--completed-only`... are computed by the quick read when no answer is kept:
# tests/test_cli_shortlist_quick.py compares them with the full path.)
@pytest.mark.parametrize("args", [("readiness", "--help"), ("readiness", "--bogus"), ("shortlist", "--json", "--csv")])
@pytest.mark.sqlite_only
def test_other_forms_take_the_full_path(url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    settle(url, FIXED_NOW, ("shortlist",), capsys)
    assert quick(url, FIXED_NOW, *args) is None


def test_the_commands_read_only_watched_tables(demo_ctx: Context, db_engine: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Every table the full path of each kept form (readiness, shortlist and KEPT_FORMS) reads (SQLite's authorizer, on every connection) raises a
    read_version counter when written; and every table is either watched or left out for a stated reason."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool
    from sqlmodel import SQLModel

    from imgcoach.storage import readcache
    from imgcoach.storage.models import register_all

    if db_engine != "sqlite":
        pytest.skip("the authorizer is SQLite's")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    read: set[str] = set()

    def authorizer(action: int, table: str | None, *_: object) -> int:
        if action == sqlite3.SQLITE_READ and table:
            read.add(table)
        return sqlite3.SQLITE_OK

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_authorizer(authorizer)

    bookkeeping = {"alembic_version", "sqlite_master", "read_version", "read_answer"}
    every: set[str] = set()
    event.listen(Pool, "connect", on_connect)
    try:
        for form in FORMS + KEPT_FORMS:  # (without the calendar feed's refresh after a commit: in no answer)
            read.clear()
            full(url, FIXED_NOW, *form, capsys=capsys, refresh_feeds=False)
            # Its key counts writes to these tables alone (readcache.READS): one it reads beyond them would
            # leave its kept answer current after a write that changes it.
            beyond = read - bookkeeping - set(readcache.read_tables(" ".join(form)))
            assert not beyond, f"{' '.join(form)} reads {sorted(beyond)}, not in its storage.readcache.READS"
            every |= read
    finally:
        event.remove(Pool, "connect", on_connect)
    assert {"applicant", "rotation", "program"} <= every
    assert every - bookkeeping <= set(readcache.WATCHED), f"read but not watched: {every - bookkeeping - set(readcache.WATCHED)}"
    assert {table for tables in readcache.READS.values() for table in tables} <= set(readcache.WATCHED)
    not_watched = {"calendar_event", "calendar_feed", "daemon_state", "read_answer", "read_version"}
    register_all()  # the models load lazily
    assert set(SQLModel.metadata.tables) == set(readcache.WATCHED) | not_watched, (
        "a new table: add it to storage.readcache.WATCHED (and a migration's triggers) or say why not here")


def test_the_migration_watches_what_the_reader_trusts() -> None:
    import importlib

    from imgcoach.storage import readcache

    migration = importlib.import_module("imgcoach.storage.migrations.versions.0007_read_answers")
    assert migration.WATCHED == readcache.WATCHED and migration.OPERATIONS == readcache.OPERATIONS


def test_the_code_version_follows_every_file(tmp_path: Path) -> None:
    """An upgrade or an edited rule file changes every key (compiled bytecode does not)."""
    from imgcoach.storage.readcache import files_version

    (tmp_path / "pkg").mkdir()
    rules = tmp_path / "pkg" / "rules.toml"
    rules.write_text("a = 1\n")
    first = files_version(tmp_path, "1.0")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert files_version(tmp_path, "1.0") == first
    assert files_version(tmp_path, "1.1") != first
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 1))
    assert files_version(tmp_path, "1.0") != first


@pytest.mark.sqlite_only
def test_refusals_are_the_full_paths_and_never_kept(demo_ctx: Context) -> None:
    """An applicant named who is not in the database: the quick read leaves it to the full path, so the exit code
    and the one-line error are the full path's, every time."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    cases = [("--db", url, "--applicant", "nobody@example.com", "readiness"),
             ("--db", url, "shortlist", "--applicant", "424242", "--json")]
    for args in cases:
        for _ in range(2):  # a refusal is never kept: the second run is refused the same way
            fast, slow = run(*args), run(*args, full=True)
            assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err), args
            assert fast.code == 2 and fast.err.startswith(b"imgcoach: error: ") and fast.out == b"", args


@pytest.mark.parametrize("form", [("shortlist",), ("shortlist", "--json")], ids=" ".join)
def test_the_look_after_the_first_one_following_a_write_takes_the_quick_path(url: str, form: tuple[str, ...]) -> None:
    """The first look after a change stores a run and marks its changes seen, so its own answer cannot be kept;
    the look after it took the full path too (about a second for an answer already known). The first look now
    keeps what the next one prints: that one loads none of the database stack and prints the full path's bytes."""
    for _ in range(2):
        cli_write(url, "profile", "set", "--budget-programs", "40")
        first = run("--db", url, *form, full=True)  # the full path, as the first look after a write takes
        assert first.code == 0 and first.err == b""
        second = run("--db", url, *form)
        assert not set(HEAVY) & second.modules, f"{form}: took the full path: {set(HEAVY) & second.modules}"
        assert second.out == run("--db", url, *form, full=True).out
        cli_write(url, "profile", "set", "--budget-programs", "41")  # the next round starts from another change


@pytest.mark.sqlite_only
def test_a_reminder_written_leaves_the_answers_that_never_read_one_kept(url: str,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The daemon writes reminder rows all day (sent, retried, caught up) and the applicant cancels one: every
    kept answer went stale on any write, so `readiness`, `cv`, `stories` and `shortlist` took the full path
    (about a second each) after each of them, though none reads a reminder. A key counts only the tables its
    command reads now (storage.readcache.READS); `export`, which reads reminders, is never served stale."""
    import json

    forms = [("readiness",), ("readiness", "--json"), ("cv",), ("stories",), ("shortlist",), ("export",)]
    kept = {form: settle(url, FIXED_NOW, form, capsys) for form in forms}
    listed = subprocess.run([sys.executable, "-m", "imgcoach", "--db", url, "reminders", "list", "--json"],
                            capture_output=True, text=True, timeout=120, env=dict(os.environ))
    pending = [row["id"] for row in json.loads(listed.stdout) if row["status"] == "pending"]
    assert pending
    cli_write(url, "reminders", "cancel", str(pending[0]))
    fast = {form: quick(url, FIXED_NOW, *form) for form in forms}  # before any full path keeps a new answer
    for form in forms:
        now = full(url, FIXED_NOW, *form, capsys=capsys)
        if form == ("export",):  # reads reminders: kept only while none was written
            assert fast[form] is None or fast[form] == now
        else:
            assert now == kept[form], f"{form}: a reminder changed what it prints: it reads reminders after all"
            assert fast[form] == now, f"{form}: took the full path after a write to a table it does not read"
