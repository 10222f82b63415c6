"""The app writes a span of days as "25 Jan – 29 Jan 2027", and the rotation clash put "from" before it: the
Overlap warning read "... overlaps full-time Riverside General (fictional) (04 Jan – 29 Jan 2027) from 25 Jan –
29 Jan 2027" (found walking the app). It says "for", as the study block's clash always did, in both faces."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from imgcoach.core.datewords import WRITTEN
from imgcoach.plan import full_time_overlaps
from imgcoach.tui import dates


def _rotation(rid: int, place: str, start: date, end: date) -> SimpleNamespace:
    return SimpleNamespace(id=rid, institution=place, start_date=start, end_date=end, hours_per_week=40,
                           hours_assumed=False)


def test_the_clash_says_for_before_the_days_in_the_apps_words_and_the_clis() -> None:
    new = _rotation(2, "Lakeside Clinic (fictional)", date(2027, 1, 25), date(2027, 2, 19))
    old = _rotation(1, "Riverside General (fictional)", date(2027, 1, 4), date(2027, 1, 29))
    (in_app,) = full_time_overlaps(new, [old], dates.WORDS)
    (in_cli,) = full_time_overlaps(new, [old], WRITTEN)
    shared_app = dates.WORDS.span(date(2027, 1, 25), date(2027, 1, 29))
    assert in_app.endswith(f") for {shared_app} (80 h/week together)"), in_app
    assert in_cli.endswith(") for 25 Jan 2027 to 29 Jan 2027 (80 h/week together)"), in_cli
    assert " from " not in in_app and " from " not in in_cli
