"""`import --as UID=KIND` and `--separate UID` name an event of the files (walk48).

A mistyped UID (or an empty one: `--separate ""`) matched nothing and was said nowhere: `import FILE --as
nope=rotation` imported every event as a plain one, exit 0, while the user meant to make a rotation of one. A UID no
event of the files has is now refused before any file is imported, naming the option and the UID (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

DATA = Path(__file__).resolve().parent / "data" / "ics"
SERIES = str(DATA / "google_daily_series_uworld_block.ics")  # a daily "UWorld Step 2 CK block", 14 occurrences
OTHER = str(DATA / "floating_no_xwr.ics")
FIRST = "0a1b2c3d4e5f6g7h8i9j@google.com#20270201T140000Z"  # its first occurrence, as --dry-run lists it


@pytest.mark.parametrize(("option", "said"), [
    (["--as", "nope=study_block"], "--as nope=study_block: no event in "),
    (["--separate", ""], "--separate '': no event in "),
    (["--separate", "0a1b2c3d4e5f6g7h8i9j@google.com#20270301T140000Z"], "--separate '0a1b2c3d4e5f6g7h8i9j@google"),
], ids=["as-mistyped", "separate-empty", "separate-no-such-occurrence"])
def test_a_uid_no_event_has_is_refused_before_anything_is_imported(
        ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str, cli_clock: object, option: list[str],
        said: str) -> None:
    before = database_state(db_url)
    res = run_cli(capsys, "import", OTHER, SERIES, *option, "--db", db_url)
    assert (res.code, res.out) == (2, ""), res.out
    assert res.err.startswith(f"imgcoach: error: {said}") and f"{OTHER}, {SERIES}" in res.err, res.err
    assert database_state(db_url) == before


def test_a_uid_in_one_of_the_files_is_taken(ctx: Context, capsys: pytest.CaptureFixture[str], db_url: str,
                                            cli_clock: object) -> None:
    """A guard: the UID of the second file's series, named beside another file, makes its study block."""
    res = run_cli(capsys, "import", OTHER, SERIES, "--as", f"{FIRST}=study_block", "--db", db_url)
    assert res.code == 0, res.err
    blocks = run_cli(capsys, "study", "list", "--json", "--db", db_url).json()
    assert [(b["start_date"], b["end_date"]) for b in blocks] == [("2027-02-01", "2027-02-14")], blocks
