"""Reminder derivation: the field's timing, at 09:00 local, across month ends, leap days and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from imgcoach.core.settings import ReminderTiming
from imgcoach.reminders.rules import (
    LETTER_LAST_CALL,
    LETTER_OPEN,
    MID_FEEDBACK,
    THANK_YOU,
    derive_rotation_reminders,
    message_id_for,
)

TIMING = ReminderTiming()


def by_kind(start: date, end: date, tz: str = "America/New_York", **kw: bool) -> dict[str, datetime]:
    return {p.kind: p.due_at for p in derive_rotation_reminders(7, start, end, tz, TIMING, **kw)}


def test_four_week_rotation_gets_the_four_reminders_at_nine_local() -> None:
    # 4 weeks Monday to Friday (26 days), the most common rotation: the letter comes after the feedback, and
    # each falls on a working day (all four were on Saturdays and Sundays: 16, 17, 23 and 31 January).
    due = by_kind(date(2027, 1, 4), date(2027, 1, 29))
    # New York is UTC-5 in January: 09:00 local is 14:00 UTC.
    assert due[MID_FEEDBACK] == datetime(2027, 1, 15, 14, 0, tzinfo=UTC)  # the middle Saturday -> Friday
    assert due[LETTER_OPEN] == datetime(2027, 1, 18, 14, 0, tzinfo=UTC)  # after the feedback, on the Monday
    assert due[LETTER_LAST_CALL] == datetime(2027, 1, 22, 14, 0, tzinfo=UTC)  # in the last week, a Friday
    assert due[THANK_YOU] == datetime(2027, 2, 1, 14, 0, tzinfo=UTC)  # two days after -> the Monday


def test_moving_the_window_is_explained() -> None:
    plans = {p.kind: p for p in derive_rotation_reminders(1, date(2027, 1, 4), date(2027, 1, 29), "UTC", TIMING)}
    assert "after the mid-rotation feedback" in plans[LETTER_OPEN].note
    long = {p.kind: p for p in derive_rotation_reminders(1, date(2027, 1, 4), date(2027, 3, 28), "UTC", TIMING)}
    assert long[LETTER_OPEN].note == long[LETTER_LAST_CALL].note == ""



def test_the_moved_window_says_why_without_calling_an_eight_week_rotation_short() -> None:
    """An 8-week externship's letter request said "the rotation is shorter than the usual letter window" (4 weeks):
    false. Its midpoint falls inside the window, which is why the request waits for the feedback."""
    short = derive_rotation_reminders(1, date(2027, 1, 4), date(2027, 1, 29), "UTC", TIMING)  # 26 days
    assert {p.note for p in short if p.kind == LETTER_OPEN} == {
        "moved after the mid-rotation feedback: the rotation is shorter than the usual letter window "
        "(the last 4 weeks)"}
    eight = derive_rotation_reminders(1, date(2027, 2, 1), date(2027, 3, 26), "UTC", TIMING)  # 54 days
    assert {p.note for p in eight if p.kind in (LETTER_OPEN, LETTER_LAST_CALL)} == {
        "moved after the mid-rotation feedback, which falls within the usual letter window (the last 4 weeks)"}
    odd = derive_rotation_reminders(1, date(2027, 2, 1), date(2027, 3, 26), "UTC",
                                    ReminderTiming(letter_window_days=30))
    assert "(the last 30 days)" in next(p.note for p in odd if p.kind == LETTER_OPEN)

def test_a_four_week_rotation_is_not_called_shorter_than_four_weeks() -> None:
    """A rotation added with no end (start + 4 weeks, 28 days) said "the rotation is shorter than the usual letter
    window (the last 4 weeks)": it is exactly as long. Its midpoint falls within them; 27 days is shorter."""
    from imgcoach.plan.rules.dates import default_end

    start = date(2026, 12, 12)
    assert (default_end(start) - start).days + 1 == 28
    four_weeks = derive_rotation_reminders(1, start, default_end(start), "America/New_York", TIMING)
    assert {p.note for p in four_weeks if p.kind in (LETTER_OPEN, LETTER_LAST_CALL)} == {
        "moved after the mid-rotation feedback, which falls within the usual letter window (the last 4 weeks)"}
    shorter = derive_rotation_reminders(1, start, date(2027, 1, 7), "America/New_York", TIMING)  # 27 days
    assert {p.note for p in shorter if p.kind in (LETTER_OPEN, LETTER_LAST_CALL)} == {
        "moved after the mid-rotation feedback: the rotation is shorter than the usual letter window "
        "(the last 4 weeks)"}


