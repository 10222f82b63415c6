"""The export's bytes are what icalendar's plain API gives for the same items (issue 17: faster export).

The writer builds each property as the value type icalendar's add() would choose instead of calling add()
and skips icalendar's fold for the lines that need none; these tests hold it to the straightforward icalendar
calls (`add()` with type inference, a plain Calendar, its to_ical) on plans with several zones, DST edges,
all-day and multi-day items, alarms, and long, non-ASCII and escaped text, and on lines at the 75-octet limit.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from imgcoach.calendar.timezones import iana_zone
from imgcoach.calendar.writer import (
    PRODID,
    ExportItem,
    PlainText,
    _Line,
    _vtimezone,
    sequence_of,
    to_ics_bytes,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
ZONES = ["UTC", "", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "America/Sao_Paulo",
         "Australia/Lord_Howe", "US/Eastern", "Etc/UTC", "Not/AZone"]


def reference_bytes(items: list[ExportItem], now: datetime, name: str = "imgcoach plan") -> bytes:
    """The export as icalendar's add() and to_ical make it: one add() per property, types inferred."""
    cal = icalendar.Calendar()
    for prop, value in (("PRODID", PRODID), ("VERSION", "2.0"), ("CALSCALE", "GREGORIAN"), ("METHOD", "PUBLISH"),
                        ("X-WR-CALNAME", PlainText(name))):
        cal.add(prop, value)
    for item in items:
        ev = icalendar.Event()
        ev.add("UID", item.uid)
        ev.add("DTSTAMP", (item.stamp or now).astimezone(UTC))
        ev.add("SEQUENCE", sequence_of(item))
        ev.add("SUMMARY", PlainText(item.summary))
        if item.all_day:
            start = item.start.date() if isinstance(item.start, datetime) else item.start
            end = item.end.date() if isinstance(item.end, datetime) else item.end
            ev.add("DTSTART", start)
            ev.add("DTEND", max(end, start + timedelta(days=1)))
        else:
            assert isinstance(item.start, datetime) and isinstance(item.end, datetime)
            zone = iana_zone(item.tzid) if item.tzid not in ("", "UTC") else None
            moments = [item.start.astimezone(zone or UTC), item.end.astimezone(zone or UTC)]
            if any(m.replace(fold=1 - m.fold).utcoffset() != m.utcoffset() for m in moments):
                moments = [m.astimezone(UTC) for m in moments]  # a local time that occurs twice: in UTC
            ev.add("DTSTART", moments[0])
            ev.add("DTEND", moments[1])
        if item.description:
            ev.add("DESCRIPTION", PlainText(item.description))
        if item.location:
            ev.add("LOCATION", PlainText(item.location))
        if item.categories:
            ev.add("CATEGORIES", list(item.categories))
        for key, extra in item.extra.items():
            ev.add(key, PlainText(extra))
        for before in item.alarms_before:
            alarm = icalendar.Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", PlainText(f"Reminder: {item.summary}"))
            alarm.add("TRIGGER", -before)
            ev.add_component(alarm)
        cal.add_component(ev)
    if items:
        days = [i.start.date() if isinstance(i.start, datetime) else i.start for i in items]
        span = (min(days) - timedelta(days=400), max(days) + timedelta(days=400))
        used = sorted({i.tzid for i in items if not i.all_day and i.tzid not in ("", "UTC")})
        cal.subcomponents = [z for tzid in used if (z := _vtimezone(tzid, *span)) is not None] + cal.subcomponents
    return cal.to_ical()


