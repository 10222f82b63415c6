"""recurrence_key formats by hand what strftime wrote: the stored RECURRENCE-ID keys must not change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from imgcoach.calendar.values import recurrence_key, to_utc

ZONES = [UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), timezone(timedelta(hours=-9, minutes=-30))]


def _old(value: datetime | date, zone: ZoneInfo) -> str:
    v = to_utc(value, zone)
    return v.strftime("%Y%m%dT%H%M%SZ") if isinstance(v, datetime) else v.strftime("%Y%m%d")


@given(st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 30)), st.sampled_from(ZONES),
       st.booleans(), st.sampled_from(["America/New_York", "Asia/Kolkata"]))
def test_same_key_as_strftime(value: datetime, zone: object, naive: bool, floating: str) -> None:
    when = value if naive else value.replace(tzinfo=zone)  # type: ignore[arg-type]
    assert recurrence_key(when, ZoneInfo(floating)) == _old(when, ZoneInfo(floating))
    assert recurrence_key(value.date(), ZoneInfo(floating)) == _old(value.date(), ZoneInfo(floating))


def test_short_years_and_edges() -> None:
    ny = ZoneInfo("America/New_York")
    for v in (date(1, 1, 1), date(999, 12, 31), date(1000, 1, 1), datetime(999, 12, 31, 23, 59, 59, tzinfo=UTC),
              datetime(1000, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 12, tzinfo=UTC)):
        assert recurrence_key(v, ny) == _old(v, ny)
