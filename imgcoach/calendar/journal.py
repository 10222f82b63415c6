"""What one import changed, kept so `import --undo` can put every row back exactly.

Small plan tables (sources, rotations, study blocks, exams, reminders, letters) are snapshotted
before the import and compared after it; calendar events (maybe tens of thousands) are journalled
from the import's own plan: ids it added, and the rows it changed or removed as they were before.
Undo deletes what was added and writes the old rows back, parents first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlmodel import Session, SQLModel

from imgcoach.core.words import counted
from imgcoach.plan import same_rotation
from imgcoach.storage.models import CalendarImport, register_all

SNAPSHOT_TABLES = ("calendar_source", "rotation", "study_block", "exam_result", "reminder", "rotation_contact",
                   "coach_weekly_entry", "case_note")
# (A rotation the import removes takes its cases and logged weeks with it, by the database's cascade: the undo
# brought the rotation back without them.)
# A rotation's log: an import that moves a rotation renames its logged weeks (plan.move_log_weeks_in), and the undo
# puts back their labels alone (the hours and notes written since are the person's); a week deleted with a
# rotation the import removed comes back whole, unless a day of it was logged since elsewhere (`_Recorded`).
LOG_WEEKS = "coach_weekly_entry"
EVENTS = "calendar_event"
# The plan rows a person edits: their values after the import are kept, and an undo refuses when one differs.
# It deleted a rotation made by the import and edited since (hours, what was learned) without a word, where the
# app's undo of its own deletes refuses the same case. Values, not `version`: undoing a later import raises the
# version of the row it puts back (VERSIONED, below) without anyone editing it.
GUARDED = {"rotation": "rotation", "study_block": "study block", "exam_result": "exam"}
AFTER = "$after"
UNTOLD = ("this import was recorded before imgcoach kept the plan rows an import made as they were after it, so "
          "it cannot tell whether they were edited since")
# Rows a person keeps of their own that name a rotation, and lose the name when it is deleted (ON DELETE SET NULL):
# an import that removed the rotation (--prune, a cancellation) unlinked them, and the undo brought the rotation back
# without its outreach entry and projects. Only the link is journalled and put back (the rows are the person's).
# A letter request was snapshotted whole and written back whole: a letter marked requested after the import went
# back to planned with the undo (and one deleted since came back).
LINKED = {"coach_outreach": ("outreach entry", "outreach entries"), "coach_project": ("project", "projects"),
          "letter_request": ("letter request", "letter requests")}
REMINDERS = "reminder"
AFTER_STATUS = "after_status"  # a reminder row's status as the import left it (since stop 49)
# What a reminder's status can be while nothing happened to it since the import: a journal recorded before its
# statuses were kept takes any other (sent, sending, failed, unconfirmed, missed) as the daemon's work since.
UNTOUCHED = ("pending", "cancelled")
RESYNC = "$resync"  # in `undo`'s answer: the rotations whose reminders follow their letters and log again
WHOLE_BEFORE = "letter_request"  # snapshotted whole by journals before stop 49: their undo puts back its link alone
LINKS = "$links"  # journal key: table -> row id -> the rotation it named before the import
KEPT_REMINDERS = "reminders_kept"  # in LINKS_BACK: reminders the undo left as they are (`_reminders_since`)
LINKS_BACK = "$links_back"  # written by the undo: what came of each link (`_put_links_back`)
# What the database's cascade takes with a rotation the import removes: its links to people, cases and logged weeks.
# The undo wrote them back whole, whatever the person did since: a link to a contact deleted since failed on its
# foreign key (an internal error), and a week logged or a case written again since on the rotation added in the
# removed one's place came back a second time. `_Recorded` keeps what the person did since.
SUPERVISED = "rotation_contact"
CASES = "case_note"
RECORDED_ON = {SUPERVISED: ("link to a person", "links to people"), CASES: ("case", "cases"),
               LOG_WEEKS: ("logged week", "logged weeks")}
HIGH = "$high"  # journal key (since stop 50): table -> its highest row id at the import; ids are never reused, so
# a row above it was written since
CONTACT_NAMES = "$contact_names"  # journal key: contact id -> name, of each link to a person the import removed
RECORDED = "recorded"  # in LINKS_BACK: table -> rows of RECORDED_ON brought back with their rotation
_KINDS = {"rotation": "rotation", "study_block": "study_block", "exam_result": "exam"}
_COMMANDS = {"rotation": "rotations", "study_block": "study", "exam_result": "exams"}
_NOT_EDITS = {"created_at", "updated_at", "version", "calendar_uid"}


def _table(name: str) -> Table:
    register_all()  # the models load lazily (storage.models): the metadata whole
    return SQLModel.metadata.tables[name]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
        if "$d" in value:
            return date.fromisoformat(value["$d"])
    return value


def _rows(session: Session, name: str, ids: list[int] | None = None) -> dict[int, dict[str, Any]]:
    t = _table(name)
    out: dict[int, dict[str, Any]] = {}
    chunks = [None] if ids is None else [ids[i:i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        query = select(t) if chunk is None else select(t).where(t.c.id.in_(chunk))
        for row in session.execute(query).mappings():
            out[row["id"]] = dict(row)
    return out


class Journal:
    """Collects one import's changes; `to_json` is stored with the import's history row."""

    def __init__(self, session: Session) -> None:
        self.before = {name: _rows(session, name) for name in SNAPSHOT_TABLES}
        self.changes: dict[str, dict[str, Any]] = {}
        self.event_before: dict[int, dict[str, Any]] = {}
        self.event_added: list[int] = []
        self.after: dict[str, dict[int, dict[str, Any]]] = {}  # GUARDED table -> row id -> its values after
        self.links_before = {name: _links(session, name) for name in LINKED}
        self.links: dict[str, dict[int, int]] = {}  # LINKED table -> row id -> the rotation the import unlinked
        self.high = {name: max(self.before[name], default=0) for name in (CASES, LOG_WEEKS)}
        self.contact_names: dict[int, str] = {}

    def keep_events(self, session: Session, ids: list[int]) -> None:
        """Calendar event rows about to be changed or removed: remember them as they are."""
        missing = [i for i in ids if i not in self.event_before]
        self.event_before.update(_rows(session, EVENTS, missing))

    def finish(self, session: Session) -> None:
        session.flush()
        for name, old in self.before.items():
            new = _rows(session, name)
            added = sorted(set(new) - set(old))
            changed = [row for i, row in old.items() if new.get(i) != row]
            if added or changed:
                self.changes[name] = {"added": added, "before": changed}
                if name == LOG_WEEKS or name in GUARDED:  # deleted (with its event, or with a rotation the import
                    # removed), or renamed or moved: said apart
                    self.changes[name]["gone"] = [row["id"] for row in changed if row["id"] not in new]
                if name in GUARDED:
                    touched = [*added, *(row["id"] for row in changed)]
                    self.after[name] = {i: _values(new[i]) for i in touched if i in new}
                if name == REMINDERS:  # as the import left them: one the daemon sent since is not the undo's to touch
                    touched = [*added, *(row["id"] for row in changed)]
                    self.changes[name][AFTER_STATUS] = {str(i): new[i]["status"] for i in touched if i in new}
        if self.event_added or self.event_before:
            self.changes[EVENTS] = {"added": self.event_added, "before": list(self.event_before.values())}
        for name, old_links in self.links_before.items():
            now_links = _links(session, name)
            lost = {i: rotation for i, rotation in old_links.items() if now_links.get(i) != rotation}
            if lost:
                self.links[name] = lost
        unlinked = sorted({row["contact_id"] for row in self.changes.get(SUPERVISED, {}).get("before", [])})
        if unlinked:  # named by the undo when the contact is deleted since
            self.contact_names = {i: row["name"] for i, row in _rows(session, "contact", unlinked).items()}

    def to_json(self) -> str:
        data: dict[str, Any] = {name: {**c, "before": [{k: _encode(v) for k, v in r.items()} for r in c["before"]]}
                                for name, c in self.changes.items()}
        if self.after:
            data[AFTER] = {name: {str(i): v for i, v in rows.items()} for name, rows in self.after.items()}
        if self.links:
            data[LINKS] = {name: {str(i): r for i, r in rows.items()} for name, rows in self.links.items()}
        if self.changes:
            data[HIGH] = self.high
        if self.contact_names:
            data[CONTACT_NAMES] = {str(i): name for i, name in self.contact_names.items()}
        return json.dumps(data, separators=(",", ":"))


def _links(session: Session, name: str) -> dict[int, int]:
    """The rows of a LINKED table that name a rotation: row id -> rotation id."""
    t = _table(name)
    return {i: rotation for i, rotation in session.execute(select(t.c.id, t.c.rotation_id).where(
        t.c.rotation_id.is_not(None)))}


@dataclass(frozen=True)
class PlanCounts:
    """What one import did to the plan, each kind apart: the one rule `import --history`, `import --undo` and the
    app's undo all say it by. The history row kept made, linked and moved plan items as one count (plan_items);
    the rows it made are the journal's added ones, `linked` (0014) counts the links, and what is left is moves."""

    made: dict[str, int]  # GUARDED table -> rows the import made there
    linked: int | None  # links of its events to plan items already there; None: recorded before 0014
    moved: int | None  # plan items moved with their events; None: recorded before 0014
    unsorted: int  # recorded before 0014: its links and moves together, not told apart
    removed: dict[str, int]  # GUARDED table -> rows the import deleted (an event gone or cancelled, a kind changed)

    @property
    def made_total(self) -> int:
        return sum(self.made.values())

    def made_by_kind(self) -> dict[str, int]:
        """`made` under the kinds' names an import report uses ("exam", not its table "exam_result")."""
        return {_KINDS[name]: n for name, n in self.made.items()}

    def removed_by_kind(self) -> dict[str, int]:
        return {_KINDS[name]: n for name, n in self.removed.items() if n}


