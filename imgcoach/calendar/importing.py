"""Import calendar files: a preview of what each event becomes, then one transaction per file.

Events are keyed by (source file, UID, RECURRENCE-ID), so a re-import updates rows instead of
adding copies. Parsing happens before the write transaction (it can take seconds on a big
file and must not hold the database's write lock); rows are written in bulk.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, bindparam, delete, func, insert, select, update
from sqlmodel import Session, col

from imgcoach.calendar.exporting import own_copies, own_uids
from imgcoach.calendar.journal import LINKS_BACK, RESYNC, Journal, and_words, edited_since, undo
from imgcoach.calendar.last_import import newest_undoable
from imgcoach.calendar.mapping import KIND_LABELS, KINDS, Suggestion, suggest
from imgcoach.calendar.model import ParsedEvent, ParseResult, Problem
from imgcoach.calendar.reader import read_ics_file
from imgcoach.calendar.series import (
    SHORT,
    Link,
    PlanRow,
    Run,
    find_link,
    local_span,
    runs,
    shorter_than_a_day,
)
from imgcoach.calendar.targets import (
    TARGET_KINDS,
    create_target,
    exam_name,
    exported_fields,
    hours_note,
    item_values,
    local_days,
    remove_target,
    target_days,
    update_target,
)
from imgcoach.core.clock import local_date
from imgcoach.core.collector import collector_paused
from imgcoach.core.context import Context
from imgcoach.core.datewords import moment_words
from imgcoach.core.errors import UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.uids import OWN_UID_SUFFIX
from imgcoach.core.words import counted
from imgcoach.plan import SAME_DAY, replace_floating_events, sitting_clash
from imgcoach.reminders import sync_rotation_reminders
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.models import (
    Applicant,
    CalendarEvent,
    CalendarImport,
    CalendarSource,
    ExamResult,
    Rotation,
    StudyBlock,
)

COMPARED = ("component", "summary", "description", "location", "categories", "all_day", "start_at", "end_at",
            "start_date", "end_date", "tzid", "floating", "zone_assumed", "wall_start", "wall_end", "wall_length",
            "status", "sequence", "suggested_kind")
_T = CalendarEvent.__table__  # type: ignore[attr-defined]  # set by SQLModel at run time, not declared
# How an updated event's changed COMPARED fields are named to the applicant (`EventPlan.changed`), in this order.
CHANGE_WORDS = (("summary", "title"), ("start_at", "time"), ("end_at", "time"), ("start_date", "time"),
                ("end_date", "time"), ("all_day", "time"), ("tzid", "time zone"), ("floating", "time zone"),
                ("zone_assumed", "time zone"), ("wall_start", "time"), ("wall_end", "time"),
                ("wall_length", "time"), ("location", "location"),
                ("description", "description"), ("categories", "categories"), ("status", "status"),
                ("component", "type"), ("suggested_kind", "suggestion"), ("sequence", "SEQUENCE"))
SEQUENCE_ONLY = "only its SEQUENCE (the calendar's revision number): nothing shown changed"
OTHER_FILE = "now from this file (imported from another before)"
FLOATING_NOW = "no time zone in the file: now kept at its clock time when your time zone changes"
ASSUMED_NOW = "its time zone is unknown: now read in yours and kept at its clock time when yours changes"
WALL_NOW = "its clock time in the file is now kept for a change of your time zone"
LENGTH_NOW = "its DURATION in the file is now kept for a change of your time zone"


def changed_words(stored: dict[str, Any], row: dict[str, Any], moved_file: bool) -> tuple[str, ...]:
    """What an update changes in a stored event, in words ("title", "time", "location"...): the summary said
    "1 updated" and the preview "update" with nothing to show what, though the change may be a field no screen
    shows (a new SEQUENCE alone, or the event coming from another file now)."""
    words: list[str] = []
    for name, word in CHANGE_WORDS:
        if name == "floating" and row[name] and stored[name] != row[name]:
            word = FLOATING_NOW  # a row imported before upgrade 0011, read again: only what it knows changed
        elif name == "zone_assumed" and row[name] and not stored[name]:
            word = ASSUMED_NOW  # before upgrade 0012 it kept its instant when the zone changed
        elif name in ("wall_start", "wall_end") and not stored[name] and row[name]:
            if stored["floating"] != row["floating"] or stored["zone_assumed"] != row["zone_assumed"]:
                continue  # newly following the zone: the word for that says it
            word = WALL_NOW  # a floating row imported before upgrade 0012: placed from its instant until now
        elif name == "wall_length" and not stored[name] and row[name]:
            if stored["floating"] != row["floating"] or stored["zone_assumed"] != row["zone_assumed"]:
                continue  # newly following the zone: the word for that says it
            word = LENGTH_NOW  # imported before upgrade 0013: placed again by its clock end until now
        if stored[name] != row[name] and word not in words:
            words.append(word)
    if moved_file:
        words.append(OTHER_FILE)
    return tuple(words)


@dataclass
class EventPlan:
    """One line of the preview: what the event is, what happens to it, what it will become."""

    uid: str
    recurrence_id: str
    summary: str
    start: datetime | date
    end: datetime | date
    all_day: bool
    action: str  # create | update | unchanged
    suggestion: Suggestion
    kind: str  # what it becomes on apply: "" (plain event, undecided) or one of KINDS
    mapped_kind: str = ""  # what it already is, from an earlier import
    line: int | None = None
    link: Link | None = None  # an existing plan row this event is (accepting links instead of creating)
    separate: bool = False  # the user chose a new plan row over the link
    span: tuple[date, date] | None = None  # a series run's days, on the run's first occurrence
    occurrences: int = 1  # how many occurrences that run holds
    weekly: float | None = None  # the run's usual week in hours (series.weekly_hours); None: all-day or no run
    follows: str = ""  # key of the run's first occurrence: this one joins the item it makes
    changed: tuple[str, ...] = ()  # an update's changed fields, in words (`changed_words`)
    made: str = ""  # the plan row an earlier import made from it ("rotation 3"), removed if it becomes another kind
    # A preview's way to say why the import would not make this event a rotation, study block or exam of its own
    # ("" when it would): PreviewBasis.not_made; None once imported (the import says it in its warnings)
    refusal: Callable[[EventPlan, str], str] | None = field(default=None, repr=False, compare=False)
    refused: str = ""  # why the import did not make its `kind` (the reason its warning gives), once imported

    @property
    def key(self) -> str:
        return f"{self.uid}#{self.recurrence_id}" if self.recurrence_id else self.uid

    @property
    def suggested(self) -> bool:
        """A suggestion to show: not a plain event, and not a follower of a series run (its first shows it)."""
        return self.suggestion.kind != "event" and not self.follows

    @property
    def accepting(self) -> bool:
        """This import makes, links or changes a plan item for the event (an accepted suggestion or a choice)."""
        return bool(self.kind) and self.kind != self.mapped_kind and not self.follows

    def describe_target(self) -> str:
        """What accepting does, in words: "link to rotation 3 (same institution ...)" or "new rotation"."""
        kind = self.kind or self.suggestion.kind
        label = KIND_LABELS.get(kind, kind).lower()  # type: ignore[call-overload]
        if self.link is not None and not self.separate and kind == self.link.kind:
            return f"link to {label} {self.link.id} {self.link.label} ({self.link.reason})"
        days = f" over {self.span[0]:%d %b}–{self.span[1]:%d %b %Y} ({self.occurrences} occurrences)" if self.span else ""
        # The row made from it before goes (importing._Plan._map): a choice of another kind said nothing of it
        removes = "" if not self.made or self.kind == self.mapped_kind else f"; removes {self.made}, made from it before" \
            + (" (with what is recorded on it: logged weeks, cases, links to people)" if self.made.startswith(
                "rotation ") else "")
        if kind not in TARGET_KINDS:
            return f"{label}{removes}"
        refused = self.not_made(kind)
        if refused:  # what the import then says in its warning ("not made a rotation: ..."), with the event's line
            line = f" (line {self.line})" if self.line else ""
            return f"{not_made_words(kind, refused)}; it stays a calendar event{line}{removes}"
        return f"new {label}{days}{removes}"

    def how(self, kind: str = "") -> str:
        """What accepting it as `kind` (by default its choice, else its suggestion) does, in one word for the
        faces' counts: "link", "new", "not made" (not_made says why) or "as" (a kind with no row of its own)."""
        kind = kind or self.kind or self.suggestion.kind
        if kind not in TARGET_KINDS:
            return "as"
        if self.link is not None and not self.separate and kind == self.link.kind:
            return "link"
        return "not made" if self.not_made(kind) else "new"

    def not_made(self, kind: str) -> str:
        """Why accepting this event as `kind` makes no plan item of its own ("" when it does, or when not known):
        the values the import would save do not validate, or the exam is booked already (a preview's check)."""
        if self.follows or plan_step(self, kind) != MAKE:
            return ""
        if self.refused and kind == self.kind:  # imported: what the import found, so its --json says what it did
            return self.refused
        return "" if self.refusal is None else self.refusal(self, kind)


# What an import does to the plan for one event (plan_step)
NOTHING, FOLLOW, JOIN, LINK, MAKE, AS_KIND = "", "follow", "join", "link", "make", "as"


