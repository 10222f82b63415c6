"""Stored answers of read commands, proven current with sqlite3 alone (issue 17: `readiness` and `shortlist`
within 5x `python -c pass`). Stdlib only: the CLI's quick read imports this before click or SQLAlchemy.

Why stored answers and not a second, stdlib implementation of the readiness checks or the shortlist model:
one rule has one implementation. The full path computes and prints as it always did, then keeps the exact
text it printed with a validity key (`keep`); the quick read computes the key again and prints the kept text
only when the two are equal (`stored`); anything else, and any doubt, goes to the full path. (`readiness`'s
quick read also computes a stale answer itself, with the coach's one builder fed by sqlite3 rows, and keeps it
the same way: `lookup` gives it the key before it reads. `shortlist [--json]`'s does too, with the matching
feature's own conversions and ranking (matching.shortlist_quickly); its writes are counted by the same triggers,
and the key after them, from `lookup` again, keeps the next look's answer as keep_next_answer does.)

The key (`validity_key`) is a hash of everything the printed text can depend on:
- the data: the ``read_version`` counters, which SQLite triggers raise on every insert, update and delete of
  every table a kept command reads (migration 0007_read_answers), whoever writes: the app, the daemon, an
  import, another CLI process, raw SQL; of these, the counters of the tables this command reads (READS).
  The triggers and counter rows are checked to be all in place, with this code's exact text, before any key
  is made;
- the schema (Alembic heads: only a database at this code's schema is read at all);
- the applicant the command is for (by id) and their time zone, the system tz database file of that zone
  (`export`'s VTIMEZONE is built from it), and the local day in that zone (the checks and the shortlist
  count days from "today");
- this code: its version, the Python version, the size and modification time of every file of the imgcoach
  package (an upgrade or an edited rule invalidates every answer), and the modification time of each
  site-packages folder (installing or removing a distribution changes it: a dependency upgraded);
- the settings (config.toml as read) and the IMGCOACH_* environment, except the variable that forces the full
  path and secrets;
- the command form itself (`readiness --json`, ...).

The full path takes the key before it reads anything and stores only when the key is the same after it has
printed, inside the write transaction that stores (`keep`): the counters only ever go up, so equal keys mean
no write came in between and the text is what the command prints for that key. A command whose own writes
change what it prints (`shortlist` marking changes as seen) is therefore not kept by the run that writes: that
run computes the next run's answer once more, printing nothing, and keeps it (cli.common.keep_next_answer).
An answer holding an escape sequence is never kept: click strips those when stdout is not a terminal.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from imgcoach.storage.quickconn import at_current_schema, sqlite_file
from imgcoach.storage.schema_heads import SCHEMA_HEADS

try:  # CPython's own SHA-256 module: hashlib's OpenSSL import alone costs ~0.1x `python -c pass`
    from _sha256 import sha256  # type: ignore[import-not-found]  # 3.11
except ImportError:  # pragma: no cover - other Pythons
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]  # 3.12+
    except ImportError:
        from hashlib import sha256

FORMAT = 3  # of the key: raise it when what the key covers changes

# The tables whose every write raises their read_version counter (migration 0007_read_answers, which writes
# the list out as of its day; a test checks the two agree and that the commands read nothing else).
WATCHED: tuple[str, ...] = (
    "applicant", "calendar_import", "calendar_source", "case_note", "coach_moment", "coach_outreach",
    "coach_project", "coach_weekly_entry", "contact", "exam_result", "letter_request", "program",
    "program_change", "program_import", "program_override", "reminder", "rotation", "rotation_contact",
    "shortlist_entry", "shortlist_run", "study_block",
)
OPERATIONS = ("insert", "update", "delete")
# The watched tables each kept command reads, by its first words (every form of it: options, the default view's
# run, --explain). Its key counts writes to these alone: the daemon marking a reminder sent, a feed refresh or a
# nightly shortlist run no longer sends `readiness`, `cv` or `stories` down the full path, since none of them
# reads those rows. tests/test_cli_quickanswer.py checks, with SQLite's authorizer, that every kept form's full
# path reads nothing else; a command not listed here counts every watched table.
_COACH = ("applicant", "case_note", "coach_project", "coach_weekly_entry", "contact", "exam_result", "letter_request",
          "rotation", "rotation_contact")  # what coach.loading builds every coach answer from
READS: dict[str, tuple[str, ...]] = {
    "readiness": _COACH,
    "cases list": _COACH,
    "stories": _COACH,
    "cv": _COACH,
    "shortlist": ("applicant", "coach_project", "exam_result", "letter_request", "program", "program_import",
                  "program_override", "rotation", "shortlist_entry", "shortlist_run"),
    "outreach list": ("applicant", "coach_outreach"),
    "log list": ("applicant", "coach_weekly_entry", "rotation"),
    "projects list": ("applicant", "coach_project"),
    "programs list": ("applicant", "program", "program_override"),
    "import": ("applicant", "calendar_import"),
    "applicants show": ("applicant",),
    "export": ("applicant", "contact", "exam_result", "letter_request", "reminder", "rotation", "study_block"),
}


def read_tables(command: str) -> tuple[str, ...]:
    """The watched tables whose writes can change `command`'s answer (READS; all of them when not listed)."""
    words = command.split(" ", 2)
    return READS.get(" ".join(words[:2])) or READS.get(words[0]) or WATCHED