def plan_counts(journal: str, plan_items: int, linked: int | None) -> PlanCounts:
    data = json.loads(journal or "{}")
    made = {name: len(data.get(name, {}).get("added", [])) for name in GUARDED}
    removed = {name: len(_deleted(data, name)) for name in GUARDED}
    rest = max(0, plan_items - sum(made.values()))
    if linked is None:
        return PlanCounts(made, None, None, rest, removed)
    return PlanCounts(made, linked, max(0, rest - linked), 0, removed)


def _deleted(data: dict[str, Any], name: str) -> list[int]:
    """The rows of a GUARDED table the import deleted: its "gone" (since stop 49), else the rows it changed that
    have no values after it (AFTER keeps those of every row still there); [] for a journal older than both."""
    change = data.get(name) or {}
    if "gone" in change:
        return list(change["gone"])
    if AFTER not in data:
        return []
    after = data[AFTER].get(name, {})
    return [int(r["id"]) for r in change.get("before", []) if str(r["id"]) not in after]


def _made_words(counts: PlanCounts) -> list[str]:
    return [counted(n, GUARDED[name]) for name, n in counts.made.items() if n]


def _removed_words(counts: PlanCounts) -> list[str]:
    return [counted(n, GUARDED[name]) for name, n in counts.removed.items() if n]


