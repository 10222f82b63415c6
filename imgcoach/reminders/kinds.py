"""Reminder vocabulary shared by the plan, the calendar and the mail: statuses and how a kind reads."""

from __future__ import annotations

from collections.abc import Mapping

from imgcoach.core.words import counted

REMINDER_STATUSES = ("pending", "sending", "sent", "failed", "unconfirmed", "missed", "cancelled")
# The template of an approved supervisor draft (outbox.approve_draft): a row of a rotation reminder's kind that is the
# applicant's own e-mail to someone else, not the reminder; every list names it so (`approved_label`).
SUPERVISOR_DRAFT = "supervisor_draft"
# An outreach entry's follow-up (coach.outreach_actions makes it; the digest and the outbox read it): spelled once.
FOLLOW_UP_KIND = "outreach_follow_up"
# How a sent reminder left: "email" (an SMTP server accepted it) or "local_mailbox" (written to the Maildir).
DELIVERY_LABELS = {"email": "sent by e-mail", "local_mailbox": "written to the local mailbox"}


def rotation_kind_label(kind: str) -> str:
    """A rotation's kind in words ("clinical job"): the mail's "my observership" and every face's rotation line.
    Named `kind_label` it read as a reminder kind's label beside `reminder_label`, and the calendar export did use it
    for reminder kinds ("Reminder: mid rotation feedback"). It lives here, not beside plan's ROTATION_KINDS,
    because the reminders' mail names rotations and sits below plan."""
    return kind.replace("_", " ")


# How a reminder reads to a person: the app's Outbox, timeline and Next up, and `reminders list` (whose kind
# column showed the stored "letter_request_open" while the app said "Ask for a letter"). `--json` keeps `kind`.
REMINDER_LABELS = {
    "mid_rotation_feedback": "Ask for feedback",
    "letter_request_open": "Ask for a letter",
    "letter_request_last_call": "Letter: last call",
    "thank_you": "Thank-you note",
    "weekly_digest": "Weekly digest",
    FOLLOW_UP_KIND: "Outreach follow-up",  # the outreach status's "follow-up due"
}


def reminder_label(kind: str, template_key: str = "", *, approved: bool = True) -> str:
    """How a reminder is named (REMINDER_LABELS, else its kind in words); `template_key` tells a supervisor draft,
    `approved` whether it is approved (`approved_label`)."""
    return approved_label(REMINDER_LABELS.get(kind, kind.replace("_", " ").capitalize()), template_key,
                          approved=approved)


def reminder_heading(kind: str, template_key: str = "", *, awaiting: bool = False, plain: str = "") -> str:
    """A reminder's label where it stands alone, as the app's Next up, an exported calendar event and the weekly
    digest's line show it: a message waiting for the applicant's approval reads "Progress update: to approve" (the
    Outbox's status word), an approved draft "Approved: Ask for feedback" (its label), and any other reminder its
    label after `plain` (the calendar's "Reminder: "). The calendar and the digest spelled names of their own
    ("Reminder: mid rotation feedback", "Ask for mid-rotation feedback") for the Outbox's "Ask for feedback"."""
    label = reminder_label(kind, template_key, approved=not awaiting)
    if template_key == SUPERVISOR_DRAFT and not awaiting:
        return label
    return f"{label}: {AWAITING_WORDS}" if awaiting else f"{plain}{label}"


def approved_label(label: str, template_key: str, *, approved: bool = True) -> str:
    """A reminder's label (the app's "Ask for feedback"), or, for an approved supervisor draft, "Approved: Ask for
    feedback": the draft carries its reminder's kind, so after an approval the Outbox and Next up listed a second
    "Ask for feedback" dated today, read as the reminder coming again; it is the e-mail to the supervisor. One whose
    approval was withdrawn (its person's address changed: sync.readdress_mail_to_contact) is "Draft: Ask for
    feedback": "Approved:" beside "to approve" said both."""
    if template_key != SUPERVISOR_DRAFT:
        return label
    return f"Approved: {label}" if approved else f"Draft: {label}"


# The note of a message to someone else whose address changed after it was approved (sync.readdress_mail_to_contact):
# it waits for the applicant's approval again, whatever else happened to it.
APPROVE_AGAIN = "needs your approval again: "


def list_note(note: str, last_error: str) -> str:
    """The note `reminders list` shows of a reminder: its last error, else its note. A failed one whose person's
    address changed since shows both: "550 mailbox unavailable" alone hid that a retry waits for approval, to the
    new address."""
    if last_error and note.startswith(APPROVE_AGAIN):
        return f"{last_error}; {note}"
    return last_error or note


def approval_again_words(note: str) -> str:
    """Why a message waits for approval again, from its note ("the address changed from a@x to b@y"); "" if not."""
    return note[len(APPROVE_AGAIN):].split("; ", 1)[0] if note.startswith(APPROVE_AGAIN) else ""


def why_not_sent(status: str, note: str, last_error: str) -> str:
    """Why a reminder that will never go out did not (the rotation's pane and `rotations show`): a cancelled
    row's note ("cancelled by you", "not sent: the last call ... says the same"), a missed row's reason; ""
    for any other status. "cancelled" alone left the applicant to guess which e-mail they would not get."""
    if status == "cancelled":
        return note
    if status == "missed":
        return last_error
    return ""