def plan_step(e: EventPlan, kind: str) -> str:
    """What the import does to the plan for event `e` becoming `kind` (its choice, or the suggestion the app's
    ctrl+a would accept): the one rule `_Plan._map` carries out and a preview reads (PreviewBasis, the moves and
    refusals it says), so the two cannot drift. FOLLOW: it stays what it was, and the item made from it or linked to
    it moves with it if its days changed; JOIN: a later occurrence of a series run joins its first's item; LINK: it is
    linked to an item the plan holds; MAKE: a rotation, study block or exam of its own is made; AS_KIND: a kind with
    no row of its own (interview, plain event); NOTHING: no change to the plan."""
    kind = kind or e.mapped_kind  # the app's "decide later" on an event imported before: it stays what it is
    if kind == e.mapped_kind:
        moving = kind in TARGET_KINDS and not e.follows and (e.action == "update" or e.span is not None)
        return FOLLOW if moving else NOTHING
    if kind not in TARGET_KINDS:
        return AS_KIND
    if e.follows:
        return JOIN
    if e.link is not None and not e.separate and e.link.kind == kind:
        return LINK
    return MAKE


def not_made_words(kind: str, reason: str) -> str:
    """An accepted event made into nothing, in the import's warning and its preview alike."""
    return f"not made {_A_KIND.get(kind, kind)}: {reason}"


@dataclass
class ImportReport:
    file: str
    status: str = "preview"  # preview | imported | refused | unchanged
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: list[dict[str, Any]] = field(default_factory=list)
    gone: list[dict[str, Any]] = field(default_factory=list)  # no longer in the file, kept (no --prune)
    skipped: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # why nothing was imported
    warnings: list[Problem] = field(default_factory=list)
    mapped: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)  # plan items moved with their event
    # plan items an earlier import made from an event, removed now that it became another kind (--as)
    unmade: list[dict[str, Any]] = field(default_factory=list)
    # This database's own reminders and letter deadlines found in the file: already in the plan, not imported
    already: list[dict[str, str]] = field(default_factory=list)
    # Reminders exported by imgcoach from another database (X-IMGCOACH-KIND): not imported (others_note)
    others_reminders: list[dict[str, str]] = field(default_factory=list)
    # This database's own rotations, study blocks and exams found in the file (new to the events): kept as events
    # linked to them, not copied. Counted only as "N created", they read as the plan imported twice.
    own_linked: list[dict[str, Any]] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    timezone: str = "UTC"  # the applicant's zone: every time shown to the user is in it
    import_id: int | None = None  # the history row (import --undo)
    # An unchanged file's report lists no suggestions (it is not read again): how many of its events still carry
    # one nobody accepted or chose, so a re-import does not read as "nothing left to decide".
    waiting: int | None = None
    # A preview's reading of the plan and the file, to say what a rotation it would make collides with (`overlaps`)
    basis: PreviewBasis | None = field(default=None, repr=False, compare=False)
    pruning: bool = False  # a preview of an import that removes the events gone from the file (--prune)
    # A done import's `mapped` entries by the key of the event each was made from or linked to
    mapped_by_event: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def accepting(self) -> list[EventPlan]:
        """What this import makes, links or changes into a plan item (accepted suggestions and --as/--separate
        choices), in the file's order: the list a real run shows before it asks and a dry run shows as its answer.
        A choice of a plain event counts only where it takes a plan item's place (the row made before goes)."""
        return [e for e in self.events if e.accepting and (e.kind != "event" or e.mapped_kind)]

    def undecided(self) -> int:
        """Events (by UID: a series is one) suggested as a plan item and neither accepted nor chosen yet."""
        if self.waiting is not None:
            return self.waiting
        return len({e.uid for e in self.events if e.suggestion.kind != "event" and not e.mapped_kind and not e.kind})

    @property
    def blocker(self) -> Problem | None:
        """The problem that refused the file: its first fatal one."""
        return next((p for p in self.problems if p.severity == "fatal"), self.problems[0] if self.problems else None)

    def refusal(self) -> str:
        """Why nothing was imported, in one line: the blocking problem as it is. Every refusal used to say "the
        file is damaged as a whole", also of a file that does not exist, is too large or is not iCalendar."""
        first = self.blocker
        if first is None:
            return f"{self.file}: nothing imported"
        if len(self.problems) > 1 and first.severity != "fatal":
            # every event broken: one line for all, each named by its line in the list before it
            return f"{self.file}: none of its events can be imported ({len(self.problems)} broken); nothing imported"
        return f"{first.describe()}; nothing imported" + (f" ({first.advice})" if first.advice else "")

    def already_note(self) -> str:
        """What became of this database's own reminders and letter deadlines in the file, or "" (CLI and app)."""
        if not self.already:
            return ""
        return (f"{len(self.already)} already in the plan, not imported: imgcoach's own reminders and letter "
                "deadlines from this database (the plan moves them itself)")

    def others_note(self) -> str:
        """What became of another imgcoach database's reminders in the file, or "" (CLI and app)."""
        if not self.others_reminders:
            return ""
        n = len(self.others_reminders)
        return (f"{counted(n, 'reminder')} exported by imgcoach from another database, not imported: this plan makes "
                "its own reminders from what it holds (a rotation accepted from this file gets its own)")

    def own_note(self) -> str:
        """What became of this database's own plan items in the file, or "" (CLI and app): importing one's own
        export said "10 created" and nothing else, as if the rotations and exams had been copied."""
        if not self.own_linked:
            return ""
        kinds: dict[str, int] = {}
        for item in self.own_linked:
            kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
        n = len(self.own_linked)
        return (f"{n} of the events created {'is' if n == 1 else 'are'} this database's own "
                f"{and_words([counted(c, k.replace('_', ' ')) for k, c in kinds.items()])} (from its export): "
                f"linked to {'it' if n == 1 else 'them'}, not copied into the plan")

    @staticmethod
    def gone_note(gone: dict[str, Any]) -> str:
        """What removing one gone event also removes, for the CLI's question and the app's notes ("" when nothing):
        a rotation goes with its logged weeks, cases and links to people (the database's cascade)."""
        return ImportReport.removal_note(gone.get("would_remove"))

    @staticmethod
    def removal_note(made: str | None) -> str:
        """What removing an event also removes, `made` from it ("rotation 3"; "" when nothing): a gone event's
        (gone_note) or a cancelled one's (the app's notes)."""
        if not made:
            return ""
        if made.startswith("rotation "):
            return (f"removing it also removes {made}, made from it, and what is recorded on it (logged weeks, "
                    "cases, links to people; its pending reminders are cancelled)")
        return f"removing it also removes {made}, made from it"

    def gone_words(self, remove_with: str = "import with --prune",
                   when: Callable[[datetime | date], str] | None = None) -> str:
        """The events gone from the file and kept, in one line for the CLI, `--json` and the app alike ("" when
        none): '1 event is no longer in the file and was kept: "Journal club" (2027-01-12 17:00 EST); import with
        --prune to remove it'. `remove_with` is the face's way to remove them, `when` its spelling of a start (the
        CLI's, `local`, by default; the app writes "12 Jan 2027 17:00" as its rows do). Said at every import of
        the file while they are kept: a re-import after a "no" said "unchanged" and nothing of them."""
        spell = when or self.local
        if not self.gone:
            return ""
        groups: dict[str, list[Any]] = {}  # a series' occurrences are one name, in the file's order
        for g in self.gone:
            groups.setdefault(g["summary"] or g["uid"], []).append(g.get("start"))
        names = []
        for summary, starts in list(groups.items())[:GONE_NAMED]:
            first = min((s for s in starts if s is not None), key=_start_order, default=None)
            started = "" if first is None else spell(first)
            if len(starts) > 1:
                started = f"{len(starts)} occurrences" + (f" from {started}" if started else "")
            names.append(f'"{summary}"' + (f" ({started})" if started else ""))
        if len(groups) > GONE_NAMED:
            names.append(f"{len(groups) - GONE_NAMED} more")
        n, one = len(self.gone), len(self.gone) == 1
        kept = ("would be kept" if self.status == "preview" else "was kept" if one else "were kept")
        made = [g["would_remove"] for g in self.gone if g.get("would_remove")]
        with_made = f" (with {and_words(made)}, made from {'it' if one else 'them'})" if made else ""
        return (f"{counted(n, 'event')} {'is' if one else 'are'} no longer in the file and {kept}{with_made}: "
                f"{and_words(names)}; {remove_with} to remove {'it' if one else 'them'}")

    def local(self, value: datetime | date) -> str:
        """A start time as the user reads it: in their zone, with the zone named for timed events."""
        if isinstance(value, datetime):
            return moment_words(value, self.timezone)
        return value.isoformat()

    def suggestions(self) -> list[EventPlan]:
        return [e for e in self.events if e.suggested]

    def updates(self) -> list[EventPlan]:
        """The events this import updates (`updated` counts them), each with what changes (`EventPlan.changed`)."""
        return [e for e in self.events if e.action == "update"]

    def change_lines(self) -> list[str]:
        """What the updates change, one line per event (a series' occurrences changed alike are one line), for the
        CLI and the app alike: 'updated "Grand rounds" (12 occurrences): location'."""
        grouped: dict[tuple[str, str, tuple[str, ...]], int] = {}
        for e in self.updates():
            key = (e.uid, e.summary, e.changed)
            grouped[key] = grouped.get(key, 0) + 1
        lines = []
        for (_, summary, changed), count in grouped.items():
            words = SEQUENCE_ONLY if changed == ("SEQUENCE",) else ", ".join(changed) or "nothing shown changed"
            many = f" ({count} occurrences)" if count > 1 else ""
            lines.append(f'updated "{summary or "(no title)"}"{many}: {words}')
        return lines

    def mapped_lines(self, hint: Callable[[int], str] | None = None) -> list[str]:
        """What the import made or linked, one line per plan item, for the CLI and the app alike: 'made rotation 3
        from "Observership" (45 h/week from its schedule ...)'. `hint(rotation_id)`, the face's way to give the
        real hours, follows an assumed figure."""
        lines = []
        for m in self.mapped:
            label = f"{m['kind'].replace('_', ' ')} {m['id']}"
            how = f"linked to {label} ({m['linked']})" if m.get("linked") else f"made {label}"
            note = m.get("hours_note", "") + (f"; {hint(m['id'])}" if hint and m.get("hours_assumed") else "")
            overlaps = "".join(f"; {overlap}" for overlap in m.get("overlaps", ()))
            lines.append(f"{how} from \"{m['summary']}\"" + (f" ({note})" if note else "") + overlaps)
        return lines

    def overlaps(self, prune: bool | None = None, accept_all: bool = False) -> dict[str, list[str]]:
        """What each rotation this import made, or would make, collides with, by the key of the event it is made
        from: once made, plan.overlap_warnings' sentences (`_say_overlaps`); in a preview, the same rule
        (plan.rotation_overlaps) beside the plan as the import would leave it (PreviewBasis.overlaps), so a preview
        says what the import will. The preview said nothing, and the import then said the new rotation overlaps
        a full-time one. `prune`: a preview's events gone from the file go too (by default as it was previewed);
        `accept_all`: every suggestion not decided yet is accepted (the app's ctrl+a)."""
        if self.status != "preview":
            return {key: list(m.get("overlaps", ())) for key, m in self.mapped_by_event.items()
                    if m["kind"] == "rotation" and not m.get("linked")}
        if self.basis is None:
            return {}
        return self.basis.overlaps(self.events, self.pruning if prune is None else prune, accept_all)

    def made_words(self) -> str:
        """The plan items it made, by kind ("1 rotation and 1 study block"; "" when none), for the app's summary
        of an import: it said "made 3 plan items", where `import --history` names each kind."""
        made: dict[str, int] = {}
        for m in self.mapped:
            if not m.get("linked"):
                made[m["kind"]] = made.get(m["kind"], 0) + 1
        return and_words([counted(n, kind.replace("_", " ")) for kind, n in made.items()])

    def unmade_lines(self) -> list[str]:
        """The plan items removed because their event became another kind, one line each (CLI and app)."""
        return [f"removed {u['removed']}, made from \"{u['summary']}\" before: it is now "
                + {**_A_KIND, "interview": "an interview", "event": "a calendar event"}.get(u["now"], u["now"])
                for u in self.unmade]

    def moved_lines(self) -> list[str]:
        """The plan items that moved with their events, one line each, for the CLI and the app alike: 'moved
        rotation 1 to 2027-01-11..2027-02-05 (was 2027-01-04..2027-01-29) with "Observership"', and what the move
        did to a rotation's logged weeks (plan.LogWeeksMoved, as `rotations edit` says it)."""
        verb = "would move" if self.status == "preview" else "moved"
        return [f"{verb} {m['kind'].replace('_', ' ')} {m['id']} to {m['to'][0]}..{m['to'][1]} (was "
                f"{m['from'][0]}..{m['from'][1]}) with \"{m['summary']}\""
                + (f"; {m['log_words']}" if m.get("log_words") else "") for m in self.moving()]

    def moving(self) -> list[dict[str, Any]]:
        """`moved`; in a preview, those still moving with the choices as they are now (the app's k on an event
        imported before makes it another kind: the item made from it is then removed, not moved)."""
        if self.status != "preview" or self.basis is None:
            return self.moved
        moves = self.basis.moves
        still = {moves[e.key][0] for e in self.events if e.key in moves and plan_step(e, e.kind) == FOLLOW}
        return [m for m in self.moved if (m["kind"], m["id"]) in still]

    def to_json(self) -> dict[str, Any]:
        overlaps = self.overlaps()

        def prob(p: Problem) -> dict[str, Any]:
            return {"line": p.line, "uid": p.uid, "summary": p.summary, "reason": p.message, "severity": p.severity}

        def when(value: datetime | date) -> str:
            return value.astimezone(ZoneInfo(self.timezone)).isoformat() if isinstance(value, datetime) else \
                value.isoformat()

        return {
            "file": self.file, "status": self.status, "timezone": self.timezone, "created": self.created,
            "updated": self.updated, "unchanged": self.unchanged, "removed": self.removed,
            "gone": [{**g, "start": when(g["start"]) if g.get("start") is not None else None} for g in self.gone],
            "gone_words": self.gone_words(),
            "skipped": [prob(p) for p in self.skipped], "problems": [prob(p) for p in self.problems],
            "warnings": [prob(p) for p in self.warnings], "mapped": self.mapped, "moved": self.moved,
            "unmade": self.unmade,
            "accepting": [{"uid": e.uid, "recurrence_id": e.recurrence_id, "summary": e.summary, "start": when(e.start),
                           "kind": e.kind, "on_accept": e.describe_target(), "overlaps": overlaps.get(e.key, []),
                           "not_made": e.not_made(e.kind) or None}
                          for e in self.accepting()],
            "already_in_plan": self.already,
            "other_databases_reminders": self.others_reminders,
            "own_linked": self.own_linked,
            "changes": [{"uid": e.uid, "recurrence_id": e.recurrence_id, "summary": e.summary,
                         "changed": list(e.changed)} for e in self.updates()],
            "import_id": self.import_id,
            "undecided": self.undecided(),
            "suggestions": [{
                "uid": e.uid, "recurrence_id": e.recurrence_id, "summary": e.summary, "start": when(e.start),
                "end": when(e.end), "all_day": e.all_day, "kind": e.suggestion.kind, "rule": e.suggestion.rule,
                "occurrences": e.occurrences,
                "span": [e.span[0].isoformat(), e.span[1].isoformat()] if e.span else None,
                "link": {"kind": e.link.kind, "id": e.link.id, "reason": e.link.reason} if e.link else None,
                "on_accept": e.describe_target(), "chosen": e.kind or None, "already": e.mapped_kind or None,
                "not_made": e.not_made(e.kind or e.suggestion.kind) or None,
            } for e in self.suggestions()],
        }