def history_words(done: CalendarImport) -> str:
    """What an import did to the plan, as `import --history` says it: "made 2 rotations, linked 1 plan item already
    there and moved 1 plan item"; "no plan item" when it touched none. It said "3 plan items" of all of them
    together. An import recorded before 0014 says its other changes were links or moves, not which."""
    counts = plan_counts(done.journal, done.plan_items, done.linked)
    parts = []
    if counts.made_total:
        parts.append("made " + and_words(_made_words(counts)))
    if any(counts.removed.values()):  # an import that removed a rotation with its event said "no plan item"
        parts.append("removed " + and_words(_removed_words(counts)))
    if counts.unsorted:
        parts.append(f"{counted(counts.unsorted, 'other change')} to plan items (links or moves: this import was "
                     "recorded before imgcoach counted them apart)")
    if counts.linked:
        parts.append(f"linked {counted(counts.linked, 'plan item')} already there")
    if counts.moved:
        parts.append(f"moved {counted(counts.moved, 'plan item')}")
    return and_words(parts) or "no plan item"


def undo_words(journal: str, plan_items: int, linked: int | None) -> str:
    """What undoing an import did to the plan, in the words the CLI and the app both say: "removed 2 rotations
    and undid 1 link", "undid 1 link"; "" when it touched no plan item. It said "1 plan item" of an import that
    only linked an event to a rotation already planned, as if it had made one and removed it (plan_counts)."""
    counts = plan_counts(journal, plan_items, linked)
    parts = []
    if counts.made_total:
        parts.append("removed " + and_words(_made_words(counts)))
    if counts.unsorted:
        parts.append(f"undid {counted(counts.unsorted, 'other change')} to plan items (links or moves: this import "
                     "was recorded before imgcoach counted them apart)")
    if counts.moved:
        parts.append(f"moved {counted(counts.moved, 'plan item')} back")
    data = json.loads(journal or "{}")
    back = data.get(LINKS_BACK) or {}
    if any(counts.removed.values()):
        parts.append(f"brought back {and_words(_removed_words(counts))} it removed" + _recorded_words(counts, back))
    if counts.linked:
        parts.append(f"undid {counted(counts.linked, 'link')} to plan items already there (they stay)")
    log = data.get(LOG_WEEKS) or {}
    gone = len(log.get("gone", []))
    renamed = len(log.get("before", [])) - gone
    if renamed:
        parts.append(f"put {counted(renamed, 'logged week')} back under {'its' if renamed == 1 else 'their'} old "
                     f"label{'s' if renamed > 1 else ''}")
    if gone and RECORDED not in back:  # undone before stop 50, which counted them here (and cases nowhere)
        parts.append(f"brought back {counted(gone, 'logged week')} removed with {'its' if gone == 1 else 'their'} "
                     "rotation")
    parts += _links_words(back)
    return and_words(parts)