# What a pending message to someone else that waits for the applicant's approval (daemon_view.awaits_approval) is
# called in the Outbox's status column and in "Next up" alike (short: the Outbox's column fits 80 columns with it).
AWAITING_WORDS = "to approve"
SUPERSEDED_WORDS = "superseded"  # the Outbox's short status of an opening its last call replaces (status_words)


def status_words(status: str, delivered_via: str | None, overdue: bool, *, short: bool = False,
                 awaiting: bool = False, expired: bool = False, superseded: bool = False) -> str:
    """A reminder's status as a person reads it (the CLI's list, the app's Outbox column when ``short``):
    pending past its due time is overdue (no daemon sent it); "sent" says how, because a message written to
    the local mailbox reaches nobody who does not open that folder; one `awaiting` the applicant's approval
    says so, since "pending" read as if it would simply be sent; one `expired` (daemon_view.is_expired) will not
    be sent at all, which "pending, OVERDUE" beside "start `imgcoach daemon`" promised; nor one `superseded` by its
    last call (daemon_view.superseded_openings): the daemon cancels it and sends the last call."""
    if status == "pending" and expired:
        return "expired" if short else "pending, EXPIRED: will not be sent"
    if status == "pending" and superseded:
        return SUPERSEDED_WORDS if short else "pending, SUPERSEDED: will not be sent, the last call goes instead"
    if status == "pending" and awaiting:
        return AWAITING_WORDS if short else "pending, awaits your approval"
    if status == "pending" and overdue:
        return "overdue" if short else "pending, OVERDUE"
    if status == "sent" and delivered_via == "local_mailbox":
        return "in mailbox" if short else "in local mailbox (not e-mailed)"
    if status == "sent" and delivered_via == "email" and not short:
        return DELIVERY_LABELS["email"]
    return status


def counted_by_status(statuses: list[str]) -> str:
    """"1 pending reminder", "3 pending and 1 failed reminders": what deleting a rotation cancels, in the
    CLI and the app's dialog alike (a failed row cancelled with the others is no "pending" one)."""
    parts = [f"{statuses.count(s)} {s}" for s in REMINDER_STATUSES if s in statuses]
    if not parts:
        return "no reminders"
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + (
        " reminder" if len(statuses) == 1 else " reminders")


# What a daemon sent, by what each message is (`sent_kind`): a run that mailed a weekly digest and an approved
# e-mail to a supervisor said "sent 3 reminders", as if three reminders had reached the applicant.
SENT_NOUNS = {"reminder": "reminder", "digest": "weekly digest", "approved": "approved e-mail"}


def sent_kind(kind: str, to_someone_else: bool) -> str:
    """The key of SENT_NOUNS a sent message counts under: an approved message to someone else (a supervisor
    draft, a progress update), the weekly digest, or a reminder to the applicant."""
    if to_someone_else:
        return "approved"
    return "digest" if kind == "weekly_digest" else "reminder"


def sent_words(sent: Mapping[str, int]) -> str:
    """"3 reminders"; "3 e-mails (2 reminders, 1 approved e-mail)" when they were not all reminders: the
    count `daemon --once` prints and the daemon logs."""
    parts = [counted(n, noun) for key, noun in SENT_NOUNS.items() if (n := sent.get(key, 0))]
    if not parts:
        return counted(0, "reminder")
    if len(parts) == 1 and sent.get("reminder"):
        return parts[0]
    return f"{counted(sum(sent.values()), 'e-mail')} ({', '.join(parts)})"


def superseded_words(n: int) -> str:
    """The letter-window openings a daemon run left unsent because their last call was due too, by the labels the
    Outbox shows ("1 “Ask for a letter” reminder not sent: its “Letter: last call” was due too and says the
    same"): `daemon --once` and the daemon's log said "letter window open" and "letter-window reminder"."""
    opening, last_call = reminder_label("letter_request_open"), reminder_label("letter_request_last_call")
    return (f"{counted(n, f'“{opening}” reminder')} not sent: {'its' if n == 1 else 'their'} “{last_call}” "
            f"was due too and says the same")


def missed_words(missed: Mapping[str, int]) -> str:
    """What expired unsent, by what it was (outbox.expire_missed's kinds): "2 reminders expired before they could be
    sent; 1 message to someone else expired before you approved it". A draft nobody approved is no reminder the
    daemon failed to send; `daemon --once` and the daemon's log say so alike."""
    sendable = {k: n for k, n in missed.items() if k != "unapproved" and n}
    unapproved = missed.get("unapproved", 0)
    one = sum(sendable.values()) == 1  # "1 e-mail (1 weekly digest) expired before they could be sent"
    said = [f"{sent_words(sendable)} expired before {'it' if one else 'they'} could be sent"] if sendable else []
    if unapproved:
        said.append(f"{counted(unapproved, 'message')} to someone else expired before you approved "
                    f"{'it' if unapproved == 1 else 'them'}")
    return "; ".join(said)
