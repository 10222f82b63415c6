"""Whom a rotation's e-mails to the people there are written to (a feedback request, a letter request, a thank-you
note): its supervisor, else its attending.

Why here: the coach's advice ("Ask Dr Jane Smith for feedback", coach Rotation.supervised_by) and the reminders'
drafts (reminders.addressees) name that person, and reminders may not import coach. With only an attending
recorded, readiness's letters check named her while its feedback check said "your supervisor" and the reminders'
drafts went to nobody ("the rotation has no supervisor to write to"). Pure: names and rows alike.
"""

from __future__ import annotations

from typing import TypeVar

# The roles a rotation's person is taken from, in order: the first role with somebody recorded is the one.
ADDRESSEE_ROLES: tuple[str, ...] = ("supervisor", "attending")
# Within a role, the person is the one linked first: the rotation_contact rows' id order (the coach's
# fetch_coach_rows and quick read, reminders.addressees, the rotation's details). The reminders took the lowest
# contact id, so with two supervisors the reminder's draft and the coach's advice named different people.

Person = TypeVar("Person")


def rotation_addressee(supervisor: Person | None, attending: Person | None) -> tuple[str, Person] | None:
    """The role and person a rotation's e-mails go to: its supervisor, else its attending (None when neither is
    recorded; an empty name is none)."""
    for role, person in zip(ADDRESSEE_ROLES, (supervisor, attending), strict=True):
        if person:
            return role, person
    return None
