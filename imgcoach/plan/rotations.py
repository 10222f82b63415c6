"""Rotations: add, edit, remove, read; reminders kept in step in the same transaction."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.same_rotation import same_rotation_key
from imgcoach.core.vocab.countries import parse_country
from imgcoach.core.vocab.specialties import fellowship_base, parse_specialty, specialty_names
from imgcoach.plan.edits import Loaded, check_loaded
from imgcoach.plan.event_links import unlink_events
from imgcoach.plan.rules import validation as v
from imgcoach.plan.rules.dates import log_week_first, week_days
from imgcoach.plan.rules.vocab import ASSUMED_HOURS, HANDS_ON_KINDS, ROTATION_KINDS, SETTINGS
from imgcoach.reminders import (
    RemindersMoved,
    cancel_pending_for_rotation,
    pending_moments,
    sync_rotation_reminders,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import (
    CaseNote,
    Contact,
    LetterRequest,
    Reminder,
    Rotation,
    RotationContact,
    WeeklyLogEntry,
)

ROTATION_FIELDS = (
    "kind", "specialty", "institution", "department", "city", "state", "country", "start_date", "end_date",
    "setting", "hours_per_week", "hands_on", "responsibilities", "learned", "feedback_requested_on",
    "source_event_id",
)


@dataclass(frozen=True)
class _Subspecialty:
    typed: str  # as typed, stripped: "Cardiology"
    base: str  # the residency specialty it belongs to, by its list name: "Internal Medicine"
    department: str  # the department saved with it: the one given, else the typed name
    department_given: bool


def _subspecialty(typed: Any, department: Any) -> _Subspecialty | None:
    """The one test of a typed fellowship or subspecialty, which normalise_rotation saves and specialty_note says
    (each tested it on its own); None for any other name."""
    text = str(typed or "").strip()
    base = fellowship_base(text) if text else None
    if base is None:
        return None
    given = str(department or "").strip()
    return _Subspecialty(text, specialty_names()[base], given or text, bool(given))


def normalise_rotation(values: dict[str, Any]) -> dict[str, Any]:
    """Closed vocabularies: the country as its ISO code ("USA" -> "US"), the specialty as its list name
    ("IM" -> "Internal Medicine"). Unknown names are refused with suggestions, all at once."""
    out = dict(values)
    errors: list[v.FieldError | None] = []
    if "setting" in out and not out["setting"]:
        out["setting"] = ""  # not said (a form's blank choice is None): not "inpatient", which the CV would print
    if "country" in out:
        try:
            out["country"] = parse_country(out["country"]) if str(out["country"] or "").strip() else "US"
        except v.FieldError as exc:
            errors.append(exc)
    typed = str(out.get("specialty") or "").strip()
    sub = _subspecialty(typed, out.get("department"))
    if sub is not None:
        # A Cardiology observership is Internal Medicine experience: the service stays as the department.
        out["specialty"], out["department"] = sub.base, sub.department
    elif typed:
        try:
            out["specialty"] = specialty_names()[parse_specialty(typed)]
        except v.FieldError as exc:
            errors.append(exc)
    v.raise_if_any(*errors)
    return out


def specialty_note(typed: str | None, department: str | None = None) -> str | None:
    """What becomes of a typed subspecialty (normalise_rotation keeps a Cardiology observership as Internal
    Medicine, with Cardiology as its department unless one was given with it), in words a face says when it
    saves: without them the applicant typed Cardiology and the list shows Internal Medicine. None for any
    other name. `department` is the one saved with it, as normalise_rotation reads it."""
    sub = _subspecialty(typed, department)
    if sub is None:
        return None
    said = f"{sub.typed} is counted as {sub.base} experience, the residency specialty it belongs to"
    return said if sub.department_given else f"{said}; {sub.typed} is kept as the department"


def validate_rotation(values: dict[str, Any], changed: Collection[str] = ()) -> None:
    """Every field error at once, so a form can show each next to its field. `changed`: the fields an edit
    gives (a start moved past the end it keeps is the start's error, `check_date_range`)."""
    start, end = values.get("start_date"), values.get("end_date")
    end_kept = "start_date" in changed and "end_date" not in changed
    v.raise_if_any(
        v.check_choice(values.get("kind", ""), ROTATION_KINDS, field="kind"),
        v.check_required(values.get("specialty", ""), field="specialty"),
        v.check_required(values.get("institution", ""), field="institution"),
        None if isinstance(start, date) else v.FieldError("start_date", start, "is required (YYYY-MM-DD)"),
        None if isinstance(end, date) else v.FieldError("end_date", end, "is required (YYYY-MM-DD)"),
        v.check_date_range(start, end, field="end_date", start_field="start_date", end_kept=end_kept)
        if isinstance(start, date) and isinstance(end, date) else None,
        v.check_hours(values.get("hours_per_week", 0)),
        v.check_choice(values["setting"], SETTINGS, field="setting") if values.get("setting") else None,
        *v.check_one_line_fields(values, ("department", "city", "state", "country")),
    )


def check_feedback_asked(values: dict[str, Any], today: date) -> None:
    """The day the mid-rotation feedback was asked (it settles the reminder to ask, reminders.feedback_settled):
    within the rotation's days at the earliest and today at the latest, a fact and not a plan, so a day ahead
    would cancel the reminder for a request not made yet."""
    asked, start = values.get("feedback_requested_on"), values.get("start_date")
    if asked is None:
        return
    if not isinstance(asked, date):
        raise FieldError("feedback_requested_on", asked, "is not a day (YYYY-MM-DD)")
    v.raise_if_any(
        v.check_not_after(asked, today, field="feedback_requested_on",
                          then="record it on the day you ask (a reminder to ask stays until then)"),
        FieldError("feedback_requested_on", asked.isoformat(), f"before the rotation starts ({start})")
        if isinstance(start, date) and asked < start else None,
    )


def list_rotations(ctx: Context) -> list[Rotation]:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        query = select(Rotation).where(Rotation.applicant_id == applicant.id)
        return list(session.exec(query.order_by(col(Rotation.start_date), col(Rotation.id))).all())


def get_rotation(ctx: Context, rotation_id: int) -> Rotation:
    with ctx.db.read() as session:
        return owned(session, Rotation, rotation_id, current_applicant(session, ctx), "rotation")


def fill_rotation_defaults(values: dict[str, Any]) -> None:
    """What a new rotation is when it does not say (`rotations add`, an accepted offer, a rotation made from a
    calendar event): 40 h a week, marked assumed (the CV leaves an assumed figure out; every view says
    "assumed"), and hands-on by its kind, not "observing" for an externship."""
    if values.get("hours_per_week") is None:
        values["hours_per_week"] = ASSUMED_HOURS
        values["hours_assumed"] = True
    if values.get("hands_on") is None:
        values["hands_on"] = values.get("kind") in HANDS_ON_KINDS


def add_rotation(ctx: Context, **values: Any) -> Rotation:
    unknown = set(values) - set(ROTATION_FIELDS)
    if unknown:
        raise UserError(f"unknown rotation field(s): {', '.join(sorted(unknown))}")
    fill_rotation_defaults(values)
    validate_rotation(values)
    values = normalise_rotation(values)
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        check_feedback_asked(values, local_today(ctx.clock, applicant.timezone))
        _refuse_the_same_twice(session, applicant, values)
        rotation = Rotation(applicant_id=saved_id(applicant.id), created_at=now, updated_at=now, **values)
        session.add(rotation)
        session.flush()
        sync_rotation_reminders(session, ctx, applicant, rotation, now)
        return rotation


def _refuse_the_same_twice(session: Any, applicant: Any, values: dict[str, Any], other_than: int | None = None,
                           field: str = "institution") -> None:
    """The same kind of rotation at the same place on the same days is one rotation typed twice (a second
    `rotations add` after a slow first one, or an edit that makes one the copy of another): a second row doubles
    the hours, the experience counted and every reminder. An overlapping, different rotation stays a warning (the
    conflicts)."""
    same = same_rotation(session, applicant.id, values, other_than)
    if same is not None:
        raise FieldError(field, values.get(field), f"this rotation is already in the plan "
                         f"(rotation {same.id}, {same.start_date} to {same.end_date}): edit that one instead")


def same_rotation(session: Any, applicant_id: int | None, values: dict[str, Any],
                  other_than: int | None = None) -> Rotation | None:
    """The applicant's rotation, other than `other_than`, that `values` would repeat (same kind, place and days),
    if any: the one rule for an add, an edit and an undo that would bring a deleted rotation back beside its
    re-added twin. The place is compared by core.same_rotation's key, in Python (SQL's lower() knows ASCII only on
    SQLite), among the rotations of that kind and those days."""
    kind, first, last = values.get("kind"), _day_of(values.get("start_date")), _day_of(values.get("end_date"))
    if first is None or last is None:
        return None
    query = select(Rotation).where(Rotation.applicant_id == applicant_id, Rotation.kind == kind,
                                   Rotation.start_date == first, Rotation.end_date == last)
    if other_than is not None:
        query = query.where(Rotation.id != other_than)
    wanted = same_rotation_key(str(kind), str(values.get("institution") or ""), first, last)
    return next((rotation for rotation in session.exec(query.order_by(col(Rotation.id))).all()
                 if same_rotation_key(rotation.kind, rotation.institution, rotation.start_date, rotation.end_date)
                 == wanted), None)


def _day_of(value: Any) -> date | None:
    """A day as `values` holds it: a date, or its ISO text (a row read back as plain values); None when it has none."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@dataclass(frozen=True)
class LogWeeksMoved:
    """What a change of a rotation's dates did to its log (`move_log_weeks_in`), said alike by `rotations edit`,
    the app's form and an import that moved a rotation with its event."""

    renamed: tuple[tuple[date, date], ...] = ()  # (old label, new label) of each log week renamed
    outside: tuple[tuple[date, float], ...] = ()  # (label, hours) of each log week now mostly outside the dates
    # (label, the new week it would be, hours) of each log week that would be a week not begun yet: kept as logged
    ahead: tuple[tuple[date, date, float], ...] = ()
    today: date | None = None  # the applicant's day `ahead` was judged by

    def __bool__(self) -> bool:
        return bool(self.renamed or self.outside or self.ahead)

    def words(self) -> str:
        """"its logged week of 2026-10-05 is now the week of 2026-10-08 (the new week holding most of its days)",
        the weeks left outside the new dates and those kept as a week not begun would be ("" when nothing)."""
        parts = []
        if len(self.renamed) == 1:
            (old, new), = self.renamed
            parts.append(f"its logged week of {old} is now the week of {new} (the new week holding most of its days)")
        elif self.renamed:
            pairs = [f"{old} is now {new}" for old, new in self.renamed]
            shown = ", ".join(pairs[:3]) + (f" and {len(pairs) - 3} more" if len(pairs) > 3 else "")
            parts.append(f"its logged weeks now go by the new weeks holding most of their days: {shown}")
        if self.outside:
            weeks = ", ".join(f"{day} ({hours:g} h)" for day, hours in self.outside)
            many = len(self.outside) > 1
            parts.append(f"its logged week{'s' if many else ''} of {weeks} now {'lie' if many else 'lies'} mostly "
                         f"outside its dates: kept as logged")
        if self.ahead:
            # the log itself refuses a week not begun (coach's check_week_begun): a rename made one all the same
            weeks = ", ".join(f"{day} ({hours:g} h) would be the week of {new}" for day, new, hours in self.ahead)
            many = len(self.ahead) > 1
            parts.append(f"its logged week{'s' if many else ''} of {weeks}, which {'have' if many else 'has'} not "
                         f"begun (today is {self.today}): kept as logged")
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"renamed": [{"from": old.isoformat(), "to": new.isoformat()} for old, new in self.renamed],
                "outside": [{"week_of": day.isoformat(), "hours": hours} for day, hours in self.outside],
                "not_begun": [{"week_of": day.isoformat(), "would_be": new.isoformat(), "hours": hours}
                              for day, new, hours in self.ahead]}


