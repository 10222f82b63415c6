"""All table models, each area's tables in its own module; a name is loaded with its module on first use.

Why lazily: the app's full snapshot needs the plan's tables (core, calendar, outbox), and importing every
module (the coach's, matching's, the daemon's, the answers') made its path about 60 ms of CPU longer (issue 15).
A model module is loaded with the modules its foreign keys name (_NAMES_TABLES_OF), so a join or a foreign key
always finds its table. Whatever reads the whole metadata (SQLModel.metadata.tables, sorted_tables: migrations,
the ownership check, undo, transfer, table counts) calls register_all() first. A new module: add it to _MODULES,
_NAMES_TABLES_OF and the imports under TYPE_CHECKING.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imgcoach.storage.models.answers import ReadAnswer, ReadVersion
    from imgcoach.storage.models.calendar import CalendarEvent, CalendarImport, CalendarSource
    from imgcoach.storage.models.calendar_feed import CalendarFeed
    from imgcoach.storage.models.coach import CoachProject, OutreachEntry, ProgressMoment, WeeklyLogEntry
    from imgcoach.storage.models.core import (
        Applicant,
        CaseNote,
        Contact,
        ExamResult,
        LetterRequest,
        Rotation,
        RotationContact,
        StudyBlock,
    )
    from imgcoach.storage.models.daemon import DaemonState
    from imgcoach.storage.models.matching import (
        Program,
        ProgramChange,
        ProgramImport,
        ProgramOverride,
        ShortlistEntry,
        ShortlistRun,
    )
    from imgcoach.storage.models.outbox import Reminder

# The name each module defines, by module (the public names below).
_MODULES: dict[str, tuple[str, ...]] = {
    "answers": ("ReadAnswer", "ReadVersion"),
    "calendar": ("CalendarEvent", "CalendarImport", "CalendarSource"),
    "calendar_feed": ("CalendarFeed",),
    "coach": ("CoachProject", "OutreachEntry", "ProgressMoment", "WeeklyLogEntry"),
    "core": ("Applicant", "CaseNote", "Contact", "ExamResult", "LetterRequest", "Rotation", "RotationContact",
             "StudyBlock"),
    "daemon": ("DaemonState",),
    "matching": ("Program", "ProgramChange", "ProgramImport", "ProgramOverride", "ShortlistEntry", "ShortlistRun"),
    "outbox": ("Reminder",),
}
# The modules holding the tables a module's foreign keys name (core's rows name calendar_event, calendar's the
# applicant): loaded with it.
_NAMES_TABLES_OF: dict[str, tuple[str, ...]] = {
    "calendar": ("core",), "calendar_feed": ("core",), "coach": ("core",), "core": ("calendar",),
    "matching": ("core",), "outbox": ("core",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def _load(module: str) -> Any:
    """The module, after the modules its foreign keys name, theirs, and so on (core's name the calendar's)."""
    wanted, seen = [module], {module}
    while wanted:
        for needed in _NAMES_TABLES_OF.get(wanted.pop(), ()):
            if needed not in seen:
                seen.add(needed)
                wanted.append(needed)
    for name in sorted(seen - {module}):
        import_module(f"{__name__}.{name}")
    return import_module(f"{__name__}.{module}")


_all_registered = False


def register_all() -> None:
    """Every table registered on SQLModel.metadata: for whatever reads the metadata whole. Once per process: an
    undo looks a table up per changed row, and each lookup walked every module's imports again."""
    global _all_registered
    if not _all_registered:
        for module in _MODULES:
            _load(module)
        _all_registered = True


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_load(module), name)
    globals()[name] = value
    return value


__all__ = [
    "register_all",
    "Applicant",
    "CalendarEvent",
    "CalendarFeed",
    "CalendarImport",
    "CalendarSource",
    "CaseNote",
    "CoachProject",
    "Contact",
    "DaemonState",
    "ExamResult",
    "LetterRequest",
    "OutreachEntry",
    "Program",
    "ProgramChange",
    "ProgramImport",
    "ProgramOverride",
    "ProgressMoment",
    "ReadAnswer",
    "ReadVersion",
    "Reminder",
    "Rotation",
    "RotationContact",
    "ShortlistEntry",
    "ShortlistRun",
    "StudyBlock",
    "WeeklyLogEntry",
]
