"""The reader parses a file a component at a time (issue 17: 100,000 events peaked at 750 MiB, most of it
icalendar's tree of the whole file), and reads it exactly as the parse of the whole file did.

Guards: these pass before and after by design of the comparison (the whole parse is kept for the files that need it,
and as the reference here); the structural test counts what one parse holds.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.gen_ics import generate
from imgcoach.calendar import expand
from imgcoach.calendar.reader import _in_pieces, _read_ics_bytes, read_ics_bytes

DATA = Path(__file__).parent / "data" / "ics"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
FILES = sorted([*(DATA / "corpus").glob("*.ics"), *DATA.glob("*.ics")])


def _both(data: bytes, name: str, **limits: int) -> None:
    """The file read in pieces and read whole give the same ParseResult: events, problems, lines and words."""
    kwargs = {"file": name, "now": NOW, "default_tz": "Europe/Berlin", "window": None,
              "max_per_series": limits.get("max_per_series", expand.MAX_PER_SERIES),
              "max_events": limits.get("max_events", expand.MAX_TOTAL)}
    whole = _read_ics_bytes(data, **kwargs, in_pieces=False)  # type: ignore[arg-type]
    pieces = _read_ics_bytes(data, **kwargs, in_pieces=True)  # type: ignore[arg-type]
    assert pieces == whole


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_reads_alike_in_pieces(path: Path) -> None:
    _both(path.read_bytes(), path.name)


def test_the_limit_per_file_reads_alike_in_pieces() -> None:
    """Past the limit per file the singles are only counted now: the same warning, the same first events."""
    _both(generate(120, seed=3), "bench.ics", max_events=50)
    _both(generate(120, seed=3), "bench.ics", max_events=50, max_per_series=3)


@pytest.mark.parametrize("case", range(60))
def test_damaged_files_read_alike_in_pieces(case: int) -> None:
    """Mutated real files (truncated, bytes changed, lines dropped or repeated): the same problems either way."""
    rng = random.Random(case)
    data = bytearray(FILES[case % len(FILES)].read_bytes())
    how = case % 3
    if how == 0:
        for _ in range(rng.randint(1, 6)):
            if data:
                data[rng.randrange(len(data))] = rng.choice(b":;\r\n \tABEGINDT0")
    else:
        lines = bytes(data).split(b"\n")
        i = rng.randrange(len(lines))
        lines[i:i + 1] = [] if how == 1 else [lines[i], lines[i]]
        data = bytearray(b"\n".join(lines))
    _both(bytes(data), f"case{case}.ics")


def test_no_parse_holds_more_than_one_event() -> None:
    """The calendar's own parse holds its properties and VTIMEZONE alone; each event is parsed on its own."""
    body = generate(40, seed=5).decode()
    pieces = _in_pieces(body, body)
    assert pieces is not None
    calendar = pieces.calendar()
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]
    assert not any("VEVENT" in line.upper() for line in pieces.skeleton)
    assert pieces.count == 40
    for comp in pieces.items():
        assert comp.name == "VEVENT"
        assert not comp.subcomponents
    assert pieces.parsed == 40
    assert not pieces.text  # let go once read
    result = read_ics_bytes(body.encode(), file="bench.ics", now=NOW, default_tz="America/New_York")
    assert len({e.uid for e in result.events}) == 40


def test_a_second_calendar_or_google_zone_is_read_whole() -> None:
    """Two VCALENDARs (zones may be referred to across them) are not split; X-WR-TIMEZONE asks for the whole
    calendar during the read and is read again whole, with the same result."""
    one = generate(3, seed=1).decode()
    assert _in_pieces(one + one, one + one) is None
    google = one.replace("CALSCALE:GREGORIAN", "CALSCALE:GREGORIAN\r\nX-WR-TIMEZONE:Asia/Kolkata", 1)
    assert _in_pieces(google, google) is not None
    _both(google.encode(), "google.ics")
