"""A letter given to another writer: the approved e-mail asking the old writer for it is not sent.

Found on 6 December (day 41), checking what follows from a reminder's letter: `letters edit ID --writer` moved a
planned letter from Dr. Ana Writer to Dr. Bo Baker, yet the approved draft asking Dr. Writer for it stayed
pending, and the daemon sent it; removing the letter cancels it (`cancel_for_removed_letter`), changing its
writer did not. Real SQLite, the CLI in-process, a real loopback SMTP server, time from a FixedClock.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.reminders import approve_draft, list_reminders
from imgcoach.reminders.rules import LETTER_OPEN
from imgcoach.reminders.sync import LETTER_REMOVED
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer


def test_changing_the_writer_cancels_the_approved_request_to_the_old_one(
        ctx: Context, clock: FixedClock, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 11, 2), end=date(2026, 12, 18))
    ana = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    bo = add_contact(ctx, "Dr. Bo Baker", rotation_id=rotation_id, role="attending", email="bo@hospital.example")
    assert ana.id is not None and bo.id is not None
    letter = add_letter_request(ctx, ana.id, rotation_id=rotation_id)
    (opening,) = [r for r in list_reminders(ctx) if r.template_key == LETTER_OPEN]
    assert opening.id is not None
    draft = approve_draft(ctx, opening.id)
    assert draft.recipient == "ana@hospital.example"
    edited = run_cli(capsys, "letters", "edit", str(letter.id), "--writer", str(bo.id), "--db", ctx.db.url)
    assert edited.code == 0, edited.err
    (kept,) = [r for r in list_reminders(ctx) if r.id == draft.id]
    assert kept.status == "cancelled", (kept.status, kept.note)
    assert kept.note == LETTER_REMOVED.replace("was removed", "was given to another writer")
    with SmtpServer() as server:
        send_due_once(ctx, server)
    assert not [r for r in server.received if "ana@hospital.example" in r.rcpt_tos]
