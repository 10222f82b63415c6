"""A hospital's Mon-Fri schedule with a Monday holiday taken out (EXDATE) became two rotations on
`import --accept-suggestions` (04-15 Jan and 19-29 Jan 2027): occurrences more than three days apart started a
new run, and Friday to Tuesday is four. Each half then had its own feedback, letter and thank-you reminders,
and the experience was counted as two short rotations. A holiday or two out of a schedule kept on three or more
weekdays now continues the run; a week off, or a weekly class, still does not (found walking a new applicant's
first import)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from imgcoach.calendar.model import ParsedEvent
from imgcoach.calendar.series import runs
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

SCHEDULE = Path(__file__).parent / "data" / "ics" / "weekday_schedule_monday_holiday.ics"


def test_a_monday_holiday_leaves_one_rotation(ctx: Context, db_url: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "import", str(SCHEDULE), "--accept-suggestions", "--db", db_url)
    assert res.code == 0, res.err
    assert "1 new rotation" in res.out and "over 04 Jan–29 Jan 2027 (19 occurrences)" in res.out, res.out
    rotations = run_cli(capsys, "rotations", "list", "--db", db_url, "--json").json()
    assert [(r["start_date"], r["end_date"]) for r in rotations] == [("2027-01-04", "2027-01-29")]


def _days(*days: date) -> list[ParsedEvent]:
    return [ParsedEvent("s@t", f"{d:%Y%m%d}", "Clinic", d, d + timedelta(days=1), True) for d in days]


def _runs_of(days: list[date]) -> list[tuple[date, date, int]]:
    found = runs(_days(*days), ZoneInfo("America/New_York"))
    return sorted({(r.first, r.last, r.size) for r in found.values()})


def _weekdays(first: date, last: date, *, out: tuple[date, ...] = ()) -> list[date]:
    span = ((last - first).days + 1)
    return [d for n in range(span) if (d := first + timedelta(days=n)).weekday() < 5 and d not in out]


def test_the_rule_bridges_holidays_and_not_a_week_off_or_a_weekly_class() -> None:
    jan4, jan29 = date(2027, 1, 4), date(2027, 1, 29)
    # Thanksgiving-style: two days out (Thursday and Friday): one run
    assert _runs_of(_weekdays(jan4, jan29, out=(date(2027, 1, 14), date(2027, 1, 15)))) == [(jan4, jan29, 18)]
    # a week off in the middle: two runs, as before
    week_off = _weekdays(jan4, jan29, out=tuple(date(2027, 1, 11) + timedelta(days=n) for n in range(5)))
    assert _runs_of(week_off) == [(jan4, date(2027, 1, 8), 5), (date(2027, 1, 18), jan29, 10)]
    # a weekly class (one weekday): each occurrence on its own, as before
    weekly = [date(2027, 1, 9) + timedelta(weeks=n) for n in range(3)]
    assert len(_runs_of(weekly)) == 3
