"""Outreach pipeline rules: the status machine, follow-up scheduling and the legitimacy checklist.

IMGs find observerships and externships by writing to education offices and coordinators; these rules
keep every letter moving (a follow-up when nobody answers) and every offer checked before it is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from imgcoach.coach.drafts import Draft, render_draft
from imgcoach.coach.errors import CoachInputError
from imgcoach.coach.models import Applicant, Rotation, RotationKind
from imgcoach.core.datewords import WRITTEN, DateWords
from imgcoach.core.record import Record
from imgcoach.core.words import counted


class OutreachStatus(StrEnum):
    DRAFTED = "drafted"
    SENT = "sent"
    FOLLOW_UP_DUE = "follow_up_due"
    REPLIED = "replied"
    INTERVIEW = "interview"
    OFFERED = "offered"
    DECLINED = "declined"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


S = OutreachStatus

TRANSITIONS: dict[OutreachStatus, frozenset[OutreachStatus]] = {
    S.DRAFTED: frozenset({S.SENT, S.WITHDRAWN}),
    S.SENT: frozenset({S.FOLLOW_UP_DUE, S.REPLIED, S.INTERVIEW, S.OFFERED, S.DECLINED, S.WITHDRAWN}),
    # "sent" again from follow_up_due means the follow-up went out and the clock restarts.
    S.FOLLOW_UP_DUE: frozenset({S.SENT, S.REPLIED, S.INTERVIEW, S.OFFERED, S.DECLINED, S.WITHDRAWN}),
    S.REPLIED: frozenset({S.INTERVIEW, S.OFFERED, S.DECLINED, S.WITHDRAWN}),
    S.INTERVIEW: frozenset({S.OFFERED, S.DECLINED, S.WITHDRAWN}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

OPEN_STATUSES = frozenset({S.DRAFTED, S.SENT, S.FOLLOW_UP_DUE, S.REPLIED, S.INTERVIEW, S.OFFERED})


def outreach_status_words(status: OutreachStatus | str) -> str:
    """How text says a status: "follow-up due" (the list, the messages and the app alike); `--json` keeps the
    value ("follow_up_due"), a key scripts read. The list said "follow_up_due" and the app "follow up due"."""
    value = OutreachStatus(status)
    return "follow-up due" if value is S.FOLLOW_UP_DUE else value.value.replace("_", " ")


def parse_status(value: str, field: str = "status") -> OutreachStatus:
    """Accept 'follow-up due', 'follow_up_due' or 'FOLLOW-UP-DUE'; refuse anything else by name."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return OutreachStatus(key)
    except ValueError:
        allowed = ", ".join(outreach_status_words(s) for s in OutreachStatus)
        raise CoachInputError(f"{field}: unknown outreach status {value!r} (allowed: {allowed})") from None


def check_transition(current: OutreachStatus, new: OutreachStatus) -> None:
    """Raise a CoachInputError naming the allowed moves when ``current -> new`` is not one."""
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(outreach_status_words(s) for s in TRANSITIONS[current])) or "none (final status)"
        raise CoachInputError(f"status: cannot go from {outreach_status_words(current)} to {outreach_status_words(new)} "
                              f"(allowed: {allowed})")


@dataclass(frozen=True, slots=True)
class OutreachEntry:
    """One place written to for an observership or externship."""

    id: int
    institution: str
    department: str
    status: OutreachStatus
    coordinator: str = ""
    contact_email: str = ""
    specialty: str = ""
    kind: RotationKind = RotationKind.OBSERVERSHIP
    written_on: date | None = None  # the first e-mail
    last_sent_on: date | None = None  # the latest e-mail (first or follow-up)
    follow_ups_sent: int = 0
    cost_usd: float | None = None
    visa_requirement: str = ""  # e.g. "B-1/B-2 visitor visa accepted", "none (US citizen)"
    role_in_writing: bool = False
    verified_legitimate: bool = False
    notes: str = ""


def follow_up_due_on(entry: OutreachEntry, follow_up_days: int) -> date | None:
    """When a follow-up is due: ``follow_up_days`` after the last e-mail, while waiting for an answer."""
    if entry.status not in (S.SENT, S.FOLLOW_UP_DUE):
        return None
    sent = entry.last_sent_on or entry.written_on
    return None if sent is None else sent + timedelta(days=follow_up_days)


def effective_status(entry: OutreachEntry, today: date, follow_up_days: int) -> OutreachStatus:
    """``sent`` becomes ``follow_up_due`` once the waiting period is over (on the due day itself)."""
    due = follow_up_due_on(entry, follow_up_days)
    if entry.status is S.SENT and due is not None and today >= due:
        return S.FOLLOW_UP_DUE
    return entry.status


