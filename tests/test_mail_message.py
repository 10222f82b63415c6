"""Building the reminder EmailMessage: structure, calendar part, deterministic ids, header injection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from imgcoach.reminders.mail.context import Person
from imgcoach.reminders.mail.errors import InvalidAddressError
from imgcoach.reminders.mail.headers import clean_header_text
from imgcoach.reminders.mail.message import Mailbox, build_message
from tests.mail_build import NOW, build
from tests.mail_samples import APPLICANT, sample


def _reparse(msg):
    return message_from_bytes(msg.as_bytes(policy=policy.SMTP), policy=policy.default)


def _calendar(msg) -> icalendar.Calendar:
    parts = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "PUBLISH"
    return icalendar.Calendar.from_ical(parts[0].get_content())


def test_structure_text_html_and_calendar() -> None:
    msg = _reparse(build(sample("letter_request_open", reminder_id=42)))
    assert msg.get_content_type() == "multipart/mixed"
    assert msg["Message-ID"] == "<reminder-42.abc123@imgcoach.invalid>"
    assert msg["To"].addresses[0].addr_spec == APPLICANT.email
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Date"].datetime == NOW
    assert msg.get_body(("plain",)).get_content().startswith("Hello Amira Haddad,")
    assert "<html" in msg.get_body(("html",)).get_content()


def test_calendar_part_has_event_alarm_and_timezone() -> None:
    mail = sample("thank_you", reminder_id=9, tz="Asia/Kolkata")
    cal = _calendar(_reparse(build(mail)))
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Asia/Kolkata"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "reminder-9-abc123@imgcoach.invalid"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=5, minutes=30)
    assert start == datetime(2026, 7, 29, 13, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - start == timedelta(minutes=30)
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(minutes=15)


def test_resend_keeps_message_id_and_uid() -> None:
    first, again = _reparse(build(sample(reminder_id=5))), _reparse(build(sample(reminder_id=5, late=True)))
    assert first["Message-ID"] == again["Message-ID"]
    assert str(_calendar(first).walk("VEVENT")[0]["UID"]) == str(_calendar(again).walk("VEVENT")[0]["UID"])


def test_dst_zone_event_keeps_local_wall_time() -> None:
    mail = sample("mid_rotation_feedback", tz="America/New_York", due=datetime(2026, 11, 2, 14, 0, tzinfo=UTC))
    event = _calendar(_reparse(build(mail))).walk("VEVENT")[0]
    start = event.decoded("DTSTART")
    assert start.astimezone(ZoneInfo("America/New_York")).hour == 9  # EST after the November change


def test_header_injection_through_names_and_subject_is_neutralised() -> None:
    evil = Person("Eve\r\nBcc: victim@evil.example", "amira@example.org")
    msg = build_message(
        sender=Mailbox("imgcoach\nX-Injected: yes", "reminders@example.org"),
        recipient=Mailbox(evil.name, evil.email),
        subject="Hello\r\nBcc: victim@evil.example\r\n\r\nbody",
        text="t", html=None, message_id="<a.b@c.d>", date=NOW,
    )
    parsed = _reparse(msg)
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None
    assert parsed["Subject"] == "Hello Bcc: victim@evil.example body"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["amira@example.org"]


@pytest.mark.parametrize("address", ["amira@example.org\r\nBcc: x@y.z", "no-at-sign", "", "a b@c.d", "a@b@c"])
def test_bad_addresses_are_refused(address: str) -> None:
    with pytest.raises(InvalidAddressError):
        build_message(sender=Mailbox("s", "s@example.org"), recipient=Mailbox("r", address), subject="s",
                      text="t", html=None, message_id="<a.b@c.d>", date=NOW)


@pytest.mark.parametrize("message_id", ["a.b@c.d", "<a b@c.d>", "<a@b>\r\nBcc: x@y.z", "<nohost>"])
def test_bad_message_ids_are_refused(message_id: str) -> None:
    with pytest.raises(InvalidAddressError):
        build_message(sender=Mailbox("s", "s@example.org"), recipient=Mailbox("r", "r@example.org"),
                      subject="s", text="t", html=None, message_id=message_id, date=NOW)


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=40), subject=st.text(max_size=80))
def test_no_text_in_name_or_subject_adds_a_header(name: str, subject: str) -> None:
    msg = build_message(sender=Mailbox("s", "s@example.org"), recipient=Mailbox(name, "r@example.org"),
                        subject=subject, text="t", html=None, message_id="<a.b@c.d>", date=NOW)
    parsed = _reparse(msg)
    assert sorted(k.lower() for k in parsed.keys()) == sorted(  # noqa: SIM118 - keys() lists every header
        ["from", "to", "subject", "date", "message-id", "auto-submitted", "content-type",
         "content-transfer-encoding", "mime-version"]
    )
    assert str(parsed["Subject"]) == clean_header_text(subject)


def _as_calendar_text(text: str) -> str:
    """What RFC 5545 TEXT can carry of a string: no control character but tab; those that break a line, a newline."""
    return "".join("\n" if c in "\n\v\f\x1c\x1d\x1e" else c for c in text
                   if c == "\t" or not (ord(c) < 0x20 or ord(c) == 0x7F) or c in "\n\v\f\x1c\x1d\x1e")


@settings(max_examples=80, deadline=None)
@given(summary=st.text(max_size=120), description=st.text(max_size=400))
@example(summary="x", description="\\N")  # icalendar's vText sent a literal backslash-N as a newline
@example(summary="C:\\New folder", description="a\\nb;c,d\\")
def test_calendar_text_round_trips_and_lines_are_folded_at_75_octets(summary: str, description: str) -> None:
    from imgcoach.reminders.mail.ics import build_calendar

    summary, description = clean_header_text(summary) or "x", description.replace("\r", "")
    raw = build_calendar(uid="u-1@imgcoach.test", start=NOW, tz="Asia/Kolkata", summary=summary,
                         description=description, stamp=NOW, sequence=2)
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == summary and str(event["DESCRIPTION"]) == _as_calendar_text(description)
    assert int(event["SEQUENCE"]) == 2 and event.decoded("DTSTART") == NOW


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=90))
def test_fast_header_lines_are_byte_identical_to_compat32(value: str) -> None:
    from email.policy import compat32

    from imgcoach.reminders.mail.message import POLICY

    smtp_policy = POLICY.clone(linesep="\r\n")
    assert smtp_policy.fold_binary("Subject", value) == compat32.clone(linesep="\r\n").fold_binary("Subject", value)


def test_calendar_part_names_its_organizer() -> None:
    """RFC 5546 §3.2.1: METHOD:PUBLISH requires ORGANIZER; it is the address the reminder comes from."""
    event = _calendar(_reparse(build(sample("thank_you")))).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:reminders@example.org"


def test_late_reminder_event_sits_at_send_time_without_late_marker() -> None:
    """Quirk: a reminder sent three hours late put its calendar entry in the past, titled "[late] ..."."""
    due = NOW - timedelta(hours=3)
    msg = _reparse(build(sample("thank_you", late=True, due=due)))
    assert msg["Subject"].startswith("[late] ")  # the e-mail itself still says so
    event = _calendar(msg).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == NOW
    assert "[late]" not in str(event["SUMMARY"])
    assert str(event["SUMMARY"]).startswith("Thank-you note to ")


def test_multipart_headers_fit_one_line_so_they_skip_compat32_folding() -> None:
    """The boundary keeps each Content-Type within 78 columns (the policy's unfolded fast path); a longer one
    was folded through email.header.Header twice per message. The boundary still parses back."""
    raw = build().as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    content_type = [line for line in head.splitlines() if line.lower().startswith(b"content-type:")]
    assert content_type and all(len(line) <= 78 for line in content_type)
    assert not any(line.startswith((b" ", b"\t")) for line in head.splitlines()), "no folded header lines"
    parsed = message_from_bytes(raw, policy=policy.default)
    assert [p.get_content_type() for p in parsed.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]


def test_message_bytes_are_the_email_packages_own() -> None:
    """What the SMTP transport sends (one write per text part) is byte for byte as_bytes with CRLF."""
    from imgcoach.reminders.mail.message import message_bytes

    for kind in ("letter_request_open", "weekly_digest", "progress_update"):
        msg = build(sample(kind, reminder_id=42))
        assert message_bytes(msg) == msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def test_message_bytes_keep_every_kind_of_line_end() -> None:
    """A text part's lines are joined with str.replace when the text has no CR, and split at every line end
    otherwise: the bytes are the email package's own either way."""
    from imgcoach.reminders.mail.message import message_bytes

    for text in ("one\ntwo\n", "one\r\ntwo\rthree\nfour", "no line end", "\n\n", "trailing\r"):
        msg = build_message(sender=Mailbox("R", "r@example.org"), recipient=Mailbox("A", "a@example.org"),
                            subject="s", text=text, html=f"<p>{text}</p>", message_id="<x.1@imgcoach.invalid>",
                            date=NOW)
        assert message_bytes(msg) == msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def test_calendar_entries_are_the_same_bytes_from_the_caches() -> None:
    """Repeating calendar values (PRODID, METHOD, summary, description, start and end, alarm) are encoded once
    and kept: the entry is byte for byte what icalendar's encoders give line by line, on the first call and
    on a repeat."""
    from icalendar.prop import vDatetime, vDuration, vText

    from imgcoach.reminders.mail.ics import PRODID, build_calendar, fold, vtimezone_bytes

    def reference(start: datetime, stamp: datetime, description: str) -> bytes:
        local = start.astimezone(ZoneInfo("Asia/Kolkata"))

        def text(value: str) -> str:
            return vText(value).to_ical().decode("utf-8")

        def when(value: datetime) -> str:
            return vDatetime(value).to_ical().decode()

        head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{text(PRODID)}", "METHOD:PUBLISH"]
        event = ["BEGIN:VEVENT", "SUMMARY:Ask Dr. Ng\\, today",
                 f"DTSTART;TZID=Asia/Kolkata:{when(local.replace(tzinfo=None))}",
                 f"DTEND;TZID=Asia/Kolkata:{when((local + timedelta(minutes=30)).replace(tzinfo=None))}",
                 f"DTSTAMP:{when(stamp.astimezone(UTC))}", "UID:u-1@imgcoach.invalid", "SEQUENCE:2",
                 "ORGANIZER:mailto:r@example.org", f"DESCRIPTION:{text(description)}", "TRANSP:TRANSPARENT",
                 "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Ask Dr. Ng\\, today",
                 f"TRIGGER:{vDuration(-timedelta(minutes=15)).to_ical().decode()}", "END:VALARM", "END:VEVENT",
                 "END:VCALENDAR"]
        return (b"\r\n".join(fold(line) for line in head) + b"\r\n" + vtimezone_bytes("Asia/Kolkata", local.year)
                + b"\r\n".join(fold(line) for line in event) + b"\r\n")

    description = "Dear Dr. Ng,\n\nwould you write me a letter; thank you! " + "é long line " * 20
    for stamp in (NOW, NOW + timedelta(seconds=1), NOW + timedelta(seconds=2)):  # the second and third: cached
        built = build_calendar(uid="u-1@imgcoach.invalid", start=NOW, tz="Asia/Kolkata",
                               summary="Ask Dr. Ng, today", description=description, stamp=stamp, sequence=2,
                               organizer="r@example.org")
        assert built == reference(NOW, stamp, description)


def test_parts_answer_their_content_type_and_boundary_as_compat32_parses_them() -> None:
    """Each built part keeps its content type and boundary instead of parsing its Content-Type header for
    every question the generator asks: the kept answers are the parsed ones, and a multipart's headers are
    those MIMEMultipart writes."""
    from email.message import Message
    from email.mime.multipart import MIMEMultipart

    from imgcoach.reminders.mail.message import POLICY

    for kind in ("letter_request_open", "weekly_digest", "progress_update"):
        msg = build(sample(kind, reminder_id=42))
        assert msg._ctype is not None  # type: ignore[attr-defined]  # From, To... did not make it forget
        for part in msg.walk():
            assert part.get_content_type() == Message.get_content_type(part)
            assert part.get_content_maintype() == Message.get_content_maintype(part)
            assert part.get_boundary() == Message.get_boundary(part)
            if part.is_multipart():
                stock = MIMEMultipart(part.get_content_subtype(), boundary=part.get_boundary(), policy=POLICY)
                assert part.items()[:2] == stock.items()  # the top one's own headers follow these


def test_a_part_changed_after_it_was_built_answers_from_its_new_headers() -> None:
    msg = build()
    msg.set_boundary("changed-boundary")
    assert msg.get_boundary() == "changed-boundary"
    (alternative, calendar) = msg.get_payload()
    alternative.set_param("boundary", "other")
    assert alternative.get_boundary() == "other"
    calendar.replace_header("Content-Type", "application/ics")
    assert calendar.get_content_type() == "application/ics"
    del calendar["Content-Type"]
    assert calendar.get_content_type() == "text/plain"  # compat32's default for a part without one
    calendar["Content-Type"] = "text/x-other"
    assert calendar.get_content_type() == "text/x-other"


def test_constant_headers_are_formatted_once_not_for_every_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts' Content-Type and encoding, the multiparts' Content-Type but for the boundary, and the calendar's
    Content-Disposition are the same in every message: the email package formats and quotes their parameters
    once (seven times a message before), and the lines are still the ones add_header writes."""
    from email import message as email_message
    from email.message import Message

    build(sample(reminder_id=1))  # the first message of its kind formats them
    formatted: list[str] = []
    original = email_message._formatparam

    def counted(param: str, value: object = None, quote: bool = True) -> str:
        formatted.append(param)
        return original(param, value, quote)

    monkeypatch.setattr(email_message, "_formatparam", counted)
    messages = [build(sample(reminder_id=i)) for i in range(2, 12)]
    assert formatted == []
    for msg in messages:
        for part in msg.walk():
            stock = Message()
            name, value = next(iter(part.raw_items()))
            ctype, _, params = value.partition("; ")
            stock.add_header(name, ctype, **dict(p.split("=", 1) for p in params.replace('"', "").split("; ")))
            assert [(name, value)] == list(stock.raw_items())
        calendar = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
        assert calendar["Content-Disposition"] == 'attachment; filename="reminder.ics"'


def test_the_calendar_stamp_is_icalendars_to_the_second() -> None:
    """DTSTAMP is kept per second (vDatetime writes whole seconds): any microsecond gives icalendar's own text."""
    from icalendar.prop import vDatetime

    from imgcoach.reminders.mail.ics import build_calendar

    for stamp in (NOW, NOW.replace(microsecond=999_999), NOW + timedelta(seconds=1, microseconds=1)):
        built = build_calendar(uid="u-1@imgcoach.invalid", start=NOW, tz="Asia/Kolkata", summary="s",
                               description="d", stamp=stamp)
        assert f"DTSTAMP:{vDatetime(stamp).to_ical().decode()}\r\n".encode() in built
