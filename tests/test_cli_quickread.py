"""The list commands answered before click and SQLAlchemy (imgcoach.cli.quick, issue 17) print byte for byte
what the full path prints, with the same exit code and errors, on both engines, and fall back to it whenever
they cannot be sure (a schema to migrate, a missing file). Every case runs the real command twice as a
subprocess on a real database: as is, and with IMGCOACH_FULL_READ=1 (the full path, SQLAlchemy).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.storage.columns import COLUMNS, model_columns

HEAVY = ("sqlalchemy", "sqlmodel", "click", "alembic")


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes  # the command's own stderr, without -X importtime's lines
    modules: set[str]


def run(*args: str, full: bool = False, env: dict[str, str] | None = None) -> Run:
    environ = {k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"}
    if full:
        environ["IMGCOACH_FULL_READ"] = "1"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "imgcoach", *args], capture_output=True,
                          timeout=120, env={**environ, **(env or {})})
    own, modules = [], set()
    for line in proc.stderr.splitlines(keepends=True):
        if line.startswith(b"import time:"):
            name = line.rsplit(b"|", 1)[1].strip().decode()
            modules.add(name.split(".")[0] if not name.startswith("imgcoach") else name)
        else:
            own.append(line)
    return Run(proc.returncode, proc.stdout, b"".join(own), modules)


def same_both_ways(*args: str, quick: bool, env: dict[str, str] | None = None) -> Run:
    """Runs the command as is and on the full path; asserts they agree; `quick`: whether the first run must
    have been answered without SQLAlchemy, SQLModel, click and Alembic (else: it must have fallen back)."""
    fast, full = run(*args, env=env), run(*args, full=True, env=env)
    assert (fast.code, fast.err) == (full.code, full.err), args
    assert fast.out == full.out, args
    assert "click" in full.modules, "IMGCOACH_FULL_READ=1 takes the full path"
    if quick:
        assert not set(HEAVY) & fast.modules, f"{args}: the quick path imported {set(HEAVY) & fast.modules}"
    else:
        assert "click" in fast.modules, f"{args}: expected the full path"
    return fast


def second_applicant(ctx: Context) -> None:
    from imgcoach.plan import add_applicant, add_rotation

    other = add_applicant(ctx, name="Second Person", email="Second.Person@Example.com", timezone="Asia/Kolkata")
    ctx.applicant_id = other.id
    from datetime import date

    add_rotation(ctx, kind="research", specialty="Neurology", institution="Ünïcode Institute",
                 start_date=date(2027, 3, 1), end_date=date(2027, 3, 26))
    ctx.applicant_id = None


QUICK_COMMANDS = [
    ("rotations", "list"),
    ("rotations", "list", "--json"),
    ("reminders", "list", "--json"),
    ("reminders", "list", "--json", "--status", "pending"),
    ("reminders", "list", "--status=cancelled", "--json"),
    ("reminders", "list"),  # the table and its first line, the daemon's state (reminders.daemon_view)
    ("reminders", "list", "--status", "pending"),
    ("study", "list"),
    ("study", "list", "--json"),
    ("exams", "list"),
    ("exams", "list", "--json"),
    ("contacts", "list"),
    ("contacts", "list", "--json"),
    ("letters", "list"),
    ("letters", "list", "--json"),
    ("profile", "show"),
    ("profile", "show", "--json"),
    ("applicants", "list"),
    ("applicants", "list", "--json"),
]


@pytest.mark.parametrize("command", QUICK_COMMANDS, ids=" ".join)
def test_quick_commands_print_what_the_full_path_prints(demo_ctx: Context, command: tuple[str, ...]) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    found = same_both_ways("--db", url, *command, quick=True)
    assert found.code == 0 and found.out.count(b"\n") > 2, "the demo's rows, not an empty list"


def test_the_applicant_is_chosen_by_id_or_email_the_same_way(demo_ctx: Context) -> None:
    from imgcoach.plan import list_applicants

    second_applicant(demo_ctx)
    ids = [a.id for a in list_applicants(demo_ctx)]
    url = demo_ctx.db.url
    demo_ctx.db.close()
    outputs = set()
    for ref in (str(ids[1]), "second.person@example.COM", f" {ids[1]} "):
        for where in (["--db", url, "--applicant", ref, "rotations", "list", "--json"],
                      ["--db", url, "rotations", "list", "--json", f"--applicant={ref}"],
                      ["--db", url, "reminders", "list", "--json", "--applicant", ref],
                      ["--db", url, "profile", "show", "--applicant", ref]):
            outputs.add(same_both_ways(*where, quick=True).out)
    assert any("Ünïcode Institute" in out.decode() for out in outputs)
    by_env = same_both_ways("--db", url, "rotations", "list", quick=True, env={"IMGCOACH_APPLICANT": str(ids[1])})
    assert "Ünïcode" in by_env.out.decode()
    # A blank --applicant (an unset "$WHO") is refused on both paths, before anyone's rows are read: it chose the
    # first applicant, someone else on a shared database (stop 48; tests/test_applicant_blank48.py).
    blank = same_both_ways("--db", url, "--applicant", "", "rotations", "list", quick=False,
                           env={"IMGCOACH_APPLICANT": str(ids[1])})
    assert blank.code == 2 and blank.out == b"" and b"names no applicant" in blank.err


@pytest.mark.parametrize("ref", ["nobody@example.com", "999999", "9" * 30, "٣"])  # " ": click's (blank48)
def test_an_unknown_applicant_is_the_same_error(demo_ctx: Context, ref: str) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("rotations", "list"), ("reminders", "list", "--json"), ("profile", "show", "--json")):
        refused = same_both_ways("--db", url, "--applicant", ref, *command, quick=True)
        assert refused.code == 2 and refused.out == b""
        assert refused.err.startswith(b"imgcoach: error: --applicant / IMGCOACH_APPLICANT: no applicant")
    listed = same_both_ways("--db", url, "--applicant", ref, "applicants", "list", quick=True)
    assert listed.code == 0, "`applicants list` manages the list itself: --applicant does not apply"


def test_an_empty_database_is_the_same_error(empty_ctx: Context) -> None:
    url = empty_ctx.db.url
    empty_ctx.db.close()
    for command in QUICK_COMMANDS:
        refused = same_both_ways("--db", url, *command, quick=True)
        if command[0] == "applicants":  # the list itself: empty, not an error
            assert refused.code == 0 and refused.out in (b"[]\n", b"no applicants yet: imgcoach applicants add "
                                                         b"--name NAME --email EMAIL --timezone ZONE\n")
            continue
        assert refused.code == 2 and b"no applicant profile yet" in refused.err
    same_both_ways("--db", url, "daemon", "status", quick=False)  # nobody's zone yet: the full path (UTC)


def test_an_applicant_with_nothing_yet_lists_nothing_the_same_way(ctx: Context) -> None:
    """Both paths say the same; a table list says there is nothing and how to add the first, not a bare header
    (which a new user took for a command that did nothing)."""
    from imgcoach.cli.quick import EMPTY

    url = ctx.db.url
    ctx.db.close()
    said = set()
    for command in QUICK_COMMANDS:
        found = same_both_ways("--db", url, *command, quick=True)
        assert found.code == 0
        if command[0] in EMPTY and "--json" not in command:
            assert found.out.decode() == EMPTY[command[0]] + "\n", command
            said.add(command[0])
    assert said >= {"rotations", "study", "exams", "contacts", "letters"}


def test_the_database_named_in_the_config_file(demo_ctx: Context, isolated_user_dirs: Path) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    config = isolated_user_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[general]\ndatabase_url = "{url}"\n', encoding="utf-8")
    assert same_both_ways("rotations", "list", "--json", quick=True).code == 0
    config.write_text(f'[general]\ndatabase_url = "{url}"\ntypo = 1\n', encoding="utf-8")
    warned = same_both_ways("rotations", "list", "--json", quick=False)
    assert b"warning:" in warned.err, "a config file with warnings goes to the full path, which prints them"


def _one_migration_back(url: str) -> None:
    from alembic import command

    from imgcoach.storage.db import Database, _alembic_config, stored_revisions
    from imgcoach.storage.schema_heads import SCHEMA_HEADS

    db = Database(url, migrate=False)
    with db.engine.connect() as conn:
        if db.is_sqlite:  # as storage.db.upgrade runs migrations: 0008 rebuilds tables, which cascades otherwise
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            command.downgrade(_alembic_config(conn), "-1")
    assert stored_revisions(db.engine) not in (None, set(SCHEMA_HEADS))
    db.close()


def test_a_database_one_migration_behind_takes_the_full_path(demo_ctx: Context, db_engine: str,
                                                              tmp_path: Path) -> None:
    """SQLite upgrades itself on the full path (so each run gets its own copy); PostgreSQL refuses until
    `imgcoach db upgrade`: either way the quick read must not answer, and both runs agree."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    _one_migration_back(url)
    for command in QUICK_COMMANDS[:3]:
        if db_engine == "sqlite":
            source = Path(url.removeprefix("sqlite:///"))
            fast_copy, full_copy = tmp_path / "fast.sqlite", tmp_path / "full.sqlite"
            shutil.copyfile(source, fast_copy)
            shutil.copyfile(source, full_copy)
            fast = run("--db", f"sqlite:///{fast_copy}", *command)
            full = run("--db", f"sqlite:///{full_copy}", *command, full=True)
        else:
            fast = run("--db", url, *command)
            full = run("--db", url, *command, full=True)
        assert (fast.code, fast.out, fast.err) == (full.code, full.out, full.err), command
        assert "sqlalchemy" in fast.modules, "an older schema is read by the full path"
        if db_engine == "postgresql":
            assert fast.code == 2 and b"imgcoach db upgrade" in fast.err
        else:
            assert fast.code == 0 and fast.out