def _local(zone: str, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


def rich_plan() -> list[ExportItem]:
    """Every kind of item the export writes, at the edges that change bytes."""
    stamp = datetime(2026, 3, 1, 8, 15, tzinfo=UTC)
    fields = '{"city": "Zürich", "hands_on": true, "institution": "Hôpital de la Tour; Genève", "kind": "observership"}'
    items = [
        ExportItem("rotation-1@imgcoach", "Observership: Internal Medicine at Hôpital de la Tour", date(2027, 1, 4),
                   date(2027, 2, 1), all_day=True, location="Genève, GE", categories=("Rotation",),
                   alarms_before=(timedelta(days=7),), stamp=stamp,
                   extra={"X-IMGCOACH-KIND": "rotation", "X-IMGCOACH-DETAIL": "observership",
                          "X-IMGCOACH-FIELDS": fields}),
        ExportItem("exam-1@imgcoach", "Exam: USMLE Step 2 CK", date(2027, 3, 3), date(2027, 3, 3), all_day=True,
                   categories=("Exam", "USMLE"), alarms_before=(timedelta(days=7), timedelta(days=1)), sequence=4),
        ExportItem("letter-1@imgcoach", "Letter deadline: Dr. Ñúñez", datetime(2027, 2, 15, 23, tzinfo=UTC),
                   datetime(2027, 2, 16, 23, tzinfo=UTC), all_day=True,
                   description="C:\\New folder\\notes.txt; ask, again\nsecond line", stamp=stamp),
        # the spring-forward gap and the autumn fold in New York, Berlin and Lord Howe (a 30-minute DST)
        ExportItem("gap@imgcoach", "Across the gap", _local("America/New_York", 2027, 3, 14, 1, 30),
                   _local("America/New_York", 2027, 3, 14, 3, 30), tzid="America/New_York"),
        ExportItem("fold@imgcoach", "In the fold", datetime(2027, 11, 7, 5, 30, tzinfo=UTC),
                   datetime(2027, 11, 7, 6, 30, tzinfo=UTC), tzid="America/New_York", alarms_before=(timedelta(hours=2),)),
        ExportItem("berlin@imgcoach", "Night shift", _local("Europe/Berlin", 2027, 10, 31, 1, 45),
                   _local("Europe/Berlin", 2027, 10, 31, 3, 15), tzid="Europe/Berlin"),
        ExportItem("howe@imgcoach", "Lord Howe", _local("Australia/Lord_Howe", 2027, 4, 4, 1, 45),
                   _local("Australia/Lord_Howe", 2027, 4, 4, 2, 15), tzid="Australia/Lord_Howe"),
        ExportItem("kolkata@imgcoach", "Study block", datetime(2027, 1, 10, 3, 30, tzinfo=UTC),
                   datetime(2027, 1, 10, 6, 30, tzinfo=UTC), tzid="Asia/Kolkata", categories=("Study block",)),
        ExportItem("sao@imgcoach", "Reminder: rotation start", _local("America/Sao_Paulo", 2027, 5, 1, 9),
                   _local("America/Sao_Paulo", 2027, 5, 1, 9, 15), tzid="America/Sao_Paulo",
                   description="Bring the badge", stamp=stamp, extra={"X-IMGCOACH-KIND": "reminder"}),
        # zone names that are UTC or no zone at all: written in UTC with a Z
        ExportItem("alias@imgcoach", "Alias zone", datetime(2027, 6, 1, 12, tzinfo=UTC),
                   datetime(2027, 6, 1, 13, tzinfo=UTC), tzid="US/Eastern"),
        ExportItem("etc-utc@imgcoach", "Etc/UTC", datetime(2027, 6, 2, 12, tzinfo=UTC),
                   datetime(2027, 6, 2, 13, tzinfo=UTC), tzid="Etc/UTC"),
        ExportItem("nozone@imgcoach", "Not a zone", datetime(2027, 6, 3, 12, tzinfo=UTC),
                   datetime(2027, 6, 3, 13, tzinfo=UTC), tzid="Not/AZone"),
        ExportItem("utc@imgcoach", "UTC", _local("Asia/Kolkata", 2027, 6, 4, 12), _local("Asia/Kolkata", 2027, 6, 4, 13)),
    ]
    # SUMMARY lines of 73 to 77 octets, in ASCII and with a two-octet character at the limit
    for n in range(73, 78):
        items.append(ExportItem(f"len{n}@imgcoach", "x" * (n - len("SUMMARY:")), date(2027, 7, 1), date(2027, 7, 2),
                                all_day=True))
        items.append(ExportItem(f"utf{n}@imgcoach", "x" * (n - len("SUMMARY:") - 2) + "é", date(2027, 7, 1),
                                date(2027, 7, 2), all_day=True, description="y" * (n - len("DESCRIPTION:") - 1) + "\\"))
    return items


def test_a_plan_with_every_kind_of_item_exports_the_bytes_icalendar_gives() -> None:
    plan = rich_plan()
    data = to_ics_bytes(plan, now=NOW, name="imgcoach plan: Ana Núñez")
    assert data == reference_bytes(plan, NOW, "imgcoach plan: Ana Núñez")
    assert b"\r\n " in data  # long lines were folded: the fold path is covered too
    tzids = [line[5:].decode() for line in data.split(b"\r\n") if line.startswith(b"TZID:")]
    assert tzids == sorted(tzids)
    assert {"America/New_York", "America/Sao_Paulo", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Berlin",
            "US/Eastern"} <= set(tzids), tzids


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=90)