def test_one_day_rotation_asks_the_day_after() -> None:
    plans = {p.kind: p for p in derive_rotation_reminders(1, date(2027, 3, 1), date(2027, 3, 1), "UTC", TIMING)}
    assert LETTER_OPEN not in plans
    assert plans[LETTER_LAST_CALL].due_at.date() == date(2027, 3, 2)
    assert plans[MID_FEEDBACK].due_at.date() == date(2027, 3, 1)
    assert "after the rotation" in plans[LETTER_LAST_CALL].note


def test_eight_week_rotation_window_opens_after_the_feedback() -> None:
    due = by_kind(date(2027, 2, 1), date(2027, 3, 28))
    assert due[MID_FEEDBACK].date() == date(2027, 3, 1)  # the middle is Sunday 28 Feb: the Monday after
    assert due[LETTER_OPEN].date() == date(2027, 3, 2)
    assert due[LETTER_LAST_CALL].date() == date(2027, 3, 15)  # half-way from the opening to the end


@pytest.mark.parametrize("days", range(1, 85))
def test_letter_timing_for_every_length(days: int) -> None:
    """1 day to 12 weeks: no letter reminder before the feedback, the last call in the last two weeks
    (or the day after a rotation too short to ask after the feedback), and the deadline is the last call."""
    from datetime import timedelta

    from imgcoach.reminders.rules import letter_deadline, letter_window

    start = date(2027, 1, 4)
    end = start + timedelta(days=days - 1)
    plans = {p.kind: p for p in derive_rotation_reminders(1, start, end, "UTC", TIMING)}
    feedback = plans[MID_FEEDBACK].due_at.date()
    letters = [plans[k].due_at.date() for k in (LETTER_OPEN, LETTER_LAST_CALL) if k in plans]
    assert all(day > feedback for day in letters), (feedback, letters)
    last = plans[LETTER_LAST_CALL].due_at.date()
    assert last == letter_deadline(start, end, TIMING) == letter_window(start, end, TIMING)[1]
    assert end - timedelta(days=16) <= last <= max(end, feedback + timedelta(days=1))  # 16: back to a Friday
    if days >= 56:
        two_weeks = end - timedelta(days=14)
        friday = two_weeks - timedelta(days=max(two_weeks.weekday() - 4, 0))
        # the field's 2 weeks before the end, or the Friday before; a day later when a Sunday feedback moved
        # to the Monday pushes the half-way point (56 days ending on a Sunday)
        assert friday <= last <= two_weeks + timedelta(days=1), (last, two_weeks)
    working = [d for d in (start + timedelta(days=n) for n in range(days)) if d.weekday() < 5]
    if working:  # a rotation with a working day asks for feedback on one
        assert feedback.weekday() < 5, feedback
    assert plans[LETTER_LAST_CALL].expires_at > plans[LETTER_LAST_CALL].due_at


def test_month_end_and_leap_day() -> None:
    # 2028 is a leap year: the end is 29 Feb, thanks two days later on 2 March.
    due = by_kind(date(2028, 1, 31), date(2028, 2, 29), tz="UTC")
    assert due[THANK_YOU] == datetime(2028, 3, 2, 9, 0, tzinfo=UTC)
    assert due[MID_FEEDBACK] == datetime(2028, 2, 14, 9, 0, tzinfo=UTC)
    assert due[LETTER_LAST_CALL] == datetime(2028, 2, 22, 9, 0, tzinfo=UTC)  # after the feedback
    # A rotation ending 31 Jan: last call on 17 Jan, thanks on 2 Feb.
    due = by_kind(date(2027, 1, 1), date(2027, 1, 31), tz="UTC")
    assert due[THANK_YOU].date() == date(2027, 2, 2)