def draft_that_fits(entry: OutreachEntry, today: date, follow_up_days: int) -> str:
    """Which e-mail fits the entry today: "follow-up" once its follow-up is due (``follow_up_due``, or ``sent`` past
    the waiting period), else "first" (`status_draft`: the first request, or what fits its later status). The
    one rule for `imgcoach outreach draft` and the e-mail the app's Outreach v opens on: the CLI printed the first
    request for an entry whose follow-up was due, while the app showed the follow-up first."""
    return "follow-up" if effective_status(entry, today, follow_up_days) is S.FOLLOW_UP_DUE else "first"


@dataclass(frozen=True, slots=True)
class Standing:
    """Where an entry's e-mails stand today: which one fits (``"first"``, ``"follow-up"``, or None where none
    does) and the sentence that says so, with what was sent on which day and when a follow-up falls due."""

    fits: str | None
    said: str
    # The sentence at the end of ``said`` that the first e-mail is drafted again ("" where none is): a face that
    # shows the follow-up alone (`outreach draft` prints one e-mail) leaves it out (Standing.said_beside).
    again: str = ""

    def said_beside(self, shown: str) -> str:
        """``said`` beside one e-mail of kind ``shown`` shown alone: `outreach draft` printing the follow-up said
        "The first e-mail shown here is drafted again ...", of an e-mail it had not printed."""
        if self.again and shown != "first":
            return self.said.removesuffix(f". {self.again}")
        return self.said


def _sent_so_far(entry: OutreachEntry, words: DateWords) -> str:
    """ "The first e-mail was sent on 25 Nov 2026", with the follow-ups sent since."""
    first = entry.written_on or entry.last_sent_on
    sent = f"The first e-mail was sent on {words.day(first)}" if first else "The first e-mail was sent"
    last = words.day(entry.last_sent_on) if entry.last_sent_on else "a day not recorded"
    if entry.follow_ups_sent == 1:
        return f"{sent} and a follow-up on {last}"
    if entry.follow_ups_sent > 1:
        return f"{sent} and {entry.follow_ups_sent} follow-ups after it, the last on {last}"
    return sent


def _drafted_again(entry: OutreachEntry, words: DateWords) -> str:
    """Said of a sent first e-mail shown again: its text is not kept, so it is drafted from today's facts."""
    first = entry.written_on or entry.last_sent_on
    sent = f"the one sent on {words.day(first)}" if first else "the one sent"
    return (f"The first e-mail shown here is drafted again from today's profile, rotations and entry (its text is not "
            f"kept), so it may differ from {sent}")


def standing(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int, words: DateWords,
             rotation: Rotation | None = None) -> Standing:
    """Where the entry's e-mails stand today, and once the first e-mail was sent, that the one shown is drafted again
    (only `outreach draft --help` said so; the dialog showed it as if it were what went)."""
    stands = _standing(entry, today, follow_up_days, max_follow_ups, words, rotation)
    if effective_status(entry, today, follow_up_days) in (S.SENT, S.FOLLOW_UP_DUE):
        again = _drafted_again(entry, words)
        return Standing(stands.fits, f"{stands.said}. {again}", again)
    return stands


