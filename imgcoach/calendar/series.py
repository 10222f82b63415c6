"""What an imported event stands for in the plan, beyond its own rule: a series, a short meeting, a link.

- A recurring series (a daily "UWorld Step 2 CK block"; calcurse exports a multi-day event as daily
  repeats) is one plan item per contiguous run of occurrences, never one per occurrence: the run's
  first occurrence leads (it makes the item, over the run's days) and the others follow it.
- A timed event shorter than a day (a 15-minute "Mid-rotation evaluation") is never a rotation or a
  study block, whatever its title says.
- A rotation, study block or exam the plan already holds is offered as a link (same institution,
  overlapping dates, same exam and day), so a hospital schedule for a planned rotation does not
  make a second one. The user may keep the event separate instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from imgcoach.calendar.mapping import Suggestion, exam_detail
from imgcoach.calendar.model import ParsedEvent

RUN_GAP_DAYS = 3  # occurrences at most this many days apart are one run (a Mon-Fri series bridges the weekend)
LONG_KINDS = ("rotation", "study_block")
SHORT = Suggestion("event", "shorter than a day: a meeting, not a rotation or study block")


@dataclass(frozen=True)
class Run:
    """The occurrences of one series that make one plan item."""

    leader: tuple[str, str]  # the key of the first occurrence
    first: date
    last: date
    size: int


@dataclass(frozen=True)
class PlanRow:
    """An existing rotation, study block or exam, as the link finder needs it."""

    kind: str
    id: int
    first: date
    last: date
    label: str  # institution for a rotation, exam name for a study block or exam


@dataclass(frozen=True)
class Link:
    kind: str
    id: int
    reason: str  # shown to the user: which rule matched
    label: str


def local_span(e: ParsedEvent, zone: ZoneInfo) -> tuple[date, date]:
    """First and last day (inclusive) in the applicant's zone."""
    if e.all_day:
        assert isinstance(e.start, date) and isinstance(e.end, date)
        return e.start, max(e.start, e.end - timedelta(days=1))
    assert isinstance(e.start, datetime) and isinstance(e.end, datetime)
    last = e.end - timedelta(microseconds=1) if e.end > e.start else e.end
    return e.start.astimezone(zone).date(), last.astimezone(zone).date()


def runs(events: list[ParsedEvent], zone: ZoneInfo) -> dict[tuple[str, str], Run]:
    """Each occurrence of a series (same UID, a RECURRENCE-ID) -> the run it belongs to."""
    by_uid: dict[str, list[ParsedEvent]] = {}
    for e in events:
        if e.recurrence_id:
            by_uid.setdefault(e.uid, []).append(e)
    out: dict[tuple[str, str], Run] = {}
    for occurrences in by_uid.values():
        if len(occurrences) < 2:
            continue
        spans = sorted(((local_span(e, zone), e.key) for e in occurrences), key=lambda s: (s[0][0], s[1]))
        groups: list[list[tuple[tuple[date, date], tuple[str, str]]]] = []
        for span in spans:
            if groups and (span[0][0] - max(s[0][1] for s in groups[-1])).days <= RUN_GAP_DAYS:
                groups[-1].append(span)
            else:
                groups.append([span])
        for group in groups:
            run = Run(group[0][1], group[0][0][0], max(s[0][1] for s in group), len(group))
            for _, key in group:
                out[key] = run
    return out


def shorter_than_a_day(e: ParsedEvent) -> bool:
    return (not e.all_day and isinstance(e.start, datetime) and isinstance(e.end, datetime)
            and e.end - e.start < timedelta(days=1))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("(synthetic)", "").split())


def _other_exam(planned: str, summary: str) -> bool:
    """The title names an exam and the planned block is for a different one ("UWorld Step 2 CK block" and a
    Step 3 block). A title naming no exam ("Dedicated study") differs from none."""
    named = exam_detail(summary)
    return bool(named) and _norm(named) != _norm(exam_detail(planned) or planned)


def _same_exam(planned: str, exam_name: str, summary: str) -> bool:
    """"Step 2 CK" is the exam of "Exam: Step 2 CK" and of "UWorld Step 2 CK block"."""
    name = _norm(planned)
    return bool(name) and (name == _norm(exam_name) or name in _norm(summary))


def find_link(kind: str, e: ParsedEvent, first: date, last: date, rows: list[PlanRow], exam_name: str) -> Link | None:
    """The existing plan row this event most likely is, with the rule that says so; None if none."""
    where = _norm(" ".join((e.location, e.summary)))
    best: tuple[int, PlanRow, str] | None = None
    for row in rows:
        if row.kind != kind:
            continue
        overlap = row.first <= last and first <= row.last
        if kind == "rotation":
            same_place = bool(_norm(row.label)) and _norm(row.label) in where
            if same_place and overlap:
                score, reason = 3, f"same institution ({row.label}) and overlapping dates"
            elif overlap:
                score, reason = 2, f"overlapping dates ({row.first:%d %b}–{row.last:%d %b %Y})"
            elif same_place:
                score, reason = 1, f"same institution ({row.label})"
            else:
                continue
        elif kind == "study_block":
            if not overlap:
                continue
            same_exam = _same_exam(row.label, exam_name, e.summary)
            if not same_exam and _other_exam(row.label, e.summary):
                continue  # a block for another exam is not this one, however the dates overlap
            score = 2 if same_exam else 1
            reason = f"overlapping dates ({row.first:%d %b}–{row.last:%d %b %Y})" + (" and same exam" if same_exam else "")
        else:  # exam: the same exam on the same day
            if not (_same_exam(row.label, exam_name, e.summary) and row.first == first):
                continue
            score, reason = 3, f"same exam ({row.label}) on the same day"
        if best is None or score > best[0]:
            best = (score, row, reason)
    if best is None:
        return None
    return Link(kind, best[1].id, best[2], best[1].label)
