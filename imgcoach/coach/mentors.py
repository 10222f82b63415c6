"""Keeping mentors close: progress-update drafts to former supervisors at moments the applicant marks.

Nothing here sends mail. Every update is a draft with ``needs_approval=True``; the services put it in the
reminder outbox held until the applicant approves it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from imgcoach.coach.drafts import Draft, render_draft
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.models import Applicant, Letter, Rotation


class MomentKind(StrEnum):
    EXAM_SCORE = "exam_score"
    APPLICATIONS_SUBMITTED = "applications_submitted"
    INTERVIEW_SEASON = "interview_season"
    MATCH_DAY = "match_day"


_HEADLINES = {
    # Not "Your teaching helped me prepare": the moment does not say when the exam was sat, and the demo's Step 2 CK
    # (October of last year) came months before the observership whose supervisor was told so.
    MomentKind.EXAM_SCORE: ("a new exam result", "I received my result: {detail}.",
                            "Thank you again for your teaching and your support."),
    MomentKind.APPLICATIONS_SUBMITTED: ("applications submitted", "I have submitted my residency applications{detail}.",
                                        "Thank you again for your teaching and your support."),
    MomentKind.INTERVIEW_SEASON: ("interview season", "interview season has started for me{detail}.",
                                  "The cases I saw with you are among the stories I share in interviews."),
    MomentKind.MATCH_DAY: ("Match Day", "{detail}",
                           "None of this would have happened without mentors like you."),
}


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment worth telling supervisors about, marked by the applicant."""

    kind: MomentKind
    on: date
    detail: str = ""

    @property
    def headline(self) -> str:
        return _HEADLINES[self.kind][0]

    @property
    def text(self) -> str:
        detail = self.detail.strip()
        if self.kind is MomentKind.MATCH_DAY:
            return (detail or "Match Day has come") + ("" if detail.endswith(".") else ".")
        if self.kind is MomentKind.EXAM_SCORE:
            return exam_sentence(detail)
        return _HEADLINES[self.kind][1].format(detail=f" ({detail})" if detail else "")

    @property
    def closing(self) -> str:
        """What a supervisor who wrote no letter can be thanked for (see `closing_for`)."""
        return _HEADLINES[self.kind][2]

    def closing_for(self, letter_status: str | None) -> str:
        """Thanks for a letter only to someone who wrote one (uploaded): every former supervisor gets the update,
        and "thank you again for your letter" to one who wrote none, or has only agreed to, is false and awkward
        to send. `letter_status`: the status of their letter, None when they have none."""
        if self.kind is MomentKind.APPLICATIONS_SUBMITTED:
            if letter_status == "uploaded":
                return "Thank you again for your letter and your support."
            if letter_status == "agreed":
                return "Thank you again for agreeing to write my letter, and for your support."
        return self.closing


_RESULT_DETAIL = re.compile(r"^(?P<exam>[^:]*?)\s*(?:result)?\s*(?:received)?\s*:\s*(?P<score>.+)$", re.IGNORECASE)


def exam_sentence(detail: str) -> str:
    """One sentence from what the applicant typed: "Step 2 CK result received: 246" reads
    "I received my Step 2 CK result: 246."; anything else is quoted as the news itself."""
    detail = detail.strip().rstrip(".").strip()
    if not detail:
        return "I received my exam result."
    found = _RESULT_DETAIL.match(detail)
    if found and found["exam"].strip():
        return f"I received my {found['exam'].strip()} result: {found['score'].strip()}."
    return f"I received my exam result: {detail}."


def parse_moment(kind: str) -> MomentKind:
    key = kind.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return MomentKind(key)
    except ValueError:
        allowed = ", ".join(k.value for k in MomentKind)
        # not "moment: ...": no option or word the user typed is called that (`progress mark KIND`)
        raise CoachInputError(f"unknown kind {kind!r} of progress to mark (allowed: {allowed})") from None


@dataclass(frozen=True, slots=True)
class ProgressDraft:
    """One update to one supervisor; ``needs_approval`` is always True for supervisor mail."""

    supervisor: str
    supervisor_email: str
    rotation_id: int
    draft: Draft
    due: date
    needs_approval: bool = True


def supervisors_to_update(rotations: list[Rotation], today: date) -> list[Rotation]:
    """One rotation per supervisor (the latest), among finished rotations: they are the 'former' ones. A rotation's
    supervisor is its attending where no supervisor is recorded (Rotation.supervised_by): an externship whose
    attending alone was recorded got no update, while readiness named her and her drafts went to her."""
    latest: dict[str, Rotation] = {}
    for r in sorted(rotations, key=lambda r: r.end):
        if r.supervised_by and r.end < today:
            latest[r.supervised_by.casefold()] = r
    return sorted(latest.values(), key=lambda r: r.supervised_by)


def progress_drafts(moment: Moment, applicant: Applicant, rotations: list[Rotation], today: date,
                    letters: Sequence[Letter] = ()) -> list[ProgressDraft]:
    """A draft per former supervisor for ``moment``, due on the moment's date (or today if it is past).
    `letters` tell who wrote one (uploaded) or agreed to, to be thanked for that."""
    due = max(today, moment.on)
    writers: dict[str, str] = {}  # writer -> "uploaded" if any of theirs is, else "agreed"
    for letter in letters:
        if letter.status in ("agreed", "uploaded") and writers.get(letter.writer.casefold()) != "uploaded":
            writers[letter.writer.casefold()] = letter.status
    return [
        ProgressDraft(
            supervisor=r.supervised_by,
            supervisor_email=r.supervised_by_email,
            rotation_id=r.id,
            draft=render_draft("progress_update.txt.j2", supervisor=r.supervised_by, rotation=r,
                               applicant=applicant, moment=moment,
                               closing=moment.closing_for(writers.get(r.supervised_by.casefold()))),
            due=due,
        )
        for r in supervisors_to_update(rotations, today)
    ]


def thank_you_draft(rotation: Rotation, applicant: Applicant) -> Draft:
    return render_draft("thank_you.txt.j2", rotation=rotation, applicant=applicant)