@dataclass(frozen=True)
class RotationSaved:
    """A rotation's edit and what it did to its pending reminders: the CLI and the app's form say `saved_words`."""

    rotation: Rotation
    reminders: RemindersMoved = field(default_factory=RemindersMoved)
    log: LogWeeksMoved = field(default_factory=LogWeeksMoved)  # what its new dates did to its log

    def saved_words(self) -> str:
        """"rotation 3 updated; its 4 pending reminders moved with its dates" (the reminders' and the log's part
        when any)."""
        moved = self.reminders.rotation_words()
        log = self.log_words()
        return f"rotation {self.rotation.id} updated" + (f"; {moved}" if moved else "") + (f"; {log}" if log else "")

    def log_words(self) -> str:
        """What the edit did to the rotation's log ("" when nothing): `LogWeeksMoved.words`."""
        return self.log.words()


@dataclass(frozen=True)
class _LogPlan:
    moves: list[tuple[WeeklyLogEntry, date]]  # the rows renamed, each with its new label
    outside: list[WeeklyLogEntry]  # mostly outside the new dates: kept
    ahead: list[tuple[WeeklyLogEntry, date]]  # would be a week not begun yet: kept, with the week it would be


def log_week_moves(session: Any, rotation_id: int, old_start: date, old_end: date, start: date,
                   end: date, today: date) -> _LogPlan:
    """The log rows a change of the rotation's dates renames, each with its new label: the new week holding most
    of its old week's days (its middle day), so `log list` names weeks that are the rotation's. Rows were left
    labelled by the old weeks: a start moved from a Monday to a Thursday left "week of" Mondays, the first before
    the rotation. A week that would lie mostly outside the new dates is kept as logged (what was worked is the
    user's) and returned apart, to be said; rows already outside the old dates are left alone. So is a week whose
    new week begins after `today` (a week under way, the start moved a few days later): the log refuses to log a
    week not begun, and a rename made one, which readiness counted as done; its old label is a week begun."""
    rows = session.exec(select(WeeklyLogEntry).where(WeeklyLogEntry.rotation_id == rotation_id)
                        .order_by(col(WeeklyLogEntry.week_of), col(WeeklyLogEntry.id))).all()
    plan = _LogPlan([], [], [])
    middles: list[tuple[WeeklyLogEntry, date]] = []
    for row in rows:
        if not old_start <= row.week_of <= old_end:
            continue
        # the middle of the row's own days: from its label (a week's first day, or later for a row kept under a
        # label a move did not take: a week not begun) to its week's end (the rotation's, for a last, shorter week)
        first, last = row.week_of, week_days(old_start, row.week_of)[1]
        middle = first + (min(last, old_end) - first) // 2
        new_first = log_week_first(middle, start)
        if not start <= middle <= end:
            plan.outside.append(row)
        elif new_first > today and new_first != row.week_of:
            plan.ahead.append((row, new_first))
        else:
            middles.append((row, middle))
    moving = {row.id for row, _ in middles}
    taken = {row.week_of for row in rows if row.id not in moving}  # the labels of the rows that stay as they are
    for row, middle in middles:
        label, last_day = week_days(start, middle)
        # two rows of one old week (kept apart by upgrade 0016) stay two rows, inside the one new week
        while label in taken and label < last_day:
            label += timedelta(days=1)
        taken.add(label)
        plan.moves.append((row, label))
    return plan


