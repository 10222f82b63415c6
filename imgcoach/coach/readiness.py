"""Readiness checks: turn IMG advice into met / at risk / not met ("missing" in JSON), with evidence and a dated
next action.

Each check is a pure function of a ``Plan``, ``today`` and the thresholds of readiness.toml, so a test can
put a profile exactly on a boundary and the CLI, TUI and benchmark all agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Literal

from imgcoach.coach.models import ExamRecord, Letter, Plan, Rotation
from imgcoach.coach.thresholds import Milestone, SeasonDates, Thresholds, load_thresholds
from imgcoach.core.datewords import ISO, DateWords
from imgcoach.core.vocab.exams import BY_CODE, standard_on
from imgcoach.core.vocab.letters import ask_window_words, letter_asked
from imgcoach.core.words import counted
from imgcoach.plan import (
    UNDER_WAY_WORDS,
    calendar_weeks,
    estimate_words,
    experience_weeks,
    on_application,
    rotation_weeks,
    weeks_served_by,
)


class Status(StrEnum):
    MET = "met"
    AT_RISK = "at_risk"
    MISSING = "missing"


_WORST = {Status.MET: 0, Status.AT_RISK: 1, Status.MISSING: 2}


@dataclass(frozen=True, slots=True)
class NextAction:
    """What to do next and its day. ``word`` says what the day is: "by" the last day to act, "from" the first
    (a letter's ask window not open yet, a midpoint still ahead): "by" the day a window opened read as a
    deadline a week before the real one."""

    text: str
    due: date
    word: Literal["by", "from"] = "by"

    def when(self, day: Callable[[date], str] = date.isoformat) -> str:
        """"by 2026-12-02" / "from 2026-11-24": the CLI, its JSON and the app say the day the same way."""
        return f"{self.word} {day(self.due)}"


@dataclass(frozen=True, slots=True)
class CheckResult:
    key: str
    title: str
    status: Status
    evidence: tuple[str, ...]
    action: NextAction | None
    source: str
    # (done, planned, target low, target high) for a check measured in months, for the app's bar
    gauge: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("gauge")  # the JSON keeps its shape; the figures are in the evidence
        data["status"] = self.status.value
        if self.action:
            # "due_word" added beside "due" (a contract): "by" the last day to act, "from" the first
            data["action"] = {"text": self.action.text, "due": self.action.due.isoformat(),
                              "due_word": self.action.word}
        data["evidence"] = list(self.evidence)
        return data


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    applicant: str
    today: date
    season: SeasonDates
    checks: tuple[CheckResult, ...]
    match_year_reason: str = ""  # said beside the year: the shortlist counts the same Match for the same reason

    @property
    def overall(self) -> Status:
        return max((c.status for c in self.checks), key=_WORST.__getitem__, default=Status.MET)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(c.status is s for c in self.checks) for s in Status}

    def counts_text(self) -> str:
        """"3 met, 2 at risk, 4 not met", as the report and the app's summary say it."""
        counts = self.counts()
        return ", ".join(f"{counts[s.value]} {_LABEL[s]}" for s in Status)

    def to_dict(self) -> dict[str, Any]:
        return {
            "applicant": self.applicant,
            "today": self.today.isoformat(),
            "match_year": self.season.match_year,
            "match_year_reason": self.match_year_reason,
            "submission": self.season.submission.isoformat(),
            "season_estimated": self.season.estimated,
            "overall": self.overall.value,
            "counts": self.counts(),
            "checks": [c.to_dict() for c in self.checks],
        }


# --- small date helpers --------------------------------------------------------------------------


def whole_months(earlier: date, later: date) -> int:
    """Full calendar months from ``earlier`` to ``later`` (negative when reversed)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def whole_years(earlier: date, later: date) -> int:
    return whole_months(earlier, later) // 12


def split_weeks(rotation: Rotation, today: date) -> tuple[int, int]:
    """(completed, planned) weeks; a rotation in progress counts its full weeks done."""
    total = rotation_weeks(rotation.start, rotation.end)
    if rotation.end < today:
        return total, 0
    if rotation.start > today:
        return 0, total
    done = min(total, (today - rotation.start).days // 7)
    return done, total - done


def _not_before(today: date, day: date) -> date:
    return max(today, day)


def _fmt_months(value: float) -> str:
    return f"{value:g}"


plural = counted  # "1 month", "0.5 months", "2 months": the unit agrees with the figure


def host_rotations(plan: Plan) -> list[Rotation]:
    """Clinical rotations in the applicant's host country, oldest first."""
    country = plan.applicant.host_country.upper()
    return sorted(
        (r for r in plan.rotations if r.kind.clinical and r.country.upper() == country),
        key=lambda r: (r.start, r.id),
    )


# --- the checks ----------------------------------------------------------------------------------


def check_usce(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> CheckResult:
    """Months of host-country clinical experience, hands-on and observing apart, against the target range.

    Experience is calendar time (plan.experience_weeks, the shortlist's rule too): days two rotations share count
    once, and a week observing beside a hands-on rotation counts as hands-on only."""
    lines: list[str] = []
    every = host_rotations(plan)
    # Only what the application shows from the submission date counts (the shortlist's rule too): a rotation
    # ending after it made the months "planned" and the status "at risk: complete it", for a date too late.
    # One under way on that date counts its full weeks served by then: the application lists it as current
    # (the CV: "in progress"), and leaving all of it out said the applicant had less than programs read.
    counted = [on_application(r.end, season.submission) for r in every]  # by position: one pass, not r in list
    later = [r for r, shown in zip(every, counted, strict=True) if not shown]
    # The days each rotation adds, as (start, end) spans: all of it, what counts, what is served by today, and
    # what is served of a rotation not yet ended (the shortlist counts ended rotations only).
    whole: list[tuple[date, date]] = []
    spans: dict[str, list[tuple[date, date]]] = {"hands_on_all": [], "observing_all": [],
                                                  "hands_on_done": [], "observing_done": []}
    under_way_spans: list[tuple[date, date]] = []

    def weeks_from(start: date, weeks: int) -> tuple[date, date]:
        return start, start + timedelta(days=7 * weeks - 1)

    for r, shown in zip(every, counted, strict=True):
        length = plural(rotation_weeks(r.start, r.end), 'week')
        prefix = "hands_on" if r.hands_on else "observing"
        whole.append((r.start, r.end))
        if not shown:
            by_then = weeks_served_by(r.start, season.submission)
            if not by_then:
                lines.append(f"{r.title}: {w.span(r.start, r.end)}, {length}, ends after the submission date: "
                             "not counted")
                continue
            served = max(0, min(by_then, (today - r.start).days // 7))
            spans[f"{prefix}_all"].append(weeks_from(r.start, by_then))
            if served:
                spans[f"{prefix}_done"].append(weeks_from(r.start, served))
                if r.end >= today:
                    under_way_spans.append(weeks_from(r.start, served))
            lines.append(f"{r.title}: {w.span(r.start, r.end)}, {length}, {UNDER_WAY_WORDS}: "
                         f"{plural(by_then, 'week')} served by then counted, the rest not")
            continue
        weeks_done, weeks_planned = split_weeks(r, today)
        spans[f"{prefix}_all"].append((r.start, r.end))
        if weeks_done and weeks_planned:  # in progress: its full weeks served so far
            spans[f"{prefix}_done"].append(weeks_from(r.start, weeks_done))
            under_way_spans.append(weeks_from(r.start, weeks_done))
        elif weeks_done:
            spans[f"{prefix}_done"].append((r.start, r.end))
        state = "completed" if weeks_planned == 0 else ("planned" if weeks_done == 0 else "in progress")
        lines.append(f"{r.title}: {w.span(r.start, r.end)}, {length}, {state}")
    hands_on_all, observing_all = experience_weeks(spans["hands_on_all"], spans["observing_all"])
    hands_on_done, observing_done = experience_weeks(spans["hands_on_done"], spans["observing_done"])
    weeks = {"hands_on_done": hands_on_done, "observing_done": observing_done,
             "hands_on_planned": max(0, hands_on_all - hands_on_done),
             "observing_planned": max(0, observing_all - observing_done)}
    under_way = float(calendar_weeks(under_way_spans))
    # Weeks after the submission date: not counted (calendar time too, so a shared day is not said twice).
    late_weeks = max(0, calendar_weeks(whole) - (hands_on_all + observing_all))
    m = {k: v / t.weeks_per_month for k, v in weeks.items()}
    done = m["hands_on_done"] + m["observing_done"]
    total = done + m["hands_on_planned"] + m["observing_planned"]
    # Said, so that the shortlist's "you have N months" (ended rotations only) does not read as a contradiction.
    so_far = (f", {_fmt_months(under_way / t.weeks_per_month)} of them in a rotation under way" if under_way else "")
    not_counted = (f"; not counted: {plural(late_weeks / t.weeks_per_month, 'month')} after the "
                   f"{season.match_year} submission date ({w.day(season.submission)})" if later else "")
    evidence = [
        f"Completed {plural(done, 'month')} ({_fmt_months(m['hands_on_done'])} hands-on, "
        f"{_fmt_months(m['observing_done'])} observing{so_far}); planned {plural(total - done, 'month')} "
        f"({_fmt_months(m['hands_on_planned'])} hands-on, {_fmt_months(m['observing_planned'])} observing)"
        f"{not_counted}; target {_fmt_months(t.usce_min)}-{_fmt_months(t.usce_max)} months (as of {w.day(today)})",
        *lines,
    ]
    added_up = sum(rotation_weeks(a, b) for a, b in spans["hands_on_all"] + spans["observing_all"])
    if added_up > hands_on_all + observing_all:
        evidence.append(f"Rotations that overlap count their shared days once (experience is calendar time, a "
                        f"week also hands-on counted as hands-on): "
                        f"{plural((added_up - hands_on_all - observing_all) / t.weeks_per_month, 'month')} fewer "
                        "than their lengths added up")
    # Still to serve: rotations ending by the submission date, and those under way on it (up to that date).
    upcoming = [r for r in every if r.end >= today and r.start < season.submission]
    if done >= t.usce_min and m["hands_on_done"] > 0:
        status, action = Status.MET, None
        if done < t.usce_max:
            evidence.append(f"Up to {_fmt_months(t.usce_max)} months helps in more competitive fields")
    elif done >= t.usce_min:
        status = Status.AT_RISK
        evidence.append("Observing only: programs weigh hands-on experience more")
        action = NextAction(
            "Look for a hands-on externship or clerkship (write to education offices and coordinators)",
            _not_before(today, season.submission - timedelta(weeks=t.weeks_per_month)),
        )
    elif total >= t.usce_min:
        status = Status.AT_RISK
        last = max(upcoming, key=lambda r: min(r.end, season.submission))
        action = NextAction(f"Complete the planned rotations, the last being {last.title}",
                            min(last.end, season.submission))
    else:
        status = Status.MISSING
        short_weeks = math.ceil((t.usce_min - total) * t.weeks_per_month)
        action = NextAction(
            f"Find {plural(short_weeks / t.weeks_per_month, 'more month')} of host-country clinical "
            "experience: write to education offices and coordinators (imgcoach outreach add)",
            _not_before(today, season.submission - timedelta(weeks=short_weeks)),
        )
    return CheckResult("usce_months", "Host-country clinical experience", status, tuple(evidence), action,
                       t.source("usce"), gauge=(done, total - done, t.usce_min, t.usce_max))


def counted_end(r: Rotation, submission: date) -> date | None:
    """The last day of a rotation the application shows: its end when it ends by the submission date; the
    submission date itself when it is under way then with a full week served (check_usce counts those weeks);
    None when nothing of it is served by then. One rule for the months, recency and specialty checks."""
    if on_application(r.end, submission):
        return r.end
    return submission if weeks_served_by(r.start, submission) else None


def _ended_words(r: Rotation, submission: date, today: date, w: DateWords) -> str:
    """"ended 2027-05-02" / "ends ...", or, for one running through the submission date, what of it counts."""
    if r.end <= submission:
        return f"{'ended' if r.end < today else 'ends'} {w.day(r.end)}"
    return (f"{w.span(r.start, r.end)}, {UNDER_WAY_WORDS} ({w.day(submission)}): "
            f"{plural(weeks_served_by(r.start, submission), 'week')} served by then counted")


def check_recency(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> CheckResult:
    """Is the latest host-country experience recent relative to the season's submission date? A rotation
    under way on the submission date is the most recent experience an application can show (counted_end)."""
    ref = season.submission
    ends = {r.id: e for r in host_rotations(plan) if (e := counted_end(r, ref)) is not None}
    eligible = [r for r in host_rotations(plan) if r.id in ends]
    if not eligible:
        return CheckResult(
            "recency", "Recent host-country experience", Status.MISSING,
            (f"No host-country rotation ends by the {season.match_year} submission date ({w.day(ref)})",),
            NextAction("Arrange a host-country rotation that ends before the submission date",
                       _not_before(today, ref - timedelta(weeks=t.weeks_per_month))),
            t.source("recency"),
        )
    latest = max(eligible, key=lambda r: ends[r.id])
    last_day = ends[latest.id]
    gap = whole_months(last_day, ref)
    when = f", {plural(gap, 'month')} before the submission date ({w.day(ref)})" if latest.end <= ref else ""
    evidence: tuple[str, ...] = (f"Latest: {latest.title}, {_ended_words(latest, ref, today, w)}{when}",)
    recent = last_day >= _months_before(ref, t.recent_months)
    # A recent rotation already completed meets the rule whatever runs after it (check_specialties reads the
    # completed one first too): hung on the running one, this said "at risk" beside a specialty "met".
    done = [r for r in eligible if r.end < today and r.end >= _months_before(ref, t.recent_months)]
    if done and last_day >= today:
        best = max(done, key=lambda r: r.end)
        evidence += (f"Completed: {best.title}, ended {w.day(best.end)}, "
                     f"{plural(whole_months(best.end, ref), 'month')} before the submission date",)
        status, action = Status.MET, None
    elif recent and last_day < today:
        status, action = Status.MET, None
    elif recent and latest.end > ref:
        status, action = Status.AT_RISK, NextAction(f"Serve {latest.title} up to the submission date", ref)
    elif recent:
        status, action = Status.AT_RISK, NextAction(f"Complete {latest.title}", latest.end)
    elif latest.end >= _months_before(ref, t.stale_months):
        status = Status.AT_RISK
        action = NextAction(
            f"Add a rotation ending after {w.day(_months_before(ref, t.recent_months))} to be within "
            f"{t.recent_months} months of the submission date",
            _not_before(today, ref - timedelta(weeks=t.weeks_per_month)),
        )
    else:
        status = Status.MISSING
        action = NextAction("Arrange a recent host-country rotation before the submission date",
                            _not_before(today, ref - timedelta(weeks=t.weeks_per_month)))
    return CheckResult("recency", "Recent host-country experience", status, evidence, action,
                       t.source("recency"))


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check_specialties(plan: Plan, today: date, t: Thresholds, season: SeasonDates,
                      w: DateWords = ISO) -> list[CheckResult]:
    """One experience per target specialty, ending within the window before the submission date or under way
    on it (counted_end: the months count its weeks served by then, so this check does too)."""
    ref = season.submission
    window_start = _months_before(ref, t.specialty_months)
    results = []
    by_specialty: dict[str, list[Rotation]] = {}
    for r in host_rotations(plan):
        by_specialty.setdefault(r.specialty.casefold(), []).append(r)
    for specialty in plan.applicant.target_specialties:
        same = by_specialty.get(specialty.casefold(), [])
        last_day = {r.id: counted_end(r, ref) for r in same}
        in_window = [r for r in same if (e := last_day[r.id]) is not None and window_start <= e <= ref]
        done = [r for r in in_window if r.end < today]
        title = f"Experience in {specialty}"
        if done:
            best = max(done, key=lambda r: r.end)
            status, action = Status.MET, None
            evidence: tuple[str, ...] = (f"{best.title}, {w.span(best.start, best.end)}",)
        elif in_window:
            best = min(in_window, key=lambda r: r.end)
            status = Status.AT_RISK
            stage = "In progress" if best.start <= today else "Planned"  # a rotation under way is not "planned"
            if best.end > ref:
                evidence = (f"{stage}: {best.title}, {_ended_words(best, ref, today, w)}",)
                action = NextAction(f"Serve {best.title} up to the submission date", ref)
            else:
                evidence = (f"{stage}: {best.title}, {w.span(best.start, best.end)}",)
                action = NextAction(f"Complete {best.title}", best.end)
        else:
            status = Status.MISSING
            # Out of the window on either side: "the last one ended 2027-10-24" was said of one that ends after
            # the submission date, months from now.
            before = [r.end for r in same if r.end < window_start]
            after = [r.end for r in same if r.end > ref and last_day[r.id] is None]
            older = (f"; the last one {'ended' if max(before) < today else 'ends'} {w.day(max(before))}"
                     if before else "")
            later = f"; one ends {w.day(min(after))}, after the submission date" if after else ""
            evidence = (f"No {specialty} rotation ending between {w.day(window_start)} and {w.day(ref)}"
                        f"{older}{later}",)
            action = NextAction(
                f"Arrange a rotation in {specialty}: write to education offices and coordinators",
                _not_before(today, ref - timedelta(weeks=t.weeks_per_month)),
            )
        results.append(CheckResult(f"specialty:{specialty}", title, status, evidence, action, t.source("recency")))
    return results


def _letter_is_recent(letter: Letter, rotations: dict[int, Rotation], ref: date, months: int) -> bool:
    rotation = rotations.get(letter.rotation_id) if letter.rotation_id is not None else None
    return rotation is None or rotation.end >= _months_before(ref, months)


def _letter_line(letter: Letter, rotations: dict[int, Rotation], today: date, w: DateWords = ISO) -> str:
    """One letter with the day it reached its status, or (planned) the rotation's window to ask: once its last
    call has passed, that day, not "ask between" days long gone (a letter planned for a rotation 20 months
    over read as advice to ask in March of the year before)."""
    if not letter_asked(letter.status):
        rotation = rotations.get(letter.rotation_id) if letter.rotation_id is not None else None
        if rotation is not None and rotation.letter_window is not None:
            opens, closes = rotation.letter_window
            if closes < today:
                return f"{letter.writer}: planned, not asked; the last call to ask was {w.day(closes)}"
            return f"{letter.writer}: planned, {ask_window_words(opens, closes, w.day)}"
        return f"{letter.writer}: planned, not asked yet"
    when = f" on {w.day(letter.status_on)}" if letter.status_on else " (date not recorded)"
    return f"{letter.writer}: {letter.status}{when}"


def _after_submission_line(r: Rotation, season: SeasonDates, w: DateWords) -> str:
    """What a letter from a rotation ending after the submission date can still do (check_letters)."""
    head = (f"{r.title} ends {w.day(r.end)}, after the {season.match_year} submission date ({w.day(season.submission)})"
            ": its letter can still be assigned to programs after you apply (four at most per program)")
    if r.end > season.review:
        return f"{head}, but reaches them after they start reviewing ({w.day(season.review)})"
    return f"{head}; programs start reviewing on {w.day(season.review)}"


def check_letters(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> CheckResult:
    """Host-country letters agreed or uploaded, against the target; the next one asked 2-4 weeks before the end."""
    by_id = {r.id: r for r in plan.rotations}
    host = [letter for letter in plan.letters if letter.host_country]
    secured = [letter for letter in host if letter.status in ("agreed", "uploaded")]
    recent = [x for x in secured if _letter_is_recent(x, by_id, season.submission, t.letters_recent_months)]
    stale = len(secured) - len(recent)
    # Asked and awaiting an answer: requested only ("asked" is no letter status; agreed or declined is an answer).
    asked = [letter for letter in host if letter.status == "requested"]
    evidence = [
        f"{plural(len(recent), 'recent host-country letter')} agreed or uploaded (target {t.letters_target})"
        + (f", {stale} from {'a rotation' if stale == 1 else 'rotations'} that ended more than "
           f"{t.letters_recent_months} months before the "
           f"submission date ({w.day(season.submission)})" if stale else "")
        + (f", {len(asked)} asked and awaiting an answer" if asked else ""),
        *(_letter_line(x, by_id, today, w) for x in host),
    ]
    untied = [x.writer for x in plan.letters
              if not x.host_country and x.rotation_id is None and letter_asked(x.status) and x.status != "declined"]
    if untied:
        evidence.append(f"Not counted: {', '.join(untied)} (no rotation tied to the letter says it comes from a "
                        "host-country attending; tie it to its rotation: `imgcoach letters edit ID --rotation N`, "
                        "or Letters, e in the app)")
    if len(recent) >= t.letters_target:
        return CheckResult("letters", "Host-country letters", Status.MET, tuple(evidence), None, t.source("letters"))
    status = Status.AT_RISK if len(secured) + len(asked) >= t.letters_target else Status.MISSING
    writers = {x.writer.casefold() for x in plan.letters if letter_asked(x.status)}  # a planned one: still to ask
    # Whom to ask on each rotation not over: the writers of the letters planned from it (often the attending,
    # not the contact filed as supervisor), else its supervisor. Reading supervisors alone, the next step named
    # a February supervisor while a letter planned from a running rotation's attending was due this week.
    planned: dict[int, list[str]] = {}
    for x in host:
        if not letter_asked(x.status) and x.rotation_id is not None:
            planned.setdefault(x.rotation_id, []).append(x.writer)
    # A rotation a letter is tied to has its writer recorded, whatever their link's role: with the attending who
    # wrote it filed as "attending" (no supervisor), "Record who supervises you on" it stood beside its letter
    # uploaded, where the next rotation with nobody recorded was the one to name.
    lettered = {x.rotation_id for x in host if x.rotation_id is not None}
    # Else its supervisor, else its attending (Rotation.supervised_by): "Record who supervises you on" a rotation
    # whose attending was recorded read as if nobody were.
    candidates = [
        (r, planned.get(r.id, [r.supervised_by])[0]) for r in host_rotations(plan)
        if r.end >= today and (r.id in planned or (r.supervised_by and r.supervised_by.casefold() not in writers))
    ]
    # Letters are not fixed at submission as the experiences are: ERAS lets a letter uploaded later be assigned to
    # programs already applied to (AAMC's ERAS guide, "Assigning LoRs"; readiness.toml's [letters] source). A
    # rotation ending after the submission date still gives one, later than those ending by it: those come first,
    # and one ending after programs start reviewing is said to reach them after that. Called "Not where to ask
    # this season" with "cannot be on the application", a September rotation read as useless for this season.
    ref = season.submission
    in_time = [(r, writer) for r, writer in candidates if on_application(r.end, ref)]
    later = sorted(((r, writer) for r, writer in candidates if not on_application(r.end, ref)),
                   key=lambda pair: pair[0].end)
    evidence.extend(_after_submission_line(r, season, w) for r, _ in later)
    upcoming = in_time or ([] if asked else later[:1])  # a letter asked in time is confirmed first
    if upcoming:
        nxt, writer = min(upcoming, key=lambda pair: pair[0].end)
        opens, closes = nxt.letter_window or (nxt.end - timedelta(weeks=t.ask_weeks_max),
                                              nxt.end - timedelta(weeks=t.ask_weeks_min))
        # Past the last call (the rotation not over): "between" two days gone read as a window still to come.
        when = (f"now: the last call was {w.day(closes)}" if closes < today
                else f"between {w.day(opens)} and {w.day(closes)}")
        after = (" (it ends after the submission date: assign the letter to your programs when it is uploaded)"
                 if not on_application(nxt.end, ref) else "")
        text = (f"Ask {writer} ({nxt.title}) for a letter {when}{after}; give a CV, "
                "personal statement draft and case summary (imgcoach packet)")
        # Not open yet: from the day it opens; open: by its last call (today once that has gone).
        action = (NextAction(text, opens, "from") if today < opens
                  else NextAction(text, _not_before(today, closes)))
    elif asked:
        action = NextAction(f"Confirm with {asked[0].writer} and send the writer packet", today)
    elif unnamed := [r for r in host_rotations(plan) if r.end >= today and not r.supervised_by
                     and r.id not in lettered
                     and on_application(r.end, ref)]:
        # A rotation is planned or under way but nobody is recorded to write from it: "Plan a rotation with an
        # attending" read as if the plan had none.
        nxt = min(unnamed, key=lambda r: r.end)
        opens, closes = nxt.letter_window or (nxt.end - timedelta(weeks=t.ask_weeks_max),
                                              nxt.end - timedelta(weeks=t.ask_weeks_min))
        text = (f"Record who supervises you on {nxt.title} and plan a letter from them (imgcoach contacts add "
                f"--name NAME --rotation {nxt.id}, then imgcoach letters add --writer ID --rotation {nxt.id}; in the "
                "app: w on Rotations, then a on Letters); ask "
                + (f"between {w.day(opens)} and {w.day(closes)}" if closes >= today
                   else f"now: the last call was {w.day(closes)}"))
        action = NextAction(text, _not_before(today, opens if today < opens else closes))
    else:
        # With only rotations ending after it, "a rotation" must end by the submission date to help this season.
        ends_late = any(r.end >= today and not on_application(r.end, ref) for r in host_rotations(plan))
        by = f" ending by the submission date ({w.day(ref)})" if ends_late else ""
        action = NextAction(f"Plan a rotation{by} with an attending who will supervise you directly and can write",
                            _not_before(today, season.submission - timedelta(weeks=2 * t.weeks_per_month)))
    return CheckResult("letters", "Host-country letters", status, tuple(evidence), action, t.source("letters"))


def check_feedback(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> CheckResult:
    """Mid-rotation feedback received, on each rotation that has reached its midpoint.

    "Met" needs the feedback itself written down (a log week with feedback): asking for it, or a
    reminder having gone out, is not having it. Each line carries its date.
    """
    rotations = host_rotations(plan)
    if not rotations:
        return CheckResult("feedback", "Mid-rotation feedback", Status.MISSING, ("No host-country rotation yet",),
                           None, t.source("feedback"))
    evidence: list[str] = []
    ask_now: list[Rotation] = []  # past the midpoint, not asked
    to_record: list[Rotation] = []  # asked, nothing recorded
    missed: list[Rotation] = []
    upcoming: list[Rotation] = []
    recorded = 0
    for r in rotations:
        if r.feedback_recorded_on is not None:
            recorded += 1
            note = f': "{r.feedback_note}"' if r.feedback_note else ""
            evidence.append(f"{r.title}: feedback recorded in the log, week of {w.day(r.feedback_recorded_on)}{note}")
        elif r.feedback_asked_on is not None:
            to_record.append(r)
            evidence.append(f"{r.title}: asked {w.day(r.feedback_asked_on)}; no feedback recorded yet")
        elif today < r.midpoint:
            upcoming.append(r)
            evidence.append(f"{r.title}: ask at the midpoint, {w.day(r.midpoint)}")
        elif r.end >= today:
            ask_now.append(r)
            evidence.append(f"{r.title}: midpoint {w.day(r.midpoint)} passed, feedback not asked yet")
        else:
            missed.append(r)
            # What is known is the log, not the rotation: "ended without feedback" was said of every rotation added
            # after it ended, feedback or not.
            evidence.append(f"{r.title}: ended {w.day(r.end)}; no mid-rotation feedback recorded")
    action: NextAction | None = None
    if ask_now:
        action = NextAction(f"Ask {ask_now[0].supervised_by or 'your supervisor'} for feedback now and apply it", today)
    elif to_record:
        first = to_record[0]
        action = NextAction(
            f"Write down the feedback from {first.supervised_by or 'your supervisor'} ({first.title}) once you have "
            f"it: imgcoach log feedback {first.id} --week DATE --feedback TEXT (in the app: a on the Readiness screen)", today)
    elif upcoming:
        first = min(upcoming, key=lambda r: r.midpoint)
        action = NextAction(f"Ask {first.supervised_by or 'your supervisor'} for mid-rotation feedback ({first.title})",
                            first.midpoint, "from")  # asked at the midpoint, not before it
    elif missed:
        last = missed[-1]
        action = NextAction(
            f"If {last.supervised_by or 'your supervisor'} gave you feedback during {last.title}, write it down: "
            f"imgcoach log feedback {last.id} --week DATE --feedback TEXT (in the app: a on the Readiness screen)", today)
    if missed:
        status = Status.MISSING
    elif ask_now or to_record or recorded == 0:
        status = Status.AT_RISK  # nothing received yet is not "met", even when every midpoint is still ahead
    else:
        status = Status.MET
    return CheckResult("feedback", "Mid-rotation feedback", status, tuple(evidence), action, t.source("feedback"))


def check_graduation(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> CheckResult:
    """Years since graduation at the submission date, with what helps when it is high."""
    grad = plan.applicant.graduation
    if grad is None:
        return CheckResult("graduation", "Years since graduation", Status.MISSING, ("Graduation year not recorded",),
                           NextAction("Record your graduation year (imgcoach profile set)", today),
                           t.source("graduation"))
    years = whole_years(grad, season.submission)
    evidence = [f"Graduated {grad.year} (counted from {grad:%d %B}, an assumption: only the year is recorded): "
                f"{plural(years, 'full year')} before the {season.match_year} submission date "
                f"({w.day(season.submission)})"]
    if grad >= _months_before(season.submission, 12 * t.grad_many_max):
        status, action = Status.MET, None
        if grad < _months_before(season.submission, 12 * (t.grad_many_max - 1)):
            evidence.append(f"Next season this passes the {t.grad_many_max}-year cutoff many programs use")
    else:
        within = grad >= _months_before(season.submission, 12 * t.grad_historical_max)
        status = Status.AT_RISK if within else Status.MISSING
        cutoff = t.grad_many_max if status is Status.AT_RISK else t.grad_historical_max
        evidence.append(f"Beyond the {cutoff}-year cutoff some programs use. What helps: " + "; ".join(t.grad_helps))
        action = NextAction("Target programs without a graduation cutoff and strengthen: " + t.grad_helps[0],
                            _not_before(today, season.submission))
    return CheckResult("graduation", "Years since graduation", status, tuple(evidence), action,
                       t.source("graduation"))


def check_exam(milestone: Milestone, record: ExamRecord | None, today: date, t: Thresholds,
               season: SeasonDates, buffer_days: int, source: str, w: DateWords = ISO) -> CheckResult:
    """One exam milestone against its due date in the season (data-driven, so other paths can be added)."""
    due = season.named(milestone.due)
    latest_sitting = due - timedelta(days=buffer_days)
    key, title = f"exam:{milestone.code}", milestone.label
    exam = BY_CODE[milestone.code].name if milestone.code in BY_CODE else title  # "USMLE Step 1", not the milestone
    if record is not None and record.status == "passed" and milestone.needs == "score" and record.score is None:
        # Passed, but the score programs screen on is not written down: ask for it, not for another sitting.
        return CheckResult(  # missing: the shortlist cannot use a score it does not have
            key, title, Status.MISSING, (f"Passed on {w.day(record.on)}; score not recorded" if record.on
                                         else "Passed; score not recorded",),
            NextAction(f"Record your {exam} score: {_exams_edit(record.id)} --score N", today), source)
    if record is not None and record.status == "passed" and (milestone.needs != "score" or record.score is not None):
        score = (f", score {record.score}" if record.score is not None
                 else f", sub-tests {record.sub_scores}" if record.sub_scores else "")
        when = f" on {w.day(record.on)}" if record.on else ""
        done = "Passed" if milestone.code in BY_CODE else "Completed"  # a certification is granted, not passed
        # A pass at a retake said only "Passed": beside `exams list`'s "attempt 2" and a shortlist that excludes
        # programs by attempts, the green line read as a first-attempt pass.
        tries = f" (attempt {record.attempt})" if record.attempt > 1 and milestone.code in BY_CODE else ""
        evidence = [f"{done}{when}{score}{tries}"]
        if record.on and record.on > due:
            evidence.append(f"after the {milestone.due.replace('_', ' ')} date ({w.day(due)})")
        return CheckResult(key, title, Status.MET, tuple(evidence), None, source)
    if record is not None and record.status == "scored":
        return CheckResult(key, title, Status.AT_RISK, (_unknown_outcome(exam, record, w),),
                           NextAction(f"Record the {exam} result from your score report: "
                                      f"{_exams_edit(record.id)} --result pass|fail", today), source)
    booked = record.on if record is not None and record.status == "scheduled" else None
    retake = record is not None and record.status == "failed"
    due_name = milestone.due.replace("_", " ")
    # Each path's due dates are planning rules of thumb (thresholds' source says so): said beside the date, not
    # only under --sources, so "due 2027-09-03" does not read as a deadline a body has set.
    basis = f" (the {due_name} date: a planning rule of thumb)"
    sitting = plan_sitting(exam, booked, due, due_name, buffer_days, today, w, retake=retake,
                           exam_id=record.id if record is not None else None, due_basis=basis)
    if booked is not None:
        return CheckResult(key, title, sitting.status, (sitting.note or "",), sitting.action, source)
    state = record.status.replace("_", " ") if record else "not recorded"
    where_it_stands = (f"{state.capitalize()}; due {w.day(due)}{basis}",)
    if milestone.code not in BY_CODE:  # reached by passing the others and a review, not by a sitting to book
        return CheckResult(key, title, Status.MISSING, where_it_stands,
                           NextAction(f"Complete {title}", _not_before(today, latest_sitting)), source)
    return CheckResult(key, title, Status.MISSING, where_it_stands, sitting.action, source)


def _exams_edit(exam_id: int | None) -> str:
    """The command that records a result for the exam row: its id when known (the action said "imgcoach exams
    edit ID ... (ids in imgcoach exams list)" of a row it had read), else where to find it."""
    return (f"imgcoach exams edit {exam_id}" if exam_id is not None
            else "imgcoach exams edit ID (ids in imgcoach exams list)")


def _unknown_outcome(exam: str, record: ExamRecord, w: DateWords) -> str:
    """A score with no result: what is known, and why it is not called a pass (the exams' standard for its date)."""
    known = BY_CODE.get(record.code)
    standard = standard_on(known, record.on) if known is not None and record.on else None
    if standard is None:
        why = "no passing standard for that date is on file"
    elif standard.low != standard.high:
        why = f"the passing standard for that date is {standard.low} to {standard.high} (sources disagree)"
    else:
        why = f"the passing standard for that date is {standard.low}"
    on = f" on {w.day(record.on)}" if record.on else ""
    return f"Score {record.score}{on}; pass or fail not recorded: {why}"


@dataclass(frozen=True, slots=True)
class Sitting:
    """Where an exam sitting stands against the date its result must be in by, and what to do next."""

    status: Status
    note: str | None  # the evidence line for a booked sitting; None when nothing is booked
    action: NextAction


def plan_sitting(exam: str, booked_on: date | None, due: date, due_name: str, buffer_days: int, today: date,
                 w: DateWords = ISO, *, why: str = "", retake: bool = False, exam_id: int | None = None,
                 due_basis: str = "") -> Sitting:
    """The one rule for a sitting that must count by ``due`` (the exam milestones and the H-1B Step 3 check):
    the latest sitting is a planning buffer before ``due``, and the booking a buffer before that. ``why`` ends
    each action (", so the result is in before ..."); ``due_basis`` follows the due date where a note says it
    (what the date is, and that it is a rule of thumb); a sitting already past with no result asks for the
    result, not for the sitting."""
    latest = due - timedelta(days=buffer_days)
    if booked_on is not None and booked_on < today:
        return Sitting(Status.AT_RISK, f"Sat on {w.day(booked_on)}; no result recorded; due {w.day(due)}{due_basis}",
                       NextAction(f"Record the result of {exam} once you have it: {_exams_edit(exam_id)} --score N "
                                  "or --result pass|fail", today))
    if booked_on is not None and booked_on <= latest:
        return Sitting(Status.AT_RISK, f"Scheduled {w.day(booked_on)}; due {w.day(due)}{due_basis}",
                       NextAction(f"Sit {exam}{why}", booked_on))
    # Once `latest` itself has passed, "a sitting on or before <latest>" asked for a day gone (three weeks before
    # the submission date: "on or before 2027-08-06 (by 2027-08-20)"): the earliest seat is what is left.
    gone = f"{w.day(latest)}, the last day to sit it {buffer_days} days before the {due_name} date, has passed"
    if booked_on is not None:
        move = (f"Move the {exam} sitting to {w.day(latest)} or earlier{why}" if latest >= today
                else f"Take an earlier {exam} seat if one opens ({gone})")  # no `why`: it can no longer hold
        return Sitting(Status.MISSING, f"Scheduled {w.day(booked_on)}, after {w.day(latest)} ({buffer_days} days "
                                       f"before the {due_name} date {w.day(due)})", NextAction(move, today))
    if latest < today:
        return Sitting(Status.MISSING, None,
                       NextAction(f"Book the earliest {'retake of ' if retake else ''}{exam} sitting you can "
                                  f"({gone})", today))
    # The action is due when the sitting should be booked; the sitting itself by `latest`.
    return Sitting(Status.MISSING, None,
                   NextAction(f"Book {'a retake of ' if retake else ''}{exam}: a sitting on or before "
                              f"{w.day(latest)}{why}", _not_before(today, latest - timedelta(days=buffer_days))))


def check_exams(plan: Plan, today: date, t: Thresholds, season: SeasonDates, w: DateWords = ISO) -> list[CheckResult]:
    path = t.exam_path(plan.applicant.exam_path)
    records = {e.code: e for e in plan.exams}
    return [check_exam(m, records.get(m.code), today, t, season, path.planning_buffer_days,
                       f"{path.source} (rule of thumb for the due dates)", w)
            for m in path.milestones]


def evaluate(plan: Plan, today: date, thresholds: Thresholds | None = None, words: DateWords = ISO) -> ReadinessReport:
    """Run every check for the applicant's Match year; the evidence and actions write their dates with
    `words` (ISO for the CLI, the app's own format in the app). The dates themselves stay dates."""
    t = thresholds or load_thresholds()
    season = t.season(plan.applicant.match_year)
    checks: list[CheckResult] = [
        check_usce(plan, today, t, season, words),
        check_recency(plan, today, t, season, words),
        *check_specialties(plan, today, t, season, words),
        check_letters(plan, today, t, season, words),
        check_feedback(plan, today, t, season, words),
        check_graduation(plan, today, t, season, words),
        *check_exams(plan, today, t, season, words),
    ]
    return ReadinessReport(plan.applicant.name, today, season, tuple(checks), plan.applicant.match_year_reason)


# The JSON keeps "missing" (a contract); the words say "not met": a Step 2 CK booked after the latest date or a
# graduation beyond every cutoff lacks nothing, and "MISSING" beside them read as a record not entered.
_LABEL = {Status.MET: "met", Status.AT_RISK: "at risk", Status.MISSING: "not met"}


def status_label(status: Status | str) -> str:
    """"met", "at risk" or "not met" for a status or its JSON value."""
    return _LABEL[Status(status)]


def render_text(report: ReadinessReport, sources: bool = False) -> str:
    """Plain-text readiness report for the terminal."""
    season = report.season
    # What the dates are estimated from (plan.estimate_words, the shortlist says the same): "the last known
    # season's ERAS dates" read as that season's own days, though they are its month and day in a later year.
    est = (f" (dates {estimate_words(season.match_year) or 'estimated'}, Match Week by the NRMP's pattern)"
           if season.estimated else "")
    why = f" ({report.match_year_reason})" if report.match_year_reason else ""
    out = [
        f"Readiness for {report.applicant}: Match {season.match_year}{why}, submission {season.submission}{est}",
        f"As of {report.today}: {report.counts_text()}",
        "",
    ]
    for c in report.checks:
        out.append(f"[{_LABEL[c.status].upper():^7}] {c.title}")
        out.extend(f"          {line}" for line in c.evidence)
        if c.action:
            out.append(f"          next: {c.action.text} ({c.action.when()})")
        if sources:
            out.append(f"          source: {c.source}")
    return "\n".join(out) + "\n"


def worst(statuses: Iterable[Status]) -> Status:
    return max(statuses, key=_WORST.__getitem__, default=Status.MET)
