"""When a rotation's reminders reach the place the rotation is in.

Every reminder falls due at the configured hour (09:00) in the applicant's profile zone (rules.local_moment).
An applicant who plans a U.S. rotation from home (Asia/Kolkata) and will be there for it got each reminder at
22:30 the evening before in the rotation's city, without a word: "your rotation ends today" read the night
before, a feedback reminder after anyone could be asked. The plan keeps no zone per rotation (the profile's
zone is the one all times are shown and sent in, and changing it moves the pending reminders), so the faces
say, where a rotation is added or moved, when its reminders would arrive there and how to have them on time.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from imgcoach.core.errors import FieldError
from imgcoach.core.settings import ReminderTiming
from imgcoach.core.vocab.countries import parse_country
from imgcoach.core.vocab.us_states import SPLIT_STATES, STATE_ZONES, state_code
from imgcoach.reminders.kinds import reminder_label
from imgcoach.reminders.rules import derive_rotation_reminders

# An assumption: after this hour where the rotation is, its day's chance to ask a supervisor has passed.
WORKDAY_END = time(17, 0)


class FarPlace(NamedTuple):
    """A rotation whose reminders arrive out of their day where it is: the first such reminder."""

    state: str  # the state's two-letter code
    zone: str  # the state's zone (that of most of it, when `split`)
    split: bool
    profile_zone: str
    kind: str  # the reminder's kind
    day: date  # the day it is meant for (in the profile's zone, as planned)
    arrives: datetime  # when it arrives, in `zone`
    hour: str  # the configured hour reminders fall due at ("09:00"), in the profile's zone


def rotation_zone(state: str | None, country: str | None) -> tuple[str, str] | None:
    """The state code and zone of a rotation's place: a U.S. state (or D.C., Puerto Rico) given by code or name,
    in the U.S. or with no country said. Anything else (a province, a typo, another country) is not known."""
    code = state_code(state or "")
    if code is None:
        return None
    if country and country.strip():
        try:
            if parse_country(country) != "US":
                return None  # "WA" in Australia is Western Australia
        except FieldError:
            return None
    return code, STATE_ZONES[code]


def far_place(rotation_id: int, start: date, end: date, state: str | None, country: str | None,
              profile_zone: str, timing: ReminderTiming, now: datetime) -> FarPlace | None:
    """The first of the rotation's reminders still to come after `now` that reaches its place on another day than
    the one it is meant for, or after the working day there; None when all arrive in their day, or the place's
    zone is not known. (Going home on a rotation's last day named its feedback reminder of two weeks before.)"""
    place = rotation_zone(state, country)
    if place is None or place[1] == profile_zone:
        return None
    code, zone = place
    home, there = ZoneInfo(profile_zone), ZoneInfo(zone)
    for planned in derive_rotation_reminders(rotation_id, start, end, profile_zone, timing):
        if planned.due_at <= now:
            continue
        day = planned.due_at.astimezone(home).date()
        arrives = planned.due_at.astimezone(there)
        if arrives.date() != day or arrives.time() >= WORKDAY_END:
            return FarPlace(code, zone, code in SPLIT_STATES, profile_zone, planned.kind, day, arrives,
                            f"{timing.hour:02d}:{timing.minute:02d}")
    return None


def far_place_words(far: FarPlace, how: str) -> str:
    """What the faces say of a FarPlace, after the rotation's name: "is in NY (America/New_York), but ...".
    `how` is the face's way to set the profile's zone, with "{zone}" where the place's zone goes."""
    zone = f"{far.zone}, the zone of most of {far.state}" if far.split else far.zone
    if far.arrives.date() < far.day:
        when = "the day before there"
    elif far.arrives.date() > far.day:
        when = "the day after there"
    else:
        when = "after the working day there"
    hour = far.hour
    return (f"is in {far.state} ({zone}), but its reminders fall due at {hour} in your profile's zone "
            f"({far.profile_zone}), {when}: \"{reminder_label(far.kind)}\" of {far.day:%a %d %b} arrives "
            f"{far.arrives:%a %d %b %H:%M} in {far.state}. If you will be there for it, "
            f"{how.replace('{zone}', far.zone)} when you travel: your pending reminders move to {hour} there")