@dataclass(frozen=True)
class PreviewBasis:
    """What a preview read of the file and the plan, kept so it can say what the rotations the import would make
    collide with, and which it would not make, also as the choices change before the import (the app's k, j and
    ctrl+a, its prune box)."""

    rows: dict[tuple[str, str], dict[str, Any]]  # the file's events as the import writes them (_Plan.new_rows)
    fields: dict[tuple[str, str], dict[str, Any]]  # our own export's fields of each (_Plan.fields)
    existing: dict[tuple[str, str], dict[str, Any]]  # the applicant's event rows before the import
    cancelled: list[dict[str, Any]]  # event rows the file cancels
    gone: list[dict[str, Any]]  # event rows of this file no longer in it
    rotations: list[Rotation]  # the plan's, as plan.list_rotations orders them
    study_blocks: list[StudyBlock]
    timezone: str
    # The items the import moves with their events (`_Plan.foresee_moves`, the import's own rule), by event key:
    # ((kind, id), new days)
    moves: dict[str, tuple[tuple[str, int], tuple[date, date]]] = field(default_factory=dict)
    # Why an exam would not be made, by event key (create_target's check_one_sitting, read by the preview)
    exam_refusals: dict[str, str] = field(default_factory=dict)
    refusals: dict[tuple[str, str], str] = field(default_factory=dict)  # not_made's answers, once found
    # The plan's exams: a rotation made over an exam's working day is said by the import (plan.overlap_warnings reads
    # them since exams became conflicts), so by its preview too.
    exams: list[ExamResult] = field(default_factory=list)
    # The exam and first day of each event that may become one (by event key), the preview's events in the order
    # the import makes them, and the applicant's today: an exam the same file makes first is weighed too.
    exam_days: dict[str, tuple[str, date]] = field(default_factory=dict)
    events: list[EventPlan] = field(default_factory=list)
    today: date | None = None

    def values(self, e: EventPlan, kind: str) -> dict[str, Any]:
        """The rotation's or study block's values the import would save for `e` (item_values, as create_target
        takes them); UserError when they do not validate."""
        key = (e.uid, e.recurrence_id)
        row = self.rows[key]
        return item_values(kind, row, e.suggestion.detail, self.fields.get(key, {}),
                           e.span or local_days(row, self.timezone), e.weekly)

    def not_made(self, e: EventPlan, kind: str) -> str:
        """EventPlan.refusal of a preview: why the import would make no `kind` of `e` (its values do not validate,
        or the exam is booked already: the words its warning then says), "" when it would make it."""
        found = self.refusals.get((e.key, kind))
        if found is None:
            found = ""
            if kind == "exam":
                found = self.exam_refusals.get(e.key, "")
            elif (e.uid, e.recurrence_id) in self.rows:
                try:
                    self.values(e, kind)
                except UserError as exc:
                    found = str(exc)
            self.refusals[(e.key, kind)] = found
        if not found and kind == "exam":  # not cached: it follows the choices made of the file's other events
            found = self._made_before(e)
        return found

    def _made_before(self, e: EventPlan) -> str:
        """Why `e` would not become an exam beside one an earlier event of the same file becomes (the import makes
        them in the file's order, each checked by plan.check_one_sitting against those made before it): a second
        VEVENT of the same sitting was previewed "new exam" while the import made one and warned of the other."""
        mine = self.exam_days.get(e.key)
        if mine is None or self.today is None:
            return ""
        made: list[tuple[EventPlan, date]] = []  # the earlier events of `e`'s exam the import makes exams of
        for p in self.events:
            if p.key == e.key:
                return self._clash(mine, made)
            theirs = self.exam_days.get(p.key)
            if theirs is None or theirs[0] != mine[0] or p.kind != "exam" or plan_step(p, p.kind) != MAKE:
                continue
            if not self.exam_refusals.get(p.key) and not self._clash(theirs, made):
                made.append((p, theirs[1]))
        return ""

    def _clash(self, sitting: tuple[str, date], made: list[tuple[EventPlan, date]]) -> str:
        """The words of `sitting` (exam, day) refused beside one of `made` (plan.sitting_clash), "" when none."""
        name, day = sitting
        assert self.today is not None
        for p, other in made:
            clash = sitting_clash(name, day, other, None, None, booking=True, today=self.today)
            where = f"\"{p.summary}\" ({f'line {p.line} of ' if p.line else ''}this file)"
            if clash == SAME_DAY:
                return f"{name} on {day.isoformat()} is made an exam first from {where}: one sitting per exam and day"
            if clash:
                return (f"{name} is booked for {other.isoformat()} by {where}, made an exam first: one booking "
                        "ahead per exam")
        return ""

    def overlaps(self, events: list[EventPlan], prune: bool, accept_all: bool) -> dict[str, list[str]]:
        """`ImportReport.overlaps` of a preview: the rotations and study blocks `_Plan.write` would make from
        `events` (plan_step's MAKE, create_target's values; none is saved), beside the plan's as the import leaves
        them: less the items it removes (a cancelled event's, a pruned one's, one whose event becomes another kind),
        those that move with their event on their new days; each rotation said as `_say_overlaps` says it once
        made."""
        from imgcoach.plan import rotation_overlaps

        removed = {_made_target(old) for old in self.cancelled}
        if prune:
            removed |= {_made_target(old) for old in self.gone}
        made: list[tuple[str, Rotation | StudyBlock]] = []
        sittings: list[_Sitting] = []  # the exams it makes
        moved: dict[tuple[str, int], tuple[date, date]] = {}
        for e in events:
            kind = e.kind or (e.suggestion.kind if accept_all and e.suggested else "")
            key = (e.uid, e.recurrence_id)
            if key not in self.rows:  # cancelled by the file: removed, neither made nor moved
                continue
            step = plan_step(e, kind)
            if step == FOLLOW:
                if e.key in self.moves:
                    target, days = self.moves[e.key]
                    moved[target] = days
                continue
            if step == NOTHING:
                continue
            stored = self.existing.get(key)
            if stored is not None:  # the item an earlier import made from it goes (_Plan._map)
                removed.add(_made_target(stored))
            if step != MAKE:
                continue  # joins its run's item, has no row of its own, or is linked to one already there
            if kind == "exam":
                if not self.exam_refusals.get(e.key):  # booked already: not made (not_made says why)
                    row = self.rows[key]
                    sittings.append(_Sitting(None, exam_name(row["summary"], e.suggestion.detail,
                                                             self.fields.get(key, {})),
                                             (e.span or local_days(row, self.timezone))[0]))
                continue
            try:
                values = self.values(e, kind)
            except UserError:
                continue  # not made: not_made says why
            made.append((e.key, Rotation(**values) if kind == "rotation" else StudyBlock(**values)))
        # In plan.list_rotations' order, (first day, id): those made after the others, as their ids are the highest
        rotations: list[Rotation] = sorted(
            (_on_days(r, moved.get(("rotation", saved_id(r.id)))) for r in self.rotations
             if ("rotation", r.id) not in removed), key=lambda r: (r.start_date, r.id or 0)) + [
            item for _, item in made if isinstance(item, Rotation)]
        blocks: list[StudyBlock] = sorted(
            (_on_days(b, moved.get(("study_block", saved_id(b.id)))) for b in self.study_blocks
             if ("study_block", b.id) not in removed), key=lambda b: (b.start_date, b.id or 0)) + [
            item for _, item in made if isinstance(item, StudyBlock)]
        exams = [_Sitting(x.id, x.exam, moved.get(("exam", saved_id(x.id)), (x.taken_on,))[0])
                 for x in self.exams if ("exam", x.id) not in removed] + sittings
        return {key: rotation_overlaps(item, rotations, blocks, exams=exams) for key, item in made
                if isinstance(item, Rotation)}