def _renames(moves: list[tuple[WeeklyLogEntry, date]]) -> tuple[tuple[date, date], ...]:
    """(old label, new label) of each log week `log_week_moves` renames."""
    return tuple((row.week_of, label) for row, label in moves if row.week_of != label)


def _rename_log_weeks(session: Any, moves: list[tuple[WeeklyLogEntry, date]]) -> tuple[tuple[date, date], ...]:
    """Write `log_week_moves`' labels; two steps, as one label may pass from one row to the next (unique)."""
    changed = [(row, label) for row, label in moves if row.week_of != label]
    renamed = _renames(moves)
    for row, _ in changed:
        row.week_of = date(1, 1, 1) + timedelta(days=row.id or 0)  # out of every rotation's way for a moment
        session.add(row)
    session.flush()
    for row, label in changed:
        row.week_of = label
        session.add(row)
    session.flush()
    return renamed


def move_log_weeks_in(session: Any, rotation_id: int, old: tuple[date, date], new: tuple[date, date],
                      today: date, *, write: bool = True) -> LogWeeksMoved:
    """Rename the rotation's logged weeks after its dates moved from `old` to `new` (start, end), inside the
    caller's transaction: the one rule for a rotation edit and an import that moves a rotation with its event
    (before its reminders are synced: feedback logged settles one by its week). `today`: the applicant's day.
    `write=False`: what it would do, nothing renamed (an import's preview says it)."""
    if old == new:
        return LogWeeksMoved()
    plan = log_week_moves(session, rotation_id, *old, *new, today)
    renamed = _rename_log_weeks(session, plan.moves) if write else _renames(plan.moves)
    return LogWeeksMoved(renamed, tuple((row.week_of, row.hours) for row in plan.outside),
                         tuple((row.week_of, label, row.hours) for row, label in plan.ahead), today)


