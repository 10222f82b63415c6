"""The study-plan generator: dedicated study blocks proposed around the rotations already planned.

The field's advice is to keep clinical experiences and dedicated study periods apart, so a
full-time rotation day is never a study day here; beside a part-time rotation the study hours
shrink so the week stays under the overload line. Pure: the caller gives "today" and the plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.core.errors import FieldError, ValidationError
from imgcoach.core.vocab.exams import parse_exam
from imgcoach.core.words import counted
from imgcoach.plan.rules.clinical import clinical_span, hours_in_week
from imgcoach.plan.rules.conflicts import Span
from imgcoach.plan.rules.load import OVERLOAD_HOURS, weekly_load
from imgcoach.plan.rules.vocab import FULL_TIME_HOURS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_WEEKLY_HOURS = 80  # the same ceiling as validation.check_hours
MIN_WEEKLY_HOURS = 5  # less than this beside clinical work is not a study block worth planning
MIN_BLOCK_DAYS = 3  # shorter gaps between rotations are left free
FINAL_REVIEW_DAYS = 14  # the last block before the exam is the final review
FINAL_REVIEW = "Final review"  # how that block's goal begins (_goal): a plan read later knows its final review


@dataclass(frozen=True)
class StudyRequest:
    exam: str
    exam_date: date
    hours_per_day: int
    rest_days: frozenset[int]  # 0 = Monday
    start: date  # the first day that may be planned (normally today)
    max_block_weeks: int = 4  # weekly goals are reviewed block by block

    @property
    def study_days(self) -> int:
        return 7 - len(self.rest_days)

    @property
    def weekly_capacity(self) -> int:
        return self.hours_per_day * self.study_days


@dataclass(frozen=True)
class ProposedBlock:
    exam: str
    start_date: date
    end_date: date
    hours_per_week: int
    weekly_goal: str

    def as_values(self) -> dict[str, object]:
        """Fields for services.study.add_study_blocks."""
        return {"exam": self.exam, "start_date": self.start_date, "end_date": self.end_date,
                "hours_per_week": self.hours_per_week, "weekly_goal": self.weekly_goal}


@dataclass(frozen=True)
class ProposalWeek:
    """One week's hours as they would be with the proposal accepted."""

    week_start: date  # Monday
    clinical: int
    study: int  # study blocks already planned
    added: int  # study hours the proposal adds
    clinical_assumed: int = 0  # of clinical, the hours of rotations nobody gave hours for

    @property
    def total(self) -> int:
        return self.clinical + self.study + self.added

    @property
    def overloaded(self) -> bool:
        return self.total > OVERLOAD_HOURS


@dataclass(frozen=True)
class StudyProposal:
    request: StudyRequest
    blocks: tuple[ProposedBlock, ...]
    notes: tuple[str, ...]
    weeks: tuple[ProposalWeek, ...] = ()  # hours per week with the proposal applied, over its span

    @property
    def overloaded_weeks(self) -> int:
        return sum(1 for week in self.weeks if week.overloaded)

    @property
    def total_hours(self) -> int:
        """Hours over the whole plan, counting each block's days (not whole weeks)."""
        return round(sum(b.hours_per_week * ((b.end_date - b.start_date).days + 1) / 7 for b in self.blocks))


def parse_rest_days(text: str, *, field: str = "rest_days") -> frozenset[int]:
    """'sat, sun' -> {5, 6}. Accepts day names or their first three letters, comma or space separated."""
    days: set[int] = set()
    for word in text.replace(",", " ").split():
        short = word.strip().lower()[:3]
        if short not in WEEKDAYS:
            raise FieldError(field, text, f"unknown day {word!r}: use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAYS.index(short))
    return frozenset(days)


def day_names(days: frozenset[int]) -> str:
    return ", ".join(WEEKDAYS[d].capitalize() for d in sorted(days)) or "none"


def validate_request(request: StudyRequest) -> None:
    """Every problem at once, each named by the form field it belongs to."""
    errors: list[FieldError] = []
    if not request.exam.strip():
        errors.append(FieldError("exam", request.exam, "is required"))
    if request.exam_date <= request.start:
        errors.append(FieldError("exam_date", request.exam_date.isoformat(),
                                 f"must be after today ({request.start.isoformat()})"))
    if not 1 <= request.hours_per_day <= 16:
        errors.append(FieldError("hours_per_day", request.hours_per_day, "must be between 1 and 16"))
    if request.study_days == 0:
        errors.append(FieldError("rest_days", day_names(request.rest_days), "leaves no study day in the week"))
    elif request.weekly_capacity > MAX_WEEKLY_HOURS:
        errors.append(FieldError("hours_per_day", request.hours_per_day,
                                 f"{request.weekly_capacity} h/week is more than {MAX_WEEKLY_HOURS}"))
    if errors:
        raise ValidationError(errors)


def _day_hours(request: StudyRequest, day: date, rotations: Sequence[Span], existing: Sequence[Span]) -> int:
    """Study hours per week possible on `day`: 0 if a full-time rotation or a planned block holds it."""
    if any(s.start_date <= day <= s.end_date for s in existing):
        return 0
    for r in rotations:  # a full-time rotation holds its first to last working day (the conflicts' own days)
        span = clinical_span(r.start_date, r.end_date) if r.hours_per_week >= FULL_TIME_HOURS else None
        if span is not None and span[0] <= day <= span[1]:
            return 0
    # Part-time clinical hours count against the whole week the day is in: the weekly load (and so the
    # overload line) is per week, so a block must leave room for the hours part-time rotations take in that
    # week, by the load's own rule (clinical.hours_in_week). The whole weekly hours of a rotation that only
    # touched the week on a Tuesday were charged here while the preview beside it showed two fifths.
    week_start = day - timedelta(days=day.weekday())
    clinical = round(sum(hours_in_week(r.hours_per_week, r.start_date, r.end_date, week_start) for r in rotations))
    hours = min(request.weekly_capacity, OVERLOAD_HOURS - clinical)
    return hours if hours >= MIN_WEEKLY_HOURS else 0


def _segments(request: StudyRequest, rotations: Sequence[Span], existing: Sequence[Span]) -> list[tuple[date, date, int]]:
    """Runs of consecutive days with the same possible study hours."""
    runs: list[tuple[date, date, int]] = []
    day, last = request.start, request.exam_date - timedelta(days=1)
    while day <= last:
        hours = _day_hours(request, day, rotations, existing)
        if hours and runs and runs[-1][2] == hours and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day, hours)
        elif hours:
            runs.append((day, day, hours))
        day += timedelta(days=1)
    return runs


