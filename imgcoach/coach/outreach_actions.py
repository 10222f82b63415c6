"""Outreach pipeline and mentor updates, with their reminders kept in the outbox.

A follow-up reminder (to the applicant) is kept pending while a sent e-mail waits for an answer; progress
updates to former supervisors are outbox drafts with ``requires_approval`` set, never sent unapproved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from imgcoach.coach import outreach as rules
from imgcoach.coach.actions import fetch_coach_rows, load_coach_data, local_today
from imgcoach.coach.drafts import Draft
from imgcoach.coach.errors import CoachFieldError, CoachInputError
from imgcoach.coach.loading import build_coach_data
from imgcoach.coach.mentors import Moment, parse_moment, progress_drafts
from imgcoach.coach.models import Applicant as CoachApplicant
from imgcoach.coach.models import RotationKind
from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.addresses import validate_email
from imgcoach.core.context import Context
from imgcoach.core.datewords import ISO, WRITTEN, DateWords
from imgcoach.core.errors import FieldError, UserError, ValidationError
from imgcoach.core.ids import saved_id
from imgcoach.core.oneline import NOT_ONE_LINE, is_one_line
from imgcoach.core.uids import calendar_uid_for
from imgcoach.plan import (
    ROTATION_KINDS,
    ContactEdited,
    ProfileSaved,
    check_not_after,
    edit_contact_in,
    fill_rotation_defaults,
    normalise_rotation,
    save_profile_in,
    validate_rotation,
)
from imgcoach.reminders import (  # FOLLOW_UP_KIND: spelled once, in reminders.kinds (the digest, the outbox)
    CANCELLABLE,
    CANCELLED_FROM,
    FOLLOW_UP_KIND,
    Redrafted,
    approve_again,
    end_of_day,
    local_moment,
    message_id_for,
    name_change_words,
    renamed_in_approved_drafts,
    salt_for,
    sync_rotation_reminders,
    unique_key,
)
from imgcoach.storage.applicants import current_applicant, find_applicant, owned
from imgcoach.storage.models import (
    Applicant,
    Contact,
    OutreachEntry,
    ProgressMoment,
    Reminder,
    Rotation,
    RotationContact,
)

PROGRESS_KIND = "progress_update"
ONE_LINE_OUTREACH_FIELDS = ("department", "specialty", "coordinator")  # and the institution
OUTREACH_FIELDS = ("institution", "department", "specialty", "kind", "coordinator", "contact_email", "status",
                   "written_on", "cost_usd", "visa_requirement", "role_in_writing", "verified_legitimate", "notes")


def to_entry(row: OutreachEntry) -> rules.OutreachEntry:
    return rules.OutreachEntry(
        id=row.id or 0, institution=row.institution, department=row.department, status=rules.parse_status(row.status),
        coordinator=row.coordinator, contact_email=row.contact_email, specialty=row.specialty,
        kind=RotationKind(row.kind), written_on=row.written_on, last_sent_on=row.last_sent_on,
        follow_ups_sent=row.follow_ups_sent, cost_usd=row.cost_usd, visa_requirement=row.visa_requirement,
        role_in_writing=row.role_in_writing, verified_legitimate=row.verified_legitimate, notes=row.notes,
    )


def _check_kind(kind: str) -> None:
    if kind not in ("observership", "externship", "clinical_job"):
        raise CoachFieldError("kind", kind, "unknown outreach kind (allowed: observership, externship, clinical_job)")


MAX_COST_USD = 1_000_000  # far above any observership fee: a larger figure is a typo (or cents)


def _check_cost(cost: float | None) -> None:
    """A fee is 0 (free) or more; unknown is left out. A negative one was stored, and the accept checklist then
    read it as free ("asks for $-5" was never said; the warning to verify before paying was skipped)."""
    if cost is not None and not 0 <= cost <= MAX_COST_USD:  # NaN fails both comparisons
        raise FieldError("cost_usd", cost, f"is a fee in U.S. dollars from 0 (free) to {MAX_COST_USD:,}; leave it out "
                         "if unknown")


def _check_not_ahead(day: date | None, today: date, field: str) -> None:
    """A letter written, a reply or an offer is dated when it happened: one dated ahead would start the
    follow-up clock (and its reminder) from a day that has not come."""
    late = check_not_after(day, today, field=field, then="give the day it happened")
    if late is not None:
        raise late


def add_outreach(ctx: Context, institution: str, **values: Any) -> OutreachEntry:
    """A new pipeline entry; a status of ``sent`` schedules its follow-up reminder at once."""
    return record_outreach(ctx, institution, **values).row


def record_outreach(ctx: Context, institution: str, *, words: DateWords = WRITTEN, **values: Any) -> StatusChanged:
    """`outreach add` and the app's add form: `add_outreach`, with the sentence both faces show of its status, as a
    status change says it (an entry added as sent says when its follow-up falls due; it said only "(sent)")."""
    unknown = set(values) - set(OUTREACH_FIELDS)
    if unknown:
        raise UserError(f"unknown outreach field(s): {', '.join(sorted(unknown))}")
    if not institution.strip():
        raise CoachFieldError("institution", institution, "is required")
    for name, value in (("institution", institution), *((k, values.get(k)) for k in ONE_LINE_OUTREACH_FIELDS)):
        if isinstance(value, str) and not is_one_line(value):  # a place and a person's name, as the plan's are
            raise CoachFieldError(name, value, NOT_ONE_LINE)
    status = rules.parse_status(values.pop("status", "drafted"))
    if status not in (rules.S.DRAFTED, rules.S.SENT):
        raise CoachFieldError("status", rules.outreach_status_words(status), "a new entry starts as drafted or sent")
    _check_kind(values.get("kind", "observership"))
    _check_cost(values.get("cost_usd"))
    if str(values.get("specialty") or "").strip():  # the rotation it may become takes the same closed list
        named = normalise_rotation({"specialty": values["specialty"], "department": values.get("department") or ""})
        values["specialty"] = named["specialty"]
        if named["department"]:
            values["department"] = named["department"]
    if values.get("contact_email"):  # the address a follow-up draft goes to: a typo here is a lost reply
        validate_email(values["contact_email"], "email")
        values["contact_email"] = values["contact_email"].strip()
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        today = local_today(ctx, applicant)
        _check_not_ahead(values.get("written_on"), today, "written_on")
        row = OutreachEntry(applicant_id=saved_id(applicant.id), institution=institution.strip(), status=status.value,
                            created_at=now, updated_at=now, **values)
        if status is rules.S.SENT:
            row.written_on = row.written_on or today
            row.last_sent_on = row.written_on
        session.add(row)
        session.flush()
        sync_follow_up(session, ctx, applicant, row, now)
        return StatusChanged(row, _status_said(row, words, today))


def list_outreach(ctx: Context, ways: rules.OutreachWays = rules.COMMANDS,
                  ) -> list[tuple[OutreachEntry, rules.OutreachStatus, date | None, list[str]]]:
    """Each entry with its status as of today (``follow_up_due`` appears by itself), the day its wait since the last
    e-mail ends and its warnings (``ways``: the face's names for what to do, in them). What the lists show of the
    follow-up: follow_up_for_list."""
    t = load_thresholds()
    days = t.follow_up_days
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        today = local_today(ctx, applicant)
        rows = session.exec(select(OutreachEntry).where(OutreachEntry.applicant_id == applicant.id)
                            .order_by(col(OutreachEntry.id))).all()
        out = []
        for row in rows:
            entry = to_entry(row)
            warnings = rules.offer_warnings(entry) if entry.status in (rules.S.OFFERED, rules.S.INTERVIEW) else []
            closing = rules.close_warning(entry, today, days, t.max_follow_ups, ways)
            warnings += [closing] if closing else []
            out.append((row, rules.effective_status(entry, today, days), rules.follow_up_due_on(entry, days), warnings))
        return out


def follow_up_for_list(status: rules.OutreachStatus, due: date | None, follow_ups_sent: int,
                       words: DateWords = ISO) -> rules.ListedFollowUp:
    """What the app's Outreach list and `outreach list` show of a list_outreach entry's follow-up (its status
    today, ``due`` and the row's ``follow_ups_sent``), with readiness.toml's max_follow_ups: after the last one the
    rule allows, no follow-up day and a status that does not say one is due (rules.listed_follow_up)."""
    return rules.listed_follow_up(status, due, follow_ups_sent, load_thresholds().max_follow_ups, words)


@dataclass(frozen=True)
class StatusChanged:
    """A status move and what to say about it (`said`, after the entry's name): marking an e-mail sent told
    neither face when the follow-up falls due ("outreach 3: sent", the app "marked sent"), though the move
    had just scheduled its reminder; the CLI and the app now print these same words."""

    row: OutreachEntry
    said: str

    def added(self) -> str:
        """An entry just added, as `outreach add` and the app's toast name it: "Eastside (sent 25 Nov 2026); follow-up
        due 05 Dec 2026 if ...", or "Eastside (drafted)"."""
        status, _, rest = self.said.partition("; ")
        return f"{self.row.institution} ({status})" + (f"; {rest}" if rest else "")


def set_outreach_status(ctx: Context, outreach_id: int, status: str, *, on: date | None = None) -> OutreachEntry:
    """Move an entry along the pipeline; a sent follow-up restarts the clock."""
    return change_outreach_status(ctx, outreach_id, status, on=on).row


def change_outreach_status(ctx: Context, outreach_id: int, status: str, *, on: date | None = None,
                           words: DateWords = WRITTEN, ways: rules.OutreachWays = rules.COMMANDS) -> StatusChanged:
    """set_outreach_status, with the sentence both faces show (`words`: the face's way of writing a day, `ways` its
    names for what to do). Marking an e-mail sent, or a follow-up due, after the rule's last follow-up is refused
    (rules.allowed_moves): it counted, or said due, a follow-up the rule does not ask for."""
    new = rules.parse_status(status)
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, OutreachEntry, outreach_id, applicant, "outreach entry")
        today = local_today(ctx, applicant)
        t = load_thresholds()
        current = rules.effective_status(to_entry(row), today, t.follow_up_days)
        refused = {rules.S.SENT: rules.mark_sent_refusal(to_entry(row), today, t.follow_up_days, t.max_follow_ups,
                                                         ways),
                   rules.S.FOLLOW_UP_DUE: rules.follow_up_due_refusal(to_entry(row), today, t.follow_up_days,
                                                                      t.max_follow_ups, words)}.get(new)
        if refused:
            raise CoachInputError(refused)
        rules.check_transition(current, new)
        _check_not_ahead(on, today, "on")
        last = row.last_sent_on or row.written_on
        if on is not None and last is not None and on < last:
            # Kept, a follow-up dated before the e-mail it follows ran the follow-up clock backwards.
            raise FieldError("on", on.isoformat(), f"is before the last e-mail to {row.institution} ({last}): a "
                             "follow-up or an answer comes on or after it")
        day = on or today
        if new is rules.S.SENT:
            if current is rules.S.FOLLOW_UP_DUE:
                row.follow_ups_sent += 1
            row.written_on = row.written_on or day
            row.last_sent_on = day
        row.status, row.updated_at = new.value, now
        session.add(row)
        session.flush()
        sync_follow_up(session, ctx, applicant, row, now)
        return StatusChanged(row, _status_said(row, words, today))


def _status_said(row: OutreachEntry, words: DateWords, today: date) -> str:
    """The new status; once sent, when the follow-up falls due (sync_follow_up's own rule and day), or that
    none will be asked for (the last allowed follow-up went out). A day already past (an e-mail sent weeks ago,
    recorded now) is said as past: "follow-up due 11 Nov 2026 if no answer comes by then" read as still to come."""
    said = rules.outreach_status_words(row.status)
    if row.status != rules.S.SENT.value:
        return said
    t = load_thresholds()
    due = rules.follow_up_due_on(to_entry(row), t.follow_up_days)
    if due is None:
        return said
    sent = f"{said} {words.day(row.last_sent_on or due)}"
    if row.follow_ups_sent >= t.max_follow_ups:
        closes = (f"with no answer since {words.day(due)}, it is better closed" if due < today
                  else f"if no answer comes by {words.day(due)}, it is better closed")
        return (f"{sent}; that was the last follow-up ({row.follow_ups_sent} of {t.max_follow_ups}): no reminder "
                f"asks for another; {closes}")
    if due < today:
        return f"{sent}; follow-up due since {words.day(due)} if no answer has come"
    if due == today:
        return f"{sent}; follow-up due today if no answer has come"
    return f"{sent}; follow-up due {words.day(due)} if no answer comes by then (a reminder is scheduled)"


def sync_follow_up(session: Session, ctx: Context, applicant: Applicant, row: OutreachEntry, now: datetime) -> None:
    """Keep exactly one pending follow-up reminder per unanswered e-mail; cancel it once answered."""
    t = load_thresholds()
    entry = to_entry(row)
    due_day = rules.follow_up_due_on(entry, t.follow_up_days)
    if row.follow_ups_sent >= t.max_follow_ups:
        due_day = None  # the last allowed follow-up went out: no reminder asks for another (list_outreach says close)
    prefix = f"outreach:{row.id}:follow_up:"
    existing = session.exec(select(Reminder).where(col(Reminder.key).startswith(prefix))).all()
    key = f"{prefix}{row.follow_ups_sent}"
    for other in existing:
        # Not only a pending one: a failed or unconfirmed reminder of an earlier wait stayed so, and `reminders retry`
        # (the Outbox's R) sent it after the follow-up went out, the place answered or the rule's last follow-up.
        if other.status in CANCELLABLE and (due_day is None or other.key != key):
            if other.status != "pending":  # what it was stays readable, as the rotations' sync keeps it
                other.payload = {**(other.payload if isinstance(other.payload, dict) else {}),
                                 CANCELLED_FROM: other.status}
            other.status, other.note, other.updated_at = "cancelled", _no_longer_needed(row), now
            session.add(other)
    if due_day is None or any(r.key == key for r in existing):
        return
    salt = salt_for(applicant)
    session.add(Reminder(
        applicant_id=saved_id(applicant.id), key=key, kind=FOLLOW_UP_KIND, template_key=FOLLOW_UP_KIND,
        recipient=applicant.email, due_at=local_moment(due_day, applicant.timezone, ctx.settings.reminders),
        expires_at=end_of_day(due_day + timedelta(days=t.follow_up_days), applicant.timezone),
        message_id=message_id_for(key, salt), calendar_uid=calendar_uid_for(key, salt),
        created_at=now, updated_at=now, **_follow_up_text(row, _coach_applicant(applicant, ctx)),
    ))


# Why a follow-up reminder is cancelled, by the entry's status. The note said "outreach is interview" and "outreach
# is sent" (for a follow-up recorded as sent, which reads as the first e-mail), beside the rotations' "no longer
# needed: the letter was requested".
_ANSWERED = {rules.S.REPLIED: "they replied", rules.S.INTERVIEW: "it led to an interview",
             rules.S.OFFERED: "it led to an offer", rules.S.ACCEPTED: "you accepted their offer",
             rules.S.DECLINED: "the entry was marked declined", rules.S.WITHDRAWN: "you withdrew the request"}


def _no_longer_needed(row: OutreachEntry) -> str:
    """The cancelled follow-up reminder's note: the answer that came, or the follow-up that went out."""
    status = rules.OutreachStatus(row.status)
    if status in _ANSWERED:
        return f"no longer needed: {_ANSWERED[status]}"
    if row.follow_ups_sent and row.last_sent_on is not None:
        return f"no longer needed: a follow-up went out on {WRITTEN.day(row.last_sent_on)}"
    return f"no longer needed: the entry is {rules.outreach_status_words(status)}"


def _follow_up_text(row: OutreachEntry, person: CoachApplicant) -> dict[str, Any]:
    """What a follow-up reminder stores of its entry and the applicant: its note and the follow-up drafted for the
    applicant to send (rules.follow_up_email), as they read now."""
    draft = rules.follow_up_email(to_entry(row), person)
    sent = row.last_sent_on or row.written_on
    # Stored text, read in the CLI and the app alike: the day as both write a day ("13 Nov 2026").
    since = f" since {WRITTEN.day(sent)}" if sent else ""
    return {"note": f"No answer from {row.institution}{since}",
            "payload": {"outreach_id": row.id, "draft_to": row.contact_email, "draft_to_name": row.coordinator,
                        "draft_subject": draft.subject, "draft_body": draft.body}}


def redraft_follow_ups(session: Session, ctx: Context, applicant: Applicant, now: datetime) -> list[int]:
    """The follow-up reminders not sent yet carry their draft as the profile reads now: the draft is stored when the
    reminder is planned, so after `profile set --name` (or a new e-mail address) the reminder's follow-up was still
    signed with the old name. A follow-up reminder goes to the applicant alone, who sends the draft themselves (no
    approval to ask again); one a daemon is sending is left as it goes. Returns the ids redrafted."""
    rows = session.exec(select(Reminder).where(Reminder.applicant_id == applicant.id,
                                               Reminder.kind == FOLLOW_UP_KIND,
                                               col(Reminder.status).in_(CANCELLABLE))).all()
    person = _coach_applicant(applicant, ctx)
    redrafted: list[int] = []
    for reminder in rows:
        payload = reminder.payload if isinstance(reminder.payload, dict) else {}
        outreach_id = str(payload.get("outreach_id", ""))
        entry = session.get(OutreachEntry, int(outreach_id)) if outreach_id.isdigit() else None
        if entry is None:
            continue
        try:
            now_text = _follow_up_text(entry, person)
        except CoachInputError:  # no follow-up fits the entry any more: sync_follow_up cancels its reminder
            continue
        merged = {**payload, **now_text["payload"]}
        if merged != payload:
            reminder.payload, reminder.updated_at = merged, now
            session.add(reminder)
            redrafted.append(saved_id(reminder.id))
    return redrafted


def save_profile_and_drafts(ctx: Context, *, loaded: dict[str, Any] | None = None, **changes: Any) -> ProfileSaved:
    """`plan.save_profile`, and in its transaction the drafts it signs: the follow-ups (`redraft_follow_ups`), the
    progress updates not sent yet (`redraft_progress_updates`) and the approved supervisor drafts, which wait for
    approval again (reminders.renamed_in_approved_drafts). `profile set`, the app's profile form and its guided
    set-up call it; plan.set_profile alone left every draft signed with the old name."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        before = find_applicant(session, ctx)
        old = (before.name, before.email or "") if before is not None else None
        saved = save_profile_in(session, ctx, loaded=loaded, **changes)
        applicant = saved.applicant
        if applicant.id is None or old is None or old == (applicant.name, applicant.email or ""):
            return saved
        session.flush()
        now = ctx.clock.now()
        redraft_follow_ups(session, ctx, applicant, now)
        change = "; ".join(
            ([name_change_words(old[0], applicant.name, whose="your")] if old[0] != applicant.name else [])
            + ([f"your address changed from {old[1]} to {applicant.email}"] if old[1] != (applicant.email or "")
               else []))
        redrafted = (renamed_in_approved_drafts(session, applicant, change, now)
                     | redraft_progress_updates(session, ctx, applicant, change, now))
        session.flush()
        return replace(saved, redrafted=redrafted)


def edit_contact_and_drafts(ctx: Context, contact_id: int, *, rotation_id: int | None = None,
                            role: str | None = None, loaded: dict[str, Any] | None = None,
                            **values: Any) -> ContactEdited:
    """`plan.edit_contact`, and in its transaction the e-mails not sent yet that name the person, after a new name:
    their progress updates are drafted again (`redraft_progress_updates`) and the approved drafts written to them
    wait for approval again (reminders.renamed_in_approved_drafts). `contacts edit` and the app's person form call
    it: the drafts kept the old name, and one approved went out with words the applicant never approved."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        edited = edit_contact_in(session, ctx, contact_id, rotation_id=rotation_id, role=role, loaded=loaded,
                                 **values)
        if edited.contact.name == edited.old_name:
            return edited
        applicant = current_applicant(session, ctx)
        now = ctx.clock.now()
        change = name_change_words(edited.old_name, edited.contact.name)
        redrafted = (renamed_in_approved_drafts(session, applicant, change, now, contact_id=contact_id)
                     | redraft_progress_updates(session, ctx, applicant, change, now))
        session.flush()
        return replace(edited, redrafted=redrafted)


def redraft_progress_updates(session: Session, ctx: Context, applicant: Applicant, change: str,
                             now: datetime) -> Redrafted:
    """The progress updates not sent yet carry their text as the plan reads now (`change`: what changed, in words,
    for the note of those approved before). Their draft is stored when the moment is marked (`mark_progress`), so
    after a supervisor's or the applicant's new name it still said the old one; one approved goes back to awaiting
    approval (reminders.approve_again: an approval is of the text). One a daemon is sending is left to its try."""
    rows = session.exec(select(Reminder).where(Reminder.applicant_id == applicant.id,
                                               Reminder.kind == PROGRESS_KIND,
                                               col(Reminder.status).in_(CANCELLABLE))
                        .order_by(col(Reminder.id))).all()
    payloads = {row.id: row.payload if isinstance(row.payload, dict) else {} for row in rows}
    wanted = {int(p["moment_id"]) for p in payloads.values() if str(p.get("moment_id", "")).isdigit()}
    if not wanted:
        return Redrafted(change)
    moments = {m.id: m for m in session.exec(select(ProgressMoment).where(col(ProgressMoment.id).in_(wanted)))}
    data = build_coach_data(fetch_coach_rows(session, ctx), now, ctx.settings, load_thresholds())
    again: list[int] = []
    redrafted: list[int] = []
    for row in rows:
        payload = payloads[row.id]
        moment = moments.get(int(payload.get("moment_id") or 0))
        if moment is None:
            continue
        drafts = progress_drafts(Moment(parse_moment(moment.kind), moment.on, moment.detail), data.plan.applicant,
                                 list(data.plan.rotations), data.today, data.plan.letters)
        draft = next((d for d in drafts if d.rotation_id == row.rotation_id), None)
        if draft is None:  # no longer someone to update (the rotation or its person changed): left as it is
            continue
        text = {"draft_to_name": draft.supervisor, "draft_subject": draft.draft.subject,
                "draft_body": draft.draft.body}
        if all(payload.get(key) == value for key, value in text.items()):
            continue
        row.payload = {**payload, **text}
        approved = approve_again(row, change, now, awaiting_note=_progress_note(draft.supervisor))
        (again if approved else redrafted).append(saved_id(row.id))
        session.add(row)
    return Redrafted(change, tuple(again), tuple(redrafted))


def _progress_note(supervisor: str) -> str:
    return f"Progress update to {supervisor}: waits for your approval"


def _coach_applicant(applicant: Applicant, ctx: Context) -> CoachApplicant:
    from imgcoach.coach.loading import GRADUATION_MONTH_DAY, match_year_for

    today = local_today(ctx, applicant)
    return CoachApplicant(
        name=applicant.name,
        graduation=date(applicant.graduation_year, *GRADUATION_MONTH_DAY) if applicant.graduation_year else None,
        # Readiness's own rule (the configured year first): the e-mail named the next season whatever was set.
        match_year=match_year_for(ctx.settings, today, load_thresholds()),
        target_specialties=tuple(applicant.target_specialties), email=applicant.email,
    )


@dataclass(frozen=True)
class OutreachEmails:
    """An entry's e-mails as `imgcoach outreach draft` and the app's Outreach v show them: ``drafts`` the one shown
    first first (rules.draft_that_fits: the follow-up once it is due, else the first e-mail, or the confirmation or
    thank-you note once accepted; none where the place answered), ``which`` each one's kind ("first", "follow-up"),
    ``fits`` the kind that fits today (None where none does: already sent, not due yet, or better closed) and
    ``said`` where they stand today (rules.standing), the same words in both faces. ``refused``: (kind, why it is not
    drafted), in the order tried."""

    drafts: tuple[Draft, ...]
    which: tuple[str, ...]
    fits: str | None
    said: str
    refused: tuple[tuple[str, str], ...]
    again: str = ""  # rules.Standing.again: said of the first e-mail, which the dialog shows beside the follow-up

    def position(self, which: str = "fitting") -> int:
        """Where in ``drafts`` the e-mail asked for is (``which``: "fitting", the one shown first, or "follow-up");
        a CoachInputError in the rule's words where the entry has none."""
        if which == "fitting" and self.drafts:
            return 0
        if which in self.which:
            return self.which.index(which)
        raise CoachInputError(dict(self.refused).get(which) or self.refused[0][1])

    def said_beside(self, shown: int) -> str:
        """Where they stand, said beside ``drafts[shown]`` shown alone (`outreach draft`), not beside both as in the
        app's dialog: of the follow-up, not that the first e-mail "shown here" is drafted again."""
        return rules.Standing(self.fits, self.said, self.again).said_beside(self.which[shown])

    def fits_today(self, shown: int) -> bool:
        """Whether ``drafts[shown]`` is the one that fits today."""
        return self.which[shown] == self.fits


@dataclass(frozen=True)
class _EntryFacts:
    """What drafting an entry's e-mails reads from the database, read once."""

    entry: rules.OutreachEntry
    person: CoachApplicant
    school: str
    rotation_id: int | None
    contact: str
    today: date


def _entry_facts(ctx: Context, outreach_id: int) -> _EntryFacts:
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, OutreachEntry, outreach_id, applicant, "outreach entry")
        return _EntryFacts(to_entry(row), _coach_applicant(applicant, ctx), applicant.school, row.rotation_id,
                           row.contact_email or "", local_today(ctx, applicant))


