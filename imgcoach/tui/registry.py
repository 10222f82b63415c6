"""The one list of screens: navigation bindings, the footer and the command palette all read it.

Each engineer adds ONE loader and ONE `ScreenEntry` for their screen. Screen modules are imported only when the
screen is first opened, so start-up never pays for screens the applicant does not visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ScreenEntry:
    key: str  # stable name, used by the app's `action_open('<key>')`
    title: str  # shown in the footer and the command palette
    loader: Callable[[], type[Any]]  # imports the screen's module on first use
    binding: str  # the key that opens the screen from anywhere (not while typing)
    description: str  # one line for the command palette and the help screen

    def load(self) -> type[Any]:
        """Import the screen class on first use."""
        return self.loader()


# One loader per screen: an ordinary import inside a function, so start-up skips it and tools follow it.
def _timeline_screen() -> type[Any]:
    from imgcoach.tui.screens.timeline_screen import TimelineScreen

    return TimelineScreen


def _rotations_screen() -> type[Any]:
    from imgcoach.tui.screens.rotations_screen import RotationsScreen

    return RotationsScreen


def _study_screen() -> type[Any]:
    from imgcoach.tui.screens.study_screen import StudyScreen

    return StudyScreen


def _letters_screen() -> type[Any]:
    from imgcoach.tui.screens.letters_screen import LettersScreen

    return LettersScreen


def _outbox_screen() -> type[Any]:
    from imgcoach.tui.screens.outbox_screen import OutboxScreen

    return OutboxScreen


def _profile_screen() -> type[Any]:
    from imgcoach.tui.screens.profile_screen import ProfileScreen

    return ProfileScreen


def _readiness_screen() -> type[Any]:
    from imgcoach.tui.screens.readiness_screen import ReadinessScreen

    return ReadinessScreen


def _outreach_screen() -> type[Any]:
    from imgcoach.tui.screens.outreach_screen import OutreachScreen

    return OutreachScreen


def _import_screen() -> type[Any]:
    from imgcoach.tui.screens.import_screen import ImportScreen

    return ImportScreen


def _shortlist_screen() -> type[Any]:
    from imgcoach.tui.screens.shortlist_screen import ShortlistScreen

    return ShortlistScreen


SCREENS: list[ScreenEntry] = [
    ScreenEntry("timeline", "Timeline", _timeline_screen, "t",
                "Months across: rotations, study blocks, conflicts and what is due next"),
    ScreenEntry("rotations", "Rotations", _rotations_screen, "r",
                "Add, edit and delete clinical rotations; supervisors, letters and cases"),
    ScreenEntry("study", "Study plan", _study_screen, "s",
                "Study blocks per exam, weekly goals, the plan generator and weekly hours"),
    ScreenEntry("letters", "Letters", _letters_screen, "l",
                "Letter requests by status, the request e-mail and the packet checklist"),
    ScreenEntry("outbox", "Outbox", _outbox_screen, "o",
                "Pending, sent and failed reminders: preview, retry, cancel, approve drafts"),
    ScreenEntry("profile", "Profile", _profile_screen, "p",
                "Name, e-mail, time zone, visa, exam scores and targets"),
    # Other areas add their entry below (one line each).
    ScreenEntry("readiness", "Readiness", _readiness_screen, "y",
                "Readiness checks: met, at risk or not met, with evidence and the next action"),
    ScreenEntry("outreach", "Outreach", _outreach_screen, "u",
                "Observership and externship outreach: follow-ups due, offers to verify"),
    ScreenEntry("import", "Import", _import_screen, "i",
                "Import a calendar file (.ics): preview what each event becomes, then import"),
    ScreenEntry("shortlist", "Shortlist", _shortlist_screen, "m",
                "Programs to apply to under your budget, match chance, and changes since last seen"),
]


def entry(key: str) -> ScreenEntry:
    """The entry for `key`; a KeyError names a screen that is not registered."""
    for item in SCREENS:
        if item.key == key:
            return item
    raise KeyError(f"no screen registered as {key!r}")
