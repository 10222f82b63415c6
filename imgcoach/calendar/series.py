"""What an imported event stands for in the plan, beyond its own rule: a series, a short meeting, a link.

- A recurring series (a daily "UWorld Step 2 CK block"; calcurse exports a multi-day event as daily
  repeats) is one plan item per contiguous run of occurrences, never one per occurrence: the run's
  first occurrence leads (it makes the item, over the run's days) and the others follow it.
- A timed event shorter than a day (a 15-minute "Mid-rotation evaluation") is never a rotation or a
  study block, whatever its title says.
- A rotation, study block or exam the plan already holds is offered as a link (same institution,
  overlapping dates, same exam and day), so a hospital schedule for a planned rotation does not
  make a second one. The user may keep the event separate instead. An event that names another
  institution than the rotation's is never linked to it on its dates: accepting would merge two
  rotations, as false as the duplicate the link prevents. Nor is an event whose dates miss the rotation's
  linked on its institution: a second observership there months later is a rotation of its own, and linked
  it vanished from the timeline behind the first one's dates.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from imgcoach.calendar.mapping import Suggestion, exam_detail
from imgcoach.calendar.model import ParsedEvent
from imgcoach.core.vocab.specialties import BY_CODE, fellowship_base
from imgcoach.plan import CLINICAL_KINDS

RUN_GAP_DAYS = 3  # occurrences at most this many days apart are one run (a Mon-Fri series bridges the weekend)
# A schedule of three or more weekdays also bridges a gap of up to a week in which at most two of its own
# weekdays are missing: a holiday or two taken out (EXDATE, a cancelled day), as a hospital's Mon-Fri schedule
# does for a Monday holiday (Fri -> Tue, four days), is the same rotation, not two.
HOLIDAY_GAP_DAYS = 7
HOLIDAYS_BRIDGED = 2
LONG_KINDS = ("rotation", "study_block")
SHORT = Suggestion("event", "shorter than a day: a meeting, not a rotation or study block")


@dataclass(frozen=True)
class Run:
    """The occurrences of one series that make one plan item."""

    leader: tuple[str, str]  # the key of the first occurrence
    first: date
    last: date
    size: int
    # The hours of a usual week of the run (weekly_hours), or None when an occurrence is all-day: no hours given.
    weekly_hours: float | None = None


@dataclass(frozen=True)
class PlanRow:
    """An existing rotation, study block or exam, as the link finder needs it."""

    kind: str
    id: int
    first: date
    last: date
    label: str  # institution for a rotation, exam name for a study block or exam
    detail: str = ""  # a rotation's kind (observership, research, ...)


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
        # The days of the week the schedule keeps: those it meets on twice or more, so that a moved occurrence or
        # an RDATE on another day does not make a weekly class look like a Mon-Fri schedule.
        kept = Counter(s[0][0].weekday() for s in spans)
        weekdays = {day for day, times in kept.items() if times >= 2}
        groups: list[list[tuple[tuple[date, date], tuple[str, str]]]] = []
        for span in spans:
            if groups and _one_run(max(s[0][1] for s in groups[-1]), span[0][0], weekdays):
                groups[-1].append(span)
            else:
                groups.append([span])
        lengths = {e.key: _hours(e) for e in occurrences}
        for group in groups:
            first, last = group[0][0][0], max(s[0][1] for s in group)
            timed = [(s[0][0], lengths[s[1]]) for s in group]
            weekly = None if any(h is None for _, h in timed) else weekly_hours(
                [(day, h) for day, h in timed if h is not None], first, last)
            run = Run(group[0][1], first, last, len(group), weekly)
            for _, key in group:
                out[key] = run
    return out


def _hours(e: ParsedEvent) -> float | None:
    """How long a timed occurrence lasts, in hours; None for an all-day one (a day on the calendar, not hours)."""
    if e.all_day or not isinstance(e.start, datetime) or not isinstance(e.end, datetime):
        return None
    return max(0.0, (e.end - e.start).total_seconds() / 3600)


def weekly_hours(occurrences: list[tuple[date, float]], first: date, last: date) -> float:
    """The hours of a usual week of a run: each occurrence's hours summed by 7-day week from the run's first day,
    the median week taken (a last week cut short by the run's end left out, unless it is the only one).
    Spreading all hours over the run's days overcounted a schedule that ends on a Friday (20 weekdays of 9 h
    over 26 days read 48 h a week, not 45), and a holiday's week is not the usual week either."""
    weeks = [0.0] * ((last - first).days // 7 + 1)
    for day, hours in occurrences:
        weeks[min(len(weeks) - 1, max(0, (day - first).days // 7))] += hours
    if len(weeks) > 1 and (last - first).days % 7 != 6:
        weeks.pop()  # the last week ends before its seventh day
    return float(statistics.median(weeks))


def _one_run(last: date, first: date, weekdays: set[int]) -> bool:
    """Whether an occurrence starting on `first` continues the run that ended on `last`: a weekend between, or a
    holiday or two out of a schedule kept on three or more weekdays (HOLIDAY_GAP_DAYS)."""
    gap = (first - last).days
    if gap <= RUN_GAP_DAYS:
        return True
    if len(weekdays) < 3 or gap > HOLIDAY_GAP_DAYS:
        return False  # a weekly class is not one run; a week off ends a run
    missed = sum(1 for n in range(1, gap) if (last + timedelta(days=n)).weekday() in weekdays)
    return missed <= HOLIDAYS_BRIDGED


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


# Words every kind of institution shares: "Lakeside General Hospital" and "Lakeside General" are one place.
_GENERIC = frozenset({"hospital", "hospitals", "hopital", "medical", "center", "centre", "centers", "university",
                      "health", "clinic", "clinics", "college", "school", "system", "institute", "infirmary",
                      "the", "of", "at", "and", "for"})
_TAG = re.compile(r"\((?:fictional|synthetic)\)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_NAME = r"[A-Z][\w.'’&-]*"
_PLACE = r"(?i:hospitals?|h[oô]pital|medical cent(?:er|re)|health cent(?:er|re)|health system|clinics?|university" \
         r"|college|infirmary|institute|school of medicine|medical school)"
# A name with a word that says "institution" ("Lakeside General Hospital", "University of Michigan"), or
# "at Name" in a title ("Observership at Lakeside General"). A bare "Hospital orientation" names none.
_MENTION = re.compile(rf"\b(?:{_NAME}\s+){{1,6}}{_PLACE}\b|\b{_PLACE}\s+(?:of|de)\s+(?:the\s+)?{_NAME}")
_AT_NAME = re.compile(rf"\bat\s+{_NAME}(?:\s+{_NAME}){{0,5}}")
UNSPECIFIED = "unspecified"  # the institution of a rotation made from an event with no LOCATION
# Clinical experience, by the suggestion's detail or the title; a "research elective" is not.
_CLINICAL_DETAILS = ("observership", "externship", "sub-internship")
_CLINICAL_WORDS = re.compile(r"\b(clerkship|usce|clinical|hands[- ]on)\b", re.IGNORECASE)
_RESEARCH = re.compile(r"\bresearch\b", re.IGNORECASE)


@lru_cache(maxsize=4096)  # each planned rotation's institution is read again for every event of the file
def _words(text: str) -> tuple[str, ...]:
    """Lower-case words without punctuation or the "(fictional)"/"(synthetic)" tags of sample data."""
    return tuple(_WORD.findall(_TAG.sub(" ", text).lower()))


def place_words(name: str) -> tuple[str, ...]:
    """The words that tell one institution from another: generic ones ("hospital", "university") dropped."""
    return tuple(w for w in _words(name) if w not in _GENERIC)


def _within(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """`part` occurs in `words` as whole consecutive words."""
    n = len(part)
    return n > 0 and any(words[i:i + n] == part for i in range(len(words) - n + 1))


@lru_cache(maxsize=1)
def _services() -> frozenset[tuple[str, ...]]:
    """Specialty names and aliases, as place_words: one set look-up per name the event gives."""
    return frozenset(place_words(n) for s in BY_CODE.values() for n in (s.name, *s.aliases))


def _not_specialty(words: tuple[str, ...]) -> bool:
    # "Internal Medicine Clinic" or "Cardiology Clinic" names a service, not an institution.
    return words not in _services() and fellowship_base(" ".join(words)) is None


def named_places(e: ParsedEvent) -> list[tuple[str, ...]]:
    """The institutions the event names in its title, location or organizer, as place_words; [] if none."""
    found = [m.group(0) for text in (e.summary, e.location, e.organizer) for m in _MENTION.finditer(text)]
    found += [m.group(0)[2:] for m in _AT_NAME.finditer(e.summary)]
    return [w for w in map(place_words, found) if w and _not_specialty(w)]


def _clinical(detail: str, summary: str) -> bool:
    return not _RESEARCH.search(summary) and (detail in _CLINICAL_DETAILS or bool(_CLINICAL_WORDS.search(summary)))


def find_link(suggestion: Suggestion, e: ParsedEvent, first: date, last: date, rows: list[PlanRow]) -> Link | None:
    """The existing plan row this event most likely is, with the rule that says so; None if none."""
    kind = suggestion.kind
    exam_name = suggestion.detail or e.summary
    where = _words(" ".join((e.location, e.summary, e.organizer)))
    mentions: list[tuple[str, ...]] = []
    names_place = clinical = False
    if kind == "rotation":
        mentions = named_places(e)
        # Another rotation's institution, even without "Hospital" ("Brookside" in a title), names a place too.
        names_place = bool(mentions) or any(r.kind == "rotation" and _within(where, _words(r.label)) for r in rows)
        clinical = _clinical(suggestion.detail, e.summary)
    best: tuple[int, PlanRow, str] | None = None
    for row in rows:
        if row.kind != kind:
            continue
        overlap = row.first <= last and first <= row.last
        if kind == "rotation":
            if clinical and row.detail not in CLINICAL_KINDS:
                # An observership or clerkship is clinical experience, a research or volunteer rotation is not:
                # linked, the clinical weeks would be kept as research or volunteering (and move its dates), so
                # they are a rotation of their own.
                continue
            own = place_words(row.label)
            known = bool(own) and own != (UNSPECIFIED,)
            same_place = known and (_within(where, _words(row.label))
                                    or any(_within(m, own) for m in mentions))
            if names_place and known and not same_place:
                continue  # another institution's event: overlapping dates do not make it this rotation
            if same_place and overlap:
                score, reason = 3, f"same institution ({row.label}) and overlapping dates"
            elif overlap:
                why = "the event names no institution" if not names_place else "the rotation names no institution"
                score, reason = 2, f"overlapping dates alone ({row.first:%d %b}–{row.last:%d %b %Y}): {why}"
            else:  # the same institution on other dates is another rotation there, not this one
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