def _draft(facts: _EntryFacts, which: str, data: Any, ways: rules.OutreachWays = rules.COMMANDS,
           words: DateWords = WRITTEN) -> Draft:
    """One e-mail (``which``: "first" or "follow-up"); ``data`` is load_coach_data's, read for the first only."""
    if which == "first":
        us = [r for r in data.plan.rotations if r.country == "US" and r.end < data.today and r.kind.clinical]
        highlights = tuple(f"{r.title} ({r.start:%b %Y})" for r in us[-3:])
        planned = next((r for r in data.plan.rotations if r.id == facts.rotation_id), None)
        draft = rules.status_draft(facts.entry, facts.person, data.today, highlights=highlights, school=facts.school,
                                   rotation=planned, ways=ways, words=words)
    elif which in ("follow-up", "follow_up"):
        draft = rules.follow_up_email(facts.entry, facts.person)
    else:
        raise UserError(f"draft: unknown draft {which!r} (allowed: fitting, first, follow-up)")
    # A draft with its own `to` goes to someone else (the supervisor): never the coordinator's address there.
    return draft if draft.to else replace(draft, address=facts.contact)


def draft_outreach(ctx: Context, outreach_id: int, which: str = "fitting") -> Draft:
    """The e-mail for the applicant to copy and send; CLI and app both call it. ``which``: "fitting" (the default)
    is the one shown first (rules.draft_that_fits): the follow-up once it is due, else "first";
    "first" is rules.status_draft (the first request, or the confirmation once accepted); "follow-up" the
    follow-up. Its ``address`` is the one a mail program writes to: the entry's contact e-mail, or for the
    thank-you note the supervisor's ("" where none is recorded). Whether it fits today: outreach_emails."""
    facts = _entry_facts(ctx, outreach_id)
    if which == "fitting":
        which = rules.draft_that_fits(facts.entry, facts.today, load_thresholds().follow_up_days)
    return _draft(facts, which, load_coach_data(ctx) if which == "first" else None)


