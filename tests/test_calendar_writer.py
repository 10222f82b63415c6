"""Export: stable UIDs, VTIMEZONEs, DATE values, alarms; vobject reads it; export->import round-trips."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgcoach.calendar.reader import read_ics_bytes
from imgcoach.calendar.writer import ExportItem, build_calendar, to_ics_bytes, write_atomic

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
ZONES = ["UTC", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "America/Sao_Paulo", "Africa/Lagos"]


def sample() -> list[ExportItem]:
    return [
        ExportItem("rotation-1@imgcoach", "Observership - Internal Medicine", date(2027, 1, 4), date(2027, 2, 1),
                   all_day=True, categories=("Rotation",), alarms_before=(timedelta(days=7),)),
        ExportItem("exam-1@imgcoach", "USMLE Step 2 CK", datetime(2027, 3, 3, 13, 30, tzinfo=UTC),
                   datetime(2027, 3, 3, 22, 30, tzinfo=UTC), tzid="America/New_York",
                   alarms_before=(timedelta(days=1), timedelta(hours=2))),
        ExportItem("letter-1@imgcoach", "LoR deadline: Dr. Example", date(2027, 2, 15), date(2027, 2, 16),
                   all_day=True, description="Synthetic sample", alarms_before=(timedelta(days=3),)),
        ExportItem("study-1@imgcoach", "Study block", datetime(2027, 1, 10, 3, 30, tzinfo=UTC),
                   datetime(2027, 1, 10, 6, 30, tzinfo=UTC), tzid="Asia/Kolkata"),
    ]


def test_export_shape() -> None:
    data = to_ics_bytes(sample(), now=NOW)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["PRODID"]).startswith("-//imgcoach") and str(cal["VERSION"]) == "2.0"
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"America/New_York", "Asia/Kolkata"}
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    rot = events["rotation-1@imgcoach"]
    assert b"DTSTART;VALUE=DATE:20270104" in rot.to_ical() and rot["DTEND"].dt == date(2027, 2, 1)
    exam = events["exam-1@imgcoach"]
    assert exam["DTSTART"].params["TZID"] == "America/New_York"
    assert exam["DTSTART"].dt == datetime(2027, 3, 3, 8, 30, tzinfo=ZoneInfo("America/New_York"))
    triggers = sorted(a["TRIGGER"].dt for a in exam.walk("VALARM"))
    assert triggers == [timedelta(days=-1), timedelta(hours=-2)]
    assert all(str(a["ACTION"]) == "DISPLAY" and a.get("DESCRIPTION") for a in exam.walk("VALARM"))


def test_reexport_is_byte_stable_for_unchanged_items() -> None:
    items = [ExportItem(**{**i.__dict__, "stamp": datetime(2026, 1, 1, tzinfo=UTC)}) for i in sample()]
    assert to_ics_bytes(items, now=NOW) == to_ics_bytes(items, now=NOW + timedelta(days=3))


def test_vobject_reads_the_export() -> None:
    data = to_ics_bytes(sample(), now=NOW).decode()
    [cal] = list(vobject.readComponents(data))
    uids = sorted(ev.uid.value for ev in cal.vevent_list)
    assert uids == sorted(i.uid for i in sample())
    exam = next(ev for ev in cal.vevent_list if ev.uid.value == "exam-1@imgcoach")
    assert exam.dtstart.value.astimezone(UTC) == datetime(2027, 3, 3, 13, 30, tzinfo=UTC)


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "feed" / "plan.ics"
    write_atomic(target, b"first")
    write_atomic(target, to_ics_bytes(sample(), now=NOW))
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert os.listdir(target.parent) == ["plan.ics"]


def test_empty_plan_is_still_a_calendar() -> None:
    cal = build_calendar([], now=NOW)
    assert icalendar.Calendar.from_ical(cal.to_ical()).walk("VEVENT") == []


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@st.composite
def items(draw) -> list[ExportItem]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        all_day = draw(st.booleans())
        if all_day:
            start = draw(st.dates(date(2026, 1, 1), date(2031, 12, 31)))
            end = start + timedelta(days=draw(st.integers(1, 60)))
            tz = "UTC"
        else:
            tz = draw(st.sampled_from(ZONES))
            minutes = draw(st.integers(0, 6 * 365 * 24 * 4)) * 15
            start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
            end = start + timedelta(minutes=draw(st.integers(0, 16 * 60)))
        out.append(ExportItem(
            uid=f"item-{i}@imgcoach", summary=draw(_text) or "untitled", start=start, end=end, all_day=all_day,
            tzid=tz, description=draw(_text), location=draw(_text),
            categories=tuple(draw(st.lists(st.sampled_from(["Rotation", "Exam", "Study block"]), max_size=2,
                                           unique=True))),
            alarms_before=(timedelta(days=1),) if draw(st.booleans()) else (),
        ))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items())
def test_export_then_import_gives_the_same_plan(plan: list[ExportItem]) -> None:
    data = to_ics_bytes(plan, now=NOW)
    result = read_ics_bytes(data, file="plan.ics", now=NOW, default_tz="Asia/Kolkata")
    assert result.errors == []
    got = {e.uid: e for e in result.events}
    assert set(got) == {i.uid for i in plan}
    for item in plan:
        e = got[item.uid]
        assert (e.summary, e.description, e.location) == (item.summary, item.description, item.location)
        assert e.categories == item.categories and e.all_day == item.all_day
        if item.all_day:
            assert (e.start, e.end) == (item.start, item.end)
        else:
            assert (e.start, e.end) == (item.start.astimezone(UTC), item.end.astimezone(UTC))
            assert e.tzid == item.tzid
    list(vobject.readComponents(data.decode()))  # the second parser agrees it is valid


@pytest.mark.parametrize("text", ["C:\\New folder\\notes.txt", "\\N", "a;b,c\\d", "two\nlines"])
def test_text_with_backslashes_comes_back_exactly(text: str) -> None:
    """icalendar's own escaper reads a literal backslash-N as a newline; ours does not."""
    item = ExportItem(uid="text@imgcoach", summary=text, start=date(2027, 1, 4), end=date(2027, 1, 5), all_day=True,
                      tzid="UTC", description=text, location=text)
    data = to_ics_bytes([item], now=NOW)
    (event,) = read_ics_bytes(data, file="plan.ics", now=NOW, default_tz="UTC").events
    assert (event.summary, event.description, event.location) == (text, text, text)
    vevent = vobject.readOne(data.decode("utf-8")).vevent
    assert vevent.description.value == text