@st.composite
def plans(draw: st.DrawFn) -> list[ExportItem]:
    out = []
    for i in range(draw(st.integers(1, 5))):
        all_day = draw(st.booleans())
        start: datetime | date
        end: datetime | date
        if all_day:
            start = draw(st.dates(date(2026, 1, 1), date(2031, 12, 31)))
            end = start + timedelta(days=draw(st.integers(0, 60)))
        else:
            start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 6 * 365 * 24 * 4)) * 15)
            end = start + timedelta(minutes=draw(st.integers(0, 16 * 60)))
        stamp = draw(st.none() | st.just(datetime(2026, 2, 3, 4, 5, tzinfo=UTC)))
        out.append(ExportItem(
            uid=f"item-{i}@imgcoach", summary=draw(_text), start=start, end=end, all_day=all_day,
            tzid="UTC" if all_day else draw(st.sampled_from(ZONES)), description=draw(_text), location=draw(_text),
            categories=tuple(draw(st.lists(st.sampled_from(["Rotation", "Exam", "a,b"]), max_size=2, unique=True))),
            alarms_before=tuple(draw(st.lists(st.sampled_from([timedelta(days=1), timedelta(hours=2)]), max_size=2))),
            sequence=draw(st.integers(0, 3)), stamp=stamp,
            extra={"X-IMGCOACH-FIELDS": draw(_text)} if draw(st.booleans()) else {}))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_any_plan_exports_the_bytes_icalendar_gives(plan: list[ExportItem]) -> None:
    assert to_ics_bytes(plan, now=NOW) == reference_bytes(plan, NOW)


@pytest.mark.parametrize("tail", ["", "é", "€", "😀", "\\", "x\\", "^"])
@pytest.mark.parametrize("octets", range(70, 81))
def test_a_line_at_the_folding_limit_serialises_as_icalendars_own(octets: int, tail: str) -> None:
    """`_Line` skips icalendar's fold only where it would not fold: every length around 75 octets, ending in
    a character of one to four octets or in an escape that icalendar keeps off a fold."""
    line = "X:" + "a" * (octets - 2 - len(tail.encode())) + tail
    assert len(line.encode()) == octets
    assert _Line(line).to_ical() == Contentline(line).to_ical()


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=60, max_size=200))
def test_any_content_line_serialises_as_icalendars_own(text: str) -> None:
    line = f"X:{text}"
    assert _Line(line).to_ical() == Contentline(line).to_ical()


def _collections_during(fn: Callable[[], object]) -> list[int]:
    """The generation of each collection CPython ran while `fn` ran."""
    runs: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        fn()
    finally:
        gc.callbacks.remove(seen)
    return runs


def test_the_export_runs_no_garbage_collection_and_leaves_the_collector_as_it_found_it() -> None:
    """The export's tree has no reference cycles, but its many new objects made CPython collect 151 times
    while exporting the bench's 5-year plan, once over every object of the process (issue 17: a fifth of the
    CPU time)."""
    plan = [item for _ in range(40) for item in rich_plan()]
    gc.collect()
    # at most the young generation's, when the collector resumes: the tree is freed by then
    assert _collections_during(lambda: to_ics_bytes(plan, now=NOW)) in ([], [0])
    assert gc.isenabled()
    gc.disable()
    try:
        to_ics_bytes(plan, now=NOW)
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()