def edit_rotation(ctx: Context, rotation_id: int, *, loaded: Loaded | None = None, **changes: Any) -> Rotation:
    """Change any fields; pending reminders move with the dates, sent ones stay as they were.

    `loaded`: the rotation as a form loaded it; EditConflict when another process changed it since."""
    return save_rotation(ctx, rotation_id, loaded=loaded, **changes).rotation


def save_rotation(ctx: Context, rotation_id: int, *, loaded: Loaded | None = None, **changes: Any) -> RotationSaved:
    """`edit_rotation`, saying also what its pending reminders did (moved, new, cancelled)."""
    unknown = set(changes) - set(ROTATION_FIELDS)
    if unknown:
        raise UserError(f"unknown rotation field(s): {', '.join(sorted(unknown))}")
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        rotation = owned(session, Rotation, rotation_id, applicant, "rotation")
        seen = loaded or rotation.model_dump()
        check_loaded(rotation, loaded, ROTATION_FIELDS, "rotation", seen.get("institution") or f"rotation {rotation_id}",
                     (seen["start_date"], seen["end_date"]))
        merged = {**rotation.model_dump(), **changes}
        validate_rotation(merged, changed=changes)
        if "feedback_requested_on" in changes:  # a day kept as it was is not checked again against a new start
            check_feedback_asked(merged, local_today(ctx.clock, applicant.timezone))
        if merged["start_date"] > rotation.start_date:
            from imgcoach.plan.people import check_uploaded_before

            check_uploaded_before(session, rotation_id, merged["start_date"])
        old_days = (rotation.start_date, rotation.end_date)
        if changes.get("hours_per_week") is not None:
            rotation.hours_assumed = False  # given now, even the same 40 (the app's form shows an assumed figure blank)
        changes = normalise_rotation(changes)
        # Only when what makes it the same rotation changes: a twin kept from before this rule can still be edited.
        changed = [k for k in ("institution", "end_date", "start_date", "kind")
                   if k in changes and changes[k] != getattr(rotation, k)]
        if changed:
            # named by a field the edit changed: "--institution: already in the plan" of an edit that typed only
            # --end pointed at a field the user had not touched
            _refuse_the_same_twice(session, applicant, {**merged, **changes}, other_than=rotation_id,
                                   field=changed[0])
        for key, value in changes.items():
            setattr(rotation, key, value)
        rotation.updated_at = now
        before = pending_moments(session, saved_id(applicant.id), rotation_id)
        session.add(rotation)
        session.flush()
        log = move_log_weeks_in(session, rotation_id, old_days, (rotation.start_date, rotation.end_date),
                                local_today(ctx.clock, applicant.timezone))
        sync_rotation_reminders(session, ctx, applicant, rotation, now)
        moved = RemindersMoved.between(before, pending_moments(session, saved_id(applicant.id), rotation_id))
        return RotationSaved(rotation, moved, log)


