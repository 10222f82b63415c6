"""What the matching rules know about an applicant: plain values, built from the database by a service.

Completed and planned clinical exposure are kept apart so every rule can answer both
"with the rotations I have planned" and "with only completed ones".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from imgcoach.matching.vocab import HANDS_ON_KINDS, OBSERVING_KINDS, REGION_OF
from imgcoach.plan import UNDER_WAY_WORDS, experience_weeks, rotation_weeks, weeks_served_by

VISA_NEEDS = ("none", "j1", "h1b", "j1_or_h1b")
IMG_GROUPS = ("non_us_img", "us_img")


def rotation_months(start: date, end: date) -> float:
    """Length in months the way rotations are quoted: whole weeks (imgcoach.plan.rotation_weeks), 4 weeks =
    1 month (a convention)."""
    return rotation_weeks(start, end) / 4


def usce_months(rotations: Iterable[RotationFact]) -> tuple[float, float]:
    """(hands-on, observing) months of US clinical experience in `rotations`, as calendar time: the plan's
    experience_weeks, readiness's rule too (two rotations sharing 22 days made 3 months of 9 weeks here while
    readiness said 2.25). Rotations that are not USCE are left out."""
    usce = [r for r in rotations if r.counts_as_usce]
    hands_on, observing = experience_weeks([r.span for r in usce if r.hands_on],
                                           [r.span for r in usce if not r.hands_on])
    return hands_on / 4, observing / 4


def fmt_months(months: float) -> str:
    return f"{round(months, 2):g}"


class RotationFact(NamedTuple):
    """One US rotation. `completed` is decided by the builder from the injected clock."""

    label: str  # e.g. "cardiology observership"
    kind: str  # imgcoach.plan.rules.vocab.ROTATION_KINDS
    start: date
    end: date
    completed: bool
    state: str | None = None
    # Set to the submission date for a rotation under way on it: only its full weeks served by then count, as in
    # readiness (plan.rules.season.weeks_served_by); it was left out whole here while readiness counted them.
    counted_until: date | None = None

    @property
    def months(self) -> float:
        if self.counted_until is not None:
            return weeks_served_by(self.start, self.counted_until) / 4
        return rotation_months(self.start, self.end)

    @property
    def span(self) -> tuple[date, date]:
        """The days it counts: all of it, or the full weeks served by the submission date for one under way then."""
        if self.counted_until is not None:
            return self.start, self.start + timedelta(days=7 * weeks_served_by(self.start, self.counted_until) - 1)
        return self.start, self.end

    @property
    def counted_end(self) -> date:
        """The day its counted experience is served: the end, or the submission date for one under way then."""
        return self.counted_until or self.end

    def ending_words(self) -> str:
        """"ending " or, for one under way on the submission date, that only its weeks served by then count."""
        if self.counted_until is None:
            return "ending "
        return f"({UNDER_WAY_WORDS}: {fmt_months(self.months)} months of it counted) served up to "

    @property
    def hands_on(self) -> bool:
        return self.kind in HANDS_ON_KINDS

    @property
    def counts_as_usce(self) -> bool:
        return self.kind in HANDS_ON_KINDS or self.kind in OBSERVING_KINDS


class Preferences(NamedTuple):
    specialties: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    program_types: tuple[str, ...] = ()
    min_positions: int | None = None
    max_positions: int | None = None
    budget_programs: int | None = None
    budget_usd: float | None = None


@dataclass(frozen=True, slots=True)
class ApplicantFacts:
    match_year: int  # the Match (March) the applicant is aiming at
    img_group: str = "non_us_img"
    step2_score: int | None = None
    max_attempts_any_step: int = 1  # 1 = every Step passed on the first attempt
    failed_attempts: int = 0
    step3_passed: bool = False
    step3_booked_on: date | None = None  # a Step 3 sitting booked, result not in yet
    graduation_year: int | None = None
    visa_need: str = "none"
    rotations: tuple[RotationFact, ...] = ()
    us_letters_received: int = 0  # letters from US clinicians, uploaded/received
    us_letters_planned: int = 0  # requested or planned, not yet in hand
    research_items: int = 0
    home_states: frozenset[str] = frozenset()  # ties declared by the applicant (family, residence)
    preferences: Preferences = Preferences()  # immutable: one shared default is safe
    applicant_id: int | None = None
    match_year_reason: str = ""  # why this Match (plan.rules.season): readiness says the same
    submission_on: date | None = None  # that season's ERAS submission date
    submission_estimate: str = ""  # what it is estimated from (plan.estimate_words), "" when the AAMC's own
    # US rotations ending after it: not on the application programs read, so not counted (readiness's rule too)
    rotations_after_submission: tuple[RotationFact, ...] = ()
    as_of: date | None = None  # the builder's today: a Step 3 booking before it was sat, not still to come

    def __post_init__(self) -> None:
        if self.visa_need not in VISA_NEEDS:
            raise ValueError(f"visa_need must be one of {VISA_NEEDS}, got {self.visa_need!r}")
        if self.img_group not in IMG_GROUPS:
            raise ValueError(f"img_group must be one of {IMG_GROUPS}, got {self.img_group!r}")

    def warnings(self) -> tuple[str, ...]:
        """What the applicant must know beyond the chances: a visa need a U.S. citizen cannot have; H-1B needs Step 3
        before ranking."""
        from imgcoach.plan import h1b_step3_warning

        warning = h1b_step3_warning(self.visa_need, self.step3_passed, self.step3_booked_on, self.match_year,
                                    today=self.as_of)
        return tuple(w for w in (self.citizen_visa_warning(), warning, self.after_submission_warning()) if w)

    def after_submission_warning(self) -> str | None:
        """The US rotations left out because they end after the submission date: counted before, they met a
        program's requirement "by your plan" with experience no application could show (readiness said the
        months were short). One under way on that date counts its weeks served by then (readiness's rule), said
        here too, so its months are not read as the whole rotation."""
        if self.submission_on is None:
            return None
        on = self.submission_on.isoformat() + (f", {self.submission_estimate}" if self.submission_estimate else "")
        parts = []
        cut = [r for r in self.rotations if r.counted_until is not None]
        if cut:
            said = "; ".join(f"{r.label} ending {r.end.isoformat()}: {fmt_months(r.months)} months" for r in cut)
            parts.append(f"counted up to the submission date only: {said} ({UNDER_WAY_WORDS}, "
                         f"{on}: the weeks served by then, as readiness counts them)")
        if self.rotations_after_submission:
            said = "; ".join(f"{r.label} ending {r.end.isoformat()}" for r in self.rotations_after_submission)
            verb = "it ends" if len(self.rotations_after_submission) == 1 else "they end"
            parts.append(f"not counted: {said}: {verb} after the {self.match_year} Match's submission date "
                         f"({on}), the first day applications can be submitted: an application cannot change once "
                         "submitted, and imgcoach counts experience up to that day")
        return "; ".join(parts) or None

    def citizen_visa_warning(self) -> str | None:
        """A U.S. citizen needs no visa to train in the U.S.: a profile saying both, unsaid, let a citizen read
        "does not sponsor the visa you need" beside programs left out for it. Which field is wrong is not known,
        so the list keeps the stated visa need and says so."""
        from imgcoach.plan import VISA_WORDS

        if self.img_group != "us_img" or self.visa_need == "none":
            return None
        return (f"your profile says you are a U.S. citizen and need a {VISA_WORDS[self.visa_need]} visa, but a U.S. "
                "citizen needs no visa to train in the U.S.; this list still counts the visa need (programs that do "
                "not sponsor it are excluded): fix one with `imgcoach profile set --visa none` or "
                "`imgcoach profile set --not-us-citizen`")

    def standing(self, *, include_planned: bool = True) -> Standing:
        """The numbers the rules use, counting planned rotations and letters or not."""
        ties = set(self.home_states)
        planned: list[RotationFact] = []
        counted: list[RotationFact] = []
        for rotation in self.rotations:
            if not rotation.counts_as_usce:
                continue
            if not rotation.completed:
                planned.append(rotation)
                if not include_planned:
                    continue
            counted.append(rotation)
            if rotation.state:
                ties.add(rotation.state)
        hands_on, observing = usce_months(counted)
        letters = self.us_letters_received + (self.us_letters_planned if include_planned else 0)
        years_since_grad = None if self.graduation_year is None else self.match_year - self.graduation_year
        return Standing(
            facts=self,
            include_planned=include_planned,
            hands_on_months=hands_on,
            observing_months=observing,
            us_letters=letters,
            tie_states=frozenset(ties),
            tie_regions=frozenset(REGION_OF[s] for s in ties if s in REGION_OF),
            years_since_graduation=years_since_grad,
            planned_rotations=tuple(sorted(planned, key=lambda r: r.counted_end)),
        )


class Standing(NamedTuple):
    facts: ApplicantFacts
    include_planned: bool
    hands_on_months: float
    observing_months: float
    us_letters: int
    tie_states: frozenset[str]
    tie_regions: frozenset[str]
    years_since_graduation: int | None
    planned_rotations: tuple[RotationFact, ...]  # not yet completed, earliest end first

    @property
    def usce_months(self) -> float:
        return self.hands_on_months + self.observing_months
