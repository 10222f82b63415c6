"""The applicant's profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from imgcoach.core.budget import no_budget_words
from imgcoach.core.clock import local_date
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.words import counted
from imgcoach.plan.edits import Loaded, check_loaded
from imgcoach.plan.event_links import Replaced, replace_floating_events
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.vocab import VISAS
from imgcoach.reminders import (
    FarPlace,
    Redrafted,
    RemindersMoved,
    document_line,
    far_place,
    far_place_words,
    pending_moments,
    resync_all,
)
from imgcoach.reminders import document_problem as document_problem  # the packet's rule, re-exported by plan
from imgcoach.storage.applicants import NO_PROFILE as NO_PROFILE  # re-exported by the plan API for the faces
from imgcoach.storage.applicants import current_applicant, find_applicant
from imgcoach.storage.models import Applicant, Reminder, Rotation

PROFILE_FIELDS = (
    "name", "email", "timezone", "school", "school_country", "graduation_year", "visa", "us_citizen", "us_citizen_said",
    "target_specialties", "target_countries", "target_states", "home_states", "cv_path", "personal_statement_path",
    "application_budget_programs", "application_budget_usd", "synthetic",
)


def get_profile(ctx: Context) -> Applicant | None:
    with ctx.db.read() as session:
        return find_applicant(session, ctx)


def validate_profile(values: dict[str, Any], today) -> None:
    v.raise_if_any(
        v.check_required(values.get("name", ""), field="name"),
        v.check_email(values.get("email", "")),
        v.check_timezone(values.get("timezone", "")),
        v.check_graduation_year(values["graduation_year"], today) if values.get("graduation_year") is not None else None,
        v.check_choice(values.get("visa", "none"), VISAS, field="visa"),
        _check_states(values.get("home_states") or [], "home_states"),
        # The shortlist's preferred states: "NY,ZZ" was saved, and "ZZ" alone left no program in scope.
        _check_states(values.get("target_states") or [], "target_states"),
        v.check_budget_programs(values.get("application_budget_programs"), field="application_budget_programs"),
        v.check_budget_usd(values.get("application_budget_usd"), field="application_budget_usd"),
        *v.check_one_line_fields(values, ("school", "school_country")),
    )


def _check_states(states: list[str], field: str) -> FieldError | None:
    from imgcoach.core.vocab.us_states import STATES

    bad = [s for s in states if s.strip().upper() not in STATES]
    if bad:
        return FieldError(field, bad, "two-letter US state codes (50 states, DC, PR), e.g. NY,NJ")
    return None


def normalise_profile(changes: dict[str, Any]) -> dict[str, Any]:
    """Target specialties by their list names ("IM" -> "Internal Medicine"), target countries as ISO codes
    ("USA" -> "US"), the school's country by its list name ("usa" -> "United States"), the e-mail address as it
    is kept; unknown names refused with suggestions."""
    from imgcoach.core.vocab.countries import parse_country
    from imgcoach.core.vocab.specialties import parse_specialty, specialty_names

    out = dict(changes)
    if out.get("us_citizen") is not None:  # given, yes or no: "not said" no longer
        out["us_citizen_said"] = True
    if isinstance(out.get("email"), str):
        out["email"] = v.stored_email(out["email"])
    errors: list[v.FieldError | None] = []
    for name, parse in (("target_specialties", lambda t: specialty_names()[parse_specialty(t, "target_specialties")]),
                        ("target_countries", lambda t: parse_country(t, "target_countries"))):
        if name not in out or out[name] is None:
            continue
        items = out[name] if isinstance(out[name], list) else [p for p in str(out[name]).split(",")]
        parsed: list[str] = []
        for item in (str(i).strip() for i in items):
            if not item:
                continue
            try:
                value = parse(item)
            except v.FieldError as exc:
                errors.append(exc)
                continue
            if value not in parsed:
                parsed.append(value)
        out[name] = parsed
    # The school's country by the same list and message as the target countries ("Narnia" was saved). Only a
    # value being set is checked: a stored one from before this rule does not block changing anything else.
    # Kept by the name the check matched ("usa" -> "United States", "INDIA" -> "India"), as target countries
    # are shown: `profile show` and `applicants list` printed the text as typed.
    if str(out.get("school_country") or "").strip():
        from imgcoach.core.vocab.countries import country_name

        out["school_country"] = str(out["school_country"]).strip()
        try:
            out["school_country"] = country_name(parse_country(out["school_country"], "school_country"))
        except v.FieldError as exc:
            errors.append(exc)
    v.raise_if_any(*errors)
    for name in ("home_states", "target_states"):  # as the shortlist compares them; validate_profile checks them
        if out.get(name) is not None:
            out[name] = [str(s).strip().upper() for s in out[name] if str(s).strip()]
    return out


DOCUMENT_FIELDS = ("cv_path", "personal_statement_path")  # the files the letter packet attaches
BUDGET_FIELDS = ("application_budget_programs", "application_budget_usd")  # either one is the shortlist's budget


@dataclass(frozen=True)
class ProfileSaved:
    """What a profile change did beyond the row: `events_moved` floating imported events (and
    `events_assumed_moved` whose TZID no zone matched) re-placed at their clock time in the new zone, the document paths it set that the packet would leave out (`documents`: field, path,
    why), so the faces can say so. The sentences are composed here, once: `profile set` said both and the app's
    profile form neither."""

    applicant: Applicant
    events_moved: int = 0
    # Imported events whose TZID no zone matched (read in the applicant's zone): placed again at their clock time.
    events_assumed_moved: int = 0
    documents: tuple[tuple[str, str, str], ...] = ()
    # The save removed the last budget the profile had: the shortlist now uses its default. Decided here once:
    # `profile set` said so whenever a budget option said "none" (a budget already gone too), the app's form
    # whenever its own copy of the profile had one.
    budget_cleared: bool = False
    # The pending reminders a change of zone moved (each keeps its clock time in the new zone).
    reminders: RemindersMoved = field(default_factory=RemindersMoved)
    # Rotations not over whose reminders, after a change of zone, reach their place out of their day
    # (reminders.far_place): back home after one rotation, the next one abroad is timed at home again.
    far: tuple[tuple[int, FarPlace], ...] = ()
    # A new name or address: what it did to the e-mails not sent yet that the applicant signs
    # (coach.save_profile_and_drafts); None when neither changed or plan.save_profile saved alone.
    redrafted: Redrafted | None = None

    def place_words(self, how: str) -> list[str]:
        """One sentence per rotation in `far`, as plan.place_note says it when a rotation is added."""
        return [f"rotation {rotation_id} {far_place_words(place, how)}" for rotation_id, place in self.far]

    def zone_words(self) -> str:
        """What the change of zone did to imported events, in words ("" when nothing moved): every face says
        this one sentence, since their instants moved without the applicant touching them."""
        parts = []
        for n, which in ((self.events_moved, "without a time zone"),
                         (self.events_assumed_moved, "in a time zone the import could not match (read in yours)")):
            if n:
                parts.append(f"{counted(n, 'imported event')} {which} {'keeps its' if n == 1 else 'keep their'} "
                             f"clock time in {self.applicant.timezone}")
        moved = self.reminders.zone_words(self.applicant.timezone)
        return "; ".join(([moved] if moved else []) + parts)

    def saved_words(self) -> str:
        """"profile saved for Amina Rahman", with `zone_words` after a semicolon when there are any."""
        kept = "; ".join(w for w in (self.zone_words(), self.redrafted.words() if self.redrafted else "") if w)
        return f"profile saved for {self.applicant.name}" + (f"; {kept}" if kept else "")

    def document_warnings(self, name_of: Callable[[str], str]) -> list[str]:
        """One warning per document path set that the packet would leave out, the field named as the face names
        it (`name_of("cv_path")`: "--cv-path" in the CLI, "CV file" in the app's form)."""
        return [document_line(name_of(field), path, why) for field, path, why in self.documents]

    def budget_words(self) -> str:
        """What the list uses now that the save removed the profile's budget ("" when it did not): every face
        says this one sentence after the save."""
        return no_budget_words() if self.budget_cleared else ""


def set_profile(ctx: Context, *, loaded: Loaded | None = None, **changes: Any) -> Applicant:
    """Create the profile or change any subset of its fields; pending reminders follow.

    `loaded`: the profile as a form loaded it; EditConflict when another process changed it since."""
    return save_profile(ctx, loaded=loaded, **changes).applicant


def save_profile(ctx: Context, *, loaded: Loaded | None = None, **changes: Any) -> ProfileSaved:
    """`set_profile`, saying also how many floating imported events the change of zone moved."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        return save_profile_in(session, ctx, loaded=loaded, **changes)


def save_profile_in(session: Any, ctx: Context, *, loaded: Loaded | None = None, **changes: Any) -> ProfileSaved:
    """`save_profile` in the caller's transaction (coach.save_profile_and_drafts redrafts what the profile signs)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise UserError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    changes = normalise_profile(changes)
    now = ctx.clock.now()
    applicant = find_applicant(session, ctx)
    if applicant is not None:
        check_loaded(applicant, loaded, PROFILE_FIELDS, "profile", f"of {(loaded or {}).get('name') or applicant.name}")
    current: dict[str, Any] = applicant.model_dump() if applicant else {"timezone": "UTC", "visa": "none"}
    old_zone = str(current.get("timezone") or "UTC")
    merged = {**current, **changes}
    validate_profile(merged, now.date())
    if applicant is None:
        applicant = Applicant(**{k: merged[k] for k in PROFILE_FIELDS if k in merged}, created_at=now)
    else:
        for key, value in changes.items():
            setattr(applicant, key, value)
    applicant.updated_at = now
    session.add(applicant)
    session.flush()
    moved = Replaced()
    if applicant.id is not None and applicant.timezone != old_zone:
        moved = replace_floating_events(session, applicant.id, applicant.timezone)
    reminders = RemindersMoved()
    if applicant.id is not None and {"timezone", "email"} & set(changes):
        before = pending_moments(session, applicant.id)
        resync_all(session, ctx, applicant, now, old_zone=old_zone)
        if applicant.timezone != old_zone:
            reminders = RemindersMoved.between(before, pending_moments(session, applicant.id))
    far: tuple[tuple[int, FarPlace], ...] = ()
    if applicant.id is not None and applicant.timezone != old_zone:
        far = _far_rotations(session, ctx, applicant)
    documents = tuple((f, str(changes[f]), why) for f in DOCUMENT_FIELDS
                      if f in changes and (why := document_problem(changes[f])))
    had_budget = any(current.get(f) is not None for f in BUDGET_FIELDS)
    cleared = had_budget and all(getattr(applicant, f) is None for f in BUDGET_FIELDS)
    return ProfileSaved(applicant, moved.floating, moved.assumed, documents, budget_cleared=cleared,
                        reminders=reminders, far=far)


def _far_rotations(session: Any, ctx: Context, applicant: Applicant) -> tuple[tuple[int, FarPlace], ...]:
    """The applicant's rotations not over whose reminders reach their place out of their day in the new zone."""
    now = ctx.clock.now()
    today = local_date(now, applicant.timezone)
    rows = session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id, Rotation.end_date >= today)
                        .order_by(col(Rotation.start_date), col(Rotation.id))).all()
    found = ((r.id, far_place(r.id, r.start_date, r.end_date, r.state, r.country, applicant.timezone,
                              ctx.settings.reminders, now)) for r in rows)
    return tuple((rotation_id, place) for rotation_id, place in found if place is not None)


