"""What one import changed, kept so `import --undo` can put every row back exactly.

Small plan tables (sources, rotations, study blocks, exams, reminders, letters) are snapshotted
before the import and compared after it; calendar events (maybe tens of thousands) are journalled
from the import's own plan: ids it added, and the rows it changed or removed as they were before.
Undo deletes what was added and writes the old rows back, parents first.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlmodel import Session, SQLModel

SNAPSHOT_TABLES = ("calendar_source", "rotation", "study_block", "exam_result", "reminder", "letter_request",
                   "rotation_contact")
EVENTS = "calendar_event"


def _table(name: str) -> Table:
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
        if self.event_added or self.event_before:
            self.changes[EVENTS] = {"added": self.event_added, "before": list(self.event_before.values())}

    def to_json(self) -> str:
        return json.dumps({name: {"added": c["added"], "before": [{k: _encode(v) for k, v in r.items()}
                                                                   for r in c["before"]]}
                           for name, c in self.changes.items()}, separators=(",", ":"))


def undo(session: Session, journal: str) -> None:
    """Delete what the import added and restore what it changed or removed, in foreign-key order."""
    changes = json.loads(journal or "{}")
    order = [t.name for t in SQLModel.metadata.sorted_tables if t.name in changes]  # parents first
    for name in reversed(order):
        ids = changes[name]["added"]
        t = _table(name)
        for i in range(0, len(ids), 500):
            session.execute(delete(t).where(t.c.id.in_(ids[i:i + 500])))
    for name in order:
        t = _table(name)
        rows = [{k: _decode(v) for k, v in r.items()} for r in changes[name]["before"]]
        present = set(_rows(session, name, [r["id"] for r in rows]))
        for r in rows:
            if r["id"] in present:
                session.execute(update(t).where(t.c.id == r["id"]).values(**r))
            else:
                session.execute(insert(t).values(**r))
    session.flush()
