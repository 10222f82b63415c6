"""Drawing plan data as Rich text: the timeline grid, weekly load bars, short labels.

No queries and no Textual here: widgets hand in plain values, so the drawing is fast to test
and cheap to redraw when the timeline moves by a week.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text

from imgcoach.core.words import clip
from imgcoach.reminders import (
    reminder_label as reminder_label,  # how a reminder reads: one rule for app and CLI
)
from imgcoach.tui import dates

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


@dataclass(frozen=True)
class Bar:
    """One plan item on the timeline."""

    start: date
    end: date
    label: str
    kind: str  # rotation | study | event
    conflict: bool = False
    ref: int | None = None
    refs: tuple[int, ...] = ()  # a merged series of imported events: every occurrence's id (ref is the first)

    @property
    def all_refs(self) -> tuple[int, ...]:
        """The ids this bar stands for: each occurrence of a merged series, else its one row."""
        return self.refs or ((self.ref,) if self.ref is not None else ())


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def pack(chunks: Sequence[str], width: int) -> list[str]:
    """Lines of at most `width` cells made of whole chunks ("ask", "23 Nov –", "01 Dec 2026"): a date is
    never broken across lines the way a word wrap breaks "01 Dec" from "2026". A chunk wider than
    `width` gets a line of its own."""
    lines: list[str] = []
    for chunk in chunks:
        if lines and len(lines[-1]) + 1 + len(chunk) <= width:
            lines[-1] = f"{lines[-1]} {chunk}"
        else:
            lines.append(chunk)
    return lines


def columns(width: int) -> int:
    """Columns that fit beside the gutter."""
    return max(4, width - GUTTER)


SCALES = (1, 2, 7, 14, 28)  # days per column, from zoomed in to zoomed out
DEFAULT_SCALE = 7
SCALE_NAMES = {1: "1 day", 2: "2 days", 7: "1 week", 14: "2 weeks", 28: "4 weeks"}
# The same in the gutter's GUTTER - 1 cells: "2 weeks" was cut to "2 wee", the half word issue 15 complained of.
GUTTER_NAMES = {1: "Day", 2: "2d", 7: "Week", 14: "2 wk", 28: "4 wk"}
LONG_DAYS = 62  # bars longer than this are kept apart from the date index (few, always checked)
SERIES_GAP_DAYS = 7  # occurrences of one title at most this far apart are one series
SERIES_MIN = 3  # fewer occurrences stay separate bars
FG = {"rotation": "#5fafd7", "study": "#d7af5f", "event": "#afafaf", "conflict": "#d70000"}


@dataclass(frozen=True)
class Window:
    """What the grid shows: `cols` columns of `scale` days from `start` (a Monday from one week up)."""

    start: date
    scale: int
    cols: int

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.cols * self.scale - 1)

    def col(self, day: date) -> int:
        return (day - self.start).days // self.scale

    def day(self, col: int) -> date:
        return self.start + timedelta(days=col * self.scale)


def align(day: date, scale: int) -> date:
    """Columns of a week or more start on Mondays so a week never straddles two columns."""
    return monday_of(day) if scale >= 7 else day


class BarIndex:
    """Bars sorted by start date, so a window finds its bars by bisection instead of reading them all.

    `examined` counts the bars looked at; a test checks a week's move reads a window's worth, not 100,000.
    """

    def __init__(self, bars: Iterable[Bar]) -> None:
        short: list[Bar] = []
        self.long: list[Bar] = []
        for bar in bars:
            (self.long if (bar.end - bar.start).days > LONG_DAYS else short).append(bar)
        self.bars = sorted(short, key=lambda b: (b.start, b.end))
        self.starts = [b.start for b in self.bars]
        self.lookback = timedelta(days=max(((b.end - b.start).days for b in short), default=0))
        self.per_day: dict[date, int] = {}
        for bar in self.bars:
            self.per_day[bar.start] = self.per_day.get(bar.start, 0) + 1
        self.examined = 0

    def count_between(self, first: date, last: date) -> int:
        """About how many bars a window holds, without reading them (two bisections)."""
        return bisect_right(self.starts, last) - bisect_left(self.starts, first - self.lookback) + len(self.long)

    def between(self, first: date, last: date) -> list[Bar]:
        lo = bisect_left(self.starts, first - self.lookback)
        hi = bisect_right(self.starts, last)
        self.examined += hi - lo + len(self.long)
        found = [b for b in self.bars[lo:hi] if b.end >= first]
        found += [b for b in self.long if b.end >= first and b.start <= last]
        return sorted(found, key=lambda b: (b.start, b.end))


@dataclass(frozen=True)
class EventSlice:
    """The local days `first`..`last` whose imported events were read: drawn as bars (`counts` None: the bars
    are in the index), or, when they were too many to read one by one, as how many start on each day."""

    first: date
    last: date
    counts: dict[date, int] | None = None

    def covers(self, window: Window) -> bool:
        return self.first <= window.start and window.end <= self.last


def merge_series(bars: Sequence[Bar]) -> list[Bar]:
    """A daily or weekly imported series ("Morning Report" every weekday) becomes one bar
    labelled with its count, instead of a row of one-letter bars."""
    by_title: dict[str, list[Bar]] = {}
    for bar in bars:
        by_title.setdefault(bar.label, []).append(bar)
    merged: list[Bar] = []
    for title, group in by_title.items():
        group.sort(key=lambda b: (b.start, b.end))
        run: list[Bar] = []
        run_end = date.min
        for bar in group:
            if run and (bar.start - run_end).days <= SERIES_GAP_DAYS:
                run.append(bar)
                run_end = max(run_end, bar.end)
                continue
            merged.extend(_series(title, run))
            run, run_end = [bar], bar.end
        merged.extend(_series(title, run))
    return merged


def _series(title: str, run: list[Bar]) -> list[Bar]:
    if len(run) < SERIES_MIN:
        return run
    return [Bar(run[0].start, max(b.end for b in run), f"{title} ×{len(run)}", run[0].kind,
                any(b.conflict for b in run), run[0].ref, tuple(r for b in run for r in b.all_refs))]


def axis_row(window: Window) -> Text:
    """Years, then month names, each written only where it fits with a space before the next one:
    "Dec ’27 Feb", never "Dec  2029Feb", and never an initial alone (zoomed out: "Jan May Sep", not "J F M")."""
    cells = [" "] * window.cols
    starts: list[tuple[int, date]] = []  # (column, first day of the month) for each month shown
    previous = None
    for i in range(window.cols):
        lo, hi = window.day(i), window.day(i + 1) - timedelta(days=1)
        month = (hi.year, hi.month) if i else (lo.year, lo.month)
        if month != previous:
            starts.append((i, date(month[0], month[1], 1)))
            previous = month

    def place(col: int, label: str) -> bool:
        lo, hi = col, col + len(label)
        if hi > window.cols or any(c != " " for c in cells[max(0, lo - 1): min(window.cols, hi + 1)]):
            return False
        cells[lo:hi] = list(label)
        return True

    for col, first in starts:  # years win the space
        if first.month == 1 and col:
            place(col, f"{first.year}") or place(col, f"’{first.year % 100:02d}")
    if len(starts) > 1 and starts[1][0] < 4:
        starts = starts[1:]  # the first column's month would crowd out the next, whole month
    for col, first in starts:
        if window.scale == 1:
            place(col, f"{first:%b %Y}") or place(col, f"{first:%b}")
        else:  # a month with no room for its name gets none: a lone initial ("Jun  O  2030") reads as nothing
            place(col, f"{first:%b}")
    text = _label(str(window.day(0).year))
    text.append("".join(cells), style=STYLES["month"])
    return text


def today_row(window: Window, today: date) -> Text:
    text = _label(GUTTER_NAMES.get(window.scale, ""))
    today_col = window.col(today) if window.start <= today <= window.end else None
    for i in range(window.cols):
        lo = window.day(i)
        if i == today_col:
            text.append("▼", style=STYLES["today"])
        elif window.scale == 1:
            text.append("╵" if lo.weekday() == 0 else "·", style=STYLES["muted"])
        else:
            month_starts = lo.month != (lo + timedelta(days=window.scale - 1)).month or lo.day == 1
            text.append("╵" if month_starts else "·", style=STYLES["muted"])
    return text


Placement = tuple[int, int, Bar]
MAX_LANES = 6  # per kind; bars beyond are counted on a "more" row
MAX_PACK = 600  # a window holding more calendar events than this is drawn as events per column


def pack_lanes(bars: Iterable[Bar], window: Window, max_lanes: int | None = None,
               hidden: list[int] | None = None) -> list[list[Placement]]:
    """Bars (already cut to the window) as (first column, last column, bar), in as few lanes as possible;
    past `max_lanes`, a bar is counted in `hidden` at its first column instead."""
    lanes: list[list[Placement]] = []
    for bar in bars:
        if bar.end < window.start or bar.start > window.end:
            continue
        first = max(0, window.col(bar.start))
        last = min(window.cols - 1, window.col(bar.end))
        for lane in lanes:
            if lane[-1][1] < first:
                lane.append((first, last, bar))
                break
        else:
            if max_lanes is None or len(lanes) < max_lanes:
                lanes.append([(first, last, bar)])
            elif hidden is not None:
                hidden[first] += 1
    return lanes


def count_row(label: str, counts: Sequence[int], kind: str) -> Text:
    """How many items each column holds, as a one-line density (a crowded calendar stays readable)."""
    text = _label(label)
    peak = max(counts, default=0) or 1
    for count in counts:
        level = 0 if count == 0 else max(1, round(count / peak * (len(LOAD_CHARS) - 1)))
        text.append(LOAD_CHARS[level], style=FG[kind])
    return text


def lane_row(label: str, lane: Sequence[Placement], cols: int, today_col: int | None,
             selected: Bar | None = None) -> Text:
    """One lane: each bar in its colour with its title inside; a title longer than the bar runs on in
    the bar's colour over the free cells before the next bar; a bar touching the next ends in a half block."""
    text = _label(label)
    cursor = 0
    for n, (first, last, bar) in enumerate(lane):
        _gap(text, cursor, first, today_col)
        width = last - first + 1
        next_first = lane[n + 1][0] if n + 1 < len(lane) else cols + 1
        kind = "conflict" if bar.conflict else bar.kind
        style = STYLES[kind] + (f" {STYLES['selected']}" if bar == selected else "")
        touching = next_first == last + 1
        inside = width - 1 if touching and width > 1 else width
        room = max(inside, next_first - 1 - first)  # the bar plus the free cells before the next one
        title = clip(bar.label, room) if room >= 3 else ""
        text.append(title[:inside].ljust(inside), style=style)
        if touching and width > 1:
            text.append("▌", style=FG[kind])
        spill = title[inside:] if not touching else ""
        text.append(spill, style=f"bold {FG[kind]}")
        cursor = max(last + 1, first + inside + len(spill))
    _gap(text, cursor, cols, today_col)
    return text