@pytest.mark.sqlite_only  # a file path: PostgreSQL has no missing file
def test_a_missing_database_file_is_the_full_paths_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.sqlite"
    refused = same_both_ways("--db", str(missing), "rotations", "list", quick=False)
    assert refused.code == 2 and b"no database at" in refused.err
    assert not missing.exists()


@pytest.mark.parametrize("args", [
    ("rotations", "list", "--help"),
    ("rotations", "ls", "--json"),
    ("reminders", "ls"),
    ("daemon", "status", "--json", "--bogus"),
    ("reminders", "list", "--json", "--status", "nonsense"),
    ("rotations", "list", "--json", "--bogus"),
    ("rotations", "list", "--json", "extra"),
])
def test_anything_else_goes_to_the_full_path_unchanged(demo_ctx: Context, args: tuple[str, ...]) -> None:
    url = demo_ctx.db.url
    demo_ctx.db.close()
    same_both_ways("--db", url, *args, quick=False)


def test_generated_columns_match_the_models() -> None:
    """storage.columns is what the quick read trusts about every table; after changing a model, regenerate it."""
    assert model_columns() == COLUMNS, (
        "imgcoach/storage/columns.py is out of date with the SQLModel models: "
        "run `.venv/bin/python -m imgcoach.storage.columns`")


