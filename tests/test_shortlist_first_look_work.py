"""The work of the first `shortlist` after a write (issue 17: at most 5x `python -c pass`), counted in the look's
own process, a real subprocess on a real demo database: what it parses and what it imports. Its answer is still
the full path's, byte for byte, and a write that changes the list changes what the next look prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.test_cli_quickanswer import full
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_shortlist_quick import Pair

pytestmark = pytest.mark.sqlite_only

# The look in its own process at FIXED_NOW: the answer on stdout; on stderr, as JSON, the texts tomllib parsed
# (matching's data files are parsed with tomllib.loads), how many budget curves were worked out (`--json`'s
# data; each runs the optimiser past the budget), the modules loaded and the dataclasses their import defined.
_LOOK = """
import json, sys, tomllib
from datetime import datetime
parsed = []
_loads = tomllib.loads
def counting(text, **kw):
    parsed.append(text[:60])
    return _loads(text, **kw)
tomllib.loads = counting
import imgcoach.matching
curves = []
_curve = imgcoach.matching.budget_curve
def counting_curve(*args, **kw):
    curves.append(1)
    return _curve(*args, **kw)
imgcoach.matching.budget_curve = counting_curve
from imgcoach.cli.quick import quick_listing
found = quick_listing(sys.argv[1:], now=lambda: datetime.fromisoformat(%r))
assert found is not None and found.code == 0, "left to the full path"
sys.stdout.write(found.out)
import dataclasses
built = sorted(f"{c.__module__}.{c.__qualname__}" for name in list(sys.modules) if name.startswith("imgcoach.")
               for c in vars(sys.modules[name]).values()
               if isinstance(c, type) and c.__module__ == name and dataclasses.is_dataclass(c))
sys.stderr.write(json.dumps({"parsed": parsed, "curves": len(curves), "modules": sorted(sys.modules),
                             "dataclasses": built}))