def _recorded_words(counts: PlanCounts, back: dict[str, Any]) -> str:
    """", with 1 link to a person, 1 case and 2 logged weeks recorded on it": what came back with the rotations the
    import removed (the undo said "brought back 1 rotation" and nothing of its cases and supervisors)."""
    brought = back.get(RECORDED) or {}
    recorded = [counted(brought[name], *nouns) for name, nouns in RECORDED_ON.items() if brought.get(name)]
    if not recorded:
        return ""
    rotations = counts.removed.get("rotation", 0)
    on = ("it" if rotations == 1 else "them") if rotations == sum(counts.removed.values()) else \
        ("the rotation" if rotations == 1 else "the rotations")
    return f", with {and_words(recorded)} recorded on {on}"


def _links_words(back: dict[str, Any]) -> list[str]:
    """What the undo did with the links an import's removal of a rotation took from outreach entries and projects:
    "linked 1 outreach entry and 1 project to their rotation again", and each one it could not link, with why."""
    restored = [counted(n, *LINKED[name]) for name, n in back.get("restored", {}).items() if n]
    parts = []
    if restored:
        one = sum(back["restored"].values()) == 1
        parts.append(f"linked {and_words(restored)} to {'its' if one else 'their'} rotation again")
    parts += back.get("not", [])
    if back.get(KEPT_REMINDERS):
        n = back[KEPT_REMINDERS]
        parts.append(f"left {counted(n, 'reminder')} sent or dealt with since as {'it is' if n == 1 else 'they are'}")
    return parts


def undone_counts(done: CalendarImport) -> str:
    """An undone import's counts, as `import --undo` and the app's Import screen both say them: its events, then
    what the undo did to the plan (undo_words)."""
    plan = undo_words(done.journal, done.plan_items, done.linked)
    return f"{done.created} created, {done.updated} updated, {done.removed} removed" + (f"; {plan}" if plan else "")


def not_put_back(done: CalendarImport) -> list[str]:
    """What an undone import's undo could not put back as it was, each in words ("could not link Dr. Okafor (contact
    1) to rotation 1 again as its supervisor: the contact was deleted since"): `import --undo --json` gave the
    import's id alone, and a script never learnt of them."""
    return list((json.loads(done.journal or "{}").get(LINKS_BACK) or {}).get("not", []))


def and_words(words: list[str]) -> str:
    """"a", "a and b", "a, b and c": how the import's counts are listed in the CLI and the app alike."""
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def edited_since(session: Session, journal: str) -> list[str]:
    """What the undo would take from the person: each row the import made or changed that was edited after it,
    in words with what to do. A journal written before these values were kept cannot tell: each such row still
    there is named as one the undo might take an edit from (`_untold`)."""
    data = json.loads(journal or "{}")
    if AFTER not in data:
        return _added_again_since(session, data) + _untold(session, data)
    found = []
    for name, rows in data.get(AFTER, {}).items():
        made = set(data.get(name, {}).get("added", []))
        current = _rows(session, name, [int(i) for i in rows])
        for i, values in rows.items():
            row = current.get(int(i))
            if row is None or _values(row) == values:
                continue
            what = f"{GUARDED[name]} {i} ({_label(name, row)})"
            command = _COMMANDS[name]
            found.append(f"{what}, made by it, was edited since: the undo would delete it with the edit (to undo "
                         f"the import anyway, remove it first: `imgcoach {command} remove {i}`)" if int(i) in made
                         else f"{what}, moved by it, was edited since: the undo would put its old values back "
                         "over the edit")
    return found + _written_on_since(session, data) + _added_again_since(session, data)


