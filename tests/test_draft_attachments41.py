"""A draft says "I have attached" only where the applicant attaches the files: never in a message imgcoach
sends, and never in a thank-you note.

Found on 6 December (day 41), walking a new applicant's first month: the thank-you draft ended "To make this
easier, I have attached: - Summary of cases" (easier than what? nothing was asked), and once approved
(`reminders approve N`) imgcoach sent it to the supervisor as it read, with no file attached: a false sentence
in a message to someone else. A letter request approved and sent by imgcoach said the same of the CV. The
letter e-mail to the applicant now says, beside the approve command, that imgcoach sends the text alone and
leaves the line out. Real SQLite, a real loopback SMTP server (the daemon's `--once` round), a FixedClock.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import set_profile
from imgcoach.reminders import list_reminders, outbox
from imgcoach.reminders.rules import LETTER_OPEN
from tests.daemon_helpers import add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer

ATTACHED = "I have attached"


def _text(message: EmailMessage) -> str:
    return " ".join(message.get_body(("plain",)).get_content().split())


def _ready_packet(ctx: Context, tmp_path: Path) -> None:
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(b"%PDF-1.4 cv")
    set_profile(ctx, cv_path=str(cv))


def _due(ctx: Context, clock: FixedClock, kind: str) -> int:
    (row,) = [r for r in list_reminders(ctx) if r.kind == kind]
    clock.set(row.due_at + timedelta(minutes=1))
    assert row.id is not None
    return row.id


def test_a_thank_you_draft_claims_no_attachment(ctx: Context, clock: FixedClock, tmp_path: Path) -> None:
    _ready_packet(ctx, tmp_path)
    start = clock.now().date() - timedelta(days=10)
    add_supervised_rotation(ctx, start=start, end=start + timedelta(days=27))
    _due(ctx, clock, "thank_you")
    with SmtpServer() as server:
        send_due_once(ctx, server)
    (mail,) = [r.message for r in server.received if "Thank-you note" in str(r.message["Subject"])]
    text = _text(mail)
    assert "Thank you again for supervising" in text, text
    assert ATTACHED not in text and "To make this easier" not in text, text


def test_an_approved_letter_request_sent_by_imgcoach_claims_no_attachment(ctx: Context, clock: FixedClock,
                                                                           tmp_path: Path) -> None:
    _ready_packet(ctx, tmp_path)
    start = clock.now().date() - timedelta(days=1)
    add_supervised_rotation(ctx, start=start, end=start + timedelta(days=27))
    rid = _due(ctx, clock, LETTER_OPEN)
    with SmtpServer() as server:
        send_due_once(ctx, server)
        (to_applicant,) = [r.message for r in server.received if "Ask for a letter" in str(r.message["Subject"])]
        before = len(server.received)
        draft = outbox.approve_draft(ctx, rid)
        clock.set(clock.now() + timedelta(minutes=1))
        send_due_once(ctx, server)
    applicant_text = _text(to_applicant)
    # The draft the applicant sends from their own mail program still says it, and tells them to attach the CV.
    assert "Attach your CV" in applicant_text and f"{ATTACHED}: - CV" in applicant_text, applicant_text
    assert (f"or approve it with `imgcoach reminders approve {rid}` (imgcoach then sends the text alone: it cannot "
            "attach your CV and summary of cases, so it leaves out the line that names them).") in applicant_text, \
        applicant_text
    (to_writer,) = [r.message for r in server.received[before:]]
    assert "jane.okafor@hospital.example" in str(to_writer["To"]) and draft.recipient == "jane.okafor@hospital.example"
    writer_text = _text(to_writer)
    assert "would be grateful if you would write a letter of recommendation" in writer_text, writer_text
    assert ATTACHED not in writer_text, writer_text
    assert [part.get_filename() for part in to_writer.iter_attachments()] == []