def _label(label: str) -> Text:
    text = Text()
    text.append(label[: GUTTER - 1].ljust(GUTTER), style=STYLES["muted"])
    return text


def _gap(text: Text, lo: int, hi: int, today_col: int | None) -> None:
    for col in range(lo, hi):
        text.append("┊" if col == today_col else " ", style=STYLES["today"] if col == today_col else "")


def load_row(load: dict[date, int], window: Window, overload: int) -> Text:
    """Weekly hours as a one-line bar chart (a column's busiest week); weeks over the overload line in red."""
    text = _label("h/wk")
    for i in range(window.cols):
        lo = monday_of(window.day(i))
        hours = max(load.get(lo + timedelta(weeks=w), 0) for w in range(max(1, window.scale // 7)))
        level = min(len(LOAD_CHARS) - 1, round(hours / 80 * (len(LOAD_CHARS) - 1)))
        text.append(LOAD_CHARS[level], style=STYLES["overload"] if hours > overload else "")
    return text


LANE_KINDS = (("rotation", "Clin"), ("event", "Cal"), ("study", "Study"))


def index_bars(bars: Iterable[Bar]) -> dict[str, BarIndex]:
    by_kind: dict[str, list[Bar]] = {}
    for bar in bars:
        by_kind.setdefault(bar.kind, []).append(bar)
    return {kind: BarIndex(group) for kind, group in by_kind.items()}


def timeline_lines(
    index: dict[str, BarIndex], window: Window, today: date, load: dict[date, int], overload: int,
    selected: Bar | None = None, events: EventSlice | None = None,
) -> tuple[list[Text], int | None]:
    """The grid's lines (months, today, rotation, calendar and study lanes, weekly load) and the line
    holding the selected bar, if in view. Only the bars inside the window are read and packed.

    `events`: the days whose imported events were read; None: the index holds every one."""
    today_col = window.col(today) if window.start <= today <= window.end else None
    lines = [axis_row(window), today_row(window, today)]
    selected_line = None
    for kind, label in LANE_KINDS:
        if kind == "event" and events is not None and not events.covers(window):
            lines.append(_label(label).append("reading the calendar events in view…", style=STYLES["muted"]))
            continue
        if kind == "event" and events is not None and events.counts is not None:
            per_col = [sum(events.counts.get(window.day(i) + timedelta(days=d), 0) for d in range(window.scale))
                       for i in range(window.cols)]
            if any(per_col):  # too many to read one by one: how many start in each column
                lines.append(count_row(label, per_col, kind))
            continue
        if kind in index and index[kind].count_between(window.start, window.end) > MAX_PACK:
            per_day = index[kind].per_day  # too many to draw one by one: how many start in each column
            counts = [sum(per_day.get(window.day(i) + timedelta(days=d), 0) for d in range(window.scale))
                      for i in range(window.cols)]
            lines.append(count_row(label, counts, kind))
            continue
        found = index[kind].between(window.start, window.end) if kind in index else []
        hidden = [0] * window.cols
        lanes = pack_lanes(found, window, MAX_LANES, hidden)
        if not lanes and kind == "event":
            continue
        lanes = lanes or [[]]
        for i, lane in enumerate(lanes):
            if selected is not None and selected.kind == kind and any(bar == selected for _, _, bar in lane):
                selected_line = len(lines)
            lines.append(lane_row(label if i == 0 else "", lane, window.cols, today_col, selected))
        if any(hidden):
            lines.append(count_row("more", hidden, kind))
    lines.append(load_row(load, window, overload))
    return lines, selected_line


def fit(bars: Sequence[Bar], cols: int, today: date) -> Window:
    """The closest zoom that shows the whole plan (rotations and study; else everything) in `cols` columns."""
    spans = [b for b in bars if b.kind != "event"] or list(bars)
    if not spans:
        return Window(align(today, DEFAULT_SCALE), DEFAULT_SCALE, cols)
    first = min(b.start for b in spans)
    last = max(b.end for b in spans)
    for scale in SCALES:
        start = align(first - timedelta(days=scale), scale)
        if Window(start, scale, cols).end >= last:
            return Window(start, scale, cols)
    return Window(align(first, SCALES[-1]), SCALES[-1], cols)


def bar_order(bars: Iterable[Bar]) -> list[Bar]:
    """The order the timeline cursor walks: by start, clinical before calendar before study."""
    rank = {"rotation": 0, "event": 1, "study": 2}
    return sorted(bars, key=lambda b: (b.start, rank.get(b.kind, 3), b.end, b.ref or 0))


def describe(bar: Bar) -> str:
    """One line about a bar, for the line under the timeline: its kind, conflict and days first, the label (the bar
    shows it too) last. The line is one row: at 80 columns "Rotation: Family Medicine externship · 05 Nov – 10 Dec
    2026" was cut to "… · 05 Nov", a range read as one day, and "(conflict)" after it was never seen."""
    what = {"rotation": "Rotation", "study": "Study", "event": "Calendar"}.get(bar.kind, bar.kind)
    clash = " (conflict)" if bar.conflict else ""
    return f"{what}{clash} · {dates.day_range(bar.start, bar.end)} · {bar.label}"


def legend(events: bool = False, width: int | None = None) -> Text:
    """The colours' key. Where it is wider than `width` its swatches are one cell and the gaps one: with calendar
    events at 80 columns the full key ran past its 48 cells and "▼ today" was cut to a bare "▼"."""
    kinds = (("rotation", "rotation"), ("study", "study"), *((("event", "calendar"),) if events else ()),
             ("conflict", "conflict"))
    for swatch, gap in (("  ", " "), (" ", "")):
        text = Text(no_wrap=True, overflow="ellipsis")
        for kind, name in kinds:
            text.append(swatch, style=STYLES[kind]).append(f" {name} ")
        text.append(f"{gap}▼ today", style=STYLES["today"])
        if width is None or text.cell_len <= width:
            break
    return text