def test_events_list_prints_what_the_full_path_prints(demo_ctx: Context) -> None:
    """Timed, all-day and mapped events, in list_events' order (moments and days mixed), in the applicant's zone."""
    from tests.test_tui_quickread import add_events

    add_events(demo_ctx)
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("events", "list"), ("events", "list", "--json")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert found.code == 0 and b"Interview: Mercy IM" in found.out
    assert same_both_ways("--db", url, "--applicant", "", "events", "list", "--json", quick=False).code == 2
    refused = same_both_ways("--db", url, "--applicant", "nobody", "events", "list", quick=True)
    assert refused.code == 2


def test_the_reminders_table_reports_the_daemons_as_the_full_path_does(demo_ctx: Context) -> None:
    """The first line of `reminders list` (and `daemon status`) depends on the moment and on processes (a fresh heartbeat from a live
    process: running; a dead process on this host: not), a pause, the last problem and the counts: the quick
    read computes it with the full path's rule (reminders.daemon_view.status_of) from the same rows."""
    import socket
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    from imgcoach.reminders.outbox import record_problem, register_daemon, unregister_daemon

    now = datetime.now(UTC)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    crashed = f"{socket.gethostname()}|{int(gone.stdout)}|crashed"  # a pid that has exited
    register_daemon(demo_ctx, crashed, now - timedelta(hours=2), 5.0, "email via smtp.example.com:587")
    record_problem(demo_ctx, crashed, now - timedelta(hours=2), "SMTP refused the login")
    stopped = f"{socket.gethostname()}|1|stopped"
    register_daemon(demo_ctx, stopped, now - timedelta(days=1), 5.0, "local mailbox /tmp/mail")
    unregister_daemon(demo_ctx, stopped, now - timedelta(hours=20))
    with demo_ctx.db.transaction() as session:
        session.execute(text("UPDATE reminder SET status = 'failed', last_error = 'mailbox full' WHERE id IN "
                             "(SELECT id FROM reminder WHERE status = 'pending' ORDER BY id LIMIT 2)"))
    url = demo_ctx.db.url
    for command in (("reminders", "list"), ("reminders", "list", "--status", "failed")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert b"daemon: NOT running" in found.out and b"SMTP refused the login" in found.out
    for command in (("daemon", "status"), ("daemon", "status", "--json")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert b"SMTP refused the login" in found.out
    alive = f"{socket.gethostname()}|{os.getpid()}|alive"  # this test's own process, with a fresh heartbeat
    # polling every 10 minutes: its heartbeat stays fresh across the six CLI runs below on a loaded machine
    # (at 5 s it went stale between the quick and the full read of one command)
    register_daemon(demo_ctx, alive, datetime.now(UTC), 600.0, "local mailbox /tmp/alive")
    record_problem(demo_ctx, alive, datetime.now(UTC), "paused: fix the settings",
                   paused_until=datetime.now(UTC) + timedelta(hours=1))
    demo_ctx.db.close()
    found = same_both_ways("--db", url, "reminders", "list", quick=True)
    assert b"daemon: running" in found.out and b"PAUSED until" in found.out and b"2 failed" in found.out
    for command in (("daemon", "status"), ("daemon", "status", "--json")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert b"PAUSED until" in found.out or b'"paused_until": "' in found.out


def test_db_status_prints_what_the_full_path_prints(demo_ctx: Context, db_engine: str, tmp_path: Path) -> None:
    """A database at this code's schema is answered with sqlite3 or psycopg alone (issue 17; a PostgreSQL URL
    shown as SQLAlchemy renders it, storage.quickconn.shown_server_url); a schema Alembic must name (older,
    here) takes the full path; both agree."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("--db", url, "db", "status"), ("db", "status", "--db", url), ("db", "status", f"--db={url}")):
        found = same_both_ways(*command, quick=True)
        assert found.code == 0 and found.out.endswith(b"; up to date\n")
    _one_migration_back(url)
    older = same_both_ways("--db", url, "db", "status", quick=False)
    assert older.code == 0 and b"older: run `imgcoach db upgrade`" in older.out
    if db_engine == "sqlite":
        missing = tmp_path / "nothing-here.sqlite"
        same_both_ways("--db", str(missing), "db", "status", quick=False)


def test_rotations_show_prints_what_the_full_path_prints(demo_ctx: Context) -> None:
    """Every demo rotation, as text and JSON: its supervisors, letters, cases (tags as JSON) and reminders, with
    which are overdue at this moment decided by the one rule (reminders.is_overdue) from the same rows."""
    from sqlalchemy import text

    from imgcoach.plan import list_rotations

    ids = [r.id for r in list_rotations(demo_ctx)]
    with demo_ctx.db.transaction() as session:  # one reminder long overdue, one failed, for every rotation
        session.execute(text("UPDATE reminder SET status = 'pending', due_at = '2020-01-06 14:00:00.000000' "
                             "WHERE id IN (SELECT min(id) FROM reminder GROUP BY rotation_id)"))
        session.execute(text("UPDATE reminder SET status = 'failed', last_error = 'mailbox full' "
                             "WHERE id IN (SELECT max(id) FROM reminder GROUP BY rotation_id)"))
    url = demo_ctx.db.url
    demo_ctx.db.close()
    shown = []
    for rotation_id in ids:
        for command in (("rotations", "show", str(rotation_id)), ("rotations", "show", "--json", str(rotation_id))):
            found = same_both_ways("--db", url, *command, quick=True)
            assert found.code == 0
            shown.append(found.out.decode())
    assert any("pending, OVERDUE" in out for out in shown) and any('"overdue": true' in out for out in shown)
    assert any(re.search(r"\nCases\n  [^\n]+\[[^\n]+\]", out) for out in shown), "a case with its tags"
    assert any("Letters\n  Dr." in out for out in shown) and any("People\n  Dr." in out for out in shown)


def test_rotations_show_refuses_the_same_way(demo_ctx: Context) -> None:
    """An unknown id and another applicant's rotation are the same refusal (exit 2, nothing on stdout); the
    other applicant sees it, in their own zone; anything click converts differently goes to the full path."""
    from imgcoach.plan import list_applicants, list_rotations

    second_applicant(demo_ctx)
    other = list_applicants(demo_ctx)[1].id
    demo_ctx.applicant_id = other
    theirs = list_rotations(demo_ctx)[0].id
    demo_ctx.applicant_id = None
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("rotations", "show", str(theirs)), ("rotations", "show", "999999", "--json"),
                    ("--applicant", "nobody@example.com", "rotations", "show", str(theirs))):
        refused = same_both_ways("--db", url, *command, quick=True)
        assert refused.code == 2 and refused.out == b"", command
    assert b"no rotation with id 999999" in same_both_ways("--db", url, "rotations", "show", "999999", quick=True).err
    mine = same_both_ways("--db", url, "rotations", "show", str(theirs), "--applicant", str(other), quick=True)
    assert mine.code == 0 and "Ünïcode Institute" in mine.out.decode() and b"(times in Asia/Kolkata)" in mine.out
    for args in (("rotations", "show", f" {theirs}"), ("rotations", "show", "9" * 12), ("rotations", "show"),
                 ("rotations", "show", "1", "2"), ("rotations", "show", "-1")):
        same_both_ways("--db", url, *args, quick=False)


def test_rotations_show_on_an_empty_database_is_the_same_error(empty_ctx: Context) -> None:
    url = empty_ctx.db.url
    empty_ctx.db.close()
    refused = same_both_ways("--db", url, "rotations", "show", "1", quick=True)
    assert refused.code == 2 and b"no applicant profile yet" in refused.err


def test_db_check_prints_what_the_full_path_prints(demo_ctx: Context, db_engine: str) -> None:
    """A sound SQLite file at this code's schema is checked with sqlite3 alone (issue 17), the same file check and
    the same cross-applicant queries (storage.cross_link_sql), which PostgreSQL runs through libpq (no file to
    check there). Both agree. A row linking two applicants goes to the full path: tests/test_owner_triggers.py."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("db", "check"), ("db", "check", "--full"), ("db", "check", "--db", url, "--full")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert found.code == 0 and found.out.endswith(b"no row links two applicants)\n")
    same_both_ways("--db", url, "db", "check", "--full=yes", quick=False)


@pytest.mark.postgresql_only
def test_db_status_and_check_on_postgresql_read_without_psycopg(demo_ctx: Context) -> None:
    """Importing psycopg cost four times `python -c pass` (issue 17): PostgreSQL is read through the libpq psycopg
    would load, with ctypes (storage.quickpq), and prints what the full path prints."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for command in (("db", "status"), ("db", "check"), ("db", "check", "--full")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert found.code == 0 and not {"psycopg", "psycopg_binary"} & found.modules, command


@pytest.mark.postgresql_only
def test_the_list_commands_on_postgresql_read_without_psycopg(demo_ctx: Context) -> None:
    """The list commands read PostgreSQL through psycopg, whose import alone cost four times `python -c pass` and
    kept them at 9x (issue 17): they read through the same libpq with ctypes, each value typed as psycopg types it
    (storage.quickpq.Snapshot), and print byte for byte what the full path prints."""
    url = demo_ctx.db.url
    second_applicant(demo_ctx)
    demo_ctx.db.close()
    for command in (*QUICK_COMMANDS, ("rotations", "show", "2"), ("rotations", "show", "2", "--json"),
                    ("events", "list", "--json"), ("--applicant", "second.person@example.com", "rotations", "list")):
        found = same_both_ways("--db", url, *command, quick=True)
        assert found.code == 0 and not {"psycopg", "psycopg_binary"} & found.modules, command


@pytest.mark.postgresql_only
def test_a_notice_from_the_server_reads_through_psycopg_the_same_way(demo_ctx: Context) -> None:
    """libpq would print a server's notice on stderr (psycopg logs it): a notice sends the read to psycopg."""
    url = demo_ctx.db.url
    demo_ctx.db.close()
    chatty = {"PGOPTIONS": "-c client_min_messages=debug5"}
    for command in (("rotations", "list", "--json"), ("reminders", "list")):
        found = same_both_ways("--db", url, *command, quick=True, env=chatty)
        assert found.code == 0 and b"DEBUG" not in found.err and "psycopg" in found.modules, command


@pytest.mark.postgresql_only
def test_db_status_and_check_on_postgresql_fall_back_the_same_way(demo_ctx: Context) -> None:
    """Another psycopg implementation chosen: read through psycopg, as before; a server that sends notices (which
    libpq would print on stderr) and a database that does not exist: the full path. All agree with it."""
    from ctypes.util import find_library

    url = demo_ctx.db.url
    demo_ctx.db.close()
    if find_library("pq") is not None:  # psycopg's pure-Python implementation loads the system's libpq
        for command in (("db", "status"), ("db", "check")):
            found = same_both_ways("--db", url, *command, quick=True, env={"PSYCOPG_IMPL": "python"})
            assert found.code == 0 and "psycopg" in found.modules, command
    chatty = {"PGOPTIONS": "-c client_min_messages=debug5"}
    for command in (("db", "status"), ("db", "check")):
        found = same_both_ways("--db", url, *command, quick=False, env=chatty)
        assert found.code == 0 and b"DEBUG" not in found.err, command
    missing = re.sub(r"/[^/?]+\?", "/no_such_database?", url, count=1)
    for command in (("db", "status"), ("db", "check")):
        refused = same_both_ways("--db", missing, *command, quick=False)
        assert refused.code != 0 and b"no_such_database" in refused.err, command


def test_generated_cross_link_queries_match_the_ownership_rule() -> None:
    """storage.cross_link_sql is what `db check`'s quick read trusts; after changing a model, regenerate it."""
    from imgcoach.storage.cross_link_sql import CROSS_LINK_PROBES, current_probes

    assert current_probes() == CROSS_LINK_PROBES, (
        "imgcoach/storage/cross_link_sql.py is out of date: run `.venv/bin/python -m imgcoach.storage.cross_link_sql`")
    assert len(CROSS_LINK_PROBES) >= 8 and all(" LIMIT 1" in sql for sql in CROSS_LINK_PROBES)


# URLs as people write them: each is either shown exactly as SQLAlchemy shows it, or left to SQLAlchemy (None).
SERVER_URLS = [
    "postgresql+psycopg://imgcoach@/imgcoach_test?host=/tmp/pg socket",
    "postgresql+psycopg://imgcoach@/db?host=/tmp/pg-sock.1",
    "postgresql://alice:s3cr%40t@db.example.org:5432/plans",
    "postgresql+psycopg://alice:p:w@localhost/plans?sslmode=require&application_name=imgcoach&sslmode=disable",
    "postgresql+psycopg://alice:@localhost:6543/plans?connect_timeout=&target_session_attrs=any",
    "postgresql+psycopg://@localhost/plans", "postgresql+psycopg:///plans", "postgresql+psycopg://u@:5432/plans",
    "postgresql+psycopg://localhost:5432/plans?a=1+2&b=%2Fx&c=%20y", "postgresql+psycopg://u@h/db?",
    "postgresql+psycopg://u@h:05432/db", "postgresql+psycopg://u%20x@h/db", "postgresql+psycopg://u@h/d%2Fb",
    "postgresql+psycopg://u@[::1]:5432/db", "postgresql+psycopg://u@h/db#frag", "postgresql+psycopg://u:a@b@h/db",
    "postgresql+psycopg://u@h", "postgresql+psycopg2://u@h/db", "mysql://u@h/db", "postgresql+psycopg://u@h/db?x=\n",
]


@pytest.mark.parametrize("url", SERVER_URLS)
def test_a_server_url_is_shown_as_sqlalchemy_shows_it_or_left_to_it(url: str) -> None:
    """`db status` and `db check` name a PostgreSQL database by its URL, password masked (storage.db.safe_url);
    the quick read writes the same text without SQLAlchemy, for the plain URLs it is sure of."""
    from imgcoach.storage.db import safe_url
    from imgcoach.storage.quickconn import shown_server_url

    shown = shown_server_url(url)
    assert shown is None or shown == safe_url(url), (url, shown, safe_url(url))
    plain = url.startswith(("postgresql+psycopg://imgcoach@/db", "postgresql://alice", "postgresql+psycopg://alice"))
    assert shown is not None or not plain, f"{url}: a plain URL should be shown without SQLAlchemy"


def test_the_other_lists_say_they_are_empty_too(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    """The lists only the full path answers: the same line; a filter that matches nothing keeps the header."""
    from imgcoach.cli.quick import EMPTY
    from tests.cli_helpers import run_cli

    for group in ("outreach", "cases", "log", "programs"):
        found = run_cli(capsys, group, "list", "--db", ctx.db.url)
        assert (found.code, found.out) == (0, EMPTY[group] + "\n"), group
    filtered = run_cli(capsys, "programs", "list", "--state", "NY", "--db", ctx.db.url)
    assert filtered.out.splitlines()[0].split() == ["id", "name", "specialty", "state", "unknown", "overridden"]
