"""The plain-series expansion (dateutil directly) gives exactly what recurring-ical-events gives.

imgcoach.calendar.expand expands a file whose series are all "plain" (one VEVENT, one RRULE of
FREQ/INTERVAL/COUNT/UNTIL/BYDAY/WKST, maybe EXDATE; no RDATE, no override) without recurring-ical-events.
Each test reads the same bytes twice, once with the shortcut and once with the shortcut switched off, and
compares every event the reader emits: UTC instants, all-day dates, zones, keys, problems and their order.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.gen_ics import generate
from imgcoach.calendar import expand
from imgcoach.calendar.reader import read_ics_bytes

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
DATA = Path(__file__).parent / "data" / "ics"
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//imgcoach tests//synthetic//EN\r\n"
ZONES = ("Europe/Berlin", "America/New_York")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def events(data: bytes, *, plain: bool, monkeypatch: pytest.MonkeyPatch,
           window: tuple[datetime, datetime] | None = None, **limits: int) -> tuple[list[Any], list[Any]]:
    """What the reader makes of the bytes, with or without the plain shortcut; and whether it was taken."""
    taken: list[bool] = []
    real = expand._plain_rules

    def spy(series: dict[str, Any]) -> Any:
        out = real(series) if plain else None
        taken.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(expand, "_plain_rules", spy)
        result = read_ics_bytes(data, file="t.ics", now=NOW, default_tz="America/New_York", window=window, **limits)
    rows = [(e.uid, e.recurrence_id, e.start, e.end, type(e.start).__name__, e.all_day, e.tzid, e.summary, e.line)
            for e in result.events]
    problems = [(p.severity, p.message, p.uid, p.line) for p in result.problems]
    return [rows, problems], taken


def same_both_ways(data: bytes, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> bool:
    ours, taken = events(data, plain=True, monkeypatch=monkeypatch, **kw)
    theirs, _ = events(data, plain=False, monkeypatch=monkeypatch, **kw)
    assert ours == theirs
    return any(taken)


def series_event(uid: str, start: str, rule: str, *, end: str = "", extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Series {uid}\r\n{start}\r\n"
            f"{end + chr(13) + chr(10) if end else ''}RRULE:{rule}\r\n{extra}END:VEVENT\r\n")


def cal(*items: str) -> bytes:
    return (HEAD + "".join(items) + "END:VCALENDAR\r\n").encode()


CASES = {
    "weekly count utc": series_event("a", "DTSTART:20270104T090000Z", "FREQ=WEEKLY;COUNT=10", end="DTEND:20270104T100000Z"),
    "daily across spring DST berlin": series_event(
        "b", "DTSTART;TZID=Europe/Berlin:20270320T020000", "FREQ=DAILY;COUNT=20", end="DURATION:PT90M"),
    "daily 02:30 across both DST changes new york": series_event(
        "c", "DTSTART;TZID=America/New_York:20270301T023000", "FREQ=DAILY;UNTIL=20271110T073000Z",
        end="DTEND;TZID=America/New_York:20270301T033000"),
    "all day until date": series_event("d", "DTSTART;VALUE=DATE:20270101", "FREQ=WEEKLY;UNTIL=20270401;BYDAY=MO,FR",
                                       end="DTEND;VALUE=DATE:20270102"),
    "all day until date-time": series_event("e", "DTSTART;VALUE=DATE:20270101", "FREQ=DAILY;UNTIL=20270110T230000Z"),
    "zoned until date": series_event("f", "DTSTART;TZID=Europe/Berlin:20270105T180000", "FREQ=WEEKLY;UNTIL=20270302",
                                     end="DURATION:PT1H"),
    "zoned until floating": series_event("g", "DTSTART;TZID=America/New_York:20270105T230000",
                                         "FREQ=DAILY;UNTIL=20270110T030000"),
    "floating start": series_event("h", "DTSTART:20270105T090000", "FREQ=DAILY;COUNT=5;INTERVAL=2"),
    "floating start until utc": series_event("i", "DTSTART:20270105T090000", "FREQ=DAILY;UNTIL=20270110T090000Z"),
    "monthly nth weekday": series_event("j", "DTSTART;TZID=America/New_York:20270111T170000",
                                        "FREQ=MONTHLY;BYDAY=2MO,-1FR;COUNT=12", end="DURATION:PT2H"),
    "yearly": series_event("k", "DTSTART;VALUE=DATE:20240229", "FREQ=YEARLY;COUNT=4"),
    "start off the rule": series_event("l", "DTSTART:20270106T120000Z", "FREQ=WEEKLY;BYDAY=MO;COUNT=3;WKST=SU"),
    "exdate utc, zoned and date": series_event(
        "m", "DTSTART;TZID=Europe/Berlin:20270104T090000", "FREQ=DAILY;COUNT=30",
        extra="EXDATE;TZID=Europe/Berlin:20270105T090000,20270107T090000\r\nEXDATE:20270110T080000Z\r\n"
              "EXDATE;TZID=America/New_York:20270112T090000\r\n"),
    "all-day exdate": series_event("n", "DTSTART;VALUE=DATE:20270104", "FREQ=DAILY;COUNT=10",
                                   extra="EXDATE;VALUE=DATE:20270105,20270108\r\n"),
    "no count no until (bounded by the window)": series_event("o", "DTSTART:20260101T070000Z", "FREQ=WEEKLY;INTERVAL=3"),
    "started before the window": series_event("p", "DTSTART;TZID=America/New_York:20200101T080000",
                                              "FREQ=MONTHLY;COUNT=100"),
    "long events overlapping the window start": series_event(
        "q", "DTSTART;VALUE=DATE:20251120", "FREQ=WEEKLY;COUNT=5", end="DTEND;VALUE=DATE:20251201"),
    "zero length": series_event("r", "DTSTART:20270104T090000Z", "FREQ=DAILY;COUNT=3", end="DTEND:20270104T090000Z"),
    "until before start": series_event("s", "DTSTART:20270104T090000Z", "FREQ=DAILY;UNTIL=20270101T000000Z"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_plain_series_expands_as_recurring_ical_events_does(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert same_both_ways(cal(CASES[name]), monkeypatch)


def test_all_cases_in_one_file_and_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    data = cal(*CASES.values())
    assert same_both_ways(data, monkeypatch)
    assert same_both_ways(data, monkeypatch, max_per_series=4)
    assert same_both_ways(data, monkeypatch, max_events=40)
    assert same_both_ways(data, monkeypatch, window=(datetime(2027, 1, 6, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC)))


def test_the_bench_file_takes_the_plain_path_and_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    assert same_both_ways(generate(600), monkeypatch)


def test_a_dense_rule_is_cut_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    data = cal(series_event("dense", "DTSTART:20260101T000000Z", "FREQ=DAILY"),
               series_event("t", "DTSTART:20270104T090000Z", "FREQ=WEEKLY;COUNT=3"))
    assert same_both_ways(data, monkeypatch, max_per_series=50)


@pytest.mark.parametrize("item", [
    series_event("u", "DTSTART:20270104T090000Z", "FREQ=WEEKLY;COUNT=3", extra="RDATE:20270120T090000Z\r\n"),
    series_event("v", "DTSTART:20270104T090000Z", "FREQ=HOURLY;COUNT=3"),
    series_event("w", "DTSTART:20270104T090000Z", "FREQ=MONTHLY;BYMONTHDAY=4;COUNT=3"),
    series_event("x", "DTSTART:20270104T090000Z", "FREQ=WEEKLY;COUNT=3")
    + "BEGIN:VEVENT\r\nUID:x\r\nRECURRENCE-ID:20270111T090000Z\r\nDTSTART:20270111T100000Z\r\nSUMMARY:moved\r\n"
      "END:VEVENT\r\n",
    series_event("y", "DTSTART;VALUE=DATE:20270104", "FREQ=DAILY;COUNT=3", end="DTEND:20270104T100000Z"),
])
def test_a_file_with_one_series_that_is_not_plain_goes_through_the_library(item: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = cal(CASES["weekly count utc"], item)
    assert not same_both_ways(data, monkeypatch)


@pytest.mark.parametrize("name", ["rrule_exdate_override.ics", "google_daily_series_uworld_block.ics",
                                  "hospital_schedule_for_planned_rotation.ics", "allday_multiday.ics",
                                  "windows_tzid.ics", "outlook_display_name_tzids.ics", "xwr_floating.ics",
                                  "rrule_minutely_unbounded.ics", "multi_vcalendar.ics"])
def test_real_files_read_alike(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    same_both_ways((DATA / name).read_bytes(), monkeypatch)


@pytest.mark.parametrize("path", sorted((DATA / "corpus").glob("*.ics")), ids=lambda p: p.name)
def test_corpus_files_read_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    same_both_ways(path.read_bytes(), monkeypatch)


# --- generated series ----------------------------------------------------------------------------------

def _fmt(value: datetime | date) -> str:
    return f"{value:%Y%m%dT%H%M%S}" if isinstance(value, datetime) else f"{value:%Y%m%d}"


@st.composite
def plain_series(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["date", "utc", "floating", *ZONES]))
    # around the DST changes of both zones, and across the window's edges
    base = draw(st.sampled_from([datetime(2026, 3, 7), datetime(2026, 10, 24), datetime(2027, 3, 27),
                                 datetime(2027, 11, 6), datetime(2025, 11, 20), datetime(2028, 11, 20)]))
    start = base + timedelta(days=draw(st.integers(-10, 10)), hours=draw(st.sampled_from([0, 1, 2, 3, 9, 23])),
                             minutes=draw(st.sampled_from([0, 30])))
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 3))}")
    if draw(st.booleans()):
        if freq in ("MONTHLY", "YEARLY") and draw(st.booleans()):
            days = [f"{draw(st.sampled_from([1, 2, -1]))}{d}" for d in draw(st.lists(st.sampled_from(DAYS), min_size=1,
                                                                                   max_size=2, unique=True))]
        else:
            days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
    end_kind = draw(st.sampled_from(["none", "count", "until-date", "until-utc", "until-floating", "both"]))
    if end_kind in ("count", "both"):
        parts.append(f"COUNT={draw(st.integers(1, 15))}")
    if end_kind.startswith("until") or end_kind == "both":
        until = start + timedelta(days=draw(st.integers(-2, 60)), hours=draw(st.integers(-3, 3)))
        parts.append("UNTIL=" + (f"{until:%Y%m%d}" if end_kind == "until-date" else
                                 f"{until:%Y%m%dT%H%M%S}" + ("" if end_kind == "until-floating" else "Z")))
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(DAYS))}")
    lines = []
    if kind == "date":
        d = start.date()
        lines.append(f"DTSTART;VALUE=DATE:{_fmt(d)}")
        length = draw(st.sampled_from([None, 1, 3]))
        if length is not None:
            lines.append(f"DTEND;VALUE=DATE:{_fmt(d + timedelta(days=length))}")
        ex = [d + timedelta(days=draw(st.integers(0, 40))) for _ in range(draw(st.integers(0, 3)))]
        lines += [f"EXDATE;VALUE=DATE:{_fmt(x)}" for x in ex]
    else:
        param = {"utc": "", "floating": ""}.get(kind, f";TZID={kind}")
        z = "Z" if kind == "utc" else ""
        lines.append(f"DTSTART{param}:{_fmt(start)}{z}")
        length = draw(st.sampled_from([None, 0, 30, 90, 60 * 26]))
        if length is not None:
            if draw(st.booleans()):
                lines.append(f"DURATION:PT{length}M")
            else:
                lines.append(f"DTEND{param}:{_fmt(start + timedelta(minutes=length))}{z}")
        step = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}[freq]
        for _ in range(draw(st.integers(0, 3))):
            x = start + timedelta(days=step * draw(st.integers(0, 6)), hours=draw(st.sampled_from([0, 0, 1])))
            lines.append(f"EXDATE{param}:{_fmt(x)}{z}")
    uid = draw(st.integers(0, 10**6))
    return series_event(f"gen-{uid}", "\r\n".join(lines), ";".join(parts))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plain_series(), min_size=1, max_size=4))
def test_generated_plain_series_expand_alike(items: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert same_both_ways(cal(*items), monkeypatch)  # every generated series is plain: the shortcut ran