def test_vtimezones_are_those_icalendar_would_add_for_the_zones_the_events_name() -> None:
    """The export builds its VTIMEZONEs from the items' zones (cached per zone and span) instead of walking
    every property with icalendar's add_missing_timezones: the same components, sorted by TZID, for any mix
    of zones, UTC, a name that is no zone, and all-day items."""
    from imgcoach.core.vtimezone import one_rdate_per_line

    start = datetime(2027, 7, 5, 13, tzinfo=UTC)
    items = sample() + [
        ExportItem(f"z{i}@test", f"Item {i}", start + timedelta(days=40 * i), start + timedelta(days=40 * i, hours=1),
                   tzid=tz) for i, tz in enumerate([*ZONES, "Europe/Berlin", "Not/AZone", ""])]
    mine = build_calendar(items, now=NOW)
    reference = icalendar.Calendar()
    for item in items:
        reference.add_component(icalendar.Calendar.from_ical(to_ics_bytes([item], now=NOW)).walk("VEVENT")[0])
    days = [i.start.date() if isinstance(i.start, datetime) else i.start for i in items]
    reference.add_missing_timezones(first_date=min(days) - timedelta(days=400), last_date=max(days) + timedelta(days=400))
    zones = sorted((one_rdate_per_line(c) for c in reference.walk("VTIMEZONE")), key=lambda c: str(c["TZID"]))
    assert [str(z["TZID"]) for z in zones] == ["Africa/Lagos", "America/New_York", "America/Sao_Paulo",
                                                "Asia/Kolkata", "Europe/Berlin"]
    assert [z.to_ical() for z in mine.walk("VTIMEZONE")] == [z.to_ical() for z in zones]
    assert build_calendar(items, now=NOW).to_ical() == mine.to_ical()  # again, from the cache: the same bytes
