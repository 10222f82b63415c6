"""The quick read's kept program table (matching.kept, issue 17): a write to the profile or the plan leaves it
current, so the first `shortlist` after it does not rebuild it from the 6,000 stored programs; any write to the
program data or to an override (through imgcoach or raw SQL) makes it stale, and the look after it builds and
keeps it again. Whichever it did, the look prints the full path's bytes and leaves the full path's database
(tests/test_cli_shortlist_quick.Pair compares both on two copies of the demo database).

Whether it was rebuilt is read from the database: the kept row's key changes when a table is built and kept.
"""

from __future__ import annotations

import marshal
import sqlite3
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.matching import one_checkpoint, shortlist_quickly
from imgcoach.matching.eligibility import _requirement_codes, requirement_code_values
from imgcoach.matching.kept import KEPT_MODEL, KEPT_TABLE, _restored
from imgcoach.matching.stored import programs_from_chunks
from imgcoach.matching.table import ProgramTable, build_table
from tests.conftest import FIXED_NOW
from tests.matching_support import csv_text, row
from tests.test_cli_quickanswer import url as url  # noqa: F401  (the fixture)
from tests.test_cli_shortlist_quick import Pair, _copy

pytestmark = pytest.mark.sqlite_only


def _kept(url: str) -> tuple[str, str] | None:
    """The kept table's key and its columns (their repr: nan is no value equal to itself), or None when none is
    kept. Not its bytes: marshal marks values referenced twice, which may differ between two equal tables."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        found = conn.execute('SELECT "key", "output" FROM "read_answer" WHERE "command" = ?', (KEPT_TABLE,)).fetchone()
    conn.close()
    if found is None:
        return None
    try:
        return found[0], repr(marshal.loads(found[1]))
    except (ValueError, EOFError, TypeError):
        return found[0], "unreadable"


def _sql(url: str, statement: str) -> None:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute(statement)
    conn.close()


@pytest.fixture
def pair(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Pair:
    return Pair(url, tmp_path, capsys)


def test_a_profile_or_plan_write_keeps_the_table_a_program_write_rebuilds_it(pair: Pair, tmp_path: Path) -> None:
    pair.look()
    first = _kept(pair.fast)
    assert first is not None, "the first look kept no program table"
    for write in (("profile", "set", "--budget-programs", "12"),
                  ("rotations", "edit", "1", "--start", "2026-05-04", "--end", "2026-06-26"),
                  ("exams", "add", "--exam", "OET", "--date", "2026-10-01", "--score", "350/360/300/370")):
        pair.write(*write)
        pair.look("--json")
        assert _kept(pair.fast) == first, f"{write}: the program table was rebuilt"
    pair.write("programs", "override", "SYN00001", "visa_j1", "no", "--note", "asked")
    pair.look()
    overridden = _kept(pair.fast)
    assert overridden is not None and overridden[0] != first[0], "an override left the old table current"
    path = tmp_path / "more.csv"
    path.write_text(csv_text(*[row(program_id=f"Q{i}", name=f"Kept Table IM {i}", yog_cutoff_years="none",
                                   state="NY", step2_typical="225") for i in range(3)]))
    pair.write("programs", "import", str(path))
    pair.look("--json")
    imported = _kept(pair.fast)
    assert imported is not None and imported[0] != overridden[0], "an import left the old table current"
    pair.write("programs", "override", "SYN00001", "visa_j1", "-", "--clear")
    pair.look()
    assert _kept(pair.fast) not in (None, imported), "an override cleared left the old table current"


def test_a_raw_sql_write_to_a_program_rebuilds_it(pair: Pair, tmp_path: Path) -> None:
    """Another tool's write, not imgcoach's: the triggers count it, and the look shows the new name."""
    pair.look()
    first = _kept(pair.fast)
    for target in (pair.fast, pair.slow):
        _sql(target, "UPDATE program SET facts = json_set(facts, '$.name', 'Renamed By SQL (synthetic)') "
                     "WHERE id = (SELECT program_id FROM shortlist_entry WHERE position = 1 "
                     "AND run_id = (SELECT max(id) FROM shortlist_run))")
        _sql(target, "UPDATE applicant SET application_budget_programs = 30")  # a new run, its list shown
    # The full path's own in-process cache of the programs is keyed by their count and latest updated_at, which
    # this write leaves as they were: the full path looks at a copy (another file: no cache of it in this process).
    pair.slow = _copy(pair.slow, tmp_path, "slow-after-sql.sqlite")
    assert "Renamed By SQL" in pair.look()
    assert _kept(pair.fast) not in (None, first)


def test_a_kept_value_this_code_cannot_read_is_built_again(pair: Pair) -> None:
    pair.look()
    kept = _kept(pair.fast)
    assert kept is not None
    _sql(pair.fast, f"UPDATE read_answer SET output = X'00' WHERE command = '{KEPT_TABLE}'")
    pair.write("profile", "set", "--budget-programs", "15")  # the table still current by its key
    pair.look()
    assert _kept(pair.fast) == kept, "the unreadable value was not replaced by the table built again"


def _with_codes(table: ProgramTable) -> ProgramTable:
    """The table with its requirement codes worked out, as the first ranking over it (check_all) does."""
    _requirement_codes(table)
    return table


def test_the_restored_table_is_the_built_one(pair: Pair) -> None:
    """Column for column, and each Program as matching.stored builds it (read on first use); the program data's
    version kept with it is the one the program table gives."""
    pair.look()
    kept = _kept(pair.fast)
    assert kept is not None
    with sqlite3.connect(pair.fast.removeprefix("sqlite:///"), isolation_level=None) as conn:
        conn.execute("BEGIN")
        rows = conn.execute('SELECT "id", "facts", "field_sources" FROM "program" ORDER BY "id"').fetchall()
        built = build_table(programs_from_chunks([rows]))
        (blob,) = conn.execute('SELECT "output" FROM "read_answer" WHERE "command" = ?', (KEPT_TABLE,)).fetchone()
        found = _restored(blob, conn, {})
        assert found is not None
        restored, version = found
        assert version == conn.execute('SELECT count(*), max("updated_at"), (SELECT max("id") FROM "program_import") '
                                       'FROM "program"').fetchone()
        assert len(restored) == len(built) > 1000
        for name in ProgramTable.__slots__:
            if name not in ("programs", "requirement_codes"):
                assert repr(getattr(restored, name)) == repr(getattr(built, name)), name
        # eligibility's requirement codes, kept too: those it works out from the columns
        assert restored.requirement_codes is not None
        assert repr(requirement_code_values(restored)) == repr(requirement_code_values(_with_codes(built)))
        for i in (0, 17, len(built) - 1):
            assert restored.programs[i] == built.programs[i]
            assert restored.programs[i].field_sources == built.programs[i].field_sources
        conn.execute("COMMIT")
    conn.close()


def test_the_look_checkpoints_the_wal_once(url: str, demo_ctx: Context) -> None:
    """The first look after a write closes three writing connections (the run, the changes marked seen, the answer
    kept); each close, as the last connection, checkpointed the WAL and removed it. Held open by one_checkpoint,
    the WAL is still there after the run is stored, and checkpointed once when the look ends."""
    _sql(url, "UPDATE applicant SET application_budget_programs = 33")  # an input changed: a run to store
    wal = Path(url.removeprefix("sqlite:///") + "-wal")
    with one_checkpoint(url):
        found = shortlist_quickly(url, applicant=None, now=FIXED_NOW, settings=demo_ctx.settings)
        assert found is not None and found.stored
        assert wal.is_file() and wal.stat().st_size > 0, "the look's own connection checkpointed the WAL"
    assert not wal.exists(), "the WAL was not checkpointed when the look ended"


def test_the_model_values_kept_are_the_ones_worked_out(pair: Pair) -> None:
    """Each specialty's openness, the shared factor, the parsed data files and the season table, kept after a look for the next
    process, are what their own functions work out afresh (the next process ranks with them: the same figures,
    the same bytes)."""
    import tomllib

    from imgcoach.matching.anchors import _OPENNESS_FIELDS, _openness, anchors
    from imgcoach.matching.datafiles import DATA
    from imgcoach.matching.params import default_params
    from imgcoach.matching.shared import _shared_factor

    pair.look()
    with sqlite3.connect(pair.fast.removeprefix("sqlite:///")) as conn:
        (blob,) = conn.execute('SELECT "output" FROM "read_answer" WHERE "command" = ? AND "subject" = 0',
                               (KEPT_MODEL,)).fetchone()
    conn.close()
    openness, shared, files, season = marshal.loads(blob)
    assert openness and shared
    # what the ranking and the list read: the calibration, the anchors, the fees, the signals
    assert {"calibration.toml", "specialty_anchors.toml", "eras_fees.toml", "signals.toml"} <= set(files)
    for name, value in files.items():
        assert repr(value) == repr(tomllib.loads((DATA / name).read_text("utf-8"))), name
    # and the plan's season table (the Match year's dates), restored as season.toml parses
    from imgcoach.plan.rules import season as seasons

    with open(Path(seasons.__file__).with_name("season.toml"), "rb") as fh:
        assert repr(seasons._decoded(season)) == repr(tomllib.load(fh)["season"])
    params = default_params()
    for (code, group, *_), value in openness.items():
        fresh = _openness(anchors(), code, group, params)
        assert repr(value) == repr(tuple(getattr(fresh, name) for name in _OPENNESS_FIELDS)), (code, group)
    for key, value in shared.items():
        fresh_factor = _shared_factor(*key)
        assert repr(value) == repr((fresh_factor.nodes, fresh_factor.weights, fresh_factor.q,
                                    fresh_factor.season_failure, fresh_factor.table))