# UIDs a statement looks up at once: under SQLite's 32,766 bound variables and PostgreSQL's 65,535.
UID_CHUNK = 500


def _existing_rows(session: Session, applicant: Applicant, source_id: int | None,
                   parsed: ParseResult) -> dict[tuple[str, str], dict[str, Any]]:
    """The applicant's event rows an import of `parsed` can touch, by (uid, recurrence id): those of the file's
    UIDs (events and cancellations, whichever file brought them) and every row of this file's source (for what
    left it). Not every event row: re-importing a 17,200-event file into a database of 163,000 read them all,
    10 s and 510 MiB, growing with the other calendars rather than with the file."""
    names = ("id", "source_id", "uid", "recurrence_id", "mapped_kind", "mapped_id", "link_only", *COMPARED)
    columns = [_T.c[n] for n in names]
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def read(where: Any) -> None:
        for values in session.execute(select(*columns).where(_T.c.applicant_id == applicant.id, where)):
            old = dict(zip(names, values, strict=True))
            found[(old["uid"], old["recurrence_id"])] = old

    if source_id is not None:
        read(_T.c.source_id == source_id)
    uids = sorted({e.uid for e in parsed.events} | {c.uid for c in parsed.cancellations})
    for i in range(0, len(uids), UID_CHUNK):
        read(_T.c.uid.in_(uids[i:i + UID_CHUNK]))
    return dict(sorted(found.items(), key=lambda item: item[1]["id"]))  # by id, as the one read of them all gave


@dataclass  # not frozen: rules.conflicts.ExamDay's fields are plain attributes
class _Sitting:
    """An exam's day as the import would leave it (rules.conflicts.ExamDay): held, moved with its event, or made."""

    id: int | None
    exam: str
    taken_on: date


def _on_days(item: Any, days: tuple[date, date] | None) -> Any:
    """`item` (a rotation or study block of the plan) on `days`: a copy, not saved; itself when None."""
    if days is None:
        return item
    copy = type(item)(**item.model_dump())
    copy.start_date, copy.end_date = days
    return copy


def read_calendar_file(ctx: Context, path: Path, tz: str) -> ParseResult:
    """Parse with the size limit from the settings and the applicant's zone for floating times."""
    return read_ics_file(Path(path), now=ctx.clock.now(), default_tz=tz, max_bytes=ctx.settings.import_max_bytes)


def preview_import(ctx: Context, path: Path, *, skip_invalid: bool = False, accept: bool = False,
                   kinds: dict[str, str] | None = None, parsed: ParseResult | None = None,
                   separate: set[str] | None = None, prune: bool = False) -> ImportReport:
    """What an import would do, without writing anything (collector paused, as for `apply_import`); `prune`: the
    events gone from the file are listed as removed, with what was made from them, as the import removes them."""
    with collector_paused(), ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        parsed = parsed or read_calendar_file(ctx, path, applicant.timezone)
        report = _check(parsed, skip_invalid)
        report.timezone = applicant.timezone
        if report.status == "refused":
            return report
        plan = _Plan.build(session, applicant, _source_path(path), parsed, skip_invalid, accept, _kinds(kinds),
                           separate or set())
        if _refused_as_empty(report, parsed, plan):
            return report
        moves = plan.foresee_moves(session, ctx, applicant, prune)
        plan.fill(report, prune=prune)
        rotations, blocks = plan.held_items(session, applicant)
        exams = list(session.scalars(select(ExamResult).where(col(ExamResult.applicant_id) == applicant.id)
                                     .order_by(col(ExamResult.taken_on))))
        refusals, exam_days = plan.exam_refusals(session, ctx, applicant)
        report.basis = PreviewBasis(plan.new_rows, plan.fields, plan.existing, plan.cancelled, plan.gone, rotations,
                                    blocks, applicant.timezone, moves, refusals, exams=exams, exam_days=exam_days,
                                    events=report.events, today=local_date(ctx.clock.now(), applicant.timezone))
        for e in report.events:
            e.refusal = report.basis.not_made
        report.pruning = prune
        return report


def apply_import(ctx: Context, path: Path, *, skip_invalid: bool = False, prune: bool = False, accept: bool = False,
                 kinds: dict[str, str] | None = None, parsed: ParseResult | None = None,
                 separate: set[str] | None = None) -> ImportReport:
    """Import one file in one transaction: every event that reads (a broken one is skipped and named), or
    nothing when the file is damaged as a whole. `skip_invalid` changes nothing now; kept for callers.

    The import is journalled (see imgcoach.calendar.journal) so `undo_last_import` can revert it.
    A plain re-import of a file whose bytes are those last imported writes nothing and is not parsed.
    The cyclic collector is paused throughout (`collector_paused`): parsing and the row dicts of a large
    file allocate millions of objects that only reference counting needs to free.
    """
    with collector_paused():
        return _apply_import(ctx, path, skip_invalid=skip_invalid, prune=prune, accept=accept, kinds=kinds,
                             parsed=parsed, separate=separate)


def _apply_import(ctx: Context, path: Path, *, skip_invalid: bool, prune: bool, accept: bool,
                  kinds: dict[str, str] | None, parsed: ParseResult | None,
                  separate: set[str] | None) -> ImportReport:
    kinds_ok = _kinds(kinds)
    if parsed is None:
        unchanged = None if (accept or kinds_ok or prune or separate) else unchanged_import(ctx, path)
        if unchanged is not None:
            return unchanged
        with ctx.db.read() as session:
            tz = current_applicant(session, ctx).timezone
        parsed = read_calendar_file(ctx, path, tz)
    report = _check(parsed, skip_invalid)
    if report.status == "refused":
        report.timezone = import_timezone(ctx)  # `--json` said "UTC" here, whatever the applicant's zone
        return report
    now = ctx.clock.now()
    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        report.timezone = applicant.timezone
        plan = _Plan.build(session, applicant, _source_path(path), parsed, skip_invalid, accept, kinds_ok,
                           separate or set())
        if _refused_as_empty(report, parsed, plan):
            return report  # nothing written: the transaction commits no change
        # Events gone from the file and kept: no key, so the next import reads the file again and says them (it
        # said "unchanged" after a "no" to removing them, and never named them again).
        kept = bool(plan.gone) and not prune
        plan.key = "" if kept else reading_key(parsed.sha256, applicant.timezone, parsed.series > 0, now)
        if plan.has_writes(prune):
            journal = Journal(session)
            plan.write(session, ctx, applicant, now, prune=prune, journal=journal)
            journal.finish(session)
            report.status = "imported"
            plan.fill(report)
            history = CalendarImport(applicant_id=saved_id(applicant.id), file=_source_path(path), imported_at=now,
                                     created=report.created, updated=report.updated, removed=len(report.removed),
                                     plan_items=len(report.mapped) + len(report.moved), journal=journal.to_json(),
                                     linked=sum(1 for m in report.mapped if m.get("linked")))
            session.add(history)
            session.flush()
            report.import_id = history.id
        else:
            plan.remember(session)  # nothing changed; the source notes under which zone and day it was read
            report.status = "imported"
            plan.fill(report)
    if report.import_id is not None:
        _say_overlaps(ctx, report)
        _refresh_feeds(ctx, report)
    return report