def _added_again_since(session: Session, data: dict[str, Any]) -> list[str]:
    """Each rotation the import removed that is in the plan again, added since (same kind, place and days:
    plan.same_rotation): the undo brought it back beside its twin, the same rotation twice, which `rotations add`
    and the app's undo of a delete refuse (its hours, experience and reminders counted twice)."""
    gone = set(_deleted(data, "rotation"))
    made = set(data.get("rotation", {}).get("added", []))
    found = []
    for before in data.get("rotation", {}).get("before", []):
        row = {k: _decode(v) for k, v in before.items()}
        if row["id"] not in gone:
            continue
        twin = same_rotation(session, row["applicant_id"], row)
        if twin is None or twin.id in made:  # one the import made goes with the undo
            continue
        found.append(f"rotation {row['id']} ({_label('rotation', row)}), removed by it, is in the plan again as "
                     f"rotation {twin.id}, added since: the undo would make it twice (to undo the import anyway, "
                     f"remove rotation {twin.id} first: `imgcoach rotations remove {twin.id}`)")
    return found


# What a person writes on a rotation besides its own values (its log, its cases, its supervisors): a rotation the
# import made has none of it then, so any is written since.
_WRITTEN_ON = (("coach_weekly_entry", ("logged week", "logged weeks")), ("case_note", ("case", "cases")),
               ("rotation_contact", ("link to a person", "links to people")))


def _written_on_since(session: Session, data: dict[str, Any]) -> list[str]:
    """Each rotation the import made, still there, on which weeks were logged, cases written or people linked
    since, or to which a letter request, project or outreach entry was linked since (an import makes none of
    these): the undo deleted it and the first with it (the database's cascade), left the others without their
    rotation, and said "removed 1 rotation", where an edit of its hours is refused (edited_since)."""
    made = [int(i) for i in data.get("rotation", {}).get("added", [])]
    current = _rows(session, "rotation", made) if made else {}
    if not current:
        return []
    found = []
    for i, row in sorted(current.items()):
        written = _count_on(session, i, _WRITTEN_ON)
        linked_counts = _counts(session, i, LINKED)
        linked = _count_on(session, i, tuple(LINKED.items()), linked_counts)
        if not written and not linked:
            continue
        has = " and ".join([*([f"{and_words(written)} written since"] if written else []),
                            *([f"{and_words(linked)} linked to it since"] if linked else [])])
        then = "delete the rotation" + (" and what was written on it" if written else "")
        if linked:
            nouns = [LINKED[name][0] for name, n in zip(LINKED, linked_counts, strict=True) if n]
            then += (f" and leave the {nouns[0]} without its rotation" if sum(linked_counts) == 1
                     else " and leave them without their rotation")
        found.append(f"rotation {i} ({_label('rotation', row)}), made by it, has {has}: the undo would {then} (to "
                     f"undo the import anyway, remove the rotation first: `imgcoach rotations remove {i}`)")
    return found


def _counts(session: Session, rotation_id: int, tables: Any) -> list[int]:
    """How many rows of each table name the rotation."""
    out = []
    for name in tables:
        t = _table(name)
        out.append(session.execute(select(func.count()).select_from(t).where(t.c.rotation_id == rotation_id))
                   .scalar_one())
    return out


def _count_on(session: Session, rotation_id: int, nouns: tuple[tuple[str, tuple[str, str]], ...],
              counts: list[int] | None = None) -> list[str]:
    """"2 logged weeks", "1 case"...: the rows of each table that name the rotation, in words (none: left out)."""
    counts = counts if counts is not None else _counts(session, rotation_id, [name for name, _ in nouns])
    return [counted(n, *noun) for (_, noun), n in zip(nouns, counts, strict=True) if n]


def _untold(session: Session, data: dict[str, Any]) -> list[str]:
    """The rows an old journal's undo would delete or put back, still there: it said nothing of them and deleted
    a rotation edited since (its hours, what was learned) with the rest. Named with the way on instead: remove
    the row (then the undo runs for the rest), or keep the import and remove only its events."""
    found = []
    for name in GUARDED:
        change = data.get(name) or {}
        made = set(change.get("added", []))
        ids = sorted(made | {int(r["id"]) for r in change.get("before", [])})
        current = _rows(session, name, ids) if ids else {}
        for i in ids:
            row = current.get(i)
            if row is None:
                continue
            what = f"{GUARDED[name]} {i} ({_label(name, row)})"
            found.append(f"{what}, made by it: the undo would delete it with any edit (if it should go, remove it "
                         f"first: `imgcoach {_COMMANDS[name]} remove {i}`)" if i in made else
                         f"{what}, changed by it: the undo would put its old values back over any edit")
    if found:
        found.insert(0, UNTOLD)
        # `events remove` refuses an event that made a plan row: only the others are offered
        found.append("or keep what it made and remove only the other events you do not want: `imgcoach events "
                     "list`, then `imgcoach events remove ID...` (an event that made one of these rows stays with it)")
    return found


