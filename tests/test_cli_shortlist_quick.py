"""The first `shortlist` look after a write, computed and stored from rows read and written with sqlite3
(matching.shortlist_quickly, issue 17): what it prints is byte for byte what the full path (click, SQLAlchemy)
prints, and the database after it is the database the full path leaves (the run and its entries, the changes
marked seen, the read counters, the answer kept for the next look).

Each sequence runs on two copies of the same demo database at the same injected moment: the quick read on one,
the full path on the other, the same writes (through the full path) on both.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching.kept import KEPT_MODEL, KEPT_TABLE
from tests.conftest import FIXED_NOW
from tests.matching_support import csv_text, row
from tests.test_cli_quickanswer import full, quick
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_quickread import HEAVY, run

pytestmark = pytest.mark.sqlite_only

# Every table the shortlist's look writes, and the counters and kept answers the write triggers keep.
COMPARED = ("shortlist_run", "shortlist_entry", "read_version", "read_answer")


def _copy(url: str, tmp_path: Path, name: str) -> str:
    """A second file with the same content (SQLite's backup: the WAL's pages included)."""
    target = tmp_path / name
    with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return f"sqlite:///{target}"


def _rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the compared tables, each value with its stored type (text, real, integer...)."""
    out = {}
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        for table in COMPARED:
            names = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            typed = ", ".join(f'"{n}", typeof("{n}")' for n in names)
            # the quick read's own kept program table and model values (matching.kept): no answer the full path keeps
            where = f' WHERE "command" NOT IN (\'{KEPT_TABLE}\', \'{KEPT_MODEL}\')' if table == "read_answer" else ""
            out[table] = conn.execute(f'SELECT {typed} FROM "{table}"{where} ORDER BY 1, 3').fetchall()
    conn.close()
    return out


def _computed(url: str, at: datetime, *args: str) -> str:
    """The quick read's answer when no kept answer is current: computed, not served."""
    from imgcoach.cli.quick import answer_command, parse
    from imgcoach.core.settings import load_settings
    from imgcoach.plan import stored_answer_quickly

    call = parse(["--db", url, *args])
    assert call is not None
    form = answer_command(call.words, call.options)
    assert stored_answer_quickly(url, form, applicant=None, now=at, settings=load_settings()) is None, \
        f"{args}: a kept answer was current: nothing to compute"
    fast = quick(url, at, *args)
    assert fast is not None, f"{args}: the first look after a write was left to the full path"
    return fast


def _write(url: str, at: datetime, *args: str) -> None:
    """A write command through the full path at `at` (what it says, an overlap's warning say, unchecked here)."""
    from imgcoach.cli.common import State
    from imgcoach.cli.main import cli
    from imgcoach.composition import open_context

    state = State(db=url)
    state._ctx = open_context(url, clock=FixedClock(at), refresh_feeds=True)
    try:
        cli.main(args=["--db", url, *args], prog_name="imgcoach", standalone_mode=False, obj=state)
    finally:
        state._ctx.db.close()


