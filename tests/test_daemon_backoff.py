"""Retry spacing: first retry within a minute, doubling, capped at six hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imgcoach.reminders.daemon.backoff import next_attempt_at, retry_delay


def test_first_retry_within_a_minute_then_doubling() -> None:
    delays = [retry_delay(n) for n in range(1, 6)]
    assert delays[0] <= timedelta(minutes=1)
    assert all(b == 2 * a for a, b in zip(delays, delays[1:], strict=False))


def test_capped_at_six_hours() -> None:
    assert retry_delay(11) == timedelta(hours=6)
    assert retry_delay(10_000) == timedelta(hours=6)


def test_next_attempt_is_relative_to_the_given_now() -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert next_attempt_at(1, now) == now + retry_delay(1)


def test_zero_failures_is_a_bug() -> None:
    with pytest.raises(ValueError):
        retry_delay(0)


@given(st.integers(min_value=1, max_value=200))
def test_monotone_and_bounded(n: int) -> None:
    assert timedelta(0) < retry_delay(n) <= retry_delay(n + 1) <= timedelta(hours=6)