"""


def _look(db: str, at: datetime, *args: str) -> tuple[str, dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-c", _LOOK % at.isoformat(), "--db", db, "shortlist", *args],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    seen = json.loads(proc.stderr)
    assert "imgcoach.matching.stored" in seen["modules"], "not computed by the quick read"
    return proc.stdout.decode(), seen


@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_a_later_first_look_parses_no_data_file(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                form: tuple[str, ...]) -> None:
    """The data files (calibration, anchors, fees, signals) were parsed with tomllib at every first look after a
    write (several ms); a look now finds them kept by an earlier one (matching.kept, under this code's key) and
    parses none, and still prints the full path's bytes. Nor does it load importlib.resources' readers (zipfile)
    to find them."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("rotations", "edit", "1", "--hours", "31")
    first, seen = _look(pair.fast, FIXED_NOW, *form)
    assert first == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    pair.write("profile", "set", "--budget-programs", "12")  # an input of the list: a new run, a new list
    later, seen = _look(pair.fast, FIXED_NOW, *form)
    assert later == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert later != first, "the budget changed the list: the look after it shows the new one"
    assert seen["parsed"] == [], f"the later look parsed {seen['parsed']}"
    loaded = {"zipfile", "importlib.resources", "importlib.readers"} & set(seen["modules"])
    assert not loaded, f"the look loaded {sorted(loaded)}"


def test_a_first_json_look_works_its_data_out_once(url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The look prints the list with its changes and keeps the next look's answer (the same list, no changes):
    `--json`'s data, budget curve included, was worked out for each; once now, and both texts are still the full
    path's (the next look is served the kept one)."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("profile", "set", "--budget-programs", "12")
    shown, seen = _look(pair.fast, FIXED_NOW, "--json")
    assert shown == full(pair.slow, FIXED_NOW, "shortlist", "--json", capsys=capsys)
    assert json.loads(shown)["changes_since_last_seen"], "the budget's change is shown"
    assert seen["curves"] == 1, f"{seen['curves']} budget curves for one look"
    from imgcoach.core.settings import load_settings
    from imgcoach.plan import stored_answer_quickly

    kept = stored_answer_quickly(pair.fast, 'shortlist --json', applicant=None, now=FIXED_NOW,
                                 settings=load_settings())  # the answer the look kept for the next one
    assert kept is not None, "the look kept no answer for the next one"
    assert kept == full(pair.slow, FIXED_NOW, "shortlist", "--json", capsys=capsys)
    assert not json.loads(kept)["changes_since_last_seen"]


# The dataclasses the look may still define: each is copied with dataclasses.replace or read with
# dataclasses.fields (by this code or its tests), which a core.record.Record does not take.
STILL_DATACLASSES = {"imgcoach.matching.schema.Program", "imgcoach.matching.table.ProgramTable",
                     "imgcoach.matching.facts.ApplicantFacts", "imgcoach.core.settings.Settings",
                     "imgcoach.core.settings.ReminderTiming"}


@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_the_first_look_defines_few_dataclasses(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                form: tuple[str, ...]) -> None:
    """Each dataclass compiles its methods when its module is imported (half a millisecond to a millisecond);
    the look defined 16, 11 of them value records of the vocabularies, the plan's rules and the CLI, now
    core.record.Records. Counted in the look's own process, whose answer is still the full path's."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("exams", "add", "--exam", "OET", "--date", "2026-10-01", "--score", "350/360/300/370")
    shown, seen = _look(pair.fast, FIXED_NOW, *form)
    assert shown == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert set(seen["dataclasses"]) <= STILL_DATACLASSES, sorted(set(seen["dataclasses"]) - STILL_DATACLASSES)


def test_the_kept_table_restores_one_object_per_distinct_value(url: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Restoring the kept program table (matching.kept) built an object for every cell: 6,000 tuples of unknown
    field names and tens of thousands of floats, about half of unmarshalling it, at every first look after a
    write; equal values are now kept as one, and restored once (the table itself is still the built one:
    tests/test_shortlist_kept_table.py compares them column for column)."""
    import sqlite3

    from imgcoach.matching.kept import KEPT_TABLE, _restored

    pair = Pair(url, tmp_path, capsys)
    pair.look()  # builds and keeps the table
    with sqlite3.connect(pair.fast.removeprefix("sqlite:///"), isolation_level=None) as conn:
        conn.execute("BEGIN")
        (blob,) = conn.execute('SELECT "output" FROM "read_answer" WHERE "command" = ?', (KEPT_TABLE,)).fetchone()
        found = _restored(blob, conn, {})
        conn.execute("COMMIT")
    conn.close()
    assert found is not None
    table = found[0]
    for name in ("unknown", "img_term", "img_term_low", "img_term_high", "typical", "usce_req", "capacity"):
        column = getattr(table, name)
        distinct = {(type(v), v.hex() if isinstance(v, float) else v) for v in column}
        assert len({id(v) for v in column}) == len(distinct) < len(column), name



def test_the_look_pauses_the_cyclic_collector(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The look piles up objects that live until the process ends (modules, the kept table, the ranking): the
    collector's passes over them were about 5 % of its CPU. It is paused from the quick read's import until the
    answer is printed (cli.main, core.collector), and left as it was found; the answer is the full path's."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("profile", "set", "--budget-programs", "12")
    # each pass of the collector noted with how much of the answer was printed by then (0: while it was worked out)
    program = ("import gc, io, json, sys\n"
               "from datetime import datetime\n"
               "import imgcoach.core.clock as clock\n"
               f"clock.default_clock = lambda: clock.FixedClock(datetime.fromisoformat({FIXED_NOW.isoformat()!r}))\n"
               "out, real = io.BytesIO(), sys.stdout\n"
               "sys.stdout = io.TextIOWrapper(out, encoding='utf-8')\n"
               "from imgcoach.cli import main\n"
               "passes = []\n"
               "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(out.tell()))\n"
               "main(sys.argv[1:])\n"
               "sys.stdout.flush()\n"
               "real.buffer.write(out.getvalue())\n"
               "sys.stderr.write(json.dumps({'before': passes.count(0), 'enabled': gc.isenabled(), "
               "'full': 'click' in sys.modules}))\n")
    proc = subprocess.run([sys.executable, "-c", program, "--db", pair.fast, "shortlist"], capture_output=True,
                          timeout=120, env={k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"})
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    seen = json.loads(proc.stderr)
    assert not seen["full"], "left to the full path"
    assert seen["before"] == 0, f"{seen['before']} collector passes while the answer was worked out"
    assert seen["enabled"], "the collector was left paused"
    assert proc.stdout.decode() == full(pair.slow, FIXED_NOW, "shortlist", capsys=capsys)


# The `imgcoach` process (cli.main with no argv, as the entry point calls it) with an object that says so on
# stderr when the interpreter's teardown frees it; `register` adds an exit handler first.
_TORN = """
import sys
from datetime import datetime
import imgcoach.core.clock as clock
clock.default_clock = lambda: clock.FixedClock(datetime.fromisoformat(%r))
class Marker:
    def __del__(self):
        sys.stderr.write("torn down")
marker = Marker()  # freed when teardown clears this module, while stderr still works
if sys.argv[1] == "register":
    import atexit
    atexit.register(lambda: None)
sys.argv = ["imgcoach", *sys.argv[2:]]
from imgcoach.cli import main
main()
"""


def test_the_imgcoach_process_ends_without_teardown_after_a_quick_answer(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The interpreter's teardown (every module and object freed one by one) was about 8 ms of the first look
    after a write; the process now ends once the answer is flushed, with status 0 and the full path's bytes. Not
    when an exit handler is registered, nor for the full path, nor for a caller of main() in its own process."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("profile", "set", "--budget-programs", "12")
    environ = {k: v for k, v in os.environ.items() if k != "IMGCOACH_FULL_READ"}

    def process(mode: str, *args: str, env: dict[str, str] = environ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", _TORN % FIXED_NOW.isoformat(), mode, "--db", pair.fast, *args],
                              capture_output=True, timeout=120, env=env)

    quick = process("plain", "shortlist")
    assert (quick.returncode, quick.stderr) == (0, b""), quick.stderr.decode()[-2000:]
    assert quick.stdout.decode() == full(pair.slow, FIXED_NOW, "shortlist", capsys=capsys)
    handler = process("register", "shortlist")  # the answer kept by the look above, served
    assert handler.returncode == 0 and handler.stderr == b"torn down"
    assert handler.stdout.decode() == full(pair.slow, FIXED_NOW, "shortlist", capsys=capsys)
    slow = process("plain", "shortlist", env={**environ, "IMGCOACH_FULL_READ": "1"})
    assert slow.returncode == 0 and slow.stderr.endswith(b"torn down"), slow.stderr.decode()[-2000:]
