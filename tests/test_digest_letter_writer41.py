"""The weekly digest names the person a letter request asks: the planned letter's writer, as the e-mail does.

Found on 6 December (day 41), checking who each face names for a rotation's letter: the digest listed "Ask for a
letter (Dr. Jane Okafor (...))" (the rotation's supervisor) while the reminder's e-mail and its draft asked
Dr. Ana Writer, the attending whose letter is planned. Real SQLite, `daemon --once` on the test's clock writing
to the local Maildir.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan.people import add_contact, add_letter_request
from imgcoach.reminders import list_reminders
from imgcoach.reminders.rules import LETTER_OPEN
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation
from tests.test_digest_approve_line40 import _digest_text


def test_the_digest_names_the_letter_writer_not_the_supervisor(
        ctx: Context, clock: FixedClock, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    # 12 weeks ending on 25 December: its letter window opens on Friday 27 November, this week.
    rotation_id = add_supervised_rotation(ctx, start=date(2026, 10, 2), end=date(2026, 12, 25))  # Dr. Jane Okafor
    writer = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    assert writer.id is not None
    add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    (opening,) = [r for r in list_reminders(ctx) if r.template_key == LETTER_OPEN]
    assert opening.status == "pending" and clock.now() < opening.due_at < clock.now() + timedelta(days=4), opening
    ran = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
    assert ran.code == 0, (ran.out, ran.err)
    text = _digest_text()
    assert "Ask for a letter (Dr. Ana Writer (Internal Medicine, Lakeside General (synthetic)))" in text, text
    assert "Dr. Jane Okafor" not in text, text
