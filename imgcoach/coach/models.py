"""Plain value types the coach rules work on; services convert database rows into these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from imgcoach.plan import CASE_TAGS as VOCAB_CASE_TAGS
from imgcoach.plan import CLINICAL_KINDS, HANDS_ON_KINDS


class RotationKind(StrEnum):
    """The foundation's rotation kinds (imgcoach.plan.rules.vocab.ROTATION_KINDS)."""

    OBSERVERSHIP = "observership"
    EXTERNSHIP = "externship"
    CLINICAL_JOB = "clinical_job"
    RESEARCH = "research"
    VOLUNTEER = "volunteer"

    @property
    def hands_on(self) -> bool:
        """The default when a rotation does not say (the plan's one rule): observerships are observing only."""
        return self.value in HANDS_ON_KINDS

    @property
    def clinical(self) -> bool:
        """Counts as clinical experience (research and volunteering do not)."""
        return self.value in CLINICAL_KINDS

    @property
    def label(self) -> str:
        return "clinical position" if self is RotationKind.CLINICAL_JOB else self.value


CASE_TAGS: tuple[str, ...] = VOCAB_CASE_TAGS

PROJECT_KINDS: tuple[str, ...] = ("case_report", "qi", "research")
PROJECT_STATUSES: tuple[str, ...] = ("planned", "in_progress", "submitted", "accepted", "published", "presented")


@dataclass(frozen=True, slots=True)
class Rotation:
    """One clinical experience; dates are inclusive local calendar dates."""

    id: int
    kind: RotationKind
    specialty: str
    institution: str
    start: date
    end: date
    country: str = "US"
    department: str = ""
    city: str = ""
    setting: str = ""  # inpatient | outpatient | mixed, or "" when not said
    weekly_hours: float = 0.0  # 0: not known (never given, or assumed), and then left out of what others read
    supervisor: str = ""
    supervisor_email: str = ""
    # The first person linked to it as its attending: who writes its letter when no supervisor is recorded (the
    # letters check asked to "record who supervises you" on a rotation whose attending was recorded).
    attending: str = ""
    attending_email: str = ""
    responsibilities: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()
    feedback_asked_on: date | None = None
    hands_on_override: bool | None = None  # the rotation's own hands_on flag, when stored
    # Feedback received, as written in the rotation log: asking (or a reminder sent) is not receiving.
    feedback_recorded_on: date | None = None  # the week of the first log entry with feedback
    feedback_note: str = ""
    # When to ask for the letter (opens, last call), from the reminders' one letter_window function;
    # None where the caller did not supply it (the rules then fall back to the thresholds' 2-4 weeks).
    letter_window: tuple[date, date] | None = None

    @property
    def hands_on(self) -> bool:
        return self.kind.hands_on if self.hands_on_override is None else self.hands_on_override

    @property
    def title(self) -> str:
        """CV title, e.g. "Clinical Observership in Cardiology, XYZ University Hospital"."""
        lead = {
            RotationKind.RESEARCH: "Research Experience",
            RotationKind.VOLUNTEER: "Volunteer Experience",
            RotationKind.CLINICAL_JOB: "Clinical Position",
        }.get(self.kind, f"Clinical {self.kind.value.capitalize()}")
        return f"{lead} in {self.specialty}, {self.institution}"

    @property
    def supervised_by(self) -> str:
        """Whom its feedback, letter and thank-you e-mails go to, and who is recorded to write its letter: its
        supervisor, else its attending ("" when nobody is recorded; core.rotation_addressee, the reminders' drafts'
        rule)."""
        from imgcoach.core.addressee import rotation_addressee

        found = rotation_addressee(self.supervisor, self.attending)
        return found[1] if found else ""

    @property
    def supervised_by_email(self) -> str:
        """The address of `supervised_by` ("" where none is recorded): the address of the role the rule chose."""
        from imgcoach.core.addressee import rotation_addressee

        found = rotation_addressee(self.supervisor, self.attending)
        return {"supervisor": self.supervisor_email, "attending": self.attending_email}[found[0]] if found else ""

    @property
    def midpoint(self) -> date:
        """The day to ask for feedback: the reminders' rule (the middle day, moved off a weekend), so readiness
        and the reminder e-mail name the same day."""
        from imgcoach.reminders import feedback_day

        return feedback_day(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter of recommendation; ``host_country`` letters come from local attendings."""

    writer: str
    status: str  # one of plan LETTER_STATUSES: planned | requested | agreed | uploaded | declined
    rotation_id: int | None = None
    host_country: bool = True
    requested_on: date | None = None
    status_on: date | None = None  # the day the letter reached its status (requested, agreed, uploaded...)


@dataclass(frozen=True, slots=True)
class ExamRecord:
    """Where the applicant stands on one milestone of their exam path."""

    code: str
    status: str  # passed | scored (a score, pass or fail not known) | scheduled | not_started | failed
    on: date | None = None  # pass date, or the scheduled sitting
    score: int | None = None
    sub_scores: str | None = None  # OET: "L 350 R 360 W 300 S 370"
    attempt: int = 1  # the sitting's attempt number, as `exams list` numbers it (programs read attempts)
    id: int | None = None  # the exam row's id: an action says `imgcoach exams edit 4`, not "ID (ids in ...)"


@dataclass(frozen=True, slots=True)
class Case:
    """A patient encounter worth remembering (de-identified: no names, no dates of birth)."""

    id: int
    rotation_id: int
    title: str
    summary: str
    tags: tuple[str, ...] = ()
    learned: str = ""
    seen_on: date | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """A case report, QI project or research done during or after a rotation."""

    id: int
    kind: str  # one of PROJECT_KINDS
    title: str
    rotation_id: int | None = None
    supervisor: str = ""
    status: str = "in_progress"


@dataclass(frozen=True, slots=True)
class WeeklyEntry:
    """One week of the rotation log."""

    rotation_id: int
    week_of: date
    hours: float
    activities: str = ""
    procedures_observed: tuple[str, ...] = ()
    procedures_performed: tuple[str, ...] = ()
    presentations: tuple[str, ...] = ()
    feedback: str = ""
    change_after_feedback: str = ""


@dataclass(frozen=True, slots=True)
class Applicant:
    """The applicant facts readiness needs."""

    name: str
    graduation: date | None  # None: not recorded yet
    match_year: int
    target_specialties: tuple[str, ...]
    exam_path: str = "usmle"
    host_country: str = "US"
    email: str = ""
    cv_path: str = ""
    personal_statement_path: str = ""
    match_year_reason: str = ""  # why this Match: the config file, or the next submission date (plan.rules.season)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything readiness looks at, gathered by a service from the database."""

    applicant: Applicant
    rotations: tuple[Rotation, ...] = ()
    letters: tuple[Letter, ...] = ()
    exams: tuple[ExamRecord, ...] = ()
    extras: dict[str, str] = field(default_factory=dict)