# The cache's own tables. Their counters only go up (a lower one could make a kept answer look current again),
# so an undo that puts every row back exactly still leaves them higher: "exactly" compares the other tables.
OWN_TABLES: tuple[str, ...] = ("read_version", "read_answer")
FULL_READ_ENV = "IMGCOACH_FULL_READ"
_NOT_KEYED = (FULL_READ_ENV, "IMGCOACH_DEBUG")
_SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN")


def trigger_sql(table: str, operation: str) -> str:
    """The trigger migration 0007 creates, as SQLite keeps its text in sqlite_master."""
    return (f"CREATE TRIGGER read_version_{table}_{operation} AFTER {operation.upper()} ON {table} "
            f"BEGIN UPDATE read_version SET n = n + 1 WHERE name = '{table}'; END")


EXPECTED_TRIGGERS: frozenset[tuple[str, str]] = frozenset(
    (f"read_version_{table}_{operation}", trigger_sql(table, operation))
    for table in WATCHED for operation in OPERATIONS)


@cache
def code_version() -> str:
    """This code as it is installed: version, Python, and every file of the package (path, size, mtime)."""
    import imgcoach

    # An installed or removed distribution (a dependency upgraded) changes its site-packages folder's mtime.
    libraries = []
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            libraries.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
    return files_version(Path(imgcoach.__file__).parent, "\n".join([imgcoach.__version__, *libraries]))


