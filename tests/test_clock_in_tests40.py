"""The tests themselves keep time one way: a CLI run in process reads the test's FixedClock through the cli_clock
fixture, never the wall clock.

Found after a CI failure (Sunday 6 Dec 2026): `daemon --once` on the real clock put day 20's letter last call after
today on some weekdays. Others did the same: `daemon --once` in test_daemon_status_truth said "nothing due" only
from Thursday to Sunday (Monday to Wednesday the week's digest is due), `log add --week` refused "has not begun"
for a date the real calendar reached on Monday 7 Dec, and five tests patched the clock inline, each its own way.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WALL_CLOCK = ("datetime.now(", "date.today(", "time.time(", "SystemClock(")
# Tests whose CLI runs share the real clock with a real process (a subprocess `daemon --once`, a quick read in a
# fresh interpreter, a live heartbeat): the wall clock is the one both sides read, on purpose.
REAL_PROCESS = {
    "test_daemon_status_truth.py::test_a_failed_once_run_exits_non_zero_in_a_real_process_and_status_json_says_why",
    "test_daemon_status_truth.py::test_an_applicants_daemon_line_counts_their_own_reminders",
    "test_storage_backup.py::test_restore_refuses_while_a_daemon_runs",
    "test_cli_quickread.py::test_the_reminders_table_reports_the_daemons_as_the_full_path_does",
}


def _test_functions() -> list[tuple[str, str, set[str]]]:
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                found.append((f"{path.name}::{node.name}", ast.get_source_segment(source, node) or "",
                              {a.arg for a in node.args.args}))
    return found


def test_only_the_fixture_sets_the_clis_clock() -> None:
    inline = [path.name for path in sorted(TESTS.glob("test_*.py")) if path.name != Path(__file__).name
              and any(target in path.read_text(encoding="utf-8")
                      for target in ('"imgcoach.composition.SystemClock"', '"imgcoach.core.clock.default_clock"'))]
    assert inline == [], f"use the cli_clock fixture (tests/conftest.py) instead of patching the clock: {inline}"


def test_no_in_process_cli_run_reads_the_wall_clock() -> None:
    on_the_wall = [name for name, body, args in _test_functions()
                   if "run_cli(" in body and "cli_clock" not in args and name not in REAL_PROCESS
                   and any(call in body for call in WALL_CLOCK)]
    assert on_the_wall == [], f"run the CLI on the test's clock (the cli_clock fixture): {on_the_wall}"


def test_the_real_process_exceptions_still_exist() -> None:
    """An exception whose test was renamed or removed would silently widen the rule."""
    names = {name for name, _, _ in _test_functions()}
    assert names >= REAL_PROCESS, REAL_PROCESS - names