def _without_rest_ends(request: StudyRequest, start: date, end: date) -> tuple[date, date] | None:
    """The run without the rest days at either end (None: rest days only). The weekly load counts a seventh of
    a block's hours on each of its days, so a block begun on the Saturday after a job ended counted study in a
    week that had none (and could flag it overloaded)."""
    while start <= end and start.weekday() in request.rest_days:
        start += timedelta(days=1)
    while end >= start and end.weekday() in request.rest_days:
        end -= timedelta(days=1)
    return (start, end) if start <= end else None


def _split(start: date, end: date, max_days: int) -> list[tuple[date, date]]:
    """Near-equal chunks of at most `max_days` (no two-day stub at the end)."""
    days = (end - start).days + 1
    count = -(-days // max_days)
    size, extra = divmod(days, count)
    chunks, cursor = [], start
    for i in range(count):
        length = size + (1 if i < extra else 0)
        chunks.append((cursor, cursor + timedelta(days=length - 1)))
        cursor += timedelta(days=length)
    return chunks


def _goal(request: StudyRequest, end: date, hours: int, index: int, count: int) -> str:
    rest = f"rest {day_names(request.rest_days)}" if request.rest_days else "no rest day"
    pace = f"{request.hours_per_day} h/day, {rest}"
    if (request.exam_date - end).days <= FINAL_REVIEW_DAYS:
        return f"{FINAL_REVIEW}: timed practice tests, revisit weak areas, light day before the exam ({pace})"
    if hours < request.weekly_capacity:
        return f"Light block beside clinical work: question-bank sets on study days ({hours} h/week)"
    if index < count / 2:
        return f"Content review by system with daily question-bank practice ({pace})"
    return f"Timed mixed question blocks, review every explanation; a practice test every 2 weeks ({pace})"


def propose_study_plan(
    request: StudyRequest, rotations: Sequence[Span], existing: Sequence[Span] = (), words: DateWords = WRITTEN
) -> StudyProposal:
    """Study blocks from `request.start` to the day before the exam, around rotations and blocks already planned.
    The notes write their dates with `words` (the app's own): they read "2027-01-04" beside the preview's
    "04 Jan 2027" blocks and weeks."""
    validate_request(request)
    notes: list[str] = []
    chunks: list[tuple[date, date, int]] = []
    for start, end, hours in _segments(request, rotations, existing):
        trimmed = _without_rest_ends(request, start, end)
        if trimmed is None:  # rest days only: free by the plan's own choice ("too short for a block" of a Sunday)
            continue
        if (trimmed[1] - trimmed[0]).days + 1 < MIN_BLOCK_DAYS:
            notes.append(f"left {words.span(start, end)} free: too short for a block")
            continue
        chunks += [(a, b, hours) for a, b in _split(*trimmed, request.max_block_weeks * 7)]
    blocks = tuple(
        ProposedBlock(request.exam.strip(), a, b, hours, _goal(request, b, hours, i, len(chunks)))
        for i, (a, b, hours) in enumerate(chunks)
    )
    if not blocks:
        notes.append("no free days before the exam: full-time rotations or planned blocks take them all")
    # Said first: a second "Generate" after deleting a block proposed only the gap ("1 block, about 12 hours"), in
    # a dialog titled "Proposed plan" that read as the whole plan; nothing said the blocks already there stay.
    kept = [s for s in existing if s.start_date < request.exam_date and s.end_date >= request.start]
    if kept:
        first, last = min(s.start_date for s in kept), max(s.end_date for s in kept)
        notes.insert(0, f"keeps the {counted(len(kept), 'study block')} already planned ({words.span(first, last)}) "
                        "and plans only the days they leave free")
    for rot in rotations:
        if rot.start_date <= request.exam_date <= rot.end_date and rot.hours_per_week >= FULL_TIME_HOURS:
            notes.append(f"the exam falls during a full-time rotation ({words.span(rot.start_date, rot.end_date)})")
    return StudyProposal(request, blocks, tuple(notes), weeks_with(blocks, rotations, existing))


def weeks_with(blocks: Sequence[ProposedBlock], rotations: Sequence[Span], existing: Sequence[Span]) -> tuple[
        ProposalWeek, ...]:
    """Clinical, planned study and proposed study hours for every week the proposal touches."""
    if not blocks:
        return ()
    first = min(b.start_date for b in blocks)
    last = max(b.end_date for b in blocks)
    before = weekly_load(list(rotations), list(existing), first, last)
    added = weekly_load([], list(blocks), first, last)  # type: ignore[arg-type]
    return tuple(ProposalWeek(w.week_start, w.clinical_hours, w.study_hours, a.study_hours, w.assumed_hours)
                 for w, a in zip(before, added, strict=True))


@dataclass(frozen=True)
class PastExam:
    """A study block that ends after the booked exam it prepares for (the exam moved earlier since the plan was
    made, or the block was typed past it). Said, never changed here: the applicant decides what to keep."""

    block_id: int | None
    block_exam: str  # as the block names it
    start: date
    end: date
    exam: str  # as the booking names it
    booked: date
    words: DateWords = field(default=WRITTEN, compare=False)
    # "after": it ends after the exam (the booking moved earlier); "early": it is the final review of a plan made
    # for an earlier date, weeks before the exam now (the booking moved later)
    kind: str = "after"

    @property
    def message(self) -> str:
        # Named as the conflicts name a block (by its exam and days): the app's table shows no ids.
        block = f"study block {self.block_exam} ({self.words.span(self.start, self.end)})"
        if self.kind == "early":
            weeks = (self.booked - self.end).days // 7
            return (f"{block} is a final review, but the {self.exam} is booked for {self.words.day(self.booked)}, "
                    f"{weeks} week{'s' if weeks != 1 else ''} after it ends: the plan was made for an earlier date")
        return f"{block} ends after the {self.exam} booked for {self.words.day(self.booked)}"


def _exam_code(name: str) -> str | None:
    """The exam a block or an exam row names ("Step 2 CK", "step2ck"), or None for free text nobody can match."""
    try:
        return parse_exam(name).code
    except FieldError:
        return None


def blocks_past_exam(blocks: Sequence[Any], exams: Sequence[Any], words: DateWords = WRITTEN, *,
                     today: date) -> list[PastExam]:
    """Blocks that no longer fit the booking (no score, no result) they prepare for: the first booking of their
    exam on or after the block's start, else the last one before it. A generated plan stops the day before the
    exam, so after a booking moved earlier its later blocks (a "Final review" among them) planned study for after
    the exam, and nothing said so; after one moved later its "Final review ... light day before the exam" ended
    weeks before it, and nothing said that either (kind "early"). A block for an exam with no booking (a retake
    not booked yet) is not one; a block the applicant typed is read by its dates, and by its goal only if it
    calls itself the final review. Once both the block and the exam's day are over (`today`: the applicant's), the
    sitting was had with the study that was done: two days after a Step 2 CK sat, its result not in yet, `study
    list` still warned "the Step 2 CK is booked for 20 Apr 2027 ... remove it ... and draft a plan for the new
    date", which was neither new nor to come, and removing the block would lose the record of the study done."""
    booked: dict[str, list[Any]] = {}
    every: dict[str, list[date]] = {}  # each exam's days, sat or booked
    for row in sorted(exams, key=lambda r: r.taken_on):
        code = _exam_code(row.exam)
        if code is not None:
            every.setdefault(code, []).append(row.taken_on)
        if code is not None and row.score is None and row.result is None:
            booked.setdefault(code, []).append(row)
    found: list[PastExam] = []
    for block in sorted(blocks, key=lambda b: (b.start_date, b.id or 0)):
        sittings = booked.get(_exam_code(block.exam) or "", [])
        if not sittings:
            continue
        target = next((r for r in sittings if r.taken_on >= block.start_date), sittings[-1])
        if target.taken_on < today and block.end_date < today:
            continue
        if block.end_date > target.taken_on:
            found.append(PastExam(block.id, block.exam, block.start_date, block.end_date, target.exam,
                                  target.taken_on, words))
        elif (getattr(block, "weekly_goal", "") or "").startswith(FINAL_REVIEW) \
                and (target.taken_on - block.end_date).days > FINAL_REVIEW_DAYS \
                and not any(block.end_date < day < target.taken_on for day in every[_exam_code(block.exam) or ""]):
            # (a sitting between them, its result in: the review led into that one, and a retake is booked since)
            found.append(PastExam(block.id, block.exam, block.start_date, block.end_date, target.exam,
                                  target.taken_on, words, kind="early"))
    return found