def test_dst_change_in_new_york_keeps_nine_local() -> None:
    # US DST starts 14 March 2027: before it 09:00 is 14:00 UTC, after it 13:00 UTC.
    due = by_kind(date(2027, 2, 15), date(2027, 4, 9))
    assert due[MID_FEEDBACK] == datetime(2027, 3, 12, 14, 0, tzinfo=UTC)  # Friday before the change; EST
    assert due[LETTER_OPEN] == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)  # Monday after it; EDT
    assert due[LETTER_LAST_CALL] == datetime(2027, 3, 26, 13, 0, tzinfo=UTC)  # EDT, half-way back to a Friday
    # Autumn: DST ends Sunday 7 November 2027; the thank-you two days after a Friday end is the Monday, EST.
    due = by_kind(date(2027, 10, 1), date(2027, 11, 5))
    assert due[THANK_YOU] == datetime(2027, 11, 8, 14, 0, tzinfo=UTC)


def test_zone_east_of_utc() -> None:
    # Kolkata is UTC+05:30 all year: 09:00 local is 03:30 UTC the same day.
    due = by_kind(date(2027, 1, 4), date(2027, 1, 29), tz="Asia/Kolkata")
    assert due[THANK_YOU] == datetime(2027, 2, 1, 3, 30, tzinfo=UTC)


def test_letter_requested_stops_letter_reminders() -> None:
    due = by_kind(date(2027, 1, 4), date(2027, 2, 26), letter_requested=True)
    assert set(due) == {MID_FEEDBACK, THANK_YOU}


def test_offsets_and_hour_are_settings() -> None:
    timing = ReminderTiming(hour=7, minute=30, letter_window_days=21, thank_you_after_days=1)
    plans = {p.kind: p for p in derive_rotation_reminders(1, date(2027, 5, 3), date(2027, 6, 25), "UTC", timing)}
    assert plans[LETTER_OPEN].due_at == datetime(2027, 6, 4, 7, 30, tzinfo=UTC)
    assert plans[THANK_YOU].due_at == datetime(2027, 6, 28, 7, 30, tzinfo=UTC)  # 1 day after: Saturday -> Monday


def test_expiry_letter_request_is_end_plus_fourteen_days() -> None:
    plans = {p.kind: p for p in derive_rotation_reminders(1, date(2027, 5, 3), date(2027, 6, 25), "UTC", TIMING)}
    assert plans[LETTER_OPEN].expires_at == datetime(2027, 7, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("key", ["rotation:1:thank_you", "rotation:22:letter_request_open"])
def test_message_id_is_deterministic_and_salted(key: str) -> None:
    assert message_id_for(key, "a") == message_id_for(key, "a")
    assert message_id_for(key, "a") != message_id_for(key, "b")
    assert message_id_for(key, "a").startswith("<") and message_id_for(key, "a").endswith(">")


def test_message_id_fits_one_header_line_with_the_random_part() -> None:
    from imgcoach.reminders.rules import unique_key

    key = unique_key("progress:12345:rotation:67890")
    assert len("Message-ID: " + message_id_for(key, "salt")) < 78


def test_a_weekend_only_rotation_keeps_its_days() -> None:
    """No working day inside: the reminders stay where the advice puts them rather than leave the rotation."""
    due = by_kind(date(2027, 1, 9), date(2027, 1, 10), tz="UTC")
    assert due[MID_FEEDBACK].date() == date(2027, 1, 9) and due[LETTER_LAST_CALL].date() == date(2027, 1, 10)
