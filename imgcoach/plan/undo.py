"""Undo for the app's deletes and letter-card moves: what one action removed or changed, put back exactly.

Why rows and not one inverse function per use case: a delete reaches further than its own row. The database
cascades a rotation's cases, links to people and weekly log, and empties the rotation field of its letters,
reminders and outreach rows; the use case cancels pending reminders or derives others again. Recording every
row the action touched, as it was before and as it was after, in the action's own transaction, catches all of
it (a foreign key added later included) and lets the undo check that nothing changed since.

The undo (`undo_change`) runs in one transaction and puts back the same ids, versions and values, or refuses
with a UserError and changes nothing:
- a deleted row whose id is taken again (ids are never handed out twice, migration 0008, so only a row put
  in with that id by hand: raw SQL), a changed row that is no longer as the action left it (another process
  edited it since), or a parent that is gone: refused;
- reminders are history and the daemon moves them on its own, so they never block an undo: a reminder the
  action cancelled is pending again unless its moment passed while it was cancelled (it would now be sent
  later than reminders.LATE_AFTER, the daemon's own measure of late, and was not that late when the action
  ran) or it expired: such a one stays cancelled with a note, and the result says so, so nothing is sent
  late behind the applicant's back. One already overdue before the action comes back as it was (pending,
  overdue), and the result says the daemon sends it marked late. One the daemon
  sent or another process changed meanwhile stays as it is, said too; one the action made is taken out
  again while it is still unsent.
The record lives in memory (the app keeps a small stack per session); nothing is written for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from imgcoach.core.clock import local_today
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.words import counted as in_words
from imgcoach.plan.cases import delete_case_in
from imgcoach.plan.event_links import linked_event_ids
from imgcoach.plan.exams import check_one_sitting, delete_exam_in, renumbered_line
from imgcoach.plan.letters import delete_letter_in, next_status
from imgcoach.plan.people import delete_contact_in, set_letter_status_in
from imgcoach.plan.rotations import delete_rotation_in, same_rotation
from imgcoach.plan.rules.conflicts import full_time_overlaps
from imgcoach.plan.study import delete_study_block_in
from imgcoach.reminders import (
    CANCELLABLE,
    KEPT_BY_UNDO,
    LATE_AFTER,
    mail_to_removed_contact,
    reminder_label,
    rotation_kind_label,
)
from imgcoach.storage.applicants import current_applicant, owned
from imgcoach.storage.models import Contact, ExamResult, LetterRequest, Rotation, register_all

Row = dict[str, Any]
Deletable = Literal["rotation", "study_block", "exam", "letter", "contact", "case"]
DELETABLE: tuple[str, ...] = ("rotation", "study_block", "exam", "letter", "contact", "case")

# What a person calls the rows of each table, for the result's words (singular, plural).
NOUNS = {
    "rotation": ("rotation", "rotations"), "case_note": ("case", "cases"),
    "rotation_contact": ("link to a person", "links to people"),  # seen from its rotation; a person's: FROM_PERSON
    "letter_request": ("letter request", "letter requests"), "contact": ("person", "people"),
    "coach_weekly_entry": ("weekly log entry", "weekly log entries"),
    "coach_outreach": ("outreach row", "outreach rows"), "coach_project": ("project", "projects"),
    "study_block": ("study block", "study blocks"), "exam_result": ("exam", "exams"),
    "calendar_event": ("imported event", "imported events"), "reminder": ("reminder", "reminders"),
}
# A link's noun seen from the person deleted: a person "with 1 link to a person" read as a second person. Not
# "supervisor link" on either side: a link is a supervisor's, an attending's or a coordinator's, and deleting the
# demo's rotation 2 said "2 supervisor links" for its supervisor and its coordinator.
FROM_PERSON = {"rotation_contact": ("link to a rotation", "links to rotations")}
WATCHED_FOR_NEW_ROWS = ("reminder",)  # the only rows a delete or a move creates: re-derived reminders


def counted(count: int, table: str, root: str = "") -> str:
    """`count` rows of `table` in words, as seen from a deleted row of `root` (a rotation's links are to people,
    a person's to rotations)."""
    nouns = FROM_PERSON if root == "contact" else NOUNS
    one, many = nouns.get(table) or NOUNS.get(table, (table.replace("_", " "), table.replace("_", " ") + "s"))
    return in_words(count, one, many)


@dataclass(frozen=True)
class RowChange:
    """One row the action touched: `before` None if the action made it, `after` None if it deleted it."""

    table: str
    before: Row | None
    after: Row | None

    @property
    def row_id(self) -> int:
        row = self.before if self.before is not None else self.after
        assert row is not None
        return int(row["id"])


@dataclass(frozen=True)
class Undoable:
    """What one action did, enough to put it back: kept by the face (the app's undo stack)."""

    applicant_id: int
    what: str  # "rotation ‘Internal Medicine observership at Mercy’"
    done: str  # what the toast says happened: "Deleted rotation ‘…’ and cancelled 3 reminders"
    at: datetime
    changes: tuple[RowChange, ...]
    result: Any = None  # what the use case itself returned (the moved letter, the removed events)
    pending_delta: int = 0  # pending reminders after minus before (a card move's toast)
    revived: int = 0  # reminders the action made pending that were not (a card move's toast: "back on")
    table: str = ""  # the table of the row the action was about ("rotation"): the result names the others

    @property
    def reach(self) -> Reach:
        """What went with the row (rows deleted with it, rows kept without the link), read from what it did."""
        return _changed_reach(self.changes, self.table)

    def reminder_words(self) -> str:
        """"cancelled 2 reminders and 1 reminder is pending again" ("" when no reminder changed)."""
        return _reminder_words(self.cancelled, self.revived)

    def reminder_ids(self, *, cancelled: bool) -> list[int]:
        """The reminders the action stopped (`cancelled`), or made pending (else): the ids --json names."""
        out = []
        for c in self.changes:
            if c.table != "reminder" or c.after is None:
                continue
            was = c.before["status"] if c.before is not None else None
            stopped = c.before is not None and ((was == "pending" and c.after["status"] != "pending")
                                                or (was in CANCELLABLE and c.after["status"] == "cancelled"))
            started = c.after["status"] == "pending" and was != "pending"
            if (stopped if cancelled else started):
                out.append(c.row_id)
        return sorted(out)

    @property
    def headline(self) -> str:
        """The action in a few words ("Deleted rotation ‘…’", "Moved the letter card of … from planned to
        requested"): what ctrl+z undoes next, named where `done` with its reminders is too long (the help, the
        palette). Read from the changes, as `reach` is."""
        mine = [c for c in self.changes if c.table == self.table and c.before is not None]
        if any(c.after is None for c in mine):
            return f"Deleted {self.what}"
        for c in mine:
            if c.before is not None and c.after is not None and c.before.get("status") != c.after.get("status"):
                return f"Moved {self.what} from {c.before['status']} to {c.after['status']}"
        return self.done

    @property
    def cancelled(self) -> int:
        """Reminders the action stopped: taken from pending to anything else, or cancelled from failed or
        unconfirmed (a requested letter cancels those too). Counted from pending alone, a card move said
        "1 reminder stopped" when it had stopped three."""
        return sum(1 for c in self.changes if c.table == "reminder" and c.before and c.after
                   and ((c.before["status"] == "pending" and c.after["status"] != "pending")
                        or (c.before["status"] in CANCELLABLE and c.after["status"] == "cancelled")))


@dataclass(frozen=True)
class Undone:
    """What came back, in words (`message`), and the reminders that did not come back as they were."""

    message: str
    restored: dict[str, int] = field(default_factory=dict)  # table -> rows put back
    pending_again: int = 0
    cancelled_again: int = 0  # reminders a card move had made pending, cancelled again as before it
    kept_cancelled: tuple[str, ...] = ()  # reminders whose time passed meanwhile: "letter request open, due …"
    left_as_is: tuple[str, ...] = ()  # reminders sent or changed meanwhile
    warnings: tuple[str, ...] = ()  # e.g. the restored rotation overlaps one added meanwhile


def _table(name: str) -> Table:
    register_all()  # the models load lazily (storage.models): the metadata whole
    return SQLModel.metadata.tables[name]


def _rows(session: Session, name: str, ids: Iterable[int]) -> dict[int, Row]:
    t = _table(name)
    wanted = sorted(set(ids))
    out: dict[int, Row] = {}
    for i in range(0, len(wanted), 500):
        for row in session.execute(sa_select(t).where(t.c.id.in_(wanted[i:i + 500]))).mappings():
            out[int(row["id"])] = dict(row)
    return out


def _children(table: str) -> list[tuple[str, str, bool]]:
    """(child table, its column naming `table`, whether deleting the parent deletes the child)."""
    found = []
    register_all()  # every child table, not only those this process loaded so far
    for t in SQLModel.metadata.sorted_tables:
        for fk in t.foreign_keys:
            if fk.column.table.name == table and fk.column.name == "id":
                found.append((t.name, fk.parent.name, (fk.ondelete or "").upper() == "CASCADE"))
    return found


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Reach:
    """What deleting a row takes with it besides its reminders (which have their own words: cancelled): the rows
    the database deletes with it (its cascades) and those it keeps with the link to it emptied. Counted by table."""

    deleted: dict[str, int] = field(default_factory=dict)
    unlinked: dict[str, int] = field(default_factory=dict)
    root: str = ""  # the table of the row deleted, whose side the words take (`counted`)

    def gone(self) -> str:
        """"2 cases, 3 weekly log entries and 2 links to people" ("" when nothing goes with it)."""
        items = [counted(n, t, self.root) for t, n in self.deleted.items() if n]
        return _listed(items) if items else ""

    def kept(self, noun: str) -> str:
        """"1 letter request is kept, no longer linked to a rotation" ("" when no row keeps a link to it)."""
        items = [counted(n, t, self.root) for t, n in self.unlinked.items() if n]
        if not items:
            return ""
        one = sum(self.unlinked.values()) == 1
        return f"{_listed(items)} {'is' if one else 'are'} kept, no longer linked to a {noun}"

    def words(self, noun: str) -> list[str]:
        """Sentences for a confirmation: a rotation's named only its reminders, and a yes also deleted its
        cases, its weekly log (the feedback written there) and its links to people."""
        lines = [f"It also deletes {self.gone()}."] if self.gone() else []
        return lines + ([f"{self.kept(noun)}."] if self.kept(noun) else [])


def reach_of(session: Session, table: str, ids: Iterable[int]) -> Reach:
    """The rows deleting `ids` of `table` reaches, by the foreign keys' own rule (`_children`, as UndoRecorder
    follows them): cascaded rows are deleted and followed further; the others keep their row, not the link."""
    # Sets of ids, not counts: a row reached by two paths (an applicant's letter request, through the applicant
    # and through its writer) is one row, and a row one path deletes is not "kept" by another (an applicant's
    # reach counted 6 letter requests for 3, and 3 more as kept without their rotation).
    deleted: dict[str, set[int]] = {}
    unlinked: dict[str, set[int]] = {}

    def walk(name: str, wanted: Sequence[int]) -> None:
        for child, column, cascades in _children(name):
            if child == "reminder":
                continue  # kept as history, cancelled by the use case: its own words say so
            t = _table(child)
            found = session.execute(sa_select(t.c.id).where(t.c[column].in_(wanted))).scalars().all() if wanted else []
            if not found:
                continue
            if not cascades:
                unlinked.setdefault(child, set()).update(found)
                continue
            fresh = set(found) - deleted.get(child, set())
            deleted.setdefault(child, set()).update(fresh)
            if fresh:
                walk(child, sorted(fresh))

    walk(table, list(ids))
    kept = {t: len(rows - deleted.get(t, set())) for t, rows in unlinked.items()}
    return Reach({t: len(rows) for t, rows in deleted.items()}, {t: n for t, n in kept.items() if n}, table)


def rotation_reach(ctx: Context, rotation_id: int) -> Reach:
    """What deleting the rotation would take with it (read only), for the app's confirmation: with the imported
    events linked to it, which the delete's own words after the yes count (no foreign key names them, so the
    question left them out)."""
    with ctx.db.read() as session:
        owned(session, Rotation, rotation_id, current_applicant(session, ctx), "rotation")
    return removal_reach(ctx, "rotation", [rotation_id], events_of="rotation")


def removal_reach(ctx: Context, table: str, ids: Iterable[int], *, events_of: str = "") -> Reach:
    """What deleting `ids` of `table` would take with it (read only), for a remove command's --json: the rows the
    foreign keys delete or unlink (`reach_of`), and with `events_of` (rotation, study_block, exam) the imported
    events made from the row, which lose their link (plan.event_links) though no foreign key names it."""
    wanted = list(ids)
    with ctx.db.read() as session:
        reach = reach_of(session, table, wanted)
        if not events_of:
            return reach
        applicant = current_applicant(session, ctx)
        events = sum(len(linked_event_ids(session, applicant.id, events_of, i)) for i in wanted)
    return Reach(reach.deleted, {**reach.unlinked, "calendar_event": events} if events else reach.unlinked, table)


def _changed_reach(record_changes: Iterable[RowChange], table: str) -> Reach:
    """The same counts read from what a recorded delete did: rows gone and rows kept with their link changed."""
    deleted: Counter[str] = Counter()
    unlinked: Counter[str] = Counter()
    for change in record_changes:
        if change.table in (table, "reminder") or change.before is None:
            continue
        (deleted if change.after is None else unlinked)[change.table] += 1
    return Reach(dict(deleted), dict(unlinked), table)


class UndoRecorder:
    """Inside an action's transaction: `capture` the rows it may touch before it runs, `finish` after.

    `capture(table, ids)` keeps those rows and, following the foreign keys, every row that names them (the
    rows a delete cascades to are followed further; rows that only lose the link are kept, not followed).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.before: dict[tuple[str, int], Row] = {}
        self.max_ids = {name: session.execute(sa_select(func.max(_table(name).c.id))).scalar() or 0
                        for name in WATCHED_FOR_NEW_ROWS}

    def capture(self, table: str, ids: Iterable[int], *, follow: bool = True) -> None:
        fresh = [i for i in ids if (table, i) not in self.before]
        rows = _rows(self.session, table, fresh)
        for row_id, row in rows.items():
            self.before[(table, row_id)] = row
        if not follow or not rows:
            return
        for child, column, cascades in _children(table):
            t = _table(child)
            child_ids = self.session.execute(sa_select(t.c.id).where(t.c[column].in_(sorted(rows)))).scalars().all()
            self.capture(child, child_ids, follow=cascades)

    def capture_where(self, table: str, column: str, values: Iterable[Any]) -> None:
        """Rows of `table` whose `column` is one of `values` (a rotation's reminders), without following."""
        wanted = [v for v in values if v is not None]
        if wanted:
            t = _table(table)
            self.capture(table, self.session.execute(sa_select(t.c.id).where(t.c[column].in_(wanted))).scalars().all(),
                         follow=False)

    def finish(self, ctx: Context, *, what: str, done: str, table: str, result: Any = None) -> Undoable:
        self.session.flush()
        changes: list[RowChange] = []
        by_table: dict[str, list[int]] = {}
        for name, row_id in self.before:
            by_table.setdefault(name, []).append(row_id)
        for name, ids in by_table.items():
            now_rows = _rows(self.session, name, ids)
            for row_id in ids:
                before, after = self.before[(name, row_id)], now_rows.get(row_id)
                if after != before:
                    changes.append(RowChange(name, before, after))
        for name, highest in self.max_ids.items():
            t = _table(name)
            for row in self.session.execute(sa_select(t).where(t.c.id > highest)).mappings():
                changes.append(RowChange(name, None, dict(row)))
        applicant = current_applicant(self.session, ctx)
        return Undoable(saved_id(applicant.id), what, done, ctx.clock.now(), tuple(changes), result, table=table)


# --- the actions, recorded ------------------------------------------------------------------------------------


def _reminder_words(record_cancelled: int, revived: int) -> str:
    parts = []
    if record_cancelled:
        parts.append(f"cancelled {in_words(record_cancelled, 'reminder', 'reminders')}")
    if revived:
        parts.append(f"{in_words(revived, 'reminder is', 'reminders are')} pending again")
    return " and ".join(parts)


def delete_with_undo(ctx: Context, kind: Deletable, row_id: int) -> Undoable:
    """Delete one plan row the way its own use case does (same rules, same reminders), recorded for undo.

    `kind`: rotation, study_block, exam, letter, contact (a person with their links and letter requests), case.
    """
    if kind not in DELETABLE:
        raise UserError(f"cannot delete a {kind!r}: choose one of {', '.join(DELETABLE)}")
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        recorder = UndoRecorder(session)
        # The imported events made from the row lose their link with it (plan.event_links): the undo puts it back.
        if kind in ("rotation", "study_block", "exam"):
            recorder.capture("calendar_event", linked_event_ids(session, applicant.id, kind, row_id), follow=False)
        if kind == "rotation":
            recorder.capture("rotation", [row_id])
            rotation, cancelled = delete_rotation_in(session, applicant, row_id, now)
            what = f"rotation ‘{rotation.specialty} {rotation_kind_label(rotation.kind)} at {rotation.institution}’"
            record = recorder.finish(ctx, what=what, done="", table="rotation", result=cancelled)
            # The toast named only the reminders; its cases, log weeks and links went too (the undo listed them).
            reach = _changed_reach(record.changes, "rotation")
            done = f"Deleted {what}" + (f" with {reach.gone()}," if reach.gone() else "") \
                + (f" and cancelled {in_words(len(cancelled), 'reminder', 'reminders')}" if cancelled else "")
            done = done.rstrip(",") + (f"; {reach.kept('rotation')}" if reach.kept("rotation") else "")
            return replace(record, done=done)
        if kind == "study_block":
            recorder.capture("study_block", [row_id])
            block = delete_study_block_in(session, applicant, row_id)
            what = f"the {block.exam} study block ({_day(block.start_date)} – {_day(block.end_date)})"
            return recorder.finish(ctx, what=what, done=f"Deleted {what}", table="study_block")
        if kind == "exam":
            # Every row of its exam: the later ones are renumbered (close_gap), and the undo gives their numbers back.
            target = owned(session, ExamResult, row_id, applicant, "exam")
            recorder.capture("exam_result", [row_id, *session.exec(select(ExamResult.id).where(
                ExamResult.applicant_id == applicant.id, ExamResult.exam == target.exam)).all()])
            exam, renumbered = delete_exam_in(session, applicant, row_id,
                                              today=local_today(ctx.clock, applicant.timezone))
            what = f"{exam.exam} ({_day(exam.taken_on)})"
            done = "; ".join([f"Deleted {what}", *map(renumbered_line, renumbered)])
            return recorder.finish(ctx, what=what, done=done, table="exam_result", result=renumbered)
        if kind == "case":
            recorder.capture("case_note", [row_id])
            case = delete_case_in(session, ctx, row_id)
            what = f"the case ‘{case.title}’"
            return recorder.finish(ctx, what=what, done=f"Deleted {what}", table="case_note")
        if kind == "letter":
            letter = session.get(LetterRequest, row_id)
            recorder.capture("letter_request", [row_id])
            recorder.capture_where("reminder", "rotation_id", [letter.rotation_id if letter else None])
            letter = delete_letter_in(session, ctx, applicant, row_id, now).letter
            writer = session.get(Contact, letter.writer_id)
            what = f"the letter request from {writer.name if writer else 'a deleted writer'}"
            record = recorder.finish(ctx, what=what, done="", table="letter_request")
            return _with_done(record, f"Deleted {what}")
        # a person: their rotation links and letter requests go with them
        letters = session.exec(select(LetterRequest).where(LetterRequest.writer_id == row_id)).all()
        recorder.capture("contact", [row_id])
        recorder.capture_where("reminder", "rotation_id", {lt.rotation_id for lt in letters})
        person = session.get(Contact, row_id)
        if person is not None:  # the e-mails to them the delete cancels, whatever rotation they are of (or none)
            to_them = mail_to_removed_contact(session, applicant, person.email, leaving_contact=row_id)
            recorder.capture("reminder", [saved_id(r.id) for r in to_them], follow=False)
        contact = delete_contact_in(session, ctx, applicant, row_id, now)
        links = sum(1 for key in recorder.before if key[0] == "rotation_contact")
        extra = [counted(n, t, "contact") for n, t in ((len(letters), "letter_request"), (links, "rotation_contact"))
                 if n]
        what = contact.name
        done = f"Deleted {what}" + (f" with {' and '.join(extra)}" if extra else "")
        return _with_done(recorder.finish(ctx, what=what, done="", table="contact", result=contact), done)


def _with_done(record: Undoable, done: str) -> Undoable:
    """The toast's words with what happened to the reminders, read from the record itself."""
    revived = sum(1 for c in record.changes if c.table == "reminder" and c.after and c.after["status"] == "pending"
                  and (c.before is None or c.before["status"] != "pending"))
    words = _reminder_words(record.cancelled, revived)
    pending = sum((c.after is not None and c.after["status"] == "pending")
                  - (c.before is not None and c.before["status"] == "pending")
                  for c in record.changes if c.table == "reminder")
    return replace(record, done=f"{done}; {words}" if words else done, pending_delta=pending, revived=revived)


def move_letter_with_undo(ctx: Context, letter_id: int, step: int) -> Undoable:
    """Move a letter card one column (`plan.move_letter`'s rule), recorded for undo; `result` is the letter."""
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        letter = owned(session, LetterRequest, letter_id, applicant, "letter request")
        old, new = letter.status, next_status(letter.status, step)
        recorder = UndoRecorder(session)
        recorder.capture("letter_request", [letter_id], follow=False)
        recorder.capture_where("reminder", "rotation_id", [letter.rotation_id])
        moved = set_letter_status_in(session, ctx, applicant, letter_id, new, now)
        writer = session.get(Contact, moved.writer_id)
        what = f"the letter card of {writer.name if writer else 'a deleted writer'}"
        record = recorder.finish(ctx, what=what, done="", table="letter_request", result=moved)
        return _with_done(record, f"Moved {what} from {old} to {moved.status}")


# --- putting it back ------------------------------------------------------------------------------------------


def _day(value: Any) -> str:
    return f"{value:%d %b %Y}"


def _describe(table: str, row: Row) -> str:
    """A row as a person knows it, for a refusal: "rotation ‘Internal Medicine at Mercy’", "case ‘Sepsis’"."""
    one = NOUNS.get(table, (table.replace("_", " "), ""))[0]
    name = row.get("institution") or row.get("title") or row.get("name") or row.get("summary") or row.get("exam")
    if table == "rotation":
        name = f"{row['specialty']} at {row['institution']}"
    if table == "letter_request":
        return f"{one} {row['id']} ({row['status']})"
    return f"{one} ‘{name}’" if name else f"{one} {row['id']}"


def _moment(value: datetime, zone: str) -> str:
    return f"{value.astimezone(ZoneInfo(zone)):%d %b %Y %H:%M}"


def _refuse(record: Undoable, why: str) -> UserError:
    return UserError(f"cannot undo “{record.done}”: {why}; nothing was changed")


def _one_sitting_or_refuse(session: Session, record: Undoable, applicant_id: int | None, row: Row,
                           today: date) -> None:
    """An exam row coming back obeys the add's rule (plan.exams.check_one_sitting: one sitting per exam and day,
    one booking ahead): the same exam added again since on that day would otherwise stand twice, both counted as
    attempts."""
    try:
        check_one_sitting(session, applicant_id, str(row["exam"]), row["taken_on"], today=today,
                          booking=row.get("score") is None and row.get("result") is None)
    except FieldError as exc:
        raise _refuse(record, exc.message) from exc


def undo_change(ctx: Context, record: Undoable) -> Undone:
    """Put back what `record`'s action removed or changed, in one transaction (see the module's rules)."""
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        if applicant.id != record.applicant_id:
            raise _refuse(record, "it was made for another applicant")
        zone = applicant.timezone
        current: dict[tuple[str, int], Row | None] = {}
        by_table: dict[str, list[int]] = {}
        for change in record.changes:
            by_table.setdefault(change.table, []).append(change.row_id)
        for table, ids in by_table.items():
            rows = _rows(session, table, ids)
            for row_id in ids:
                current[(table, row_id)] = rows.get(row_id)

        inserts: list[RowChange] = []
        updates: list[tuple[str, Row]] = []
        deletes: list[tuple[str, int]] = []
        pending_again = cancelled_again = overdue = 0
        kept: list[str] = []
        left: list[str] = []
        for change in record.changes:
            now_row = current[(change.table, change.row_id)]
            if change.table == "reminder":
                # named by the one label, as the Outbox and the toast that offered the undo name it
                seen = change.after or change.before or {}
                kind = reminder_label(str(seen.get("kind", "")), str(seen.get("template_key") or ""))
                if now_row != change.after:
                    left.append(f"{kind}: {now_row['status'] if now_row else 'deleted'}")
                    continue
                if change.before is None:
                    deletes.append((change.table, change.row_id))  # derived by the action, still unsent
                    continue
                if change.after is None:
                    inserts.append(change)
                    continue
                before = dict(change.before)
                if before["status"] == "pending" and change.after["status"] != "pending":
                    expires = before.get("expires_at")
                    late_now, late_then = (before["due_at"] < moment - LATE_AFTER for moment in (now, record.at))
                    if (late_now and not late_then) or (expires is not None and expires <= now):
                        kept.append(f"{kind}, due {_moment(before['due_at'], zone)}")
                        before.update(status=change.after["status"], updated_at=now,
                                      note=f"not restored by undo: its time ({_moment(before['due_at'], zone)}) "
                                           "passed while it was cancelled",
                                      # a later edit of the rotation must not revive it late either
                                      payload={**(before.get("payload") or {}), KEPT_BY_UNDO: True})
                    else:
                        pending_again += 1
                        overdue += late_then  # overdue before the action too: back as it was, sent marked late
                elif before["status"] != "pending" and change.after["status"] == "pending":
                    cancelled_again += 1
                updates.append((change.table, before))
                continue
            if change.after is None:  # the action deleted it: its id must still be free
                if now_row is not None and now_row == change.before:
                    raise _refuse(record, "it is already undone")
                if now_row is not None:
                    raise _refuse(record, f"{_describe(change.table, change.before or {})} has its id "
                                          f"taken by {_describe(change.table, now_row)}, added since")
                if change.table == "rotation" and change.before is not None \
                        and (twin := same_rotation(session, applicant.id, change.before)) is not None:
                    # added again since (same kind, place and days): a second row would be the same rotation
                    # twice, which an add refuses
                    raise _refuse(record, f"{_describe(change.table, change.before)} is in the plan again as "
                                          f"rotation {twin.id}, added since: edit that one instead")
                if change.table == "exam_result" and change.before is not None:
                    _one_sitting_or_refuse(session, record, applicant.id, change.before,
                                           local_today(ctx.clock, zone))
                inserts.append(change)
            elif now_row != change.after:
                assert change.before is not None
                gone = "deleted" if now_row is None else "changed"
                raise _refuse(record, f"{_describe(change.table, now_row or change.before)} was {gone} since")
            elif change.before is None:
                deletes.append((change.table, change.row_id))
            else:
                updates.append((change.table, change.before))
        rows_back = _with_parents(session, record, inserts)
        register_all()
        order = [t.name for t in SQLModel.metadata.sorted_tables]  # parents first
        try:
            for table, row_id in sorted(deletes, key=lambda d: -order.index(d[0])):
                t = _table(table)
                session.execute(delete(t).where(t.c.id == row_id))
            for table, row in sorted(rows_back, key=lambda r: order.index(r[0])):
                session.execute(insert(_table(table)).values(**row))
            for table, row in sorted(updates, key=lambda u: order.index(u[0])):
                t = _table(table)
                session.execute(update(t).where(t.c.id == row["id"]).values(**row))
            session.flush()
        except IntegrityError as exc:
            raise _refuse(record, "a row it would bring back clashes with one added since "
                                  f"({str(exc.orig).splitlines()[0]})") from exc
        restored = Counter(c.table for c in inserts if c.table != "reminder")
        restored.update(t for t, _ in updates if t != "reminder")
        warnings = _overlaps(session, ctx, [c for c in inserts if c.table == "rotation"])
        words = _words(record, restored, pending_again, overdue,
                       cancelled_again + len(deletes_of_reminders(deletes)), kept, left, warnings)
    return Undone(words, dict(restored), pending_again, cancelled_again, tuple(kept), tuple(left), tuple(warnings))


def deletes_of_reminders(deletes: Sequence[tuple[str, int]]) -> list[int]:
    return [row_id for table, row_id in deletes if table == "reminder"]


def _with_parents(session: Session, record: Undoable, inserts: Sequence[RowChange]) -> list[tuple[str, Row]]:
    """The rows to put back, each naming parents that exist now (or come back with it). A link the database
    would have emptied anyway (ON DELETE SET NULL: a letter's rotation, a rotation's source event) comes back
    empty when its parent went meanwhile; a row that cannot live without its parent is refused."""
    coming = {(c.table, c.row_id) for c in inserts}
    out: list[tuple[str, Row]] = []
    for change in inserts:
        row = dict(change.before or {})
        for fk in _table(change.table).foreign_keys:
            value = row.get(fk.parent.name)
            parent = fk.column.table.name
            if value is None or (parent, value) in coming or _rows(session, parent, [value]):
                continue
            if (fk.ondelete or "").upper() == "SET NULL":
                row[fk.parent.name] = None
                continue
            one = NOUNS.get(parent, (parent.replace("_", " "), ""))[0]
            raise _refuse(record, f"{_describe(change.table, row)} belongs to {_a(one)} deleted since")
        out.append((change.table, row))
    return out


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _overlaps(session: Session, ctx: Context, rotations: Sequence[RowChange]) -> list[str]:
    """A rotation that comes back may now share its days with one added meanwhile: say so, as a save would."""
    if not rotations:
        return []
    applicant = current_applicant(session, ctx)
    everyone = list(session.exec(select(Rotation).where(Rotation.applicant_id == applicant.id)).all())
    warnings: list[str] = []
    for change in rotations:
        back = next((r for r in everyone if r.id == change.row_id), None)
        if back is not None:
            warnings += full_time_overlaps(back, everyone)
    return list(dict.fromkeys(warnings))


def _words(record: Undoable, restored: Counter[str], pending_again: int, overdue: int, taken_back: int,
           kept: list[str], left: list[str], warnings: list[str]) -> str:
    what = record.what[0].upper() + record.what[1:]
    others = [counted(n, t, record.table) for t, n in restored.items() if t != record.table and n]
    if record.done.startswith("Moved"):
        # the column it is back in: "back where it was" alone made the reader look for it on the board
        was = next((c.before["status"] for c in record.changes if c.table == record.table and c.before), None)
        head = f"Undone: {record.what} is back where it was" + (f" ({was})" if was else "")
    else:
        head = f"{what} is back" + (f" with {', '.join(others)}" if others else "")
    parts = [head]
    if pending_again:
        parts.append(f"{in_words(pending_again, 'reminder is', 'reminders are')} pending again"
                     + (f" ({overdue} {'was' if overdue == 1 else 'were'} already overdue before the change: "
                        f"the daemon sends {'it' if overdue == 1 else 'them'} marked late)" if overdue else ""))
    if taken_back:
        parts.append(f"{in_words(taken_back, 'reminder', 'reminders')} it had made pending "
                     f"{'is' if taken_back == 1 else 'are'} withdrawn")
    if kept:
        parts.append(f"{in_words(len(kept), 'reminder stays', 'reminders stay')} cancelled because "
                     f"{'its' if len(kept) == 1 else 'their'} time has passed ({'; '.join(kept)}), "
                     "so nothing is sent late")
    if left:
        parts.append(f"{in_words(len(left), 'reminder was', 'reminders were')} sent or changed meanwhile and "
                     f"{'stays as it is' if len(left) == 1 else 'stay as they are'} ({'; '.join(left)})")
    parts += [f"note: {w}" for w in warnings]
    return "; ".join(parts)

