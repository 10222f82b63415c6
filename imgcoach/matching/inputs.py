"""The shortlist's inputs (ApplicantFacts and their fingerprints) and its stored run, from row-like objects.

One conversion for both readers: runs.gather hands it ORM rows read through SQLModel, matching.quick
hands it rows read with the stdlib sqlite3 (issue 17: the first `shortlist` after a write imported SQLAlchemy
and SQLModel only to read them). The fingerprints are stored with each run and compared by the next look on
either path, so they must come out byte for byte the same from both: that is why there is one function here
and no copy. No SQLAlchemy, no SQLModel: only attribute reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

try:  # CPython's own SHA-1 module (the same digest): hashlib's OpenSSL import was in every first look after a
    from _sha1 import sha1  # type: ignore[import-not-found]  # write (issue 17; storage.readcache does the same)
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import sha1

from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.vocab.exams import BY_CODE, validate_score
from imgcoach.core.vocab.specialties import parse_specialties
from imgcoach.matching.facts import VISA_NEEDS, ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.shortlist import Shortlist, diff_shortlists
from imgcoach.plan import (
    aimed_match_year,
    check_budget_programs,
    check_budget_usd,
    estimate_words,
    exam_standing,
    on_application,
    submission_day,
    weeks_served_by,
)

USCE_KINDS = ("observership", "externship", "clinical_job")
LETTER_IN_HAND = ("uploaded",)
LETTER_COMING = ("planned", "requested", "agreed")


def target_specialty_codes(stored: list[str]) -> tuple[str, ...]:
    """The profile's target specialties as codes (names, aliases and "IM, FM" lists understood). An unknown
    name is refused with suggestions: read as "no preference" it would widen the search to every specialty."""
    codes: list[str] = []
    for text in stored:
        try:
            found = parse_specialties(text, field="profile target specialties")
        except FieldError as exc:
            raise UserError(f"{exc}; fix it with `imgcoach profile set --specialties`") from None
        codes += [c for c in found if c not in codes]
    return tuple(codes)


def check_budget(programs: int | None, usd: float | None, *, programs_flag: str = "--budget",
                 usd_flag: str = "--budget-usd") -> None:
    """Refuse budgets that would mislead: nan and inf compare false with everything, so `nan <= 0` let
    `--budget-usd nan` through as "no limit"."""
    for error in (check_budget_programs(programs, field=programs_flag), check_budget_usd(usd, field=usd_flag)):
        if error is not None:  # the profile's rule (plan), said by this command's flag
            raise error


def check_step2(score: int, flag: str) -> int:
    """A Step 2 CK score on the exam's scale (the shared exam vocabulary), as `exam add` checks it."""
    exam = BY_CODE["step2ck"]
    value = validate_score(exam, score, field=flag)
    if not isinstance(value, int):
        raise FieldError(flag, score, f"must be a {exam.name} score from {exam.score_min} to {exam.score_max}")
    return value


class Inputs(NamedTuple):
    facts: ApplicantFacts
    fingerprints: dict[str, str]  # part -> hash


class InputRows(NamedTuple):
    """What gather reads, each row an object with the model's attributes (an ORM row or a namespace of the
    values as the model holds them), in the full path's order: exams by (taken_on, id), rotations by
    (start_date, id), letters and projects by id, overrides by (program_id, field)."""

    applicant: Any
    exams: Sequence[Any]
    rotations: Sequence[Any]
    letters: Sequence[Any]
    projects: Sequence[tuple[str, str]]  # (kind, title)
    overrides: Sequence[tuple[str, str, str]]  # (program_id, field, value)
    data_version: str  # data_version_text of the program tables


def data_version_text(count: int, last_updated: datetime | None, last_import: int | None) -> str:
    """Changes whenever program data changes (imports): part of the shortlist's input fingerprint. `last_updated`
    as the model holds it (an aware UTC moment), so both readers write the same text."""
    return f"{count}:{last_updated}:{last_import}"


