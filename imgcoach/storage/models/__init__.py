"""All table models. Importing this package registers every table with SQLModel's metadata.

Each area keeps its tables in its own module; add the module's import here.
"""

from imgcoach.storage.models.calendar import CalendarEvent, CalendarSource
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
from imgcoach.storage.models.matching import Program, ShortlistEntry
from imgcoach.storage.models.outbox import Reminder

__all__ = [
    "Applicant",
    "CalendarEvent",
    "CalendarSource",
    "CaseNote",
    "Contact",
    "ExamResult",
    "LetterRequest",
    "Program",
    "Reminder",
    "Rotation",
    "RotationContact",
    "ShortlistEntry",
    "StudyBlock",
]