def _say_overlaps(ctx: Context, report: ImportReport) -> None:
    """Each rotation the import made, with what it collides with (plan.overlap_warnings, as `rotations add` and the
    app's form say it): made on the days of a full-time rotation elsewhere, it was made without a word. Read once
    the import has committed, so the new rotation is compared with the plan as it now stands."""
    from imgcoach.plan import list_rotations, overlap_warnings

    made = [m for m in report.mapped if m["kind"] == "rotation" and not m.get("linked")]
    if not made:
        return
    rotations = {rotation.id: rotation for rotation in list_rotations(ctx)}
    for entry in made:
        if entry["id"] in rotations:
            entry["overlaps"] = overlap_warnings(ctx, rotations[entry["id"]])


def reading_key(sha256: str, timezone: str, series: bool, now: datetime) -> str:
    """What a source remembers of its last reading, so an unchanged file need not be read again: its bytes,
    the zone floating and unknown-zone times were read in, and for a file with recurring series the UTC day
    (their occurrences follow the expansion window, a year back and two ahead of the moment of import)."""
    return f"{sha256}|{timezone}|{now.astimezone(UTC).date().isoformat() if series else '-'}"


def unchanged_import(ctx: Context, path: Path) -> ImportReport | None:
    """The report for a file read last time exactly as it would be read now (same bytes, same zone, and for
    recurring series the same day), with all its rows still its own; None: it must be read."""
    target = _source_path(path)
    try:
        with Path(target).open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()  # not the whole file in memory at once
    except OSError:
        return None  # the reader names the problem
    now = ctx.clock.now()
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        source = session.scalars(select(CalendarSource).where(
            col(CalendarSource.applicant_id) == applicant.id, col(CalendarSource.path) == target)).first()
        if source is None or not source.events or source.sha256 not in (
                reading_key(digest, applicant.timezone, series, now) for series in (False, True)):
            return None
        held = session.execute(select(func.count()).select_from(_T).where(_T.c.source_id == source.id)).scalar_one()
        if held != source.events:
            return None  # another file took some of its events since: import it properly
        waiting = session.execute(select(func.count(func.distinct(_T.c.uid))).where(
            _T.c.source_id == source.id, _T.c.suggested_kind != "event", _T.c.mapped_kind == "")).scalar_one()
        return ImportReport(str(path), status="unchanged", unchanged=held, timezone=applicant.timezone,
                            waiting=waiting)


def import_history(ctx: Context, limit: int = 50) -> list[CalendarImport]:
    """Past imports, newest first."""
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        return list(session.scalars(select(CalendarImport).where(col(CalendarImport.applicant_id) == applicant.id)
                                    .order_by(col(CalendarImport.id).desc()).limit(limit)))


def undo_last_import(ctx: Context, expected: int | None = None) -> CalendarImport:
    """Revert the newest import not yet undone: its events, the plan rows it made or changed, their reminders.

    `expected`: the import the person was asked about (the app's "Undo import 5 of a.ics?"); another one is
    refused. The app named the import it had read before, and undid whichever was newest when the answer came: an
    import made meanwhile from the command line, or the one before after an undo not yet read back."""
    with ctx.db.transaction(ctx.applicant_id) as session:
        last = newest_undoable(session, ctx)
        if last is None:
            raise UserError("no import to undo (see `imgcoach import --history`)")
        if expected is not None and last.id != expected:
            raise UserError(f"import {expected} is no longer the last import: the last is import {last.id} of "
                            f"{Path(last.file).name}; nothing was changed")
        edited = edited_since(session, last.journal)
        if edited:
            raise UserError(f"cannot undo import {last.id} of {last.file}: {'; '.join(edited)}; nothing was changed")
        now = ctx.clock.now()
        links_back = undo(session, last.journal, now)
        applicant = current_applicant(session, ctx)
        for rotation_id in links_back.pop(RESYNC, []):
            # Its reminders were put back as they were before the import: a letter asked for since stops its
            # request reminders, as `letters set-status` does (the undo brought the last call back pending); a log
            # week with the feedback not brought back no longer settles its feedback reminder.
            rotation = session.get(Rotation, rotation_id)
            if rotation is not None:
                sync_rotation_reminders(session, ctx, applicant, rotation, now)
        if links_back:  # what came of the links and of what was recorded on a removed rotation, said by undone_counts
            last.journal = json.dumps({**json.loads(last.journal), LINKS_BACK: links_back}, separators=(",", ":"))
        # A floating event put back as it was is placed in the zone it was read in: the applicant's may differ now
        replace_floating_events(session, applicant.id, applicant.timezone)
        last.undone_at = now
        session.add(last)
        session.flush()
        session.expunge(last)
    report = ImportReport(last.file, status="undone")
    _refresh_feeds(ctx, report)
    for w in report.warnings:
        logging.getLogger(__name__).warning("%s", w.describe())
    return last


def _refresh_feeds(ctx: Context, report: ImportReport) -> None:
    """Subscribed feed files follow the import at once (the daemon also refreshes them periodically)."""
    from imgcoach.calendar.exporting import refresh_feed

    try:
        refresh_feed(ctx.db, ctx.settings, ctx.clock)
    except UserError as exc:  # the import is committed; a feed we cannot write is worth a warning
        report.warnings.append(Problem(report.file, f"calendar feed not updated: {exc}", "warning"))