def _standing(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int, words: DateWords,
              rotation: Rotation | None = None) -> Standing:
    """Where the entry's e-mails stand today, in the words `imgcoach outreach draft` and the app's e-mail dialog both
    say (`words`: the face's way of writing a day). An e-mail already sent is never the one that fits: the dialog
    called the first e-mail of a sent entry "the one that fits today" until its follow-up fell due, and a third
    follow-up so after the rule's last one (close_warning says it is better closed). Where the place answered,
    status_draft's refusal says the state; this says nothing then (``said`` is "")."""
    status = effective_status(entry, today, follow_up_days)
    if status is S.DRAFTED:
        return Standing("first", "The first e-mail is not sent yet: it is the one that fits today (a follow-up "
                                 "comes only after it is sent)")
    if status in (S.SENT, S.FOLLOW_UP_DUE):
        sent, due = _sent_so_far(entry, words), follow_up_due_on(entry, follow_up_days)
        follow_up = "the next follow-up" if entry.follow_ups_sent else "the follow-up"
        if entry.follow_ups_sent >= max_follow_ups:
            most = f"the rule asks for {counted(max_follow_ups, 'follow-up')} at most"
            if status is S.FOLLOW_UP_DUE or due is None:
                return Standing(None, f"{sent}, with no answer since: no e-mail fits today; {most}, so the entry is "
                                      "better closed")
            return Standing(None, f"{sent}, with no answer yet: no e-mail is due today, and {most}: if no answer "
                                  f"comes by {words.day(due)}, the entry is better closed")
        if due is None:  # sent with no day recorded: the follow-up clock has nothing to count from
            return Standing(None, f"{sent}, with no answer yet: no e-mail is due today")
        if status is S.FOLLOW_UP_DUE:
            return Standing("follow-up", f"{sent}, with no answer since: {follow_up}, due from {words.day(due)}, is "
                                         "the one that fits today")
        return Standing(None, f"{sent}, with no answer yet: no e-mail is due today; {follow_up} falls due on "
                              f"{words.day(due)} if no answer comes by then")
    if status is S.ACCEPTED and rotation is not None and today > rotation.end:
        return Standing("first", f"Accepted, and its rotation ended on {words.day(rotation.end)}: the thank-you note "
                                 "to the supervisor is the e-mail for now (nothing records whether it went out)")
    if status is S.ACCEPTED and (rotation is None or today < rotation.start):
        starts = f", its rotation starts on {words.day(rotation.start)}" if rotation else ", with no dates yet"
        return Standing("first", f"Accepted{starts}: the confirmation is the e-mail for now (nothing records whether "
                                 "it went out)")
    return Standing(None, "")


class OutreachWays(Record):
    """How a face names its ways to act on an entry, inside the sentences coach returns: the CLI its commands
    (COMMANDS), the app its keys. The app's Outreach screen said `imgcoach outreach set-status 3 withdrawn` where
    its e edits the status, and `imgcoach outreach accept ...` where its ctrl+a accepts an offer."""

    withdraw: Callable[[int], str]  # "imgcoach outreach set-status 3 withdrawn"
    take_offer: Callable[[int], str]  # what to do with an offer: check it, accept it, draft the confirmation


def _withdraw_command(entry_id: int) -> str:
    return f"imgcoach outreach set-status {entry_id} withdrawn"


def _take_offer_commands(entry_id: int) -> str:
    return (f"check the warnings in `imgcoach outreach list`, then `imgcoach outreach accept {entry_id} --start "
            f"YYYY-MM-DD --end YYYY-MM-DD`, and `imgcoach outreach draft {entry_id}` drafts the confirmation")


COMMANDS = OutreachWays(_withdraw_command, _take_offer_commands)


def follow_ups_used_up(status: OutreachStatus, follow_ups_sent: int, max_follow_ups: int) -> bool:
    """Still without an answer, and the rule's last follow-up went out: no reminder asks for another."""
    return status in (S.SENT, S.FOLLOW_UP_DUE) and follow_ups_sent >= max_follow_ups


def should_close(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int) -> bool:
    """After the last allowed follow-up went unanswered, suggest withdrawing instead of writing again."""
    status = effective_status(entry, today, follow_up_days)
    return status is S.FOLLOW_UP_DUE and follow_ups_used_up(status, entry.follow_ups_sent, max_follow_ups)


def close_warning(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int,
                  ways: OutreachWays = COMMANDS) -> str | None:
    """The rule of readiness.toml said where the entry is read: unanswered after the last allowed follow-up,
    it is better closed (nothing said so; the list read "follow_up_due" and a reminder asked for another)."""
    if not should_close(entry, today, follow_up_days, max_follow_ups):
        return None
    return f"no answer after {entry.follow_ups_sent} follow-ups: better closed ({ways.withdraw(entry.id)})"


def allowed_moves(status: OutreachStatus, follow_ups_sent: int, max_follow_ups: int) -> frozenset[OutreachStatus]:
    """TRANSITIONS, less "sent" and "follow-up due" once the rule's last follow-up went out: marking another e-mail
    sent there counted a third follow-up the rule does not ask for (the app offered b Mark sent, the CLI took it),
    and `set-status N follow_up_due` while its wait ran said "follow-up due" of a follow-up no rule asks for (the
    lists then read "better closed" before the day)."""
    moves = TRANSITIONS[status]
    if follow_ups_used_up(status, follow_ups_sent, max_follow_ups):
        return moves - {S.SENT, S.FOLLOW_UP_DUE}
    return moves


def mark_sent_refusal(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int,
                      ways: OutreachWays = COMMANDS) -> str | None:
    """Why marking an e-mail sent is refused after the rule's last follow-up (None where it is not): the close
    warning's words, the face's way to withdraw in them."""
    if not should_close(entry, today, follow_up_days, max_follow_ups):
        return None
    return (f"outreach {entry.id} ({entry.institution}): {counted(entry.follow_ups_sent, 'follow-up')} went "
            f"unanswered and the rule asks for {counted(max_follow_ups, 'follow-up')} at most, so no other e-mail is "
            f"recorded as sent: the entry is better closed ({ways.withdraw(entry.id)})")


