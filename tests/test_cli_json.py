"""Every --json output is written by cli.quick.json_text, `applicants export` by storage.quicktransfer.export_text,
both through core.jsontext (issue 17: the standard library's encoder runs in pure Python once `indent` is
given). It must write exactly what json.dumps writes (`json.dumps(to_jsonable(...), indent=2,
ensure_ascii=False)`; indent=1 with sorted keys), for any value, and refuse what that refuses with the same
error. And the quick `reminders list` reads only the fields reminder_json reads (cli.shapes.REMINDER_READS).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum, StrEnum
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgcoach.cli.quick import json_text
from imgcoach.cli.shapes import REMINDER_READS, reminder_json, to_jsonable
from imgcoach.core.context import Context

ZONES = [UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe")]


def reference(data: Any, tz: Any) -> str:
    return json.dumps(to_jsonable(data, tz), indent=2, ensure_ascii=False)


class Colour(StrEnum):
    RED = "red"


class Size(Enum):
    BIG = 2


moments = st.datetimes(timezones=st.none() | st.just(UTC) | st.builds(
    lambda m: timezone(timedelta(minutes=m)), st.integers(-23 * 60, 23 * 60)))
edge_floats = st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.0, 1e16, 5e-324, 0.1])
leaves = (st.text() | st.integers(-(2**70), 2**70) | st.floats() | edge_floats | st.booleans() | st.none() | moments
          | st.dates() | st.just(Colour.RED) | st.sampled_from([Size.BIG, Decimal("1.5"), {1, 2}]))
keys = st.text() | st.integers() | st.none() | st.booleans() | st.floats(allow_nan=False)
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=3), max_leaves=30)


def same_outcome(expected_of: Callable[[], str], found_of: Callable[[], str]) -> None:
    """The same text, or the same error (type and message), from the reference and from ours."""
    try:
        expected: str | BaseException = expected_of()
    except (TypeError, ValueError, OverflowError) as exc:  # a moment at the edge of the calendar overflows in both
        expected = exc
    try:
        found: str | BaseException = found_of()
    except (TypeError, ValueError, OverflowError) as exc:  # a moment at the edge of the calendar overflows in both
        found = exc
    if isinstance(expected, BaseException):
        assert isinstance(found, BaseException) and (type(found), str(found)) == (type(expected), str(expected))
    else:
        assert found == expected


def same_as_reference(data: Any, tz: Any) -> None:
    same_outcome(lambda: reference(data, tz), lambda: json_text(data, tz))


@settings(max_examples=600, deadline=None)
@given(data=values, zone=st.sampled_from(ZONES))
def test_json_text_writes_what_json_dumps_writes(data: Any, zone: Any) -> None:
    """Text (escapes, control characters, every plane), big integers, floats with NaN and infinities, moments
    in and out of daylight saving, days, tuples, nesting, empty containers; keys that are not text, enums and
    values JSON cannot hold (the same TypeError) go through json.dumps itself."""
    same_as_reference(data, zone)


def test_json_text_on_the_shapes_it_is_written_for() -> None:
    """A list of flat objects (a list command's), nested objects (`rotations show`), a bare value."""
    zone = ZoneInfo("America/New_York")
    when = datetime(2026, 3, 8, 6, 59, 59, 999999, tzinfo=UTC)  # the minute before the spring change there
    rows = [{"id": n, "title": f"Row \"{n}\"\n\t\u2028é\x00", "at": when + timedelta(hours=n),
             "day": date(2026, 1, n + 1), "score": n / 3, "done": n % 2 == 0, "none": None, "tags": [], "more": {},
             "pair": (n, "x")}
            for n in range(4)]
    for data in (rows, {"rotation": rows[0], "letters": rows[1:], "window": {"opens": date(2026, 1, 1)}}, [], {},
                 "text", 3, 2.5, None, True, float("nan"), [float("-inf")]):
        assert json_text(data, zone) == reference(data, zone)
    text = json_text(rows, zone)
    assert '"at": "2026-03-08T01:59:59.999999-05:00"' in text and '"at": "2026-03-08T03:59:59.999999-04:00"' in text


@settings(max_examples=400, deadline=None)
@given(data=values, indent=st.integers(0, 3))
def test_indented_json_with_sorted_keys_writes_what_json_dumps_writes(data: Any, indent: int) -> None:
    """`applicants export`'s form (indent=1, sorted keys) and any other indentation, no conversion."""
    from imgcoach.core.jsontext import indented_json

    same_outcome(lambda: json.dumps(data, indent=indent, ensure_ascii=False, sort_keys=True),
                 lambda: indented_json(data, indent=indent, sort_keys=True))


@pytest.mark.parametrize("data", [{1: "a", "b": 2}, {None: 1}, {(1, 2): 3}, [Decimal("1")], {"a": {1, 2}}])
def test_what_json_text_does_not_write_itself_is_json_dumps_answer(data: Any) -> None:
    same_as_reference(data, UTC)


def test_the_quick_reminders_list_reads_every_field_reminder_json_reads(demo_ctx: Context) -> None:
    """The quick path reads only REMINDER_READS; a field reminder_json reads beyond them would fail here (and send
    `reminders list` to the full path, tests/test_cli_quickread.py). The demo's reminders, from the models."""
    from imgcoach.reminders import list_reminders, superseded_openings

    rows = list_reminders(demo_ctx)
    assert len(rows) > 5
    zone = ZoneInfo("America/New_York")
    now = demo_ctx.clock.now()
    gone = superseded_openings(rows, now)
    for row in rows:
        only = SimpleNamespace(**{name: getattr(row, name) for name in REMINDER_READS})
        assert reminder_json(only, zone, now, gone) == reminder_json(row, zone, now, gone)