def overlap_warnings(ctx: Context, rotation: Rotation, words: DateWords = WRITTEN) -> list[str]:
    """What saving `rotation` collides with: other rotations on the same days when either is full time, and,
    when it is full time, the study blocks on its days and the exams sat or booked on its working days (dates
    written with the face's `words`). The study ones were the timeline's alone: a full-time rotation added over an
    accepted study plan was said by no command."""
    from imgcoach.plan.exams import list_exams
    from imgcoach.plan.rules.conflicts import rotation_overlaps
    from imgcoach.plan.study import list_study_blocks

    return rotation_overlaps(rotation, list_rotations(ctx), list_study_blocks(ctx), words, exams=list_exams(ctx))


def place_note(ctx: Context, rotation: Rotation, how: str) -> str | None:
    """What to say when the saved rotation's reminders still to come would reach its place on another day (or
    after its working day) than the one they are meant for (reminders.far_place); `how` is the face's way to
    change the profile's zone ("{zone}" where the place's zone goes). Said where a rotation is added or its
    place or dates change, by the CLI and the app alike."""
    from imgcoach.reminders import far_place, far_place_words

    assert rotation.id is not None
    with ctx.db.read() as session:
        zone = current_applicant(session, ctx).timezone or "UTC"
    far = far_place(rotation.id, rotation.start_date, rotation.end_date, rotation.state, rotation.country, zone,
                    ctx.settings.reminders, ctx.clock.now())
    return None if far is None else f"rotation {rotation.id} {far_place_words(far, how)}"


