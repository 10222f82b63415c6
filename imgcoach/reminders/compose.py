"""What a reminder's e-mail says, composed once for the daemon that sends it and the app that previews it.

The daemon's worker builds every message from ``compose`` with the renderer ``user_renderer`` makes (the
built-in templates under the user's overrides in the config folder's ``emails/``); the Outbox preview calls
the same two functions, so the subject and text it shows are the ones the daemon sends.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from imgcoach.core.context import Context
from imgcoach.core.ids import saved_id
from imgcoach.core.locations import config_dir
from imgcoach.reminders.kinds import reminder_label
from imgcoach.reminders.mail.context import Person
from imgcoach.reminders.mail.errors import TemplateError
from imgcoach.reminders.mail.render import MailRenderer
from imgcoach.reminders.outgoing import SUPERVISOR_DRAFT, Outgoing, outgoing_of, read_outgoing
from imgcoach.reminders.packet import WHERE_THIS_MACHINE


def user_renderer() -> MailRenderer:
    """The renderer every face uses: built-in templates, the user's overrides (config folder) first."""
    return MailRenderer(override_dir=config_dir())


@dataclass(frozen=True)
class Composed:
    """A message's words before MIME: ``calendar_description`` is None for a message without a calendar entry
    (an approved draft to someone other than the applicant, who gets ``reply_to`` instead)."""

    subject: str
    text: str
    html: str | None
    to: Person
    reply_to: Person | None
    calendar_description: str | None


def compose(item: Outgoing, renderer: MailRenderer) -> Composed:
    """To the applicant: the reminder with its calendar entry. To anyone else (only a row that required
    approval and has it): the approved message itself, Reply-To the applicant, no calendar entry."""
    mail = item.mail
    if item.refused:
        raise TemplateError(f"reminder {mail.reminder_id} not sent: {item.refused}")
    if item.is_draft:
        if item.template_key == SUPERVISOR_DRAFT:
            # Sent by imgcoach, which attaches no file: the draft must not tell the writer "I have attached: CV".
            draft = renderer.render_draft(replace(mail, packet=()))
            if draft is None:
                raise TemplateError(f"reminder {mail.reminder_id} ({reminder_label(mail.kind, SUPERVISOR_DRAFT)}): "
                                    "no draft")
            return Composed(draft.subject, draft.body, None, item.to, mail.applicant, None)
        rendered = renderer.render(mail)
        return Composed(rendered.subject, rendered.text, rendered.html, item.to, mail.applicant, None)
    rendered = renderer.render(mail)
    description = rendered.draft.body if rendered.draft else rendered.text
    return Composed(rendered.subject, rendered.text, rendered.html, item.to, None, description)


@dataclass(frozen=True)
class MailPreview:
    subject: str
    text: str
    to: str


def reminder_preview(ctx: Context, reminder_id: int) -> MailPreview:
    """The e-mail this reminder sends, composed by the daemon's own function and renderer."""
    from imgcoach.reminders.outbox import approval_offer_in
    from imgcoach.storage.applicants import current_applicant, owned
    from imgcoach.storage.models import Reminder

    # One read transaction: the row, its applicant and its rotation's addressees and draft are read once, for
    # the approval offer and the message both (two transactions read the row, the applicant and the addressees
    # twice each, and queried case notes of no rotation).
    with ctx.db.read() as session:
        applicant = current_applicant(session, ctx)
        row = owned(session, Reminder, reminder_id, applicant, "reminder")
        batch = read_outgoing(session, [row], {saved_id(applicant.id): applicant})
        # The draft section's "approve it with ..." only where `reminders approve` would: not on a cancelled one,
        # nor on one whose draft is approved already (it says so). As the row is now: it may still be cancelled.
        approvable, approved = approval_offer_in(session, row, ctx.clock.now(), applicant.timezone,
                                                 addressed=batch.to, drafts=batch.drafts)
    # The files are looked for on this machine (the app's): the preview says so, not "where the daemon runs".
    item = outgoing_of(ctx, batch, where=WHERE_THIS_MACHINE)[reminder_id]
    item = replace(item, mail=replace(item.mail, approvable=approvable, approved_draft=approved))
    if item.approval_to is not None:
        # Waiting for approval: the message approving it sends, composed as the daemon will then compose it. The
        # preview said "no preview: ... waits for the applicant's approval", so what was approved went unread.
        item = replace(item, to=item.approval_to, is_draft=True, refused="", approval_to=None)
    renderer = user_renderer()
    try:
        composed = compose(item, renderer)
    except Exception as exc:  # the daemon would record this as the row's failure: show it with the fields
        # named by the one label (the Outbox's), not the stored kind ("letter request open", "letter_request_open")
        label = reminder_label(row.kind, row.template_key, approved=row.approved_at is not None)
        text = f"(no preview: {exc})\n\nreminder: {label}\nrecipient: {row.recipient}\nnote: {row.note}"
        return MailPreview(label, text, row.recipient)
    return MailPreview(composed.subject, _fallback_notes(renderer) + composed.text, composed.to.email)


def _fallback_notes(renderer: MailRenderer) -> str:
    """Above the preview, each override of the user's that failed: what follows is the built-in template's
    text, which the daemon sends in its place."""
    seen = dict.fromkeys(renderer.fallbacks)  # a template used twice (subject in the body) is said once
    notes = [f"(your template {where} failed, {why}: the built-in template's words are shown and sent instead)"
             for where, why in seen]
    notes += [f"(your file {path} is never used: no built-in template has that name"
              + (f"; did you mean {near}?)" if near else ")") for path, near in renderer.unused_overrides()]
    return "".join(f"{note}\n" for note in notes) + ("\n" if notes else "")