def _values(row: dict[str, Any]) -> dict[str, Any]:
    """What a person set in a row, encoded as the journal stores it (a JSON round trip compares equal)."""
    return json.loads(json.dumps({k: _encode(v) for k, v in row.items() if k not in _NOT_EDITS}))


def _label(name: str, row: dict[str, Any]) -> str:
    if name == "rotation":
        return f"{row['specialty']} at {row['institution']}, {row['start_date']} to {row['end_date']}"
    if name == "study_block":
        return f"{row['exam']}, {row['start_date']} to {row['end_date']}"
    return f"{row['exam']} on {row['taken_on']}"


# The plan rows the export publishes, versioned by their change time or edit count (calendar.exporting): an undo
# that wrote their old change marker back sent the SEQUENCE below the import's (3644086 back to 3644078), and a
# calendar app that held the imported version ignored the one put back as out of date (RFC 5546 2.1.5).
VERSIONED = {"rotation", "study_block", "exam_result", "letter_request", "reminder"}


def undo(session: Session, journal: str, now: datetime) -> dict[str, Any]:
    """Delete what the import added and restore what it changed or removed, in foreign-key order; returns what came
    of the links to a removed rotation (`_put_links_back`, {} when none), kept with the journal for the words.

    Every column comes back as it was, except the change marker (`updated_at`, `version`) of a `VERSIONED`
    row: the undo is a change made `now`, one version after the import's, so calendar apps take it."""
    changes = json.loads(journal or "{}")
    changes.pop(AFTER, None)
    links = changes.pop(LINKS, None) or {}
    changes.pop(LINKS_BACK, None)
    high: dict[str, int] = changes.pop(HIGH, None) or {}
    recorded = _Recorded(changes.pop(CONTACT_NAMES, None) or {}, high)
    if WHOLE_BEFORE in changes:  # an older journal's letters, changed only by losing their rotation: the link alone
        links.setdefault(WHOLE_BEFORE, {}).update({str(r["id"]): r["rotation_id"] for r in
                                                   changes.pop(WHOLE_BEFORE)["before"] if r.get("rotation_id")})
    register_all()
    order = [t.name for t in SQLModel.metadata.sorted_tables if t.name in changes]  # parents first
    kept = _reminders_since(session, changes)
    for name in reversed(order):
        ids = [i for i in changes[name]["added"] if not (name == REMINDERS and i in kept)]
        t = _table(name)
        for i in range(0, len(ids), 500):
            session.execute(delete(t).where(t.c.id.in_(ids[i:i + 500])))
    for name in order:
        t = _table(name)
        rows = [{k: _decode(v) for k, v in r.items()} for r in changes[name]["before"]]
        present = _rows(session, name, [r["id"] for r in rows])
        if name in RECORDED_ON:
            rows = recorded.keep(session, name, rows, present)
        if name == LOG_WEEKS:
            _put_log_weeks_back(session, t, rows, present)
            continue
        for r in rows:
            if name == REMINDERS and r["id"] in kept:
                continue
            if name in VERSIONED:
                _new_version(t, r, present.get(r["id"]), now)
            if r["id"] in present:
                session.execute(update(t).where(t.c.id == r["id"]).values(**r))
            else:
                session.execute(insert(t).values(**r))
    session.flush()
    back = _put_links_back(session, links, now)
    if kept:
        back[KEPT_REMINDERS] = len(kept)
    if recorded.back:
        back[RECORDED] = recorded.back
    if recorded.not_back:
        back["not"] = recorded.not_back + back.get("not", [])
        back.setdefault("restored", {})
    if recorded.resync:
        back[RESYNC] = sorted(set(back.get(RESYNC, [])) | recorded.resync)
    return back


