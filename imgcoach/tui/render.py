"""Drawing plan data as Rich text: the timeline grid, weekly load bars, short labels.

No queries and no Textual here: widgets hand in plain values, so the drawing is fast to test
and cheap to redraw when the timeline moves by a week.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rich.text import Text

GUTTER = 6  # row labels on the left of the timeline
LOAD_CHARS = " ▁▂▃▄▅▆▇█"
STYLES = {
    "rotation": "black on #5fafd7",
    "study": "black on #d7af5f",
    "event": "black on #afafaf",
    "conflict": "bold white on #d70000",
    "today": "bold #ff5f5f",
    "month": "bold",
    "muted": "dim",
    "overload": "bold #ff5f5f",
    "selected": "reverse bold underline",
}
KIND_LABELS = {
    "mid_rotation_feedback": "Ask for feedback",
    "letter_request_open": "Ask for a letter",
    "letter_request_last_call": "Letter: last call",
    "thank_you": "Thank-you note",
    "weekly_digest": "Weekly digest",
}


@dataclass(frozen=True)
class Bar:
    """One plan item on the timeline."""

    start: date
    end: date
    label: str
    kind: str  # rotation | study | event
    conflict: bool = False
    ref: int | None = None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def reminder_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def local_time(moment: datetime | None, tz: Any, fmt: str = "%d %b %H:%M") -> str:
    """A stored UTC instant shown in the applicant's zone."""
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def clip(text: str, width: int) -> str:
    """One line of at most `width` cells, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def columns(width: int) -> int:
    """Weeks that fit beside the gutter."""
    return max(4, width - GUTTER)


def month_row(start: date, weeks: int) -> Text:
    """Month names where each month's first week begins; the year on January and the first column."""
    first_sunday = start + timedelta(days=6)
    text = _label(str(first_sunday.year))
    cells = [" "] * weeks
    previous = None
    for i in range(weeks):
        day = start + timedelta(weeks=i)
        sunday = day + timedelta(days=6)
        month = (sunday.year, sunday.month) if sunday.day <= 7 or i == 0 else previous
        if month != previous and month is not None:
            label = str(sunday.year) if sunday.month == 1 else sunday.strftime("%b")
            if all(c == " " for c in cells[i : i + len(label)]) and i + len(label) <= weeks:
                cells[i : i + len(label)] = list(label)
            previous = month
    text.append("".join(cells), style=STYLES["month"])
    return text


def today_row(start: date, weeks: int, today: date) -> Text:
    text = _label("Week")
    for i in range(weeks):
        day = start + timedelta(weeks=i)
        if day <= today < day + timedelta(days=7):
            text.append("▼", style=STYLES["today"])
        else:
            text.append("·" if (day + timedelta(days=6)).day > 7 else "╵", style=STYLES["muted"])
    return text


def pack_lanes(bars: Iterable[Bar], start: date, weeks: int) -> list[list[tuple[int, int, Bar]]]:
    """Visible bars as (first column, last column, bar), packed into as few lanes as possible."""
    end = start + timedelta(weeks=weeks) - timedelta(days=1)
    lanes: list[list[tuple[int, int, Bar]]] = []
    for bar in sorted(bars, key=lambda b: (b.start, b.end)):
        if bar.end < start or bar.start > end:
            continue
        first = max(0, (monday_of(bar.start) - start).days // 7)
        last = min(weeks - 1, (monday_of(bar.end) - start).days // 7)
        for lane in lanes:
            if lane[-1][1] < first:
                lane.append((first, last, bar))
                break
        else:
            lanes.append([(first, last, bar)])
    return lanes


def lane_row(label: str, lane: Sequence[tuple[int, int, Bar]], weeks: int, today_col: int | None,
             selected: Bar | None = None) -> Text:
    text = _label(label)
    cursor = 0
    for first, last, bar in lane:
        _gap(text, cursor, first, today_col)
        width = last - first + 1
        style = STYLES["conflict"] if bar.conflict else STYLES[bar.kind]
        if bar == selected:
            style = f"{style} {STYLES['selected']}"
        text.append(bar.label[:width].ljust(width), style=style)
        cursor = last + 1
    _gap(text, cursor, weeks, today_col)
    return text


def _label(label: str) -> Text:
    text = Text()
    text.append(label[: GUTTER - 1].ljust(GUTTER), style=STYLES["muted"])
    return text


def _gap(text: Text, lo: int, hi: int, today_col: int | None) -> None:
    for col in range(lo, hi):
        text.append("┊" if col == today_col else " ", style=STYLES["today"] if col == today_col else "")


def load_row(load: dict[date, int], start: date, weeks: int, overload: int) -> Text:
    """Total weekly hours as a bar chart in one line; weeks over the overload line in red."""
    text = _label("h/wk")
    for i in range(weeks):
        hours = load.get(start + timedelta(weeks=i), 0)
        level = min(len(LOAD_CHARS) - 1, round(hours / 80 * (len(LOAD_CHARS) - 1)))
        text.append(LOAD_CHARS[level], style=STYLES["overload"] if hours > overload else "")
    return text


def timeline_lines(
    bars: Sequence[Bar], start: date, weeks: int, today: date, load: dict[date, int], overload: int,
    selected: Bar | None = None,
) -> tuple[list[Text], int | None]:
    """The grid's lines (months, today's week, rotation, calendar and study lanes, weekly load) and
    the line holding the selected bar, if it is in view."""
    today_col = (monday_of(today) - start).days // 7
    today_col = today_col if 0 <= today_col < weeks else None
    lines = [month_row(start, weeks), today_row(start, weeks, today)]
    selected_line = None
    for kind, label in (("rotation", "Clin"), ("event", "Cal"), ("study", "Study")):
        lanes = pack_lanes([b for b in bars if b.kind == kind], start, weeks)
        if not lanes and kind == "event":
            continue
        lanes = lanes or [[]]
        for i, lane in enumerate(lanes):
            if selected is not None and selected.kind == kind and any(bar == selected for _, _, bar in lane):
                selected_line = len(lines)
            lines.append(lane_row(label if i == 0 else "", lane, weeks, today_col, selected))
    lines.append(load_row(load, start, weeks, overload))
    return lines, selected_line


def timeline(
    bars: Sequence[Bar], start: date, weeks: int, today: date, load: dict[date, int], overload: int,
    selected: Bar | None = None,
) -> Text:
    """The whole grid as one text."""
    return Text("\n").join(timeline_lines(bars, start, weeks, today, load, overload, selected)[0])


def bar_order(bars: Iterable[Bar]) -> list[Bar]:
    """The order the timeline cursor walks: by start, clinical before calendar before study."""
    rank = {"rotation": 0, "event": 1, "study": 2}
    return sorted(bars, key=lambda b: (b.start, rank.get(b.kind, 3), b.end, b.ref or 0))


def describe(bar: Bar) -> str:
    """One line about a bar, for the line under the timeline."""
    what = {"rotation": "Rotation", "study": "Study", "event": "Calendar"}.get(bar.kind, bar.kind)
    clash = "  (conflict)" if bar.conflict else ""
    return f"{what}: {bar.label} · {bar.start:%d %b %y}–{bar.end:%d %b %y}{clash}"


def legend(events: bool = False) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    kinds = (("rotation", "rotation"), ("study", "study"), *((("event", "calendar"),) if events else ()),
             ("conflict", "conflict"))
    for kind, name in kinds:
        text.append("  ", style=STYLES[kind]).append(f" {name} ")
    text.append(" ▼ today", style=STYLES["today"])
    return text