class Pair:
    """The same database twice: `fast` answered by the quick read, `slow` by the full path."""

    def __init__(self, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.fast, self.slow, self.capsys = _copy(url, tmp_path, "fast.sqlite"), _copy(url, tmp_path, "slow.sqlite"), capsys

    def write(self, *args: str, at: datetime = FIXED_NOW) -> None:
        """The same write on both, through the full path."""
        for target in (self.fast, self.slow):
            _write(target, at, *args)
        self.capsys.readouterr()

    def look(self, *args: str, at: datetime = FIXED_NOW, computed: bool = True) -> str:
        fast = _computed(self.fast, at, "shortlist", *args) if computed else quick(self.fast, at, "shortlist", *args)
        slow = full(self.slow, at, "shortlist", *args, capsys=self.capsys)
        assert fast == slow, f"shortlist {args}: the quick read printed another text"
        assert _rows(self.fast) == _rows(self.slow), f"shortlist {args}: the databases differ after the look"
        return slow


@pytest.fixture
def pair(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Pair:
    return Pair(url, tmp_path, capsys)


@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_the_fresh_demo_then_a_second_look(pair: Pair, form: tuple[str, ...]) -> None:
    pair.look(*form)
    pair.look(*form, computed=False)  # the answer kept by the first look (the quick read's, the full path's)


def test_a_rotation_moved_then_text_then_json(pair: Pair) -> None:
    pair.look()
    pair.write("rotations", "edit", "1", "--start", "2026-05-04", "--end", "2026-06-26")
    text = pair.look()
    assert "since you last looked" in text, "the move changed the list: the look says so"
    pair.write("rotations", "edit", "2", "--end", "2027-03-01")
    pair.look("--json")
    pair.look()


def test_an_exam_added_and_a_budget_changed(pair: Pair) -> None:
    pair.look("--json")
    pair.write("exams", "add", "--exam", "OET", "--date", "2026-10-01", "--score", "350/360/300/370")
    pair.look("--json")
    pair.write("profile", "set", "--budget-programs", "12")
    assert "12" in pair.look()
    pair.write("profile", "set", "--budget-programs", "none", "--budget-usd", "900")
    pair.look("--json")


def test_programs_imported_added_and_overridden(pair: Pair, tmp_path: Path) -> None:
    path = tmp_path / "more.csv"
    path.write_text(csv_text(*[row(program_id=f"Q{i}", name=f"Quick Read IM {i}", yog_cutoff_years="none",
                                   state="NY", step2_typical="225") for i in range(5)]))
    pair.look()
    pair.write("programs", "import", str(path))  # stores a run of its own ("programs"): the look marks it seen
    assert "since you last looked" in pair.look()
    pair.write("programs", "override", "Q1", "visa_j1", "no", "--note", "called the coordinator")
    pair.look()
    pair.write("programs", "add", "Q9", "--name", "Hand Added IM", "--specialty", "IM", "--state", "NJ")
    pair.look("--json")


def test_a_new_day_and_another_applicant(pair: Pair) -> None:
    pair.look()
    pair.write("rotations", "edit", "1", "--end", "2026-08-12")
    pair.look(at=FIXED_NOW + timedelta(days=40))  # a rotation ended meanwhile: its fingerprint moves


def test_the_first_look_after_a_write_imports_no_sqlalchemy(url: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A person's two processes: the write, then the look, which loads none of click, SQLAlchemy, SQLModel,
    Alembic and prints the full path's bytes (the full path looks at a copy made before it)."""
    pair = Pair(url, tmp_path, capsys)
    for form in [(), ("--json",)]:
        for target in (pair.fast, pair.slow):
            assert run("--db", target, "rotations", "edit", "1", "--hours", "32" if form else "31").code == 0
        fast, slow = run("--db", pair.fast, "shortlist", *form), run("--db", pair.slow, "shortlist", *form, full=True)
        assert (fast.code, fast.err) == (0, b"") and fast.out == slow.out and fast.out.count(b"\n") > 20
        assert not set(HEAVY) & fast.modules, f"{form}: the first look imported {set(HEAVY) & fast.modules}"
        # computed, not a kept answer served: matching.quick (imported by name, which -X importtime does not
        # list) read the programs through matching.stored
        assert "imgcoach.matching.stored" in fast.modules, "the look was not computed by the quick read"


# The other views (issue 17: a first look after a write with one of these took the full path, 42-47x `python -c
# pass`): runs.current's list shown as CSV or one program explained (its run stored, no change marked seen), and
# runs.compute's for a budget or a what-if (nothing stored).
VIEWS = [("--csv",), ("--explain", "SYN00002"), ("--json", "--explain", "SYN00003"), ("--budget", "5"),
         ("--budget-usd", "900", "--json"), ("--what-if-step2", "250"), ("--completed-only",),
         ("--budget", "7", "--what-if-step2", "240", "--completed-only", "--json")]


@pytest.mark.parametrize("form", VIEWS, ids=" ".join)
def test_the_other_views_after_a_write(pair: Pair, form: tuple[str, ...]) -> None:
    """Each view computed by the quick read prints the full path's bytes and leaves the database the full path
    leaves (the run stored by the default list's views, nothing by the others), then the next look is the answer
    kept by either."""
    pair.write("rotations", "edit", "1", "--start", "2026-05-04", "--end", "2026-06-26")
    pair.look(*form)
    pair.look(*form, computed=False)
    pair.write("exams", "add", "--exam", "OET", "--date", "2026-10-01", "--score", "350/360/300/370")
    pair.look(*form)
    pair.look()  # the default view then finds the run the view stored (or not) and the changes it left unseen


def test_the_other_views_import_no_sqlalchemy(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A person's two processes, the write then the look: each view loads none of click, SQLAlchemy, SQLModel,
    Alembic and prints the full path's bytes (the full path looks at a copy written the same way)."""
    pair = Pair(url, tmp_path, capsys)
    for n, form in enumerate(VIEWS):
        for target in (pair.fast, pair.slow):
            assert run("--db", target, "rotations", "edit", "1", "--hours", str(20 + n)).code == 0
        fast, slow = run("--db", pair.fast, "shortlist", *form), run("--db", pair.slow, "shortlist", *form, full=True)
        assert (fast.code, fast.err) == (0, b"") and fast.out == slow.out and fast.out.count(b"\n") > 5, form
        assert not set(HEAVY) & fast.modules, f"{form}: the first look imported {set(HEAVY) & fast.modules}"
        assert "imgcoach.matching.stored" in fast.modules, f"{form}: the look was not computed by the quick read"


def test_what_it_leaves_to_the_full_path(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         demo_ctx: Context) -> None:
    """Refusals (said in the full path's words), another engine's URL, an applicant it cannot find, a subscribed
    feed."""
    assert quick(url, FIXED_NOW, "shortlist", "--json", "--csv") is None
    assert quick(url, FIXED_NOW, "shortlist", "--budget", "5", "--budget-usd", "900") is None
    assert quick(url, FIXED_NOW, "shortlist", "--budget", "0") is None
    assert quick(url, FIXED_NOW, "shortlist", "--what-if-step2", "400") is None
    assert quick(url, FIXED_NOW, "shortlist", "--explain", "P1") is None  # no such program
    assert quick(url, FIXED_NOW, "--applicant", "nobody@example.com", "shortlist") is None
    assert quick(url, FIXED_NOW, "--applicant", "", "shortlist") is None
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE applicant SET name = name")  # the kept answer stale
    conn.close()
    before = _rows(url)
    from imgcoach.matching import shortlist_quickly

    found = shortlist_quickly(url, applicant=None, now=FIXED_NOW, settings=demo_ctx.settings)
    assert found is not None and not found.stored
    assert shortlist_quickly("postgresql://nobody@localhost/none", applicant=None, now=FIXED_NOW,
                             settings=demo_ctx.settings) is None
    _write(url, FIXED_NOW, "export", "--feed", str(tmp_path / "plan.ics"))
    assert shortlist_quickly(url, applicant=None, now=FIXED_NOW, settings=demo_ctx.settings) is None
    assert _rows(url)["shortlist_run"] == before["shortlist_run"]


def test_each_path_finds_the_run_the_other_stored_current(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The fingerprints both compute are the same bytes: a run stored by one path is current for the other (else
    every look would store a run again, its trigger naming inputs that did not change)."""
    def runs() -> int:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            (n,) = conn.execute("SELECT count(*) FROM shortlist_run").fetchone()
        conn.close()
        return int(n)

    _write(url, FIXED_NOW, "programs", "override", "SYN00001", "visa_j1", "no", "--note", "asked")
    _write(url, FIXED_NOW, "rotations", "edit", "1", "--start", "2026-05-04", "--end", "2026-06-26")
    _computed(url, FIXED_NOW, "shortlist")
    stored = runs()
    full(url, FIXED_NOW, "shortlist", capsys=capsys)
    assert runs() == stored, "the full path found the quick read's run stale"
    _write(url, FIXED_NOW, "exams", "add", "--exam", "OET", "--date", "2026-10-01", "--score", "350/360/300/370")
    full(url, FIXED_NOW, "shortlist", "--json", capsys=capsys)
    stored = runs()
    _write(url, FIXED_NOW, "rotations", "edit", "1", "--hours", "30")  # no input of the list: the answer stale
    _computed(url, FIXED_NOW, "shortlist", "--json")
    assert runs() == stored, "the quick read found the full path's run stale"


# The look's own process, at FIXED_NOW: the answer on stdout, then what it built at import as JSON on stderr.
_LOOK_AND_COUNT = """
import dataclasses, json, sys
from datetime import datetime
from imgcoach.cli.quick import quick_listing
found = quick_listing(sys.argv[1:], now=lambda: datetime.fromisoformat(%r))
assert found is not None and found.code == 0, "left to the full path"
sys.stdout.write(found.out)
built = sorted(f"{c.__module__}.{c.__qualname__}" for name in list(sys.modules) if name.startswith("imgcoach.")
               for c in vars(sys.modules[name]).values()
               if isinstance(c, type) and c.__module__ == name and dataclasses.is_dataclass(c))
sys.stderr.write(json.dumps({"dataclasses": built, "modules": sorted(sys.modules)}))
"""

# The matching classes the quick look may still build as dataclasses: each is copied with dataclasses.replace, read
# with dataclasses.fields (mypy checks both take a dataclass) or checked in __post_init__.
MATCHING_DATACLASSES = {"imgcoach.matching.schema.Program", "imgcoach.matching.table.ProgramTable",
                        "imgcoach.matching.facts.ApplicantFacts"}
# What other views and the full path need (explain, what-ifs, CSV, the ORM services); `--json` needs the curve. Not calibration:
# a look that finds no kept model values (matching.kept) fits the specialties' openness with it.
OTHER_VIEWS = ("imgcoach.matching.explain", "imgcoach.matching.whatif", "imgcoach.matching.csv_reader",
               "imgcoach.matching.calibrate", "imgcoach.matching.runs",
               "imgcoach.matching.programs", "imgcoach.matching.generate",
               "imgcoach.core.addresses")  # the e-mail rule: the look reads no address


@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_the_first_look_after_a_write_builds_few_classes(pair: Pair, form: tuple[str, ...]) -> None:
    """Issue 17: each frozen dataclass costs its exec'd methods at import (half a millisecond each; the first look
    built 49, 41 of them matching's and the vocabularies' value classes), a NamedTuple almost nothing; and the
    code of other views is not imported. Counted in the look's own process, whose answer is still the full
    path's, byte for byte."""
    import json
    import subprocess
    import sys

    pair.write("rotations", "edit", "1", "--hours", "31")
    proc = subprocess.run([sys.executable, "-c", _LOOK_AND_COUNT % FIXED_NOW.isoformat(), "--db", pair.fast,
                           "shortlist", *form], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert proc.stdout.decode() == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=pair.capsys)
    seen = json.loads(proc.stderr)
    matching = {name for name in seen["dataclasses"] if name.startswith("imgcoach.matching.")}
    assert matching <= MATCHING_DATACLASSES, f"dataclasses built by the quick look: {sorted(matching)}"
    assert "imgcoach.matching.stored" in seen["modules"], "the look was not computed by the quick read"
    assert not set(OTHER_VIEWS) & set(seen["modules"]), sorted(set(OTHER_VIEWS) & set(seen["modules"]))
