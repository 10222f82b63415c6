"""Which reminders a rotation needs, and when: the field's advice turned into dates.

- mid-rotation feedback at the midpoint (ask for feedback midway and apply it), until it is asked or received
  (reminders.sync.feedback_settled);
- the letter-request window opens 28 days before the end, last call 14 days before
  (request letters 2 to 4 weeks before the end), both after the feedback (see `letter_window`);
- a thank-you follow-up 2 days after the end.
A reminder to talk to someone at the rotation never falls on a Saturday or Sunday (see `working_day`).
Each falls due at 09:00 in the applicant's zone (settings), computed per date so that a
daylight-saving change between now and then cannot shift it, and is stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from imgcoach.core.settings import ReminderTiming

# The one rule for "a letter was asked for" lives in core, below every feature and face (re-exported here).
from imgcoach.core.vocab.letters import NOT_YET_ASKED, letter_asked  # noqa: F401

MID_FEEDBACK = "mid_rotation_feedback"
LETTER_OPEN = "letter_request_open"
LETTER_LAST_CALL = "letter_request_last_call"
THANK_YOU = "thank_you"
ROTATION_KINDS = (MID_FEEDBACK, LETTER_OPEN, LETTER_LAST_CALL, THANK_YOU)
LETTER_KINDS = (LETTER_OPEN, LETTER_LAST_CALL)
# The payload key a moved reminder keeps the moment of its move in (UTC ISO): with the row's created_at, when
# its due time was set, so a late e-mail can say it was planned after its time rather than blame the daemon.
PLANNED_AT = "planned_at"
# Sent this long after its due time, a reminder says it is late (outbox claims mark it; the e-mail says why).
LATE_AFTER = timedelta(minutes=10)
# The payload key a failed or unconfirmed reminder put back with `reminders retry` keeps the moment of that request
# in: its tries are reset for the backoff, and a late e-mail must still say a try did not go through.
RETRIED_AT = "retried_at"


@dataclass(frozen=True)
class PlannedReminder:
    key: str
    kind: str
    due_at: datetime  # UTC
    expires_at: datetime  # UTC: after this the reminder is missed, not sent
    note: str = ""


def local_moment(day: date, tz: str, timing: ReminderTiming) -> datetime:
    """The configured hour on `day` in zone `tz`, as a UTC instant."""
    local = datetime.combine(day, time(timing.hour, timing.minute), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def end_of_day(day: date, tz: str) -> datetime:
    """Midnight after `day` in zone `tz`, as a UTC instant."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def rotation_key(rotation_id: int, kind: str) -> str:
    return f"rotation:{rotation_id}:{kind}"


def working_day(day: date, *, earliest: date, latest: date, prefer_earlier: bool) -> date:
    """`day`, or the nearest Monday-to-Friday day within [earliest, latest] when it is a Saturday or Sunday.

    A reminder to ask a supervisor for feedback or a letter is of no use on a weekend, when the applicant is
    not at the rotation: a 4-week Monday-to-Friday rotation had all four of its reminders on weekend days.
    Public holidays are not known (an assumption: weekends only). A window with no working day keeps `day`."""
    if day.weekday() < 5:
        return day
    back = day - timedelta(days=day.weekday() - 4)  # Friday before
    ahead = day + timedelta(days=7 - day.weekday())  # Monday after
    choices = [d for d in ((back, ahead) if prefer_earlier else (ahead, back)) if earliest <= d <= latest]
    return choices[0] if choices else day