def _source_path(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def _kinds(kinds: dict[str, str] | None) -> dict[str, str]:
    for key, kind in (kinds or {}).items():
        if kind not in KINDS:
            raise UserError(f"--as {key}={kind}: unknown kind (choose from {', '.join(KINDS)})")
    return dict(kinds or {})


def _check(parsed: ParseResult, skip_invalid: bool) -> ImportReport:
    report = ImportReport(parsed.file, warnings=list(parsed.warnings))
    if parsed.fatal or (parsed.errors and not skip_invalid):
        report.status, report.problems = "refused", parsed.errors
    else:
        report.skipped = [*parsed.skipped, *parsed.errors]
    return report


def _refused_as_empty(report: ImportReport, parsed: ParseResult, plan: _Plan) -> bool:
    """A file with nothing in it to import or to explain is refused: "0 created, ..., 0 skipped" and exit 0
    read as an import that worked. Not refused: a skipped or ignored item (named in the report), a
    cancellation, or a file this applicant imported before whose events all left it (gone, for --prune).

    A file whose every event is broken is refused too, with each broken event as a problem (its line and
    field): "0 created, ..., 2 skipped" and exit 0 read as an import that worked, of a file that gave nothing."""
    if parsed.events or parsed.cancellations or plan.gone or any(p.severity == "ignored" for p in parsed.problems):
        return False
    report.status = "refused"
    if report.skipped:
        report.problems, report.skipped = report.skipped, []
    else:
        report.problems = [Problem(parsed.file, "holds no events or to-dos", "fatal")]
    return True


def _row(e: ParsedEvent, suggestion: Suggestion) -> dict[str, Any]:
    timed = not e.all_day
    return {
        "uid": e.uid, "recurrence_id": e.recurrence_id, "component": e.kind, "summary": e.summary,
        "description": e.description, "location": e.location, "categories": list(e.categories),
        "all_day": e.all_day,
        "start_at": e.start if timed else None, "end_at": e.end if timed else None,
        "start_date": None if timed else e.start, "end_date": None if timed else e.end,
        "tzid": e.tzid, "floating": e.floating, "zone_assumed": e.zone_assumed, "wall_start": e.wall_start,
        "wall_end": e.wall_end, "wall_length": e.wall_length, "status": e.status, "sequence": e.sequence,
        "suggested_kind": suggestion.kind,
    }


def _when(row: dict[str, Any]) -> datetime | date | None:
    return row["start_date"] if row["all_day"] else row["start_at"]


def _memo(process: Any) -> Any:
    """A series' occurrences share their CATEGORIES: encode each distinct list to JSON once."""
    if process is None:
        return None
    seen: dict[tuple[str, ...], Any] = {}

    def cached(value: list[str]) -> Any:
        key = tuple(value)
        if key not in seen:
            seen[key] = process(value)
        return seen[key]

    return cached


INSERT_CHUNK = 200  # rows per multi-row INSERT on SQLite (20 columns: 4,000 parameters, under SQLite's 32,766)


def _bulk_insert(conn: Any, rows: list[dict[str, Any]]) -> None:
    """Multi-row INSERTs of INSERT_CHUNK prepared rows each. On SQLite this skips SQLAlchemy's per-row
    parameter compilation (about 25 us a row) while still converting each value with the column type's
    own bind processor, so rows read back alike; and it runs one statement per INSERT_CHUNK rows rather
    than one per row, because every statement pays a fixed cost (the owner triggers of migration 0005
    open a statement journal for each), which was half the insert time of a 10,000-event file.
    All chunks run inside the caller's transaction: a failing chunk rolls back the whole import."""
    names = list(rows[0])
    if conn.dialect.name != "sqlite":
        conn.execute(insert(_T), rows)
        return
    # sqlite3 stores a Python bool as 0/1 itself: skip the Boolean type's per-value check
    procs = [_memo(_T.c[n].type.bind_processor(conn.dialect)) if n == "categories" else
             None if isinstance(_T.c[n].type, Boolean) else _T.c[n].type.bind_processor(conn.dialect)
             for n in names]
    pairs = list(zip(names, procs, strict=True))
    head = f"INSERT INTO calendar_event ({', '.join(names)}) VALUES "
    one = f"({', '.join('?' * len(names))})"
    full = head + ", ".join([one] * INSERT_CHUNK)
    for i in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[i:i + INSERT_CHUNK]
        params = [p(r[n]) if p is not None and r[n] is not None else r[n] for r in chunk for n, p in pairs]
        conn.exec_driver_sql(full if len(chunk) == INSERT_CHUNK else head + ", ".join([one] * len(chunk)),
                             tuple(params))


_A_KIND = {"rotation": "a rotation", "study_block": "a study block", "exam": "an exam"}


def _plan_rows(session: Session, applicant: Applicant, rotations: list[Rotation],
               blocks: list[StudyBlock]) -> list[PlanRow]:
    """The applicant's rotations, study blocks and exams, for the link finder."""
    rows = [PlanRow("rotation", saved_id(r.id), r.start_date, r.end_date, r.institution, r.kind) for r in rotations]
    rows += [PlanRow("study_block", saved_id(b.id), b.start_date, b.end_date, b.exam) for b in blocks]
    rows += [PlanRow("exam", saved_id(x.id), x.taken_on, x.taken_on, x.exam) for x in session.scalars(
        select(ExamResult).where(col(ExamResult.applicant_id) == applicant.id))]
    return rows


@dataclass
class _Plan:
    """The difference between a parsed file and the applicant's event rows, computed in one read.

    An event's identity is (applicant, UID, RECURRENCE-ID): the same UID from another file updates
    the row (and moves it to this file's source), never copies it.
    """

    source: CalendarSource | None
    parsed: ParseResult
    new_rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    existing: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    events: list[EventPlan] = field(default_factory=list)
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    gone: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    removed: list[dict[str, Any]] = field(default_factory=list)
    mapped: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    unmade: list[dict[str, Any]] = field(default_factory=list)
    map_warnings: list[Problem] = field(default_factory=list)
    key: str = ""  # reading_key of this reading, kept on the source when the import is applied
    own_links: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # events from our own export
    already: list[dict[str, str]] = field(default_factory=list)  # our own reminders and letter deadlines: not copied
    others_reminders: list[dict[str, str]] = field(default_factory=list)  # another database's reminders: not copied
    spans: dict[tuple[str, str], tuple[date, date]] = field(default_factory=dict)  # run leaders' days
    mapped_by_event: dict[str, dict[str, Any]] = field(default_factory=dict)  # event key -> its `mapped` entry
    held: tuple[list[Rotation], list[StudyBlock]] | None = None  # the plan's rotations and study blocks, once read

    @classmethod
    def build(cls, session: Session, applicant: Applicant, path: str, parsed: ParseResult, skip_invalid: bool,
              accept: bool, kinds: dict[str, str], separate: set[str]) -> _Plan:
        source = session.scalars(select(CalendarSource).where(
            col(CalendarSource.applicant_id) == applicant.id, col(CalendarSource.path) == path)).first()
        plan = cls(source, parsed)
        plan.existing = _existing_rows(session, applicant, source.id if source is not None else None, parsed)
        sid = source.id if source is not None else None
        cache: dict[tuple[Any, ...], Suggestion] = {}
        own = own_uids(session, applicant) if any(e.x_props for e in parsed.events) else {}
        # UIDs alone, not X-IMGCOACH-KIND: a calendar service that subscribed to the feed may drop X- properties.
        copies = own_copies(session, applicant) if any(e.uid.endswith(OWN_UID_SUFFIX) for e in parsed.events) else {}
        zone = ZoneInfo(applicant.timezone)
        series = runs(parsed.events, zone)
        plan_rows: list[PlanRow] | None = None
        leaders: dict[tuple[str, str], EventPlan] = {}
        for e in parsed.events:
            if e.uid in copies and e.key not in plan.existing:  # (a copy imported by an older version stays)
                plan.already.append({"uid": e.uid, "recurrence_id": e.recurrence_id, "summary": e.summary,
                                     "what": copies[e.uid]})
                continue
            if (e.uid.endswith(OWN_UID_SUFFIX) and e.x("X-IMGCOACH-KIND") == "reminder"
                    and e.key not in plan.existing):
                # Another database's export (X-IMGCOACH-KIND is the export's alone): the plan derives reminders
                # from its own rows (rotations, letters, outreach), so a copy stood frozen beside the ones it made
                # for an accepted rotation, and read as a hospital's event ("Reminder: Ask for a letter" in
                # `events list`).
                plan.others_reminders.append({"uid": e.uid, "recurrence_id": e.recurrence_id, "summary": e.summary})
                continue
            memo = (e.summary, e.categories, e.x_props)  # a series' occurrences share their suggestion
            suggestion = cache.get(memo) or cache.setdefault(memo, suggest(e))
            run: Run | None = series.get(e.key)
            if suggestion.kind in ("rotation", "study_block") and shorter_than_a_day(e) and (
                    run is None or run.first == run.last):
                suggestion = SHORT
            row = _row(e, suggestion)
            plan.new_rows[e.key] = row
            plan.fields[e.key] = exported_fields(e.x("X-IMGCOACH-FIELDS"))
            stored = plan.existing.get(e.key)
            mapped_kind = stored["mapped_kind"] if stored else ""
            if stored is None and not e.recurrence_id and e.uid in own:
                plan.own_links[e.key] = own[e.uid]  # already in the plan: link, never copy
                mapped_kind = own[e.uid][0]
            override = kinds.get(f"{e.uid}#{e.recurrence_id}") or kinds.get(e.uid)
            kind = override or mapped_kind or (suggestion.kind if accept else "")
            changed: tuple[str, ...] = ()
            if stored is None:
                action = "create"
                plan.creates.append(row)
            elif not e.recurrence_id and (stored["sequence"] or 0) > row["sequence"]:
                # An older version of an event held at a newer one (RFC 5546: the higher SEQUENCE wins): the first
                # invitation's file imported after the moved one's put the interview back on its first day. Single
                # events only: a series' occurrences carry the master's SEQUENCE and an override its own, which
                # calendar services do not keep in step.
                plan.unchanged += 1
                plan.map_warnings.append(Problem(
                    parsed.file, f"an older version (SEQUENCE {row['sequence']}) of an event imported at SEQUENCE "
                    f"{stored['sequence']}: the newer one is kept", "warning", e.line, e.uid, e.summary))
                continue  # not offered again either: its suggestion would show the older days
            elif stored["source_id"] != sid or any(stored[c] != row[c] for c in COMPARED):
                action = "update"
                plan.updates.append({"id": stored["id"], **row})
                changed = changed_words(stored, row, stored["source_id"] != sid)
            else:
                action = "unchanged"
                plan.unchanged += 1
            ep = EventPlan(e.uid, e.recurrence_id, e.summary, e.start, e.end, e.all_day, action, suggestion, kind,
                           mapped_kind, e.line, changed=changed, made=(_made_from(stored) or "") if stored else "")
            ep.separate = ep.key in separate or e.uid in separate
            if run is not None and run.size > 1:
                if run.leader == e.key:
                    ep.span, ep.occurrences, ep.weekly = (run.first, run.last), run.size, run.weekly_hours
                    plan.spans[e.key] = ep.span
                    leaders[e.key] = ep
                else:
                    lead = run.leader
                    ep.follows = f"{lead[0]}#{lead[1]}" if lead[1] else lead[0]
            if not ep.follows and not mapped_kind and suggestion.kind in TARGET_KINDS:
                if plan_rows is None:
                    plan_rows = _plan_rows(session, applicant, *plan.held_items(session, applicant))
                first, last = ep.span or local_span(e, zone)
                ep.link = find_link(suggestion, e, first, last, plan_rows)
            plan.events.append(ep)
        for ep in plan.events:  # a follower becomes what its run's first occurrence becomes
            if ep.follows and not ep.mapped_kind:
                lead_key = (ep.uid, ep.follows.partition("#")[2])
                ep.kind = leaders[lead_key].kind if lead_key in leaders else ep.kind
        plan._find_gone(skip_invalid, sid)
        plan._find_cancelled(session, applicant)
        return plan

    def exam_refusals(self, session: Session, ctx: Context, applicant: Applicant,
                      ) -> tuple[dict[str, str], dict[str, tuple[str, date]]]:
        """Why the import would not make an exam of each event that may become one (not a later occurrence of a
        series): create_target's own check (plan.check_one_sitting, a booking) against the exams the plan holds,
        by event key; and the exam and day each would be (PreviewBasis weighs those the same file makes first)."""
        from imgcoach.plan import check_one_sitting

        today = local_date(ctx.clock.now(), applicant.timezone)
        found: dict[str, str] = {}
        days: dict[str, tuple[str, date]] = {}
        for p in self.events:
            key = (p.uid, p.recurrence_id)
            if p.follows or key not in self.new_rows or "exam" not in (p.kind, p.suggestion.kind):
                continue
            row = self.new_rows[key]
            name = exam_name(row["summary"], p.suggestion.detail, self.fields.get(key, {}))
            first = (p.span or local_days(row, applicant.timezone))[0]
            days[p.key] = (name, first)
            try:
                check_one_sitting(session, applicant.id, name, first, booking=True, today=today)
            except UserError as exc:
                found[p.key] = str(exc)
        return found, days

    def held_items(self, session: Session, applicant: Applicant) -> tuple[list[Rotation], list[StudyBlock]]:
        """The applicant's rotations and study blocks, read once (the link finder, a preview's overlaps), in the
        order plan.list_rotations and plan.list_study_blocks give them."""
        if self.held is None:
            self.held = (list(session.scalars(select(Rotation).where(col(Rotation.applicant_id) == applicant.id)
                                              .order_by(col(Rotation.start_date), col(Rotation.id)))),
                         list(session.scalars(select(StudyBlock).where(col(StudyBlock.applicant_id) == applicant.id)
                                              .order_by(col(StudyBlock.start_date), col(StudyBlock.id)))))
        return self.held

    def has_writes(self, prune: bool) -> bool:
        # A new file with no event to keep (an iTIP reply, a free/busy block) writes nothing and adds no
        # undoable entry to the history: every file with events has creates or updates (their source changes).
        return bool(self.creates or self.updates or self.cancelled or (prune and self.gone)
                    or any((p.kind and p.kind != p.mapped_kind) for p in self.events))

    def remember(self, session: Session) -> None:
        """No row to write: keep the reading's key on the source (a new day or zone, a re-saved file) without
        an entry in the import history, so the next unchanged import need not read the file."""
        if self.source is not None and self.source.sha256 != self.key:
            self.source.sha256 = self.key
            session.add(self.source)

    def _find_gone(self, skip_invalid: bool, source_id: int | None) -> None:
        """Rows of this file whose event left it. Occurrences outside the expansion window are not gone,
        and neither are events of a skipped (broken) item: we could not read them, so we do not know."""
        if source_id is None:
            return
        unreadable = self.parsed.unreadable_uids
        lo, hi = self.parsed.window or (None, None)
        for key, old in self.existing.items():
            if old["source_id"] != source_id or key in self.new_rows or old["uid"] in unreadable:
                continue
            when = _when(old)
            if old["recurrence_id"] and lo is not None and hi is not None and when is not None:
                inside = (lo.date() <= when < hi.date()) if isinstance(when, date) and not isinstance(
                    when, datetime) else (lo <= when < hi)
                if not inside:
                    continue
            self.gone.append(old)

    def new_uids(self) -> set[str]:
        """The UIDs this file brings as events (a file may cancel one occurrence of a series it also holds)."""
        return {key[0] for key in self.new_rows}

    def _find_cancelled(self, session: Session, applicant: Applicant) -> None:
        """METHOD:CANCEL (or STATUS:CANCELLED) removes the applicant's event of that UID, whichever file
        brought it: an invitation's cancellation arrives in a file of its own."""
        if not self.parsed.cancellations:
            return
        seen: set[int] = set()
        for c in self.parsed.cancellations:
            matched = newer = 0
            for key, r in self.existing.items():
                if r["uid"] == c.uid and (not c.recurrence_id or key[1] == c.recurrence_id):
                    matched += 1
                    if not key[1] and (r["sequence"] or 0) > c.sequence:  # an older version's cancellation
                        newer = max(newer, r["sequence"])
                    elif r["id"] not in seen:
                        seen.add(r["id"])
                        self.cancelled.append(r)
            if newer:
                self.map_warnings.append(Problem(
                    self.parsed.file, f"an older cancellation (SEQUENCE {c.sequence}) of an event imported at "
                    f"SEQUENCE {newer}: the newer version is kept", "warning", c.line, c.uid, c.summary))
            elif not matched and c.uid not in self.new_uids():
                # "0 created, 0 updated, 0 unchanged, 0 removed" said nothing of the file's one item.
                self.map_warnings.append(Problem(
                    self.parsed.file, "a cancellation of an event you have not imported: nothing was removed (an "
                    "invitation never imported, or one removed already)", "warning", c.line, c.uid, c.summary))
        doomed = {(r["uid"], r["recurrence_id"]) for r in self.cancelled}
        self.new_rows = {k: v for k, v in self.new_rows.items() if k not in doomed}

    def write(self, session: Session, ctx: Context, applicant: Applicant, now: datetime, *, prune: bool,
              journal: Journal) -> None:
        if self.source is None:
            self.source = CalendarSource(applicant_id=saved_id(applicant.id), path=_source_path(Path(self.parsed.file)),
                                         name=Path(self.parsed.file).name)
            session.add(self.source)
            session.flush()
        sid = self.source.id
        conn = session.connection()
        cancelled_ids = {c["id"] for c in self.cancelled}
        doomed = self.cancelled + [g for g in self.gone if prune and g["id"] not in cancelled_ids]
        journal.keep_events(session, [u["id"] for u in self.updates] + [d["id"] for d in doomed] + [
            self.existing[(p.uid, p.recurrence_id)]["id"] for p in self.events
            if (p.uid, p.recurrence_id) in self.existing and p.kind and p.kind != p.mapped_kind])
        if self.creates:
            top = session.execute(select(func.max(_T.c.id))).scalar() or 0
            for r in self.creates:
                link = self.own_links.get((r["uid"], r["recurrence_id"]), ("", None))
                r["source_id"], r["applicant_id"], r["link_only"] = sid, applicant.id, False
                r["mapped_kind"], r["mapped_id"] = link
            _bulk_insert(conn, self.creates)
            journal.event_added = list(session.execute(select(_T.c.id).where(
                _T.c.applicant_id == applicant.id, _T.c.id > top)).scalars())
        if self.updates:
            conn.execute(update(_T).where(_T.c.id == bindparam("row_id")),
                         [{"row_id": u["id"], "source_id": sid, **{k: v for k, v in u.items() if k != "id"}}
                          for u in self.updates])
        for old in doomed:
            reason = "cancelled" if old["id"] in cancelled_ids else "gone from the file"
            target = "" if old["link_only"] else remove_target(
                session, old["mapped_kind"], old["mapped_id"], f"calendar event {old['uid']} was {reason}", now)
            self.removed.append({"uid": old["uid"], "recurrence_id": old["recurrence_id"], "summary": old["summary"],
                                 "reason": reason, "also_removed": target})
        ids = [old["id"] for old in doomed]
        for i in range(0, len(ids), 500):
            session.execute(delete(CalendarEvent).where(col(CalendarEvent.id).in_(ids[i:i + 500])))
        self._map(session, ctx, applicant, now)
        self.source.sha256, self.source.imported_at = self.key, now
        session.add(self.source)
        session.flush()
        self.source.events = session.execute(
            select(func.count()).select_from(_T).where(_T.c.source_id == sid)).scalar_one()
        session.add(self.source)

    def _map(self, session: Session, ctx: Context, applicant: Applicant, now: datetime) -> None:
        """Create, link, move or replace the plan rows the user accepted; keep the link on the event row."""
        if self.source is None:
            return
        # A series run's first occurrence is checked even when unchanged: a later one may have moved the run's end.
        steps = {p.key: plan_step(p, p.kind) for p in self.events}
        work = [p for p in self.events if steps[p.key] != NOTHING]
        if not work:
            return
        keys = {(p.uid, p.recurrence_id) for p in work}
        rows = {(r.uid, r.recurrence_id): r for r in session.scalars(
            select(CalendarEvent).where(col(CalendarEvent.applicant_id) == applicant.id))
            if (r.uid, r.recurrence_id) in keys}
        made: dict[str, tuple[str, int]] = {}  # run leader's key -> the plan row it made or linked
        for p in sorted(work, key=lambda p: bool(p.follows)):  # leaders before their followers
            row = rows.get((p.uid, p.recurrence_id))
            if row is None:
                continue
            step = steps[p.key]
            if step == FOLLOW:  # same kind, the event changed: move what was made from it or linked
                if row.mapped_id:  # a new occurrence of the run joins the item the run already has
                    made[p.key] = (row.mapped_kind, row.mapped_id)
                self._follow(session, ctx, applicant, p, row, now)
                continue
            if not row.link_only:
                removed = remove_target(session, row.mapped_kind, row.mapped_id,
                                        f"calendar event {row.uid} now maps to {p.kind}", now)
                if removed:
                    self.unmade.append({"uid": p.uid, "summary": p.summary, "removed": removed, "now": p.kind})
            row.mapped_kind, row.mapped_id, row.link_only = p.kind, None, False
            if step != AS_KIND:
                if step == JOIN:
                    target = made.get(p.follows)
                    if target is None or target[0] != p.kind:
                        row.mapped_kind = ""
                    else:
                        row.mapped_id, row.link_only = target[1], True
                    session.add(row)
                    continue
                if step == LINK and p.link is not None:
                    row.mapped_id, row.link_only = p.link.id, True
                    made[p.key] = (p.kind, p.link.id)
                    self.mapped.append({"kind": p.kind, "id": p.link.id, "uid": p.uid, "summary": p.summary,
                                        "linked": p.link.reason})
                    self.mapped_by_event[p.key] = self.mapped[-1]
                    self._say_other_dates(session, applicant, p, row)
                    session.add(row)
                    continue
                try:
                    with session.begin_nested():
                        kind, target_id = create_target(session, ctx, applicant, row, p.kind, p.suggestion,
                                                        self.fields.get((p.uid, p.recurrence_id), {}), now,
                                                        span=p.span, weekly=p.weekly)
                except UserError as exc:
                    row.mapped_kind, p.refused = "", str(exc)
                    self.map_warnings.append(Problem(self.parsed.file, not_made_words(p.kind, str(exc)), "warning",
                                                     p.line, p.uid, p.summary))
                    session.add(row)
                    continue
                row.mapped_id = target_id
                made[p.key] = (kind, target_id)
                entry: dict[str, Any] = {"kind": kind, "id": target_id, "uid": p.uid, "summary": p.summary,
                                         "occurrences": p.occurrences}
                rotation = session.get(Rotation, target_id) if kind == "rotation" else None
                if rotation is not None and "hours_per_week" not in self.fields.get((p.uid, p.recurrence_id), {}):
                    # Where its hours came from, said by both faces: counted from the series, or assumed and why.
                    if rotation.hours_assumed:
                        entry["hours_assumed"] = rotation.hours_per_week
                    entry["hours_note"] = hours_note(rotation.hours_per_week, rotation.hours_assumed, p.weekly,
                                                     p.occurrences, p.all_day)
                self.mapped.append(entry)
                self.mapped_by_event[p.key] = entry
            session.add(row)

    def _days_apart(self, session: Session, applicant: Applicant, p: EventPlan, row: CalendarEvent | dict[str, Any],
                    target: tuple[str, int | None]) -> tuple[tuple[date, date], tuple[date, date]] | None:
        """The event's days (its run's, for a series; `row`: its row as written, or about to be) and those of the
        plan item it made or is linked to (`target`), when they differ; None when they agree or the item is gone."""
        days = self.spans.get((p.uid, p.recurrence_id)) or local_days(row, applicant.timezone)
        held = target_days(session, *target)
        return None if held is None or held == days else (days, held)

    def _say_other_dates(self, session: Session, applicant: Applicant, p: EventPlan, row: CalendarEvent) -> None:
        """A rotation linked to the hospital's event keeps its own dates (linking never moves the user's row),
        but its reminders are timed from them: when the event's days differ (a rotation given with the
        default end of four weeks, a schedule that ends on the Friday), say both, or the thank-you and the
        letter's last call fall on days the hospital's calendar contradicts without a word."""
        if p.kind != "rotation":
            return  # a study block or exam is linked for overlapping days or the same day, not its whole span
        apart = self._days_apart(session, applicant, p, row, (row.mapped_kind, row.mapped_id))
        if apart is None:
            return
        days, held = apart
        moves = " ".join(f"--{flag} {day.isoformat()}" for flag, day, kept in
                         (("start", days[0], held[0]), ("end", days[1], held[1])) if day != kept)
        self.map_warnings.append(Problem(
            self.parsed.file, f"the event covers {_days(days)}; rotation {row.mapped_id}, now linked to it, keeps "
            f"{_days(held)} (linking does not change your dates, and the rotation's reminders follow them): if the "
            f"event's are right, `imgcoach rotations edit {row.mapped_id} {moves}`", "warning", p.line, p.uid,
            p.summary))

    def _follow(self, session: Session, ctx: Context, applicant: Applicant, p: EventPlan, row: CalendarEvent,
                now: datetime) -> None:
        """Move the plan item an event (or series run) made or is linked to when the event moved (`_moving`)."""
        target = (row.mapped_kind, row.mapped_id)
        moving = self._moving(session, applicant, p, row, target, row.link_only)
        if moving is None:
            return
        days, held = moving
        log = update_target(session, ctx, applicant, row, now, span=days)
        self.moved.append(_moved_entry(p, target, row.link_only, days, held, log))

    def _moving(self, session: Session, applicant: Applicant, p: EventPlan, row: CalendarEvent | dict[str, Any],
                target: tuple[str, int | None], link_only: bool) -> tuple[tuple[date, date], tuple[date, date]] | None:
        """The new and the held days of the plan item `target` when it moves with event `p` (the import's rule, which
        its preview reads: `foresee_moves`); None when it does not.

        The item follows only while it still has the days the event had before (the same thing, moved in
        another app). Otherwise the user changed it since (a linked rotation is their own row; an item made
        from an event may have been edited, or an older copy of our export is being imported): a warning
        names both spans instead of overwriting the user's dates."""
        apart = self._days_apart(session, applicant, p, row, target)
        if apart is None:
            return None
        days, held = apart
        before = [local_days(old, applicant.timezone) for old in self.existing.values() if old["uid"] == p.uid
                  and (old["mapped_kind"], old["mapped_id"]) == target]
        was = (min(b[0] for b in before), max(b[1] for b in before)) if before else None
        if was == held:
            return days, held
        how = "which it is linked to" if link_only else "made from it"
        self.map_warnings.append(Problem(
            self.parsed.file, f"the event now covers {_days(days)}; {target[0].replace('_', ' ')} {target[1]}, {how}, "
            f"keeps {_days(held)} (its dates differ from the event's before this import, so it is left as it is: "
            "edit it if it moved too)", "warning", p.line, p.uid, p.summary))
        return None

    def foresee_moves(self, session: Session, ctx: Context, applicant: Applicant, prune: bool) -> dict[str, Any]:
        """A preview's `moved` (and the warnings of items kept on their days): what `_map` will do for each event
        that stays what it was (plan_step's FOLLOW), by `_moving`'s rule, with what a rotation's logged weeks will
        do (plan.move_log_weeks_in, written nothing). Returns the moves by event key, for PreviewBasis."""
        from imgcoach.plan import move_log_weeks_in

        if not self.has_writes(prune):
            return {}  # the import writes nothing (apply_import): it moves nothing and says nothing of moving
        removed = {_made_target(old) for old in self.cancelled}  # gone before `_map` runs: nothing to move
        today = local_date(ctx.clock.now(), applicant.timezone)
        moves: dict[str, Any] = {}
        for p in self.events:
            key = (p.uid, p.recurrence_id)
            stored, row = self.existing.get(key), self.new_rows.get(key)
            if stored is None or row is None or plan_step(p, p.kind) != FOLLOW or not stored["mapped_id"]:
                continue
            target = (stored["mapped_kind"], stored["mapped_id"])
            if target in removed:
                continue
            moving = self._moving(session, applicant, p, row, target, stored["link_only"])
            if moving is None:
                continue
            days, held = moving
            log = move_log_weeks_in(session, target[1], held, days, today, write=False) \
                if target[0] == "rotation" else None
            self.moved.append(_moved_entry(p, target, stored["link_only"], days, held, log))
            moves[p.key] = (target, days)
        return moves

    def fill(self, report: ImportReport, *, prune: bool = False) -> None:
        report.created, report.updated, report.unchanged = len(self.creates), len(self.updates), self.unchanged
        report.events = self.events
        report.removed = self.removed
        removed_ids = {r["uid"] + "#" + r["recurrence_id"] for r in self.removed}
        report.gone = [{"uid": g["uid"], "recurrence_id": g["recurrence_id"], "summary": g["summary"],
                        "start": _when(g), "would_remove": _made_from(g)}
                       for g in self.gone if g["uid"] + "#" + g["recurrence_id"] not in removed_ids]
        if report.status == "preview":
            cancelled_ids = {c["id"] for c in self.cancelled}
            # The plan item made from a cancelled event goes with it (write: remove_target), as the import then says
            report.removed = [{"uid": c["uid"], "recurrence_id": c["recurrence_id"], "summary": c["summary"],
                               "reason": "cancelled", "also_removed": _made_from(c) or ""} for c in self.cancelled]
            if prune:  # `--dry-run --prune` listed them as kept, "--prune to remove them", as if not given
                report.removed += [{"uid": g["uid"], "recurrence_id": g["recurrence_id"], "summary": g["summary"],
                                    "reason": "gone from the file", "also_removed": _made_from(g) or ""}
                                   for g in self.gone if g["id"] not in cancelled_ids]
                report.gone = []
        report.mapped = self.mapped
        report.mapped_by_event = self.mapped_by_event
        report.moved = self.moved
        report.unmade = self.unmade
        report.already = self.already
        report.others_reminders = self.others_reminders
        report.own_linked = [{"uid": uid, "recurrence_id": rid, "summary": self.new_rows[(uid, rid)]["summary"],
                              "kind": kind, "id": item_id} for (uid, rid), (kind, item_id) in self.own_links.items()]
        report.warnings += self.map_warnings


GONE_NAMED = 3  # gone events named by title in ImportReport.gone_words; the rest are counted


def _start_order(value: datetime | date) -> datetime:
    """An all-day day beside a timed moment, to find a series' first occurrence."""
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day, tzinfo=UTC)