# What a rotation edit must change for its place note to be said again (an edit of the hours moves nothing).
PLACE_FIELDS = frozenset({"state", "country", "start_date", "end_date"})


def pending_reminders_of(ctx: Context, rotation_id: int) -> list[Reminder]:
    """What deleting the rotation would cancel (the confirmation dialog says so): pending, failed and unconfirmed
    reminders (`cancel_pending_for_rotation`)."""
    from imgcoach.reminders import CANCELLABLE

    with ctx.db.read() as session:
        owned(session, Rotation, rotation_id, current_applicant(session, ctx), "rotation")
        query = select(Reminder).where(Reminder.rotation_id == rotation_id, col(Reminder.status).in_(CANCELLABLE))
        return list(session.exec(query.order_by(col(Reminder.due_at), col(Reminder.id))).all())


def remove_rotation(ctx: Context, rotation_id: int) -> list[Reminder]:
    """Delete the rotation; its pending (and failed or unconfirmed) reminders are cancelled (kept as history), and
    returned."""
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        return delete_rotation_in(session, current_applicant(session, ctx), rotation_id, now)[1]


def delete_rotation_in(session: Any, applicant: Any, rotation_id: int, now: datetime) -> tuple[Rotation, list[Reminder]]:
    """`remove_rotation` inside the caller's transaction (undo records around it): the rotation and the
    reminders it cancelled."""
    rotation = owned(session, Rotation, rotation_id, applicant, "rotation")
    # Named by what it was, not only its id: a person knows a rotation by its place and dates. (Ids are never
    # handed out again since migration 0008; before it SQLite gave the next rotation the freed id.)
    what = f"rotation {rotation_id} ({rotation.institution}, {rotation.start_date}..{rotation.end_date}) was deleted"
    cancelled = cancel_pending_for_rotation(session, rotation, what, now)
    unlink_events(session, applicant.id, "rotation", rotation_id)
    session.flush()
    session.delete(rotation)
    session.flush()
    return rotation, cancelled


@dataclass
class RotationDetail:
    rotation: Rotation
    supervisors: list[tuple[Contact, str]] = field(default_factory=list)
    letters: list[tuple[LetterRequest, Contact]] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)
    cases: list[CaseNote] = field(default_factory=list)


def rotation_detail(ctx: Context, rotation_id: int) -> RotationDetail:
    with ctx.db.read() as session:
        rotation = owned(session, Rotation, rotation_id, current_applicant(session, ctx), "rotation")
        people = session.exec(
            select(Contact, RotationContact.role)
            .join(RotationContact, col(RotationContact.contact_id) == col(Contact.id))
            .where(RotationContact.rotation_id == rotation_id).order_by(col(RotationContact.id))
        ).all()
        letters = session.exec(
            select(LetterRequest, Contact)
            .join(Contact, col(LetterRequest.writer_id) == col(Contact.id))
            .where(LetterRequest.rotation_id == rotation_id).order_by(col(LetterRequest.id))
        ).all()
        # Each list in a stated order (ties broken by id): the same on both engines, and the quick read's
        # (storage.quicklist.read_rotation), which `rotations show` prints byte for byte like this one.
        reminders = session.exec(
            select(Reminder).where(Reminder.rotation_id == rotation_id).order_by(col(Reminder.due_at), col(Reminder.id))
        ).all()
        cases = session.exec(select(CaseNote).where(CaseNote.rotation_id == rotation_id).order_by(col(CaseNote.id))).all()
        return RotationDetail(rotation, [(c, role) for c, role in people], [(lt, c) for lt, c in letters], list(reminders), list(cases))