def feedback_day(start: date, end: date) -> date:
    """The mid-rotation feedback: the middle day (the first day of a one-day rotation), on a working day: a
    Saturday moves to the Friday before, a Sunday to the Monday after, staying inside the rotation."""
    middle = start + timedelta(days=(end - start).days // 2)
    return working_day(middle, earliest=start, latest=end, prefer_earlier=middle.weekday() == 5)


def derive_rotation_reminders(
    rotation_id: int,
    start: date,
    end: date,
    tz: str,
    timing: ReminderTiming,
    *,
    letter_requested: bool = False,
) -> list[PlannedReminder]:
    """The reminders a rotation should have. Letter reminders stop once a letter is requested."""
    planned: list[PlannedReminder] = []
    planned.append(
        PlannedReminder(
            rotation_key(rotation_id, MID_FEEDBACK),
            MID_FEEDBACK,
            local_moment(feedback_day(start, end), tz, timing),
            end_of_day(end + timedelta(days=timing.feedback_expires_after_end_days), tz),
        )
    )
    if not letter_requested:
        letter_expiry = end_of_day(end + timedelta(days=timing.letter_expires_after_end_days), tz)
        calendar_days = _calendar_window(start, end, timing)
        open_day, last_day = _on_working_days(*calendar_days)
        note = _short_note(start, end, timing, *calendar_days)
        if open_day < last_day:
            planned.append(
                PlannedReminder(
                    rotation_key(rotation_id, LETTER_OPEN), LETTER_OPEN, local_moment(open_day, tz, timing),
                    letter_expiry, note,
                )
            )
        planned.append(
            PlannedReminder(
                rotation_key(rotation_id, LETTER_LAST_CALL), LETTER_LAST_CALL, local_moment(last_day, tz, timing),
                letter_expiry, note,
            )
        )
    thanks_day = end + timedelta(days=timing.thank_you_after_days)
    thanks_day = working_day(thanks_day, earliest=thanks_day, latest=thanks_day + timedelta(days=2),
                             prefer_earlier=False)  # a weekend moves to the Monday after
    planned.append(
        PlannedReminder(
            rotation_key(rotation_id, THANK_YOU),
            THANK_YOU,
            local_moment(thanks_day, tz, timing),
            end_of_day(end + timedelta(days=timing.thank_you_expires_days), tz),
        )
    )
    return planned


# A thank-you planned only after its day (the rotation entered late) is still reminded this many days after the
# rotation's end, and no later: an assumption (a thank-you within two weeks still reads as one; after that the
# reminder would only say it is late). The reason a later one is not planned names it.
LATE_THANK_YOU_DAYS = 14
# How a reminder not planned because its moment had passed when it was planned (`late_plan_reason`) is noted.
NOT_PLANNED_LATE = "not planned: "


def late_plan_reason(kind: str, due_day: date, end: date, today: date, *, added: bool,
                     last_day: date | None = None) -> str | None:
    """Why a reminder whose day (`due_day`, the applicant's) had passed on `today`, the day it is planned, is not
    planned; None when it is: on time, due earlier today, or still of use late.

    A rotation entered after its mid-point made its "Ask for mid-rotation feedback" due at once: feedback asked
    midway, to act on in the second half, is what it is for, so it is not planned (Readiness still asks for the
    feedback). A letter request is: the advice is to ask before the end or soon after (`letter_window`), and its
    words follow (the last call says the day was; after the end its draft is in the past tense); both window
    reminders falling due at once send the last call alone (outbox.supersede_letter_openings). A thank-you is, within
    LATE_THANK_YOU_DAYS of the end. `added`: the rotation is new (else its dates or letters changed): the reason
    says which. Only planning reads this: a reminder planned on time whose moment passes while no daemon runs is
    sent once when one does (sync leaves a row whose moment did not move alone). `last_day`: the last day it could
    be sent (its expiry), for one planned when that had passed too (a rotation entered months after it ended):
    not planned, saying so, rather than nothing shown at all."""
    if due_day >= today:
        return None
    # "the rotation was added after its mid-point (18 Nov 2026)"; "planned only on 25 Nov 2026, after the
    # rotation's mid-point (18 Nov 2026)"
    when, its, it = (("the rotation was added", "its", "it") if added
                     else (f"planned only on {_day(today)},", "the rotation's", "the rotation"))
    if kind == MID_FEEDBACK:
        return f"{NOT_PLANNED_LATE}{when} after {its} mid-point ({_day(due_day)})"
    if kind == THANK_YOU and (late := (today - end).days) > LATE_THANK_YOU_DAYS:
        return (f"{NOT_PLANNED_LATE}{when} {late} days after {it} ended ({_day(end)}); a late thank-you is "
                f"reminded only within {LATE_THANK_YOU_DAYS} days of the end")
    if last_day is not None and last_day < today:
        return (f"{NOT_PLANNED_LATE}{when} {(today - end).days} days after {it} ended ({_day(end)}); "
                f"it is reminded only until {_day(last_day)}")
    return None


def _day(value: date) -> str:
    """A day as the reminders' notes write it (feedback_settled's "18 Nov 2026")."""
    return f"{value:%d %b %Y}"


def letter_window(start: date, end: date, timing: ReminderTiming) -> tuple[date, date]:
    """The days to ask for a letter: (window opens, last call). The one deadline everyone shows.

    The advice: ask for feedback midway and apply it; request letters 2 to 4 weeks before the end,
    or soon after. So the window opens `letter_window_days` before the end but never before the day
    after the mid-rotation feedback, and the last call is `letter_last_call_days` before the end but
    never before half-way between the opening and the end. A 4-week rotation (26 days) thus asks in
    its last two weeks, after the feedback; a one-day rotation asks the day after it ends.
    """
    return _on_working_days(*_calendar_window(start, end, timing))


def _on_working_days(open_day: date, last_day: date) -> tuple[date, date]:
    """The window on working days, inside it: the last call back to the Friday, the opening on to the Monday."""
    last_day = working_day(last_day, earliest=open_day, latest=last_day, prefer_earlier=True)
    open_day = working_day(open_day, earliest=open_day, latest=last_day, prefer_earlier=False)
    return open_day, last_day


def _calendar_window(start: date, end: date, timing: ReminderTiming) -> tuple[date, date]:
    """`letter_window` before weekends are skipped: what the field's advice gives in calendar days."""
    after_feedback = feedback_day(start, end) + timedelta(days=1)
    open_day = max(end - timedelta(days=timing.letter_window_days), after_feedback)
    halfway_to_end = open_day + timedelta(days=max((end - open_day).days, 0) // 2)
    last_day = max(end - timedelta(days=timing.letter_last_call_days), halfway_to_end, open_day)
    return open_day, last_day


def letter_deadline(start: date, end: date, timing: ReminderTiming) -> date:
    """The last day to ask: the last call of `letter_window`."""
    return letter_window(start, end, timing)[1]


def _short_note(start: date, end: date, timing: ReminderTiming, open_day: date, last_day: date) -> str:
    if open_day > end:
        return "after the rotation: it is too short to ask after the feedback and before it ends"
    if open_day > end - timedelta(days=timing.letter_window_days) or last_day > end - timedelta(
            days=timing.letter_last_call_days):
        window = timing.letter_window_days
        usual = f"the usual letter window (the last {window // 7} weeks)" if window % 7 == 0 else (
            f"the usual letter window (the last {window} days)")
        # Strictly shorter: a rotation of exactly 4 weeks (the default end, plan.default_end) is not "shorter than
        # the last 4 weeks", as its note said; its midpoint falls within them, as the next line says.
        if (end - start).days + 1 < window:
            return f"moved after the mid-rotation feedback: the rotation is shorter than {usual}"
        # An 8-week rotation is not shorter than a 4-week window (the note said so): its midpoint falls inside it.
        return f"moved after the mid-rotation feedback, which falls within {usual}"
    return ""


def unique_key(base: str) -> str:
    """`base` plus a random part fixed when the row is created.

    SQLite hands the id of a deleted newest row to the next insert, so a key built from ids
    alone ("rotation:1:thank_you") would collide with the cancelled reminders of the deleted
    rotation. The random part makes keys, and the Message-IDs and calendar UIDs derived from
    them, unique forever.
    """
    import secrets  # here: readers of letter_window alone (`readiness`, `rotations show`) need none (issue 17)

    return f"{base}:{secrets.token_hex(6)}"


MESSAGE_ID_READABLE = 22


def message_id_for(key: str, salt: str) -> str:
    """A Message-ID fixed when the reminder is derived and reused on every retry."""
    import hashlib  # here, as in unique_key: ~3 ms of import a reader of this module's dates does not need

    digest = hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:24]
    # The digest makes it unique; the readable part is cut so the header stays on one line (< 78 chars).
    readable = key.replace(":", ".")[:MESSAGE_ID_READABLE].rstrip(".")
    return f"<{digest}.{readable}@imgcoach.local>"


