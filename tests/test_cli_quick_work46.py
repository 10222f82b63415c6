"""The work of the first `shortlist` after a write (issue 17: every read command within 5x `python -c pass`),
counted in the look's own process, a real subprocess on a real demo database: what it imports. Its answer is
still the full path's, byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import FIXED_NOW
from tests.test_cli_quickanswer import full
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_shortlist_quick import Pair
from tests.test_shortlist_first_look_work import _look

# The look in its own process at a fixed moment: the answer on stdout, the modules it loaded (as JSON) on stderr.
_LOOK_MODULES = """
import json, sys
from datetime import datetime
from imgcoach.cli.quick import quick_listing
found = quick_listing(sys.argv[1:], now=lambda: datetime.fromisoformat(%r))
assert found is not None and found.code == 0, "left to the full path"
sys.stdout.write(found.out)
sys.stderr.write(json.dumps(sorted(sys.modules)))
"""


def _look_modules(db: str, at: datetime, *args: str) -> tuple[str, set[str]]:
    proc = subprocess.run([sys.executable, "-c", _LOOK_MODULES % at.isoformat(), "--db", db, "shortlist", *args],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    modules = set(json.loads(proc.stderr))
    assert "imgcoach.matching.stored" in modules, "not computed by the quick read"
    return proc.stdout.decode(), modules


def _exam_names(db: str) -> set[str]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        names = {name for (name,) in conn.execute('SELECT "exam" FROM "exam_result"')}
    conn.close()
    return names


@pytest.mark.sqlite_only
@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_a_first_look_asks_for_no_suggestions(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              form: tuple[str, ...]) -> None:
    """The plan's exam standing read each exam row with parse_exam, whose refusal of a name it does not know (the
    demo's "ECFMG certification") works out "did you mean" suggestions (difflib's import and its ratios over every
    exam name) that the standing then drops: at every first look after a write. It asks known_exam now."""
    pair = Pair(url, tmp_path, capsys)
    assert "ECFMG certification" in _exam_names(pair.fast), "the demo's exam row no vocabulary knows"
    pair.write("rotations", "edit", "1", "--hours", "31")
    shown, seen = _look(pair.fast, FIXED_NOW, *form)
    assert shown == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert "difflib" not in seen["modules"], "the look worked out suggestions for an exam name"


def test_the_exam_standing_leaves_out_the_names_it_does_not_know() -> None:
    """What the standing makes of each name is what it made with parse_exam: an unknown, a retired (Step 2 CS) and
    an ambiguous name ("USMLE") are left out; the known ones count, whatever their spelling."""
    from imgcoach.plan.rules.exam_standing import exam_standing

    def row(exam: str, score: int | None, result: str | None, day: date) -> SimpleNamespace:
        return SimpleNamespace(exam=exam, taken_on=day, score=score, result=result, attempt=1)

    rows = [row("ECFMG certification", None, "pass", date(2025, 1, 5)), row("Step 2 CS", None, "fail", date(2019, 1, 5)),
            row("USMLE", None, "fail", date(2024, 1, 5)), row("usmle step 2ck", 250, None, date(2025, 3, 1)),
            row("Step 3", None, None, date(2027, 2, 1))]
    standing = exam_standing(rows)
    assert (standing.step2_score, standing.failed_attempts, standing.max_attempts_any_step,
            standing.step3_pending_on) == (250, 0, 1, date(2027, 2, 1))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("form", [(), ("--json",)], ids=["text", "json"])
def test_a_later_first_look_parses_no_season_file(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  form: tuple[str, ...]) -> None:
    """The Match year is read from the plan's season.toml (plan.rules.season), parsed with tomllib at every first
    look after a write (its import and the parse, about 2 ms); a look now finds the parsed table kept by an earlier
    one (matching.kept, with matching's data files) and imports no TOML parser. Its bytes are the full path's."""
    pair = Pair(url, tmp_path, capsys)
    pair.write("rotations", "edit", "1", "--hours", "31")
    first, modules = _look_modules(pair.fast, FIXED_NOW, *form)
    assert first == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert "tomllib" in modules, "the first look of this code parses the file (nothing kept yet)"
    pair.write("profile", "set", "--budget-programs", "12")  # an input of the list: a new run, a new list
    later, modules = _look_modules(pair.fast, FIXED_NOW, *form)
    assert later == full(pair.slow, FIXED_NOW, "shortlist", *form, capsys=capsys)
    assert later != first, "the budget changed the list: the look after it shows the new one"
    assert "tomllib" not in modules, "the later look parsed a TOML file"


def test_the_kept_season_table_is_the_parsed_one() -> None:
    """What a look keeps (marshal's values, dates as ordinals) is restored as the very table season.toml parses to,
    in another process (nothing parsed there); anything else is refused and the table is left unrestored."""
    program = """
import json, marshal, sys
from imgcoach.plan.rules import season
values = marshal.loads(bytes.fromhex(sys.argv[1]))
for bad in ({}, {"known": {"2026": {"opens": ("not a date", 1)}}}, [1]):
    try:
        season.add_season_values(bad)
        raise SystemExit("accepted " + repr(bad))
    except (TypeError, ValueError):
        pass
season.add_season_values(values)
table = season.season_table()
print(repr(table), "tomllib" in sys.modules)
"""
    from imgcoach.plan.rules import season

    parsed = season.season_table()
    values = season.season_values()
    assert values is not None
    import marshal

    proc = subprocess.run([sys.executable, "-c", program, marshal.dumps(values).hex()], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[0] == f"{parsed!r} False"
    assert any(isinstance(d, date) for days in parsed["known"].values() for d in days.values())