class _Recorded:
    """What the undo writes back of the rows the database's cascade took with a rotation the import removed (its
    links to people, cases and logged weeks), keeping what the person did since: a link to a contact deleted since
    is not made (the person deleted them), a week of which a day was logged since on another rotation is not
    logged twice, a case written again since (same title, another rotation) is not there twice. Each one left out
    is said (`not_back`). A journal recorded before stop 50 keeps no `HIGH`: it cannot tell a week or a case
    written since from one there before, and brings them back as it did."""

    def __init__(self, contact_names: dict[str, str], high: dict[str, int]) -> None:
        self.contact_names, self.high = contact_names, high
        self.back: dict[str, int] = {}  # table -> rows brought back with their rotation
        self.left: dict[str, list[str]] = {}  # table -> each row left out, in words
        self.resync: set[int] = set()  # rotations whose log lost a week: the feedback reminder follows the log

    @property
    def not_back(self) -> list[str]:
        """What was left out, in words: links to people, then cases, then log weeks (as `_recorded_words` counts)."""
        return [why for name in RECORDED_ON for why in self.left.get(name, [])]

    def keep(self, session: Session, name: str, rows: list[dict[str, Any]],
             present: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
        """`rows` less the ones gone with their rotation that the person's work since leaves out."""
        out = []
        for row in rows:
            why = None if row["id"] in present else self._left_out(session, name, row)
            if why is not None:
                self.left.setdefault(name, []).append(why)
                continue
            out.append(row)
            if row["id"] not in present:
                self.back[name] = self.back.get(name, 0) + 1
        return out

    def _left_out(self, session: Session, name: str, row: dict[str, Any]) -> str | None:
        rotation = row["rotation_id"]
        if name == SUPERVISED:
            if _rows(session, "contact", [row["contact_id"]]):
                return None
            contact = f"contact {row['contact_id']}"
            who = self.contact_names.get(str(row["contact_id"]))
            return (f"could not link {f'{who} ({contact})' if who else contact} to rotation {rotation} again as its "
                    f"{row['role']}: the contact was deleted since")
        if name not in self.high:
            return None
        since = _written_since(session, name, rotation, self.high[name])
        if name == LOG_WEEKS:
            week = row["week_of"]
            clash = next((r for r in since if abs((r["week_of"] - week).days) < 7), None)
            if clash is None:
                return None
            self.resync.add(rotation)
            return (f"did not bring back the week of {week} logged on rotation {rotation} (its days were logged on "
                    f"rotation {clash['rotation_id']} since)")
        title = row["title"].strip().casefold()
        clash = next((r for r in since if r["title"].strip().casefold() == title), None)
        if clash is None:
            return None
        return (f"did not bring back case {row['id']} ({row['title']}) of rotation {rotation} (written again on "
                f"rotation {clash['rotation_id']} since, as case {clash['id']})")


def _written_since(session: Session, name: str, rotation_id: int, high: int) -> list[dict[str, Any]]:
    """The rows of `name` (cases or log weeks) written since the import (an id above `high`) on the other rotations
    of the applicant whose rotation `rotation_id` is."""
    t, rotations = _table(name), _table("rotation")
    applicant = select(rotations.c.applicant_id).where(rotations.c.id == rotation_id).scalar_subquery()
    query = (select(t).join(rotations, rotations.c.id == t.c.rotation_id)
             .where(rotations.c.applicant_id == applicant, t.c.rotation_id != rotation_id, t.c.id > high)
             .order_by(t.c.id))
    return [dict(r) for r in session.execute(query).mappings()]


def _reminders_since(session: Session, changes: dict[str, Any]) -> set[int]:
    """The reminders the import made or changed that the daemon (or a person) has dealt with since: sent (or being
    sent, failed...) at the moment the import gave them. The undo wrote them back pending at their old moment (or
    deleted one the import made), and a reminder sent was sent again; it leaves them as they are."""
    change = changes.get(REMINDERS) or {}
    ids = [*change.get("added", []), *(r["id"] for r in change.get("before", []))]
    if not ids:
        return set()
    after = change.get(AFTER_STATUS)
    now = _rows(session, REMINDERS, ids)
    return {i for i, row in now.items()
            if (row["status"] != after[str(i)] if after is not None and str(i) in after
                else row["status"] not in UNTOUCHED)}


def _put_links_back(session: Session, links: dict[str, dict[str, int]], now: datetime) -> dict[str, Any]:
    """Link each outreach entry and project the import unlinked (its rotation removed) to that rotation again, now
    back; one deleted since, or linked to another rotation since, is left as it is and named (LINKS_BACK)."""
    restored: dict[str, int] = {}
    not_back: list[str] = []
    lettered: set[int] = set()  # rotations a letter is linked to again
    for name, rows in links.items():
        t = _table(name)
        noun = LINKED[name][0]
        ids = [int(i) for i in rows]
        present = _rows(session, name, ids)
        rotations = set(_rows(session, "rotation", sorted(set(rows.values()))))
        for i in ids:
            rotation = rows[str(i)]
            row = present.get(i)
            named = row.get(_LABELS.get(name, ""), "") if row else ""
            label = f"{noun} {i}" + (f" ({named})" if named else "")
            if row is None:
                not_back.append(f"could not link {label} to rotation {rotation} again: it was deleted since")
            elif row["rotation_id"] == rotation:
                continue
            elif row["rotation_id"] is not None:
                not_back.append(f"left {label} linked to rotation {row['rotation_id']}, as it was linked since "
                                f"(it was linked to rotation {rotation})")
            elif rotation not in rotations:
                not_back.append(f"could not link {label} to rotation {rotation} again: the rotation is not back")
            else:
                # a change made now: the export's SEQUENCE of a letter deadline follows its change time
                now_too = {"updated_at": now} if "updated_at" in t.c else {}
                session.execute(update(t).where(t.c.id == i).values(rotation_id=rotation, **now_too))
                restored[name] = restored.get(name, 0) + 1
                if name == "letter_request":
                    lettered.add(rotation)
    session.flush()
    back: dict[str, Any] = {"restored": restored, "not": not_back} if restored or not_back else {}
    if lettered:  # not kept with the journal: whose reminders follow their letters again (importing)
        back[RESYNC] = sorted(lettered)
    return back


_LABELS = {"coach_outreach": "institution", "coach_project": "title"}  # a LINKED row's name in words (a letter: none)


def _put_log_weeks_back(session: Session, t: Table, rows: list[dict[str, Any]],
                        present: dict[int, dict[str, Any]]) -> None:
    """A renamed log week gets its old label back, nothing else; one deleted comes back whole. Two steps, as
    plan's rename does: a label may pass from one row to the next (unique per rotation)."""
    moved = [r for r in rows if r["id"] in present and present[r["id"]]["week_of"] != r["week_of"]]
    for r in moved:  # out of every rotation's way for a moment
        session.execute(update(t).where(t.c.id == r["id"]).values(week_of=date(1, 1, 1) + timedelta(days=r["id"])))
    for r in moved:
        session.execute(update(t).where(t.c.id == r["id"]).values(week_of=r["week_of"]))
    for r in rows:
        if r["id"] not in present:
            session.execute(insert(t).values(**r))


def _new_version(t: Table, row: dict[str, Any], current: dict[str, Any] | None, now: datetime) -> None:
    """Mark the row put back as changed `now`: a change time of now, a version above both the old and the current.

    A reminder only while pending (the export publishes no other): a failed one's change time is when it failed,
    which `reminders retry` reads."""
    if t.name == "reminder" and row.get("status") != "pending":
        return
    if "updated_at" in t.c:
        row["updated_at"] = now
    if "version" in t.c:
        row["version"] = max(row.get("version") or 1, (current or {}).get("version") or 1) + 1


def mark_restored(session: Session, previous: Session | None, now: datetime) -> int:
    """After `db restore`: every `VERSIONED` row that differs from the database it replaced (`previous`) is a
    change made `now`; returns how many were marked.

    The backup's rows carry their old change markers, so each rotation, study block, exam, letter deadline and
    reminder edited since the backup went back to an older SEQUENCE than the feed had published, and calendar
    apps kept the edited version the restore had undone. A row the same in both keeps its version (its entry
    did not change); without a readable previous database every row is marked (versions may only grow)."""
    marked = 0
    for name in sorted(VERSIONED):
        t = _table(name)
        try:
            old = _rows(previous, name) if previous is not None else None
        except Exception:  # an older schema or a damaged file: nothing to compare with, so mark them all
            old = None
        for row_id, row in _rows(session, name).items():
            before = old.get(row_id) if old is not None else None
            if before == row:
                continue
            values = dict(row)
            _new_version(t, values, before, now)
            if values == row:
                continue  # a reminder that is not pending: not published
            session.execute(update(t).where(t.c.id == row_id).values(
                **{k: values[k] for k in ("updated_at", "version") if k in t.c}))
            marked += 1
    session.flush()
    return marked
