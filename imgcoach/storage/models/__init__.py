"""All table models. Importing this package registers every table with SQLModel's metadata.

Each area keeps its tables in its own module; add the module's import here.
"""

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

__all__ = [
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
