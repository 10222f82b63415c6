"""Assemble one reminder EmailMessage (text + HTML alternative + text/calendar) right before sending it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from imgcoach.mail.headers import check_message_id, clean_header_text, make_address


@dataclass(frozen=True)
class Mailbox:
    """A (display name, address) pair as typed by the user; validated only when a message is built."""

    name: str
    email: str


def build_message(
    *,
    sender: Mailbox,
    recipient: Mailbox,
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    date: datetime,
    calendar: bytes | None = None,
    calendar_method: str = "PUBLISH",
    extra_headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """Build the message. Names and subject are cleaned of CR/LF; addresses and Message-ID must be valid."""
    msg = EmailMessage()
    msg["From"] = make_address(sender.name, sender.email, field="sender")
    msg["To"] = make_address(recipient.name, recipient.email, field="recipient")
    msg["Subject"] = clean_header_text(subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = check_message_id(message_id)
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies to reminders
    for key, value in (extra_headers or {}).items():
        msg[clean_header_text(key)] = clean_header_text(value)
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    if calendar is not None:
        msg.add_attachment(
            calendar.decode("utf-8"),
            subtype="calendar",
            filename="reminder.ics",
            params={"method": calendar_method},
        )
    return msg