def outreach_emails(ctx: Context, outreach_id: int, words: DateWords = WRITTEN,
                    ways: rules.OutreachWays = rules.COMMANDS) -> OutreachEmails:
    """Every e-mail the entry has today, the one shown first first, and where they stand (`words`: the face's way
    of writing a day, `ways` its names for what to do); where it has none, OutreachEmails.position says why (the
    CLI's error, the app's toast, each naming its own commands or keys)."""
    facts = _entry_facts(ctx, outreach_id)
    t = load_thresholds()
    data = load_coach_data(ctx)
    shown_first = rules.draft_that_fits(facts.entry, facts.today, t.follow_up_days)
    drafts: list[Draft] = []
    which: list[str] = []
    refused: list[tuple[str, str]] = []
    for kind in (shown_first, "follow-up" if shown_first == "first" else "first"):
        try:
            drafts.append(_draft(facts, kind, data, ways, words))
            which.append(kind)
        except UserError as exc:
            refused.append((kind, str(exc)))
    planned = next((r for r in data.plan.rotations if r.id == facts.rotation_id), None)
    stands = rules.standing(facts.entry, facts.today, t.follow_up_days, t.max_follow_ups, words, planned)
    return OutreachEmails(tuple(drafts), tuple(which), stands.fits, stands.said, tuple(refused), stands.again)


