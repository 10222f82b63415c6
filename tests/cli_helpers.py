"""Running the CLI in-process (fast) or as a real subprocess (exit codes, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    from imgcoach.cli.main import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_subprocess(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "imgcoach", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def database_state(url: str) -> Any:
    """What "the database is unchanged" compares: the file's bytes on SQLite (byte-identical, the
    stronger promise), every row of every table in a fixed order on a server database."""
    import hashlib

    if url.startswith("sqlite:///"):
        import sqlite3

        path = url.removeprefix("sqlite:///")
        # Committed pages may still sit in the WAL (an in-process command's pool keeps its connection): fold
        # them into the file first, so the bytes compared are everything committed, whenever SQLite would
        # have checkpointed on its own. A refused command that wrote anything still changes them.
        if os.path.exists(path):  # (never create it: a missing file must stay missing)
            con = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
            try:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                con.close()
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    from imgcoach.storage.models import register_all

    register_all()  # every table registered

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}"')).all()), key=repr)
                    for name in sorted(SQLModel.metadata.tables)}
    finally:
        engine.dispose()


def run_command(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """The `imgcoach` command in this process as the entry point runs it (imgcoach.cli.main): the quick read
    (cli.quick) answers what it can, the full path the rest; IMGCOACH_FULL_READ=1 sends all to the full path."""
    from imgcoach.cli.main import main as full_path
    from imgcoach.cli.quick import answer

    try:
        if not answer(list(args)):
            full_path(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


class OutboxReads(NamedTuple):
    """What a person reads of the outbox: `reminders list` (text and --json) and `daemon status` (--json and text)."""

    listed: Result
    rows: Any
    status: Any
    status_text: str


def outbox_reads_on_both_paths(capsys: pytest.CaptureFixture[str], db: str) -> Iterator[OutboxReads]:
    """The outbox's reads through the quick read, then through the full path (IMGCOACH_FULL_READ=1): each must say
    the same of the same rows."""
    for full in (False, True):
        if full:
            os.environ["IMGCOACH_FULL_READ"] = "1"
        else:
            os.environ.pop("IMGCOACH_FULL_READ", None)
        try:
            reads = OutboxReads(run_cli(capsys, "reminders", "list", "--db", db),
                                run_cli(capsys, "reminders", "list", "--db", db, "--json").json(),
                                run_cli(capsys, "daemon", "status", "--db", db, "--json").json(),
                                run_cli(capsys, "daemon", "status", "--db", db).out)
        finally:
            os.environ.pop("IMGCOACH_FULL_READ", None)
        yield reads
