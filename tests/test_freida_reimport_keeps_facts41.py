"""A FREIDA-style export has no column for step2_min, yog_cutoff_years, attempts_allowed...: importing it over
programs a full file (or `programs edit`) had described set every such fact to unknown, said only as one more
"step2_min 230 -> unknown" in a long change line, and stamped the row with the import's day, so `shortlist
--explain` showed the erased facts as unknown "checked" that day. A re-import of a partial layout now updates
what the file carries and keeps the rest, each kept fact with the source and date it was last read from."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row

FREIDA = Path(__file__).parent / "fixtures" / "programs" / "freida_style_synthetic_300.csv"
PID = "1406000000"  # the export's first program (Hartford, CT; % IMG 32; no Step 2 minimum column)


def test_a_freida_reimport_keeps_what_the_file_does_not_carry(
    ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    full = tmp_path / "full.csv"
    full.write_text(csv_text(row(program_id=PID, state="CT", step2_min="230", yog_cutoff_years="5",
                                 img_share_pct="50", checked_on="2026-11-01")))
    assert run_cli(capsys, "programs", "import", str(full), "--db", db_url).code == 0
    edit_day = cli_clock.now().date()
    programs_service.edit_program(ctx, PID, {"attempts_allowed": "2"})
    cli_clock.advance(timedelta(days=3))
    import_day = cli_clock.now().date()

    report = run_cli(capsys, "programs", "import", str(FREIDA), "--mapping", "freida", "--db", db_url, "--json")
    assert report.code == 0, report
    data = report.json()
    assert "step2_min" not in data["changes"][PID] and data["changes"][PID]["img_share_pct"] == {"old": "50",
                                                                                               "new": "32"}

    explained = run_cli(capsys, "shortlist", "--explain", PID, "--json", "--db", db_url).json()
    facts = {f["field"]: f for f in explained["facts"]}
    assert (facts["step2_min"]["value"], facts["step2_min"]["source"], facts["step2_min"]["checked_on"]) == (
        "230", "test fixture", "2026-11-01")
    assert (facts["yog_cutoff_years"]["value"], facts["yog_cutoff_years"]["checked_on"]) == ("5", "2026-11-01")
    assert (facts["attempts_allowed"]["value"], facts["attempts_allowed"]["source"],
            facts["attempts_allowed"]["checked_on"]) == ("2", "edited by hand", edit_day.isoformat())
    # what the file carries is the file's, read on the import's day
    assert (facts["img_share_pct"]["value"], facts["img_share_pct"]["source"],
            facts["img_share_pct"]["checked_on"]) == ("32", "FREIDA-style export", import_day.isoformat())

    assert "step2_min" in data["kept_facts"] and "attempts_allowed" in data["kept_facts"]
    assert "img_share_pct" not in data["kept_facts"]  # the file carries it: updated

    text = run_cli(capsys, "shortlist", "--explain", PID, "--db", db_url).out
    assert "step2_min: 230  (test fixture, 2026-11-01)" in text

    listed = {p["program_id"]: p for p in run_cli(capsys, "programs", "list", "--json", "--limit", "500",
                                                  "--db", db_url).json()}[PID]
    assert listed["step2_min"] == "230" and "step2_min" not in listed["unknown_fields"]
    assert (listed["step2_min_source"], listed["step2_min_checked_on"]) == ("test fixture", "2026-11-01")

    words = run_cli(capsys, "programs", "import", str(FREIDA), "--mapping", "freida", "--db", db_url).out
    assert "kept the stored values of the facts this file has no column for" in " ".join(words.split())


def test_an_empty_cell_of_the_export_keeps_a_stated_fact(
    ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """The export's second program leaves "% IMG" empty (read as unknown): that states no fact, so the share a
    full file gave is kept with its own source and date, and the import says so."""
    empty = "1403100001"
    full = tmp_path / "full.csv"
    full.write_text(csv_text(row(program_id=empty, state="FL", img_share_pct="50", checked_on="2026-11-01")))
    assert run_cli(capsys, "programs", "import", str(full), "--db", db_url).code == 0
    report = run_cli(capsys, "programs", "import", str(FREIDA), "--mapping", "freida", "--db", db_url, "--json")
    assert report.code == 0, report
    assert "img_share_pct" not in report.json()["changes"][empty]
    explained = run_cli(capsys, "shortlist", "--explain", empty, "--json", "--db", db_url).json()
    share = next(f for f in explained["facts"] if f["field"] == "img_share_pct")
    assert (share["value"], share["source"], share["checked_on"]) == ("50", "test fixture", "2026-11-01")
    assert report.json()["kept_where_empty"] == {empty: ["img_share_pct"]}