def accept_offer(ctx: Context, outreach_id: int, start: date, end: date, *, supervisor: str = "",
                 supervisor_email: str = "", hours_per_week: int | None = None, setting: str | None = "",
                 specialty: str | None = "") -> Rotation:
    """Accepted offer -> planned rotation (and its reminders), in one transaction. Without its hours, the
    rotation has `rotations add`'s assumed 40 (plan.fill_rotation_defaults), marked as assumed. `specialty`: the
    rotation's, when the entry names none (an entry added without --specialty or --department could not be
    accepted at all: "specialty: is required", and `outreach accept` had no way to give it)."""
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, OutreachEntry, outreach_id, applicant, "outreach entry")
        entry = to_entry(row)
        if row.rotation_id is not None:
            raise UserError(f"outreach {outreach_id}: already became rotation {row.rotation_id}")
        planned = rules.offer_to_rotation(entry, 0, start, end, supervisor=supervisor)
        chosen = (specialty or "").strip() or planned.specialty
        if not chosen:
            raise FieldError("specialty", "", "is needed: the entry names no specialty or department (give the "
                             "rotation's: `--specialty` on the command line, Specialty in the app's form)")
        values: dict[str, Any] = dict(kind=planned.kind.value, specialty=chosen, institution=planned.institution,
                      department=planned.department, start_date=start, end_date=end, setting=setting or "",
                      hours_per_week=hours_per_week, hands_on=planned.hands_on, country="US")
        fill_rotation_defaults(values)
        assert values["kind"] in ROTATION_KINDS
        validate_rotation(values)
        # As `rotations add` stores it: "Cardiology" is Internal Medicine experience with Cardiology as the
        # department. Stored as typed, an accepted cardiology offer counted for no specialty readiness checks.
        # A free-text department that names no specialty ("Department of Medicine") is accepted as before; a
        # specialty typed for the acceptance must be one.
        try:
            values = normalise_rotation(values)
        except (FieldError, ValidationError):
            if (specialty or "").strip():
                raise
        rotation = Rotation(applicant_id=saved_id(applicant.id), created_at=now, updated_at=now, **values)
        session.add(rotation)
        session.flush()
        if supervisor:
            contact = Contact(applicant_id=saved_id(applicant.id), name=supervisor, email=supervisor_email,
                              institution=planned.institution)
            session.add(contact)
            session.flush()
            session.add(RotationContact(rotation_id=saved_id(rotation.id), contact_id=saved_id(contact.id), role="supervisor"))
        row.status, row.rotation_id, row.updated_at = rules.S.ACCEPTED.value, rotation.id, now
        session.add(row)
        session.flush()
        sync_follow_up(session, ctx, applicant, row, now)
        sync_rotation_reminders(session, ctx, applicant, rotation, now)
        return rotation


