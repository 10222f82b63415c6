"""The one list of screens: navigation bindings, the footer and the command palette all read it.

Each engineer adds ONE `ScreenEntry` for their screen. Screen modules are imported only when the
screen is first opened, so start-up never pays for screens the applicant does not visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class ScreenEntry:
    key: str  # stable name, used by the app's `action_open('<key>')`
    title: str  # shown in the footer and the command palette
    target: str  # "package.module:ClassName", imported lazily
    binding: str  # the key that opens the screen from anywhere (not while typing)
    description: str  # one line for the command palette and the help screen

    def load(self) -> type[Any]:
        """Import the screen class on first use."""
        module_name, _, class_name = self.target.partition(":")
        return getattr(import_module(module_name), class_name)


SCREENS: list[ScreenEntry] = [
    ScreenEntry("timeline", "Timeline", "imgcoach.tui.screens.timeline_screen:TimelineScreen", "t",
                "Months across: rotations, study blocks, conflicts and what is due next"),
    ScreenEntry("rotations", "Rotations", "imgcoach.tui.screens.rotations_screen:RotationsScreen", "r",
                "Add, edit and delete clinical rotations; supervisors, letters and cases"),
    ScreenEntry("study", "Study plan", "imgcoach.tui.screens.study_screen:StudyScreen", "s",
                "Study blocks per exam, weekly goals, the plan generator and weekly hours"),
    ScreenEntry("letters", "Letters", "imgcoach.tui.screens.letters_screen:LettersScreen", "l",
                "Letter requests by status, the request e-mail and the packet checklist"),
    ScreenEntry("outbox", "Outbox", "imgcoach.tui.screens.outbox_screen:OutboxScreen", "o",
                "Pending, sent and failed reminders: preview, retry, cancel, approve drafts"),
    ScreenEntry("profile", "Profile", "imgcoach.tui.screens.profile_screen:ProfileScreen", "p",
                "Name, e-mail, time zone, visa, exam scores and targets"),
    # Other areas add their entry below (one line each).
    ScreenEntry("readiness", "Readiness", "imgcoach.tui.screens.readiness_screen:ReadinessScreen", "y",
                "Readiness checks: met, at risk or missing, with evidence and the next action"),
    ScreenEntry("outreach", "Outreach", "imgcoach.tui.screens.outreach_screen:OutreachScreen", "u",
                "Observership and externship outreach: follow-ups due, offers to verify"),
    ScreenEntry("import", "Import", "imgcoach.tui.screens.import_screen:ImportScreen", "i",
                "Import a calendar file (.ics): preview what each event becomes, then import"),
    ScreenEntry("shortlist", "Shortlist", "imgcoach.tui.screens.shortlist_screen:ShortlistScreen", "m",
                "Programs to apply to under your budget, match chance, and changes since last seen"),
]


def entry(key: str) -> ScreenEntry:
    """The entry for `key`; a KeyError names a screen that is not registered."""
    for item in SCREENS:
        if item.key == key:
            return item
    raise KeyError(f"no screen registered as {key!r}")