def follow_up_due_refusal(entry: OutreachEntry, today: date, follow_up_days: int, max_follow_ups: int,
                          words: DateWords) -> str | None:
    """Why marking a follow-up due by hand is refused after the rule's last follow-up, while its wait runs (None
    where it is not; once the wait is over the entry is already "follow-up due" and better closed): no other
    follow-up falls due, and the day the entry is better closed is the end of that wait (`words`: the face's day)."""
    status = effective_status(entry, today, follow_up_days)
    due = follow_up_due_on(entry, follow_up_days)
    if status is not S.SENT or not follow_ups_used_up(status, entry.follow_ups_sent, max_follow_ups):
        return None
    closing = f": if no answer comes by {words.day(due)}, the entry is better closed" if due else ""
    return (f"outreach {entry.id} ({entry.institution}): {counted(entry.follow_ups_sent, 'follow-up')} went out and "
            f"the rule asks for {counted(max_follow_ups, 'follow-up')} at most, so no other follow-up falls due"
            f"{closing}")


class ListedFollowUp(Record):
    """What the Outreach list and `outreach list` say of an entry's follow-up today: ``status`` in words, the
    Follow-up column (``column``: the day it falls due, or why none will), ``next_due`` (the day the next follow-up
    is asked for; None where none is), ``better_closed`` and ``moves`` (allowed_moves). Both read the last follow-up's
    waiting day as a follow-up due ("follow-up due", 25 Nov 2026) after the rule's last follow-up."""

    status: str
    column: str
    next_due: date | None
    better_closed: bool
    moves: frozenset[OutreachStatus]


def listed_follow_up(status: OutreachStatus, due: date | None, follow_ups_sent: int, max_follow_ups: int,
                     words: DateWords) -> ListedFollowUp:
    """An entry's row as both lists show it (``status`` today and ``due``, as list_outreach gives them; ``words``:
    the face's way of writing a day)."""
    moves = allowed_moves(status, follow_ups_sent, max_follow_ups)
    if not follow_ups_used_up(status, follow_ups_sent, max_follow_ups):
        return ListedFollowUp(outreach_status_words(status), words.day(due) if due else "", due, False, moves)
    if status is S.FOLLOW_UP_DUE:  # the wait after the last follow-up is over (close_warning)
        return ListedFollowUp("unanswered", "none: better closed", None, True, moves)
    return ListedFollowUp(outreach_status_words(status), f"none: {counted(follow_ups_sent, 'follow-up')} sent", None,
                          False, moves)


def offer_warnings(entry: OutreachEntry) -> list[str]:
    """What to check before accepting: legitimacy, a written role, the visa, the cost."""
    warnings = []
    if not entry.verified_legitimate:
        warnings.append("not verified as legitimate: confirm with the hospital's education office directly")
    if not entry.role_in_writing:
        warnings.append("role not defined in writing: ask for a letter or e-mail describing the role and supervisor")
    if not entry.visa_requirement.strip():
        warnings.append("visa requirement unknown: check that the offer fits your visa status")
    if entry.cost_usd is None:
        warnings.append("cost unknown: ask what fees apply before accepting")
    elif entry.cost_usd > 0 and not entry.verified_legitimate:
        warnings.append(f"asks for ${entry.cost_usd:,.0f} but is not verified: do not pay before verifying")
    return warnings


# The statuses whose entry can become a rotation; the app offers its accept key on these rows only.
BECOMES_ROTATION = (S.OFFERED, S.ACCEPTED)


def offer_to_rotation(entry: OutreachEntry, rotation_id: int, start: date, end: date, *, supervisor: str = "",
                      weekly_hours: float = 0.0, setting: str = "") -> Rotation:
    """An accepted (or offered, being accepted) entry becomes a planned rotation in one step."""
    if entry.status not in BECOMES_ROTATION:
        raise CoachInputError(
            f"outreach {entry.id}: only an offered or accepted entry becomes a rotation (status is {outreach_status_words(entry.status)})"
        )
    if end < start:
        raise CoachInputError(f"outreach {entry.id}: end date {end} is before start date {start}")
    return Rotation(
        id=rotation_id,
        kind=entry.kind,
        specialty=entry.specialty or entry.department,
        institution=entry.institution,
        department=entry.department,
        start=start,
        end=end,
        supervisor=supervisor,
        weekly_hours=weekly_hours,
        setting=setting,
    )


