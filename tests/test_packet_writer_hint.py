"""A packet asked for by a name without its title says whom it could mean.

Found walking the demo: `imgcoach packet "Elena Petrova"` refused with "no rotation with 'Elena Petrova' as supervisor,
attending or letter writer (people on your rotations: Dr. Elena Petrova (fictional), ...)", naming among the people
on the rotations the very person it said was on none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

PEOPLE = ("people on your rotations: Dr. Elena Petrova (fictional), Dr. James Whitaker (fictional), Dr. Priya Nair "
          "(fictional), Maria Lopez (fictional)")


@pytest.mark.parametrize("typed", ["Elena Petrova", "petrova"])
def test_the_one_person_meant_is_named(demo_ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       typed: str, cli_clock: FixedClock) -> None:
    out = tmp_path / "packets"
    refused = run_cli(capsys, "packet", typed, "-o", str(out), "--db", demo_ctx.db.url)
    assert (refused.code, refused.out, out.exists()) == (2, "", False)
    assert refused.err.strip() == (f"imgcoach: error: writer: no rotation with {typed!r} as supervisor, attending or "
                                   f"letter writer ({PEOPLE}); did you mean 'Dr. Elena Petrova (fictional)' (contact 4)? "
                                   "(give the name as stored, or the contact id)")


def test_no_guess_when_several_or_none_fit(demo_ctx: Context, capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path, cli_clock: FixedClock) -> None:
    """Several fit: each is named with its contact id (tests/test_packet_names40.py), none is chosen."""
    for typed in ("Dr.", "Nobody Known"):
        refused = run_cli(capsys, "packet", typed, "-o", str(tmp_path), "--db", demo_ctx.db.url)
        assert refused.code == 2 and f"({PEOPLE})" in refused.err and "did you mean" not in refused.err
        assert not tmp_path.joinpath("packet-dr-elena-petrova-fictional-20261125.md").exists()
