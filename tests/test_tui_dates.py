"""One date format per kind (imgcoach.tui.dates): a day, a range, a moment; and date columns sort by day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from rich.text import Text

from imgcoach.tui import dates
from imgcoach.tui.widgets.table import sort_key

NEW_YORK = ZoneInfo("America/New_York")


def test_a_day_has_a_word_month_and_a_four_digit_year() -> None:
    assert dates.day(date(2026, 11, 19)) == "19 Nov 2026"
    assert dates.day(date(2028, 2, 29)) == "29 Feb 2028", "a leap day"


def test_a_range_writes_a_shared_year_once() -> None:
    assert dates.day_range(date(2026, 7, 5), date(2026, 8, 1)) == "05 Jul – 01 Aug 2026"
    assert dates.day_range(date(2026, 12, 28), date(2027, 1, 24)) == "28 Dec 2026 – 24 Jan 2027"
    assert dates.day_range(date(2026, 3, 31), date(2026, 3, 31)) == "31 Mar 2026", "one day is a day"


def test_a_moment_is_shown_in_the_applicants_zone_across_a_dst_change() -> None:
    before = datetime(2026, 3, 8, 6, 30, tzinfo=UTC)  # 01:30 EST, before the spring-forward
    after = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT: one hour later, two on the wall clock
    assert dates.moment(before, NEW_YORK) == "08 Mar 2026 01:30"
    assert dates.moment(after, NEW_YORK) == "08 Mar 2026 03:30"
    assert dates.moment(after, NEW_YORK, zone=True) == "08 Mar 2026 03:30 EDT"
    assert dates.moment(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), ZoneInfo("Asia/Kolkata")) == "01 Jan 2027 05:00"
    assert dates.moment(None, NEW_YORK) == ""


def test_shown_dates_read_back_for_sorting() -> None:
    assert dates.parse_shown("19 Nov 2026") == date(2026, 11, 19)
    assert dates.parse_shown("05 Jul – 01 Aug 2026") == date(2026, 7, 5)
    assert dates.parse_shown("28 Dec 2026 – 24 Jan 2027") == date(2026, 12, 28)
    assert dates.parse_shown("19 Nov 2026 09:00") == date(2026, 11, 19)
    assert dates.parse_shown("Internal Medicine") is None and dates.parse_shown("246") is None


def test_a_date_column_sorts_by_day_not_by_text() -> None:
    cells = ["05 Jul – 01 Aug 2026", "01 Aug – 28 Aug 2026", "28 Dec 2025 – 24 Jan 2026", Text("19 Nov 2026")]
    ordered = sorted(cells, key=sort_key)
    assert [dates.parse_shown(str(c)) for c in ordered] == [
        date(2025, 12, 28), date(2026, 7, 5), date(2026, 8, 1), date(2026, 11, 19)]
    assert sorted(["$120", "$95"], key=sort_key) == ["$95", "$120"], "numbers still sort as numbers"


def test_no_screen_writes_a_date_its_own_way() -> None:
    """Every shown day, range and moment goes through imgcoach.tui.dates. Allowed elsewhere: the timeline
    axis's month labels, the crash log's UTC stamp, and sort keys that are never shown."""
    import ast
    import re
    from pathlib import Path

    import imgcoach.tui

    allowed = {"dates.py", "render.py:axis_row", "crash.py", "import_screen.py:_start_key"}
    # strftime, a format spec, isoformat, or a date field put into an f-string as it is (str(date) is ISO:
    # the readiness form listed rotations as "(2026-06-28 to 2026-07-25)").
    pattern = re.compile(r"strftime\(|:%[dbYaHmy]|\.isoformat\(\)"
                         r"|\{[\w.]*(?:_date|_on|_at|week_of|today|midpoint|\.start|\.end|\.due)\}")
    found = []
    for path in Path(imgcoach.tui.__file__).parent.rglob("*.py"):
        source = path.read_text()
        owner: dict[int, str] = {}  # line -> the module-level function or method it is in
        for node in ast.parse(source).body:
            functions = node.body if isinstance(node, ast.ClassDef) else [node]
            for function in functions:
                if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    for line in range(function.lineno, (function.end_lineno or function.lineno) + 1):
                        owner[line] = function.name
        for number, line in enumerate(source.splitlines(), 1):
            names = {path.name, f"{path.name}:{owner.get(number, '')}"}
            if pattern.search(line) and not names & allowed:
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "format dates with imgcoach.tui.dates:\n" + "\n".join(found)