def first_email(entry: OutreachEntry, applicant: Applicant, highlights: tuple[str, ...] = (), dates: str = "",
                school: str = "") -> Draft:
    """The concise, CV-based first e-mail to a coordinator."""
    return render_draft("first_email.txt.j2", entry=entry, applicant=applicant, highlights=highlights,
                        dates=dates, school=school)


# The statuses whose entry still fits the first request: not written yet, or written and not answered (the e-mail
# as it was sent). Once the place answered, asking again "whether it offers positions" says what is not so.
FIRST_REQUEST_STATUSES = frozenset({S.DRAFTED, S.SENT, S.FOLLOW_UP_DUE})


def status_draft(entry: OutreachEntry, applicant: Applicant, today: date, highlights: tuple[str, ...] = (),
                 school: str = "", rotation: Rotation | None = None, ways: OutreachWays = COMMANDS,
                 words: DateWords = WRITTEN) -> Draft:
    """The e-mail that fits the entry's status (its ``title`` says which): the first request while nobody
    answered; once accepted, a confirmation of the dates before the rotation starts and the thank-you note to the
    supervisor once it has ended. Refused, naming the entry and its status, where no e-mail fits (the place
    replied, invited you, offered, declined, you withdrew, or the accepted rotation is under way). It drafted the
    first request whatever the status, so an accepted place was asked again whether it offers positions. ``ways``:
    the face's names for what to do with an offer (its commands, or the app's keys); ``words`` its way of writing
    days."""
    if entry.status in FIRST_REQUEST_STATUSES:
        return replace(first_email(entry, applicant, highlights=highlights, school=school), title="First e-mail")
    if entry.status is S.ACCEPTED and (rotation is None or today < rotation.start):
        draft = render_draft("confirmation.txt.j2", entry=entry, applicant=applicant,
                             start=rotation.start if rotation else None, end=rotation.end if rotation else None)
        return replace(draft, title="Confirmation")
    if entry.status is S.ACCEPTED and rotation is not None and today > rotation.end:
        draft = render_draft("thank_you.txt.j2", rotation=rotation, applicant=applicant)
        return replace(draft, title="Thank-you note", address=rotation.supervised_by_email,
                       to=f"{rotation.supervised_by or 'your supervisor'} "
                          f"<{rotation.supervised_by_email or 'address unknown'}>")
    if entry.status is S.ACCEPTED and rotation is not None:
        next_step = (f"its rotation {rotation.id} is under way ({words.span(rotation.start, rotation.end)}): "
                     "the thank-you note is drafted here once it ends")
    else:
        next_step = {
            S.REPLIED: "it answered: reply to its e-mail in your own words",
            S.INTERVIEW: "it invited you to an interview: reply to its invitation in your own words",
            S.OFFERED: f"it offered you a place: {ways.take_offer(entry.id)}",
            S.DECLINED: "it declined: the entry is closed",
            S.WITHDRAWN: "you withdrew: the entry is closed",
        }[entry.status]
    raise CoachInputError(f"outreach {entry.id} ({entry.institution}) has the status {outreach_status_words(entry.status)}: no "
                          f"e-mail to draft, {next_step}")


def follow_up_email(entry: OutreachEntry, applicant: Applicant) -> Draft:
    """The polite follow-up to the latest e-mail sent, while it has no answer; refused while nothing was sent (a
    drafted entry ended in an internal error: the template reads the day of the e-mail followed up, in the CLI and
    the app) and once the place answered (replied, interview, offered, declined, accepted) or you withdrew."""
    if entry.status is S.DRAFTED or (entry.last_sent_on or entry.written_on) is None:
        raise CoachInputError(f"outreach {entry.id}: no e-mail to {entry.institution} is recorded as sent, so there "
                              f"is nothing to follow up; `imgcoach outreach draft {entry.id}` drafts the first, and "
                              f"`imgcoach outreach set-status {entry.id} sent` records it once sent")
    if entry.status not in (S.SENT, S.FOLLOW_UP_DUE):
        # The draft asks after an e-mail nobody answered ("I remain very interested ... could you point me to
        # another office?"): to a place that replied, offered or declined it says what is not so.
        raise CoachInputError(f"outreach {entry.id} ({entry.institution}) has the status "
                              f"{outreach_status_words(entry.status)}: a follow-up is for an e-mail still without an "
                              "answer")
    return replace(render_draft("follow_up.txt.j2", entry=entry, applicant=applicant), title="Follow-up")