# --- Several applicants in one database (an organisation): `imgcoach applicants ...`


def list_applicants(ctx: Context) -> list[Applicant]:
    with ctx.db.read() as session:
        return list(session.exec(select(Applicant).order_by(Applicant.id)).all())  # type: ignore[arg-type]


def add_applicant(ctx: Context, **fields: Any) -> Applicant:
    """A new applicant beside the others; the e-mail must be new, since --applicant finds people by it."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise UserError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    now = ctx.clock.now()
    values = {"timezone": "UTC", "visa": "none", **normalise_profile(fields)}  # the same names as `profile set`
    validate_profile(values, now.date())
    with ctx.db.transaction() as session:  # the e-mail must be new in the whole database
        taken = session.exec(select(Applicant.id).where(
            func.lower(Applicant.email) == str(values["email"]).lower())).first()
        if taken is not None:
            raise UserError(f"--email: applicant {taken} already has the e-mail {values['email']!r}")
        applicant = Applicant(**values, created_at=now, updated_at=now)
        session.add(applicant)
        session.flush()
        return applicant


# Reminders not yet sent, nor given up: the ones deleting an applicant stops from ever going out.
UNSENT = ("pending", "sending", "failed", "unconfirmed")


@dataclass(frozen=True)
class RemovedApplicantRows:
    applicant: Applicant
    unsent_reminders: list[Reminder]  # deleted with the applicant: said, as rotation and contact removes say theirs


def remove_applicant(ctx: Context) -> Applicant:
    """Delete the context's applicant and everything of theirs (the foreign keys cascade)."""
    return remove_applicant_reporting(ctx).applicant


def remove_applicant_reporting(ctx: Context) -> RemovedApplicantRows:
    """`remove_applicant`, naming the unsent reminders deleted with it (read in the same transaction)."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        unsent = list(session.exec(select(Reminder).where(
            Reminder.applicant_id == applicant.id, col(Reminder.status).in_(UNSENT)).order_by(
            col(Reminder.due_at), col(Reminder.id))).all())
        for row in unsent:
            session.expunge(row)  # read after the commit, once the row is gone
        session.delete(applicant)
        return RemovedApplicantRows(applicant, unsent)