def accepted_said(rotation: Rotation, words: DateWords = WRITTEN) -> str:
    """What both faces say once an offer is accepted, after the entry's name (`words`: the face's way of writing
    days): `outreach accept` printed "planned 2026-11-20 to 2026-12-18" where its other sentences write
    "20 Nov 2026", and the app's toast was a sentence of its own."""
    return f"accepted; rotation {rotation.id} planned {words.span(rotation.start_date, rotation.end_date)}"


# --- keeping mentors close -----------------------------------------------------------------------------


@dataclass
class MarkedMoment:
    moment: ProgressMoment
    drafts: list[Reminder]
    skipped: list[str]  # supervisors without an e-mail address


def mark_progress(ctx: Context, kind: str, on: date | None = None, detail: str = "") -> MarkedMoment:
    """Store the moment and put one approval-gated draft per former supervisor in the outbox."""
    moment_kind = parse_moment(kind)
    data = load_coach_data(ctx)
    day = on or data.today
    now = ctx.clock.now()
    drafts = progress_drafts(Moment(moment_kind, day, detail), data.plan.applicant, list(data.plan.rotations),
                             data.today, data.plan.letters)
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        row = ProgressMoment(applicant_id=saved_id(applicant.id), kind=moment_kind.value, on=day, detail=detail, created_at=now)
        session.add(row)
        session.flush()
        salt = salt_for(applicant)
        made, skipped = [], []
        for d in drafts:
            if not d.supervisor_email:
                skipped.append(d.supervisor)
                continue
            key = unique_key(f"progress:{row.id}:rotation:{d.rotation_id}")
            reminder = Reminder(
                applicant_id=saved_id(applicant.id), key=key, kind=PROGRESS_KIND, template_key=PROGRESS_KIND,
                rotation_id=d.rotation_id, recipient=d.supervisor_email,
                due_at=local_moment(d.due, applicant.timezone, ctx.settings.reminders),
                expires_at=end_of_day(d.due + timedelta(days=30), applicant.timezone),
                note=_progress_note(d.supervisor),
                message_id=message_id_for(key, salt), calendar_uid=calendar_uid_for(key, salt),
                payload={"moment_id": row.id, "draft_to": d.supervisor_email, "draft_to_name": d.supervisor,
                         "draft_subject": d.draft.subject, "draft_body": d.draft.body},
                requires_approval=True, created_at=now, updated_at=now,
            )
            session.add(reminder)
            made.append(reminder)
        session.flush()
        return MarkedMoment(row, made, skipped)