def row_text(values: Sequence[Any], max_chars: int = 300) -> str:
    """The text json.dumps(default=str) made of an SQLAlchemy Row (str(row): each value's repr, one over
    `max_chars` cut in the middle) when the overrides' fingerprint was first hashed from the rows themselves.
    Written out here so a run stored by either reader stays current for the other, and for runs stored before."""
    def trunc(value: Any) -> str:
        rep = repr(value)
        if len(rep) > max_chars:
            half = max_chars // 2
            rep = rep[:half] + f" ... ({len(rep) - max_chars} characters truncated) ... " + rep[-half:]
        return rep

    return "(" + ", ".join(trunc(v) for v in values) + ("," if len(values) == 1 else "") + ")"


def _hash(value: Any) -> str:
    return sha1(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def inputs_from_rows(rows: InputRows, settings: Any, today: date) -> Inputs:
    """ApplicantFacts from the rows, with a fingerprint of each part for change detection."""
    applicant, exams, rotations, letters = rows.applicant, rows.exams, rows.rotations, rows.letters
    exam_facts = exam_standing(exams)

    by_id = {r.id: r for r in rotations}
    aimed = aimed_match_year(settings, today)  # the plan's one rule, readiness's too
    submission = submission_day(aimed.year)
    facts_rotations: list[RotationFact] = []
    # Not on the application programs read (plan.rules.season.on_application): said in a warning, not counted.
    after_submission: list[RotationFact] = []
    # Research: research rotations and the coach's projects (case reports, QI, research pieces) alike.
    research = len(rows.projects)
    for r in rotations:
        if r.kind == "research":
            research += 1
        if r.kind not in USCE_KINDS or (r.country or "US").upper() not in ("US", "USA"):
            continue
        # The stored flag, as readiness and `rotations list` read it: it is set by kind when a rotation is added
        # (plan.fill_rotation_defaults), and an externship the applicant marked observing stays observing here.
        kind = "externship" if r.hands_on else "observership"
        label = f"{r.specialty.lower()} {r.kind.replace('_', ' ')}"
        fact = RotationFact(label, kind, r.start_date, r.end_date, r.end_date < today, (r.state or "").upper() or None)
        if on_application(r.end_date, submission):
            facts_rotations.append(fact)
        elif weeks_served_by(r.start_date, submission):  # under way on the submission date: readiness's rule
            facts_rotations.append(fact._replace(counted_until=submission))
        else:
            after_submission.append(fact)
    received = planned = 0
    for letter in letters:
        rotation = by_id.get(letter.rotation_id) if letter.rotation_id else None
        if rotation is None or (rotation.country or "US").upper() not in ("US", "USA"):
            continue  # host-country (US) letters only
        if letter.status in LETTER_IN_HAND:
            received += 1
        elif letter.status in LETTER_COMING:
            planned += 1

    specialties = target_specialty_codes(applicant.target_specialties)
    check_budget(applicant.application_budget_programs, applicant.application_budget_usd,
                 programs_flag="profile application budget (programs)", usd_flag="profile application budget (USD)")
    prefs = Preferences(
        specialties=specialties,
        states=tuple(s.upper() for s in applicant.target_states),
        budget_programs=applicant.application_budget_programs,
        budget_usd=applicant.application_budget_usd,
    )
    if applicant.visa not in VISA_NEEDS:
        raise UserError(f"profile visa: unknown value {applicant.visa!r} (allowed: {', '.join(VISA_NEEDS)}); "
                        "fix it with `imgcoach profile set --visa`")
    visa = applicant.visa
    facts = ApplicantFacts(
        match_year=aimed.year,
        match_year_reason=aimed.why,
        submission_on=submission,
        submission_estimate=estimate_words(aimed.year),
        rotations_after_submission=tuple(after_submission),
        as_of=today,
        img_group="us_img" if applicant.us_citizen else "non_us_img",
        step2_score=exam_facts.step2_score,
        max_attempts_any_step=exam_facts.max_attempts_any_step,
        failed_attempts=exam_facts.failed_attempts,
        step3_passed=exam_facts.step3_passed,
        step3_booked_on=exam_facts.step3_pending_on,
        graduation_year=applicant.graduation_year,
        visa_need=visa,
        rotations=tuple(facts_rotations),
        us_letters_received=received,
        us_letters_planned=planned,
        research_items=research,
        home_states=frozenset(s.strip().upper() for s in applicant.home_states),
        preferences=prefs,
        applicant_id=applicant.id,
    )
    fingerprints = {
        "profile": _hash([applicant.graduation_year, applicant.visa, applicant.us_citizen, applicant.target_specialties,
                          applicant.target_states, applicant.home_states, applicant.application_budget_programs,
                          applicant.application_budget_usd, facts.match_year]),
        "exams": _hash([(e.exam, e.score, e.result, e.attempt, e.taken_on) for e in exams]),
        "rotations": _hash([(r.kind, r.specialty, r.state, r.country, r.start_date, r.end_date, r.hands_on,
                             r.end_date < today) for r in rotations]),
        "letters": _hash([(x.rotation_id, x.status) for x in letters]),
        "research": _hash([list(p) for p in rows.projects]),
        "programs": rows.data_version + ":" + _hash([row_text(o) for o in rows.overrides]),
    }
    return Inputs(facts, fingerprints)


def changed_parts(stored_inputs: dict[str, str] | None, fingerprints: dict[str, str], *, first: bool) -> list[str]:
    """Which inputs changed since the last run (whose fingerprints are `stored_inputs`); `first`: there is no
    run yet, and everything is new ("first run")."""
    if first:
        return ["first run"]
    return [part for part, value in fingerprints.items() if (stored_inputs or {}).get(part) != value]


class RunRows(NamedTuple):
    """A run to store: the shortlist_run row's values (without its id) and its entries' (without run_id)."""

    run: dict[str, Any]
    entries: list[dict[str, Any]]
    changes: list[dict[str, Any]]


def run_rows(applicant_id: int, shortlist: Shortlist, trigger: str, inputs: Inputs, now: datetime,
             previous: dict[str, str] | None, previous_chances: dict[str, float]) -> RunRows:
    """The rows both writers store for one run (runs._store through SQLModel, matching.quick through sqlite3),
    with what changed since the previous run (program id -> tier; None: there is none)."""
    # The first run has nothing to compare with: its list is shown as the list, not as 60 "entered".
    changes = [] if previous is None else [c.to_dict() for c in diff_shortlists(previous, shortlist,
                                                                                 previous_chances)]
    run = {"applicant_id": applicant_id, "computed_at": now, "trigger": trigger,
           "budget_programs": shortlist.budget_programs, "budget_usd": shortlist.budget_usd,
           "chance": shortlist.chance, "total_fee_usd": shortlist.total_fee_usd,
           "eligible_count": shortlist.eligible_count, "excluded_count": shortlist.excluded_count,
           "model_version": shortlist.model_version, "changes": changes, "inputs": inputs.fingerprints}
    entries = [{"applicant_id": applicant_id, "program_id": e.program_id, "position": n,
                "tier": e.tier, "probability": e.probability, "status": e.status, "fee_usd": e.fee_usd,
                "gain": e.gain, "reasons": [r.text for r in e.reasons], "unknown_fields": list(e.unknown_fields),
                "computed_at": now} for n, e in enumerate(shortlist.entries, start=1)]
    return RunRows(run, entries, changes)


def changes_from_runs(runs: Sequence[Any]) -> list[dict[str, Any]]:
    """What differs from the list the applicant last saw, from the unseen runs (oldest first; objects with
    changes, computed_at and trigger), one change per program, with the latest run's reason and time. Each
    unseen run's changes were listed in turn, so an edit the nightly refresh saw and a revert it saw next said
    "4 changes since you last looked" (X left, Y entered, X entered, Y left) of the very list they had seen,
    with the first run's stale reasons. A program's first change says where it was when last seen, its last
    change where it is now; equal, it did not change."""
    each = [{**c, "computed_at": r.computed_at, "trigger": r.trigger} for r in runs for c in (r.changes or [])]
    seen_tier: dict[str, str | None] = {}
    latest: dict[str, dict[str, Any]] = {}
    for c in each:
        seen_tier.setdefault(c["program_id"], c.get("old_tier"))
        latest.pop(c["program_id"], None)  # re-inserted: the order is that of each program's latest change
        latest[c["program_id"]] = c
    out = []
    for pid, c in latest.items():
        old, new = seen_tier[pid], c.get("new_tier")
        if old == new:
            continue
        kind = "entered" if old is None else "left" if new is None else "moved"
        out.append({**c, "kind": kind, "old_tier": old})
    return out
