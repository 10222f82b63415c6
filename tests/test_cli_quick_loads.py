"""What the quick reads load (issue 17: every read command within 5x `python -c pass`): a module a quick read
imports and does not use is paid on every run. Each case runs the real command as a subprocess on a real
database (-X importtime lists what it loaded), checks it was answered without SQLAlchemy, SQLModel, click or
Alembic, and that its bytes are the full path's (IMGCOACH_FULL_READ=1).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from imgcoach.core.context import Context
from tests.test_cli_quickread import HEAVY, run

# Loaded by the quick reads below only for what they do not do: logging (composition's one log line, for the
# daemon), json's regular expressions (a kept `readiness` prints stored text; its key is hashed from repr),
# the date words (an edit conflict's message), zoneinfo (a day in a zone: `applicants export` computes none).
NOT_NEEDED: dict[tuple[str, ...], set[str]] = {
    ("readiness",): {"json", "logging", "imgcoach.core.datewords", "imgcoach.reminders"},
    ("applicants", "export"): {"logging", "zoneinfo", "imgcoach.core.datewords", "imgcoach.reminders"},
}


@pytest.mark.parametrize("form", list(NOT_NEEDED), ids=" ".join)
def test_the_quick_reads_load_only_what_they_use(demo_ctx: Context, db_engine: str, form: tuple[str, ...]) -> None:
    if db_engine != "sqlite":
        pytest.skip("kept answers are read from SQLite files only")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    for _ in range(2):  # the full path keeps `readiness`'s answer for the quick read
        run("--db", url, *form, full=True)
    fast, full = run("--db", url, *form), run("--db", url, *form, full=True)
    assert (fast.code, fast.err, fast.out) == (full.code, full.err, full.out) and fast.code == 0
    assert full.out.count(b"\n") > 5
    assert not set(HEAVY) & fast.modules, f"{form}: took the full path"
    loaded = NOT_NEEDED[form] & fast.modules
    assert not loaded, f"{form}: the quick read loaded {sorted(loaded)}"


# Loaded by the first `readiness` after a write (computed from sqlite3 rows, coach.readiness_quickly) only for
# what it does not do: importlib.resources' readers (zipfile) to name readiness.toml beside its module, difflib
# for a misspelled name's suggestions, calendar (and locale) for plan.rules.dates' month arithmetic.
NOT_NEEDED_AFTER_A_WRITE = {"zipfile", "difflib", "calendar", "locale"}


def test_the_first_readiness_after_a_write_loads_only_what_it_uses(demo_ctx: Context, db_engine: str) -> None:
    if db_engine != "sqlite":
        pytest.skip("the first read after a write is computed from SQLite files only")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    from tests.test_cli_readiness_quick import _touch

    for form in (("readiness",), ("readiness", "--json")):
        _touch(url)  # every kept answer stale: the quick read computes this one
        fast = run("--db", url, *form)
        assert "imgcoach.coach.loading" in fast.modules, f"{form}: not computed by the quick read"
        assert not set(HEAVY) & fast.modules, f"{form}: took the full path"
        full = run("--db", url, *form, full=True)
        assert (fast.code, fast.err, fast.out) == (full.code, full.err, full.out) and fast.code == 0
        loaded = NOT_NEEDED_AFTER_A_WRITE & fast.modules
        assert not loaded, f"{form}: the first read after a write loaded {sorted(loaded)}"
    # The plan's H-1B rules, for an applicant without that visa (the demo's): a feature API's lazy names load
    # their modules through importlib.import_module, which -X importtime does not list, so ask sys.modules.
    _touch(url)
    program = ("import sys; from imgcoach.cli.quick import quick_listing; "
               "assert quick_listing(sys.argv[1:]) is not None; print(*sorted(sys.modules))")
    proc = subprocess.run([sys.executable, "-c", program, "--db", url, "readiness"], capture_output=True, text=True,
                          timeout=120, check=True, env={k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"})
    visa_rules = {"imgcoach.plan.rules.visa", "imgcoach.plan.rules.exam_standing"} & set(proc.stdout.split())
    assert not visa_rules, f"an applicant without an H-1B visa: the first read after a write loaded {visa_rules}"


# Loaded by every quick read only for the settings' two records while they were dataclasses (issue 17: 6-9 ms of
# each command): `dataclasses` imports `inspect` (and its dis, tokenize, linecache).
NOT_NEEDED_BY_A_LIST = {"dataclasses", "inspect"}


# `db status` and `db check` read composition, whose records were dataclasses and which imported core.context's
# Context (a dataclass) for its type hints and three builders.
@pytest.mark.parametrize("form", [("rotations", "list"), ("reminders", "list"), ("exams", "list", "--json"),
                                  ("daemon", "status"), ("db", "status"), ("db", "check")], ids=" ".join)
def test_a_list_loads_no_dataclasses(demo_ctx: Context, db_engine: str, form: tuple[str, ...]) -> None:
    if db_engine != "sqlite":
        pytest.skip("one engine is enough: the settings are read before any database is opened")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    fast, full = run("--db", url, *form), run("--db", url, *form, full=True)
    assert (fast.code, fast.err, fast.out) == (full.code, full.err, full.out) and fast.code == 0
    assert not set(HEAVY) & fast.modules, f"{form}: took the full path"
    loaded = NOT_NEEDED_BY_A_LIST & fast.modules
    assert not loaded, f"{form}: the quick read loaded {sorted(loaded)}"