def _made_from(event: dict[str, Any]) -> str | None:
    """The plan item removing a gone event would remove with it (remove_target: the row made from it, not one it
    is only linked to), as "rotation 3"; None when none. The question before --prune named the events alone."""
    target = _made_target(event)
    return None if target is None else f"{target[0].replace('_', ' ')} {target[1]}"


def _made_target(event: dict[str, Any]) -> tuple[str, int] | None:
    """`_made_from` as (kind, id)."""
    if event["link_only"] or event["mapped_kind"] not in TARGET_KINDS or not event["mapped_id"]:
        return None
    return event["mapped_kind"], event["mapped_id"]


def _moved_entry(p: EventPlan, target: tuple[str, int | None], linked: bool, days: tuple[date, date],
                 held: tuple[date, date], log: Any) -> dict[str, Any]:
    """One `moved` entry: the import's, and its preview's (the same words, moved_lines)."""
    return {"kind": target[0], "id": target[1], "uid": p.uid, "summary": p.summary,
            "from": [held[0].isoformat(), held[1].isoformat()], "to": [days[0].isoformat(), days[1].isoformat()],
            "linked": linked, **({"log": log.to_json(), "log_words": log.words()} if log else {})}


def _days(span: tuple[date, date]) -> str:
    first, last = span
    return f"{first:%d %b %Y}" if first == last else f"{first:%d %b}–{last:%d %b %Y}"


def import_timezone(ctx: Context) -> str:
    """The zone floating times in an imported file are read in: the applicant's (UserError without a profile)."""
    with ctx.db.read() as session:
        return current_applicant(session, ctx).timezone
