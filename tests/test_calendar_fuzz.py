"""Fuzz the ICS reader with mutated real files: it returns problems, never raises, never hangs (issue 13, 16).

A seeded mutator with a fixed number of cases, so a failure reproduces exactly: the case id names the
seed file, the mutation and its random seed. Seeds are the in-repo corpus of real exports (under 40 KB
each, to keep the test quick) and the small fixtures.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.calendar.model import ParseResult
from imgcoach.calendar.reader import MAX_PAIR_SCANS, read_ics_bytes
from imgcoach.calendar.timezones import zone_for_offsets

DATA = Path(__file__).parent / "data" / "ics"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SEEDS = sorted(p for p in [*(DATA / "corpus").glob("*.ics"), *DATA.glob("*.ics")] if p.stat().st_size < 40_000)
# CPU seconds of this thread, not wall time: at a load average of 7 the worst seed (a SECONDLY series from
# long before the window, 1.2-1.5 s of CPU) took over 5 s of wall time. Typical cases take milliseconds.
PER_CASE_SECONDS = 5.0


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _huge_count(data: bytes, rng: random.Random) -> bytes:
    rule = rng.choice([b"RRULE:FREQ=SECONDLY;COUNT=2147483647", b"RRULE:FREQ=MINUTELY;COUNT=999999999",
                       b"RRULE:FREQ=HOURLY;INTERVAL=1;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55",
                       b"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;COUNT=5"])
    if b"RRULE:" in data:
        head, _, tail = data.partition(b"RRULE:")
        return head + rule + b"\r\nX-OLD-" + b"RRULE:" + tail
    return data.replace(b"END:VEVENT", rule + b"\r\nEND:VEVENT", 1)


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 2000])
    name = rng.choice([b"VEVENT", b"VALARM", b"X-NEST"])
    nest = b"".join(b"BEGIN:%s\r\n" % name for _ in range(depth)) + b"".join(
        b"END:%s\r\n" % name for _ in range(depth if rng.random() < 0.5 else depth - 1))
    at = data.find(b"END:VCALENDAR")
    return data[:at] + nest + data[at:] if at >= 0 else data + nest


def _long_line(data: bytes, rng: random.Random) -> bytes:
    filler = rng.choice([b"A", b"\\,", b";", b"\xc3\xa9"]) * rng.choice([10_000, 200_000])
    line = rng.choice([b"DESCRIPTION:", b"X-LONG;PARAM=", b"SUMMARY;LANGUAGE=", b"DTSTART;TZID="]) + filler
    lines = data.split(b"\n")
    lines.insert(rng.randrange(1, max(2, len(lines))), line + b"\r")
    return b"\n".join(lines)


def _swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncate": _truncate, "flip": _flip, "huge_count": _huge_count, "deep_nesting": _deep_nesting,
    "long_line": _long_line, "swap_lines": _swap_lines,
}
CASES_PER_MUTATION = 24


def _cases() -> list[tuple[str, str, int]]:
    rng = random.Random(20261202)
    return [(rng.choice(SEEDS).name, kind, rng.randrange(2**32))
            for kind in MUTATIONS for _ in range(CASES_PER_MUTATION)]


def _seed_path(name: str) -> Path:
    return next(p for p in SEEDS if p.name == name)


@pytest.mark.parametrize(("seed_file", "mutation", "seed"), _cases())
def test_mutated_real_file_gives_problems_never_an_exception(seed_file: str, mutation: str, seed: int) -> None:
    data = MUTATIONS[mutation](_seed_path(seed_file).read_bytes(), random.Random(seed))
    started = time.thread_time()
    result = read_ics_bytes(data, file="fuzz.ics", now=NOW, default_tz="Europe/Berlin")
    elapsed = time.thread_time() - started
    assert isinstance(result, ParseResult)
    assert elapsed < PER_CASE_SECONDS, f"{seed_file} {mutation} {seed}: {elapsed:.1f} s"
    for problem in result.problems:
        text = problem.describe()
        assert "Traceback" not in text and "\n" not in text
    for event in result.events:  # whatever was read is sane: aware UTC instants, start before end
        assert event.end >= event.start
        if not event.all_day:
            assert event.start.tzinfo is not None and event.end.tzinfo is not None


def _events_in_many_years(names: list[str]) -> bytes:
    """800 events in random years 1-9998, and one per name in every year from 1960 to 2047."""
    rng = random.Random(20261203)
    dated = [(rng.choice(names), year) for year in rng.sample(range(1, 9999), 800)]
    dated += [(name, year) for year in range(1960, 2048) for name in names]
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:y{i}@fuzz\r\nDTSTAMP:20260101T000000Z\r\n"
        f'DTSTART;TZID="{name}":{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}T120000\r\n'
        "END:VEVENT\r\n" for i, (name, year) in enumerate(dated))
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n".encode()


def test_offset_pair_names_in_a_thousand_years_cost_a_bounded_number_of_zone_scans() -> None:
    """Offset-pair TZIDs are matched to zones by the rules of the year each time is in (issue 13); one
    match scans every zone for a year (3-70 ms). A fuzzed file with the same names in about a thousand
    years, each pair in every year the tz database tells apart, must not make hundreds of scans: years
    outside 1970-2037 share one, and a file gets at most MAX_PAIR_SCANS. Compared with the same file whose
    TZIDs are unknown names (same parse, no scans)."""
    pairs = ["GMT-05.00/-04.00", "GMT+03.00/+04.00", "GMT-03.00/-02.00", "GMT+01.00/+02.00", "GMT+09.30/+10.30"]
    timed: dict[str, float] = {}
    for kind, names in (("unknown", [f"Custom Zone {i}" for i in range(5)]), ("pairs", pairs)):
        zone_for_offsets.cache_clear()
        data = _events_in_many_years(names)
        started = time.thread_time()  # CPU of this thread: load from other processes does not count
        result = read_ics_bytes(data, file="years.ics", now=NOW, default_tz="Asia/Kolkata")
        timed[kind] = time.thread_time() - started
        assert len(result.events) == 800 + 88 * 5 and result.errors == []
        assert all(event.start.tzinfo is not None for event in result.events)
    assert zone_for_offsets.cache_info().misses <= MAX_PAIR_SCANS
    assert timed["pairs"] < timed["unknown"] + 2.0, timed
