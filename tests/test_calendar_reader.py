"""The reader on small synthetic files, one real-world quirk each (tests/data/ics/README.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgcoach.calendar.decode import decode_ics
from imgcoach.calendar.model import ParseResult
from imgcoach.calendar.reader import default_window, read_ics_bytes, read_ics_file
from imgcoach.calendar.structure import scan
from imgcoach.calendar.timezones import resolve_tzid

DATA = Path(__file__).parent / "data" / "ics"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
ZONE = "Asia/Kolkata"


def read(name: str, **kw) -> ParseResult:
    return read_ics_file(DATA / name, now=NOW, default_tz=ZONE, max_bytes=kw.pop("max_bytes", 1_000_000), **kw)


def starts(result: ParseResult) -> dict[tuple[str, str], object]:
    return {e.key: e.start for e in result.events}


def test_windows_zone_names_map_to_iana_and_variants_are_announced() -> None:
    r = read("windows_tzid.ics")
    assert r.errors == []
    assert starts(r) == {
        ("win-1@test", ""): datetime(2027, 1, 4, 14, tzinfo=UTC),  # 09:00 EST
        ("win-2@test", ""): datetime(2027, 7, 5, 13, tzinfo=UTC),  # 09:00 EDT
    }
    assert {e.tzid for e in r.events} == {"America/New_York"}
    [note] = r.warnings
    assert note.uid == "win-2@test" and "Eastern Standard Time 1" in note.message and note.line == 12


def test_unknown_zone_is_read_in_the_applicants_zone_with_a_warning_naming_both() -> None:
    """Never a floating time, never the file refused for one unknown zone name (issue 13)."""
    r = read("unknown_tzid.ics")
    assert r.errors == []
    [event] = r.events
    assert event.start == datetime(2027, 1, 4, 3, 30, tzinfo=UTC)  # 09:00 in Asia/Kolkata, the applicant's zone
    assert event.start.tzinfo is not None and event.tzid == ZONE
    [warn] = r.warnings
    assert warn.uid == "unknown-tz@test" and warn.summary == "Meeting in a custom zone" and warn.line == 4
    assert '"Customized Time Zone"' in warn.message and f"{ZONE} (your time zone)" in warn.message
    assert warn.describe().startswith(f"{DATA / 'unknown_tzid.ics'}:4: event \"Meeting in a custom zone\"")


def test_outlook_display_name_zones_resolve_through_cldr() -> None:
    """Outlook/Exchange display names and offset names without a VTIMEZONE (issue 13)."""
    r = read("outlook_display_name_tzids.ics")
    assert r.errors == []
    got = {e.uid: (e.start, e.tzid) for e in r.events}
    assert got == {
        "disp-utc@test": (datetime(2027, 7, 5, 13, tzinfo=UTC), "America/New_York"),  # 09:00 EDT
        "disp-gmt@test": (datetime(2027, 1, 4, 22, tzinfo=UTC), "Australia/Sydney"),  # 09:00 AEDT
        "city-list@test": (datetime(2027, 7, 5, 7, tzinfo=UTC), "Europe/Amsterdam"),  # 09:00 CEST
        "offset-pair@test": (datetime(2027, 7, 5, 13, tzinfo=UTC), "America/New_York"),  # like the file's zone
        "offset-fixed@test": (datetime(2027, 7, 5, 3, 30, tzinfo=UTC), "UTC+05:30"),  # GMT+05.30: fixed
    }
    notes = {p.uid: p.message for p in r.warnings}
    assert "CLDR" in notes["disp-utc@test"] and "Eastern Standard Time" in notes["disp-utc@test"]
    assert "AUS Eastern Standard Time" in notes["disp-gmt@test"]
    assert "Europe/Amsterdam" in notes["city-list@test"]
    assert "America/New_York" in notes["offset-pair@test"] and "same standard and daylight" in notes["offset-pair@test"]
    assert "UTC+05:30" in notes["offset-fixed@test"]


def test_unresolvable_zone_uses_x_wr_timezone_and_names_it() -> None:
    body = (DATA / "unknown_tzid.ics").read_bytes().replace(
        b"PRODID:-//imgcoach tests//synthetic//EN", b"PRODID:-//imgcoach tests//synthetic//EN\r\nX-WR-TIMEZONE:Europe/Berlin")
    r = read_ics_bytes(body, file="x.ics", now=NOW, default_tz=ZONE)
    [event] = r.events
    assert event.start == datetime(2027, 1, 4, 8, tzinfo=UTC)  # 09:00 Berlin
    assert any('"Customized Time Zone"' in p.message and "Europe/Berlin (the calendar's X-WR-TIMEZONE)" in p.message
               for p in r.warnings)


def test_x_wr_timezone_applies_to_floating_times_and_keeps_wall_clock_across_dst() -> None:
    r = read("xwr_floating.ics")
    assert r.errors == []
    assert starts(r)[("xwr-1@test", "")] == datetime(2027, 1, 15, 14, 30, tzinfo=UTC)  # 08:30 CST
    series = sorted(e.start for e in r.events if e.uid == "xwr-2@test")
    # 09:00 Chicago every week: 14:00Z in CDT, 15:00Z after DST ends on 1 Nov 2026
    assert [s.hour for s in series] == [14, 14, 14, 15]
    assert any("X-WR-TIMEZONE" in p.message and "floating" in p.message for p in r.warnings)


def test_floating_without_x_wr_timezone_uses_applicant_zone_and_says_so() -> None:
    r = read("floating_no_xwr.ics")
    assert starts(r) == {("float-1@test", ""): datetime(2027, 2, 10, 3, 30, tzinfo=UTC)}  # 09:00 IST
    assert r.events[0].tzid == ZONE
    assert any("Asia/Kolkata (your time zone)" in p.message for p in r.warnings)


def test_all_day_and_multi_day_events_stay_dates() -> None:
    r = read("allday_multiday.ics")
    by = {e.uid: e for e in r.events}
    assert (by["allday-1@test"].start, by["allday-1@test"].end) == (date(2027, 3, 1), date(2027, 3, 29))
    assert by["allday-1@test"].all_day and by["allday-1@test"].categories == ("Rotation", "Cardiology")
    assert (by["allday-2@test"].start, by["allday-2@test"].end) == (date(2027, 4, 12), date(2027, 4, 13))


def test_rrule_with_exdate_rdate_and_override() -> None:
    r = read("rrule_exdate_override.ics")
    assert r.errors == []
    got = sorted((e.recurrence_id, e.start, e.summary) for e in r.events)
    assert got == [
        ("20270301T230000Z", datetime(2027, 3, 1, 23, tzinfo=UTC), "UWorld block review"),
        # 8 March excluded by EXDATE; 15 March moved to the 16th by the override
        ("20270315T220000Z", datetime(2027, 3, 16, 23, tzinfo=UTC), "UWorld block review (moved)"),
        ("20270322T220000Z", datetime(2027, 3, 22, 22, tzinfo=UTC), "UWorld block review"),
        ("20270329T220000Z", datetime(2027, 3, 29, 22, tzinfo=UTC), "UWorld block review"),
        ("20270403T140000Z", datetime(2027, 4, 3, 14, tzinfo=UTC), "UWorld block review"),  # RDATE
    ]
    moved = next(e for e in r.events if "moved" in e.summary)
    assert moved.sequence == 1 and moved.tzid == "America/New_York"


def test_recurrences_are_expanded_only_within_the_window() -> None:
    window = (datetime(2027, 3, 10, tzinfo=UTC), datetime(2027, 3, 25, tzinfo=UTC))
    r = read("rrule_exdate_override.ics", window=window)
    assert sorted(e.recurrence_id for e in r.events) == ["20270315T220000Z", "20270322T220000Z"]
    assert default_window(NOW) == (datetime(2025, 11, 25, 12, tzinfo=UTC), datetime(2028, 11, 24, 12, tzinfo=UTC))


def test_invitation_and_its_cancellation() -> None:
    req = read("method_request.ics")
    assert [(e.uid, e.method) for e in req.events] == [("invite-42@program.example", "REQUEST")]
    cancel = read("method_cancel.ics")
    assert cancel.events == []
    assert [(c.uid, c.recurrence_id) for c in cancel.cancellations] == [("invite-42@program.example", "")]


def test_vtodo_due_dates() -> None:
    r = read("vtodo_due.ics")
    by = {e.uid: e for e in r.events}
    assert by["todo-1@test"].kind == "VTODO" and by["todo-1@test"].start == date(2027, 2, 15)
    assert by["todo-2@test"].end == datetime(2027, 3, 1, 17, tzinfo=UTC)


def test_bom_crlf_and_lf_only_and_folded_lines() -> None:
    bom = read("bom_crlf.ics")
    assert bom.encoding == "utf-8-sig" and bom.events[0].summary.startswith("Café meeting")
    assert read("lf_only.ics").events[0].summary == "LF only line endings"
    folded = read("folded.ics").events[0]
    assert folded.description.endswith("ünïcödé text that folds mid-character.")
    assert "ECFMG certificate" in folded.description


def test_windows_1252_is_decoded_with_a_warning_naming_the_file() -> None:
    r = read("cp1252.ics")
    assert r.encoding == "cp1252"
    assert r.events[0].summary == "Clerkship – São Paulo “elective” café"
    [warn] = r.warnings
    assert "Windows-1252" in warn.describe() and str(DATA / "cp1252.ics") in warn.describe()


def test_undecodable_and_binary_bytes_are_refused() -> None:
    assert "neither UTF-8 nor Windows-1252" in decode_ics(b"BEGIN:VCALENDAR\r\n\x81\x8d\r\n").error
    r = read_ics_bytes(b"\x89PNG\r\n\x1a\n\x00\x00", file="photo.ics", now=NOW, default_tz=ZONE)
    assert r.fatal and "binary" in r.fatal[0].message


def test_multiple_vcalendars_in_one_file() -> None:
    r = read("multi_vcalendar.ics")
    assert r.calendars == 2 and {e.uid for e in r.events} == {"multi-1@test", "multi-2@test"}


def test_truncated_file_names_the_open_component() -> None:
    r = read("truncated.ics")
    [p] = r.fatal
    assert p.line == 11 and "truncated" in p.message and "END:VEVENT" in p.message
    assert r.events == []


def test_not_ics_is_refused() -> None:
    [p] = read("not_ics.ics").fatal
    assert "not an iCalendar file" in p.message and "Subject,Start Date" in p.message


def test_bad_date_is_listed_and_other_events_still_read() -> None:
    r = read("bad_date.ics")
    assert r.errors == []  # one broken item does not block the file
    [err] = r.skipped
    assert (err.uid, err.line) == ("bad-date@test", 11) and "2027-13-45" in err.message
    assert {e.uid for e in r.events} == {"good-1@test", "good-2@test"}


def test_broken_rrule_names_the_series_and_keeps_the_rest() -> None:
    r = read("bad_rrule.ics")
    [err] = r.skipped
    assert err.uid == "bad-rule@test" and "UNTL" in err.message
    assert sorted(e.uid for e in r.events) == ["good-1@test"] + ["good-series@test"] * 3


def test_size_limit_and_missing_file() -> None:
    r = read("bad_rrule.ics", max_bytes=100)
    assert r.fatal and "import limit" in r.fatal[0].message and "import_max_bytes" in r.fatal[0].message
    assert "cannot be read" in read("no-such-file.ics").fatal[0].message


def test_error_message_lists_every_blocking_problem() -> None:
    r = read("truncated.ics")
    msg = r.error_message()
    assert msg.splitlines()[0].endswith("1 problem, nothing imported") and "truncated" in msg


def test_vcalendar_level_garbage_is_fatal_with_its_line() -> None:
    text = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nNOT A PROPERTY\r\nEND:VCALENDAR\r\n"
    [p] = read_ics_bytes(text, file="x.ics", now=NOW, default_tz=ZONE).fatal
    assert p.line == 4 and "cannot be parsed" in p.message


def test_end_before_start_and_missing_dtstart_are_errors() -> None:
    body = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            b"BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Backwards\r\nDTSTART:20270101T100000Z\r\nDTEND:20270101T090000Z\r\n"
            b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nSUMMARY:No start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    r = read_ics_bytes(body, file="x.ics", now=NOW, default_tz=ZONE)
    msgs = {p.uid: p.message for p in r.skipped}
    assert "ends before it starts" in msgs["a"] and "no DTSTART" in msgs["b"]


def test_structure_scan_and_zone_resolution() -> None:
    s = scan("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u1\nEND:VTODO\nEND:VCALENDAR\n")
    assert s.error_line == 4 and "closes BEGIN:VEVENT from line 2" in s.error
    assert scan("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:u1\nEND:VEVENT\nEND:VCALENDAR\n").uid_lines == {"u1": [2]}
    assert resolve_tzid("W. Europe Standard Time").iana == "Europe/Berlin"
    assert resolve_tzid("/mozilla.org/20050126_1/Europe/Berlin").iana == "Europe/Berlin"
    assert resolve_tzid("Pacific Standard Time:").note
    assert resolve_tzid("Customized Time Zone").zone is None


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.ics")))
def test_every_fixture_gives_plain_utc_values(name: str) -> None:
    for e in read(name).events:
        assert e.uid and e.end >= e.start
        assert e.all_day is (not isinstance(e.start, datetime))
        assert e.all_day or (e.start.tzinfo is UTC and e.end.tzinfo is UTC)


def test_custom_vtimezone_of_one_file_never_leaks_into_the_next() -> None:
    """icalendar caches custom VTIMEZONEs process-wide (first wins); each read starts clean."""
    def body(offset: str) -> bytes:
        return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\n"
                f"BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n"
                "END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                "DTSTART;TZID=Custom Zone:20270101T120000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()

    first = read_ics_bytes(body("+0100"), file="a.ics", now=NOW, default_tz=ZONE).events[0]
    second = read_ics_bytes(body("-0500"), file="b.ics", now=NOW, default_tz=ZONE).events[0]
    assert first.start == datetime(2027, 1, 1, 11, tzinfo=UTC)
    assert second.start == datetime(2027, 1, 1, 17, tzinfo=UTC)


def test_an_offset_pair_name_alone_in_a_file_is_read_in_a_zone_keeping_those_offsets() -> None:
    """Lotus/old Outlook "GMT-05.00/-04.00" with no other zone in the file, for an applicant in Asia/Kolkata.

    Reading it in the applicant's zone put every time 9.5 hours off, with only a warning; a zone
    that keeps both offsets gives the right instant in winter and in summer."""
    r = read("lotus_offset_pair_names_alone.ics")
    assert r.errors == []
    got = {e.uid: (e.start, e.tzid) for e in r.events}
    assert got["pair-winter@test"] == (datetime(2027, 1, 11, 14, tzinfo=UTC), "America/New_York")  # 09:00 EST
    assert got["pair-summer@test"] == (datetime(2027, 7, 5, 13, tzinfo=UTC), "America/New_York")  # 09:00 EDT
    assert got["pair-rivals@test"] == (datetime(2027, 7, 5, 12, tzinfo=UTC), "America/Halifax")  # 09:00 ADT
    assert got["pair-nowhere@test"] == (datetime(2027, 7, 5, 3, 30, tzinfo=UTC), ZONE)  # applicant's zone, said
    notes = {p.uid: p.message for p in r.warnings}
    assert "UTC-05:00/UTC-04:00" in notes["pair-winter@test"] and "same dates" in notes["pair-winter@test"]
    assert "America/Santiago" in notes["pair-rivals@test"] and "check times near a clock change" in notes[
        "pair-rivals@test"]
    assert "no time zone keeps" in notes["pair-nowhere@test"] and f"{ZONE} (your time zone)" in notes[
        "pair-nowhere@test"]


def test_an_offset_pair_name_is_read_in_the_applicants_zone_when_it_keeps_those_offsets() -> None:
    r = read_ics_file(DATA / "lotus_offset_pair_names_alone.ics", now=NOW, default_tz="America/Toronto",
                      max_bytes=1_000_000)
    by = {e.uid: e for e in r.events}
    assert by["pair-summer@test"].tzid == "America/Toronto"
    assert by["pair-summer@test"].start == datetime(2027, 7, 5, 13, tzinfo=UTC)
    assert any(p.uid == "pair-summer@test" and "America/Toronto (your time zone)" in p.message for p in r.warnings)


def test_an_offset_name_beyond_any_real_offset_is_an_unknown_zone_not_an_internal_error() -> None:
    """"GMT+99.00" once reached timezone() and ended in "internal error: ValueError: offset must be ..."."""
    body = (DATA / "lotus_offset_pair_names_alone.ics").read_bytes()
    for name in (b"GMT+99.00", b"GMT+30.00/+31.00", b"GMT-05.07/-04.00"):
        r = read_ics_bytes(body.replace(b"GMT-05.00/-04.00", name), file="x.ics", now=NOW, default_tz=ZONE)
        assert r.errors == []
        assert any(f'unknown time zone "{name.decode()}"' in p.message for p in r.warnings)


_OFFSET = st.builds(lambda sign, h, sep, m: f"{sign}{h}{sep}{m}", st.sampled_from("+-"),
                    st.integers(0, 99).map(str), st.sampled_from([":", ".", ""]),
                    st.sampled_from(["", "00", "07", "30", "45", "99"]))
_OFFSET_TZIDS = st.one_of(
    st.builds(lambda p, a, b: f"{p}{a}" + (f"/{b}" if b else ""), st.sampled_from(["GMT", "UTC", "GMT ", "utc"]),
              _OFFSET, st.one_of(st.just(""), _OFFSET)),
    st.builds(lambda p, a, rest: f"({p}{a}) {rest}", st.sampled_from(["UTC", "GMT"]), _OFFSET,
              st.sampled_from(["", "Eastern Time (US & Canada)", "Nowhere, Atlantis", "Berlin, Tokyo"])),
)


@settings(max_examples=300, deadline=None)
@given(_OFFSET_TZIDS)
def test_any_offset_like_tzid_is_read_or_warned_never_an_internal_error(tzid: str) -> None:
    body = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20260101T000000Z\r\n"
            f'DTSTART;TZID="{tzid}":20270705T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n').encode()
    r = read_ics_bytes(body, file="x.ics", now=NOW, default_tz=ZONE)
    assert [e.uid for e in r.events] == ["a"]
    assert r.events[0].start.tzinfo is UTC


def test_an_old_windows_display_name_is_read_by_its_cities_in_the_year_of_each_time() -> None:
    """Outlook 2003 wrote Windows XP's display name "(GMT+02:00) Athens, Istanbul, Minsk" (GTB Standard Time).
    Its cities kept one clock until Minsk (2011) and Istanbul (2016) left +02:00/+03:00: checked by 2026's
    rules only, a 2006 time in it was an unknown zone read in the applicant's zone. In 2026 no single
    reading is right, and that time still says so."""
    tzid = "(GMT+02:00) Athens, Istanbul, Minsk"
    body = ("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 11.0 MIMEDIR//EN\r\nVERSION:2.0\r\n"
            + "".join(f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20060101T000000Z\r\nSUMMARY:Observership call\r\n"
                      f'DTSTART;TZID="{tzid}":{start}\r\nEND:VEVENT\r\n'
                      for uid, start in (("gtb-2006@test", "20060710T100000"), ("gtb-2026@test", "20260710T100000")))
            + "END:VCALENDAR\r\n").encode()
    r = read_ics_bytes(body, file="outlook2003.ics", now=NOW, default_tz=ZONE)
    got = {e.uid: (e.start, e.tzid) for e in r.events}
    assert got["gtb-2006@test"] == (datetime(2006, 7, 10, 7, tzinfo=UTC), "Europe/Athens")  # EEST +03:00
    assert got["gtb-2026@test"] == (datetime(2026, 7, 10, 4, 30, tzinfo=UTC), ZONE)
    notes = {p.uid: p.message for p in r.warnings}
    assert "read as Europe/Athens" in notes["gtb-2006@test"] and "2006" in notes["gtb-2006@test"]
    assert f'unknown time zone "{tzid}"' in notes["gtb-2026@test"]


def test_a_time_past_the_last_utc_day_is_a_named_problem_not_an_exception() -> None:
    """Found while fuzzing offset-pair years (issue 13): 9999-12-31 23:00 in New York is 10000-01-01 in UTC,
    which datetime cannot hold; the reader raised OverflowError instead of naming the event."""
    body = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
            b"BEGIN:VEVENT\r\nUID:far@test\r\nDTSTAMP:20260101T000000Z\r\n"
            b'DTSTART;TZID="GMT-05.00/-04.00":99991231T230000\r\nEND:VEVENT\r\n'
            b"BEGIN:VEVENT\r\nUID:near@test\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART;TZID=America/New_York:20270105T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    r = read_ics_bytes(body, file="far.ics", now=NOW, default_tz=ZONE)
    assert [e.uid for e in r.events] == ["near@test"]
    [bad] = r.skipped
    assert bad.uid == "far@test" and "9999-12-31 23:00" in bad.message


def test_a_series_begun_in_2003_under_an_offset_pair_name_keeps_its_2026_occurrences_and_overrides() -> None:
    """A weekly series from an Outlook 2003 export, still running: the master is read by 2003's rules (New
    York, for an applicant in Indianapolis, which kept no DST then), its moved 2026 occurrence by 2026's
    (the applicant's zone). Both give the same instant for that occurrence, so the override replaces it."""
    pair = 'TZID="GMT-05.00/-04.00"'
    body = ("BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 11.0 MIMEDIR//EN\r\nVERSION:2.0\r\n"
            f"BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20030101T000000Z\r\nSUMMARY:Journal club\r\n"
            f"DTSTART;{pair}:20030107T180000\r\nDTEND;{pair}:20030107T190000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
            f"BEGIN:VEVENT\r\nUID:weekly@test\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Journal club (moved)\r\n"
            f"RECURRENCE-ID;{pair}:20260707T180000\r\nDTSTART;{pair}:20260708T180000\r\n"
            f"DTEND;{pair}:20260708T190000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()
    r = read_ics_bytes(body, file="series.ics", now=NOW, default_tz="America/Indiana/Indianapolis")
    assert r.errors == [] and r.skipped == []
    by_key = {e.recurrence_id: e for e in r.events}
    moved = by_key["20260707T220000Z"]  # 18:00 EDT
    assert moved.summary == "Journal club (moved)" and moved.start == datetime(2026, 7, 8, 22, tzinfo=UTC)
    assert by_key["20260714T220000Z"].start == datetime(2026, 7, 14, 22, tzinfo=UTC)  # EDT, from the 2003 master
    assert by_key["20261229T230000Z"].start == datetime(2026, 12, 29, 23, tzinfo=UTC)  # EST
    assert by_key["20260714T220000Z"].tzid == "America/New_York"


def test_a_vtimezone_icalendar_cannot_read_is_ignored_not_the_whole_file() -> None:
    """Quirk: one VTIMEZONE with an offset of "+5744" made icalendar refuse the file, so the good events in it
    were refused too. It is one zone's definition, not damage to the file: it is dropped with a warning naming
    it and its line, and its TZID is resolved by name like any zone the file does not define."""
    r = read("vtimezone_unreadable_utc_offset.ics")
    assert r.fatal == [] and r.errors == []
    assert starts(r) == {
        ("prague-clinic@test", ""): datetime(2027, 7, 5, 7, tzinfo=UTC),  # 09:00 CEST, by the IANA name
        ("utc-talk@test", ""): datetime(2027, 7, 6, 13, tzinfo=UTC),
    }
    [warn] = r.warnings
    assert warn.line == 4 and 'VTIMEZONE "Europe/Prague" cannot be read' in warn.message and "+5744" in warn.message


def test_a_file_still_broken_without_its_unreadable_vtimezone_names_what_still_blocks_it() -> None:
    body = (DATA / "vtimezone_unreadable_utc_offset.ics").read_bytes().replace(
        b"END:VCALENDAR", b"NOT A PROPERTY\r\nEND:VCALENDAR")
    r = read_ics_bytes(body, file="x.ics", now=NOW, default_tz=ZONE)
    [fatal] = r.fatal
    assert fatal.line == 27 and "NOT A PROPERTY" in fatal.message and r.events == []
    assert [w.line for w in r.warnings] == [4]  # the zone it dropped is still named