def files_version(root: Path, version: str) -> str:
    """A hash of `version`, the Python version and every file under `root` (path, size, modification time),
    compiled bytecode left out (written as a side effect of running)."""
    digest = sha256(f"{version}\n{sys.version}\n".encode())
    lines: list[str] = []
    folders = [(str(root), "")]
    while folders:  # os.scandir: one stat per file (about 300 files, a few ms)
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif not entry.name.endswith((".pyc", ".pyo")):
                    stat = entry.stat()
                    lines.append(f"{prefix}{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    digest.update("".join(sorted(lines)).encode())
    return digest.hexdigest()


def zone_file(zone: str) -> str:
    """The system tz database file zoneinfo reads for `zone` (path, size, modification time), or "": an
    updated tz database changes an exported VTIMEZONE and can change a local day. The tzdata package, used
    when no system file exists, is covered by code_version (its site-packages folder)."""
    from zoneinfo import TZPATH

    if not zone or zone.startswith(("/", ".")) or ".." in zone:
        return ""
    for folder in TZPATH:
        try:
            stat = os.stat(os.path.join(folder, zone))
        except (OSError, ValueError):
            continue
        return f"{folder}/{zone}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return ""


def environment() -> list[tuple[str, str]]:
    """The IMGCOACH_* variables a key covers (not the full-path switch, not the debug switch, not secrets)."""
    return sorted((name, value) for name, value in os.environ.items()
                  if name.startswith("IMGCOACH_") and name not in _NOT_KEYED
                  and not any(word in name for word in _SECRET_WORDS))


def validity_key(conn: Any, command: str, subject: int, zone: str, now: datetime, settings: Any) -> str | None:
    """The validity key of `command`'s answer for applicant `subject` (time zone `zone`) at `now`; None when
    the write counters cannot be trusted (a trigger or counter row missing or not this code's)."""
    from zoneinfo import ZoneInfo

    counters = _counters(conn, read_tables(command))
    if counters is None:
        return None
    day = now.astimezone(ZoneInfo(zone)).date().isoformat()
    parts = [FORMAT, command, subject, zone, zone_file(zone), day, counters, sorted(SCHEMA_HEADS), code_version(),
             repr(settings), environment()]
    # repr, not json.dumps: the parts are text, numbers and lists of them, whose repr is as exact, and
    # importing json (its regular expressions) was 5 % of a kept `readiness`'s run (issue 17)
    return sha256(repr(parts).encode("utf-8", "backslashreplace")).hexdigest()


def data_key(conn: Any, what: str, subject: int, tables: tuple[str, ...]) -> str | None:
    """The validity key of something kept that depends on the rows of `tables` and on this code alone (no day,
    zone, settings or environment): the counters of those tables, the schema and the code, as validity_key
    takes them; None when the counters cannot be trusted. matching.kept keeps the shortlist's program table
    under it, so a write to the profile or the plan (or a new day) does not rebuild it."""
    counters = _counters(conn, tables)
    if counters is None:
        return None
    parts = [FORMAT, what, subject, counters, sorted(SCHEMA_HEADS), code_version()]
    return sha256(repr(parts).encode("utf-8", "backslashreplace")).hexdigest()


def _counters(conn: Any, tables: tuple[str, ...]) -> list[tuple[str, int]] | None:
    """The read_version counters of `tables`, by name; None when a counter row or trigger is missing or not
    this code's (then no key can say that nothing was written)."""
    counters = [tuple(row) for row in conn.execute('SELECT "name", "n" FROM "read_version" ORDER BY "name"')]
    if sorted(name for name, _ in counters) != sorted(WATCHED):
        return None
    triggers = {(name, sql) for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'read_version_%'")}
    if triggers != EXPECTED_TRIGGERS:
        return None
    return [(name, n) for name, n in counters if name in tables]


def _subject(conn: Any, ref: str | None) -> tuple[int, str] | None:
    from imgcoach.core.errors import UserError
    from imgcoach.storage.applicant_ref import choose_applicant

    try:
        return choose_applicant(conn, ref)
    except UserError:
        return None  # the full path says who is missing, in its own words


def stored(url: str, command: str, *, applicant: str | None, now: datetime, settings: Any) -> str | None:
    """The kept answer of `command` for the applicant `applicant` names (storage.applicant_ref's rule) when it
    is still current; None otherwise (then the full path answers, and keeps its answer)."""
    return lookup(url, command, applicant=applicant, now=now, settings=settings)[0]


def lookup(url: str, command: str, *, applicant: str | None, now: datetime,
           settings: Any) -> tuple[str | None, str | None]:
    """(`stored`'s answer, the key an answer would be kept under now) in one snapshot: a reader that computes
    the answer when none is current takes the key here, before it reads anything (as the full path does), and
    keeps its text with `keep`. (None, None) when no answer can be kept (a server database, counters not in
    place, no such applicant)."""
    if sqlite_file(url) is None:
        return None, None  # a server database takes the full path

    def read(conn: Any, _text: bool) -> tuple[str | None, str | None]:
        chosen = _subject(conn, applicant)
        if chosen is None:
            return None, None
        key = validity_key(conn, command, chosen[0], chosen[1], now, settings)
        if key is None:
            return None, None
        row = conn.execute('SELECT "key", "output" FROM "read_answer" WHERE "command" = ? AND "subject" = ?',
                           (command, chosen[0])).fetchone()
        return (row[1] if row is not None and row[0] == key else None), key

    return at_current_schema(url, None, read) or (None, None)


def current_key(url: str, command: str, *, applicant: str | None, now: datetime, settings: Any) -> str | None:
    """The key `command`'s answer would be kept under now (the full path takes it before reading anything);
    None when no answer can be kept (a server database, counters not in place)."""
    if sqlite_file(url) is None:
        return None

    def read(conn: Any, _text: bool) -> str | None:
        chosen = _subject(conn, applicant)
        return None if chosen is None else validity_key(conn, command, chosen[0], chosen[1], now, settings)

    return at_current_schema(url, None, read)


def keep(url: str, command: str, key: str, output: str, *, applicant: str | None, now: Callable[[], datetime],
         settings: Any) -> bool:
    """Keep `output`, printed by the full path for `command`, when the key is still `key` (taken before the
    command read anything): checked and written in one write transaction, so no write can come in between.
    Never fails the command: a locked, read-only or damaged file keeps nothing. True when kept."""
    path = sqlite_file(url)
    if path is None or "\x1b" in output or not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            # storage.db's own setting for WAL files: a commit waits for no fsync (the checkpoint does), still safe
            # from corruption; a kept row lost to a power cut is only computed again. The keeping transaction
            # alone: median 20.3 -> 16.9 ms, min 8.1 -> 2.6 ms against sqlite3's default FULL (12 interleaved
            # rounds, load average 4 on 2 cores), paid by every first read after a write (issue 17).
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        heads = {row[0] for row in conn.execute("SELECT version_num FROM alembic_version")}
        chosen = _subject(conn, applicant) if heads == SCHEMA_HEADS else None
        moment = now()
        if chosen is None or validity_key(conn, command, chosen[0], chosen[1], moment, settings) != key:
            conn.execute("ROLLBACK")
            return False
        held = conn.execute('SELECT "key", "output" FROM "read_answer" WHERE "command" = ? AND "subject" = ?',
                            (command, chosen[0])).fetchone()
        if held is not None and tuple(held) == (key, output):
            conn.execute("ROLLBACK")  # kept already: no write (every full run would otherwise add one)
            return True
        stamp = moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
        conn.execute('INSERT OR REPLACE INTO "read_answer" ("command", "subject", "key", "output", "stored_at") '
                     "VALUES (?, ?, ?, ?, ?)", (command, chosen[0], key, output, stamp))
        conn.execute("COMMIT")
        return True
    except (sqlite3.Error, OSError, ValueError):
        return False
    finally:
        conn.close()
