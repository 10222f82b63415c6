"""The packet's files, one rule and one set of words in every face (reminders.document_problem).

Found on 6 December (day 41): with the profile's CV path naming no file, `profile set` warned and the app's
Letters showed "[!] CV" with why, but the daemon's letter-request e-mail still said "Attach your CV" and its
draft told the writer "I have attached: CV"; and `coach packet` decided the same thing by its own test and said
"(file not found)" of it. Real SQLite, a real loopback SMTP server (the daemon's `--once` round), the CLI
in-process, time from a FixedClock.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import set_profile
from imgcoach.reminders import list_reminders, reminder_preview
from imgcoach.reminders.rules import LETTER_LAST_CALL, LETTER_OPEN
from tests.cli_helpers import run_cli
from tests.daemon_helpers import add_supervised_rotation, send_due_once
from tests.smtp_server import SmtpServer

NOT_THERE = "does not exist where the reminder daemon runs (yet); the packet will leave it out until it does"


def _body(server: SmtpServer, subject: str) -> str:
    (message,) = [r.message for r in server.received if subject in str(r.message["Subject"]).lower()]
    return " ".join(message.get_body(("plain",)).get_content().split())


@pytest.mark.parametrize("kind", [LETTER_OPEN, LETTER_LAST_CALL])
def test_the_letter_e_mail_says_the_cv_was_not_found_where_the_daemon_runs(
        ctx: Context, clock: FixedClock, tmp_path: Path, kind: str) -> None:
    statement = tmp_path / "statement.docx"
    statement.write_bytes(b"draft")
    missing = tmp_path / "elsewhere" / "cv.pdf"
    set_profile(ctx, cv_path=str(missing), personal_statement_path=str(statement))
    start = clock.now().date() - timedelta(days=1)  # begun: its case is logged
    add_supervised_rotation(ctx, start=start, end=start + timedelta(days=27))
    (row,) = [r for r in list_reminders(ctx) if r.kind == kind]
    clock.set(row.due_at + timedelta(minutes=1))
    line = f"Your CV: {missing} {NOT_THERE}. The draft does not mention it."
    # The Outbox's preview: the same words, of the machine it looked on (test_preview_says_this_machine42)
    assert line.replace("where the reminder daemon runs", "on this machine") in " ".join(
        reminder_preview(ctx, row.id).text.split())
    with SmtpServer() as server:
        send_due_once(ctx, server)
    text = _body(server, "letter")
    assert text.count(line) == 1, text  # once: the template first said it twice over
    assert "Attach your CV" not in text, text
    attached = text.split("I have attached:", 1)[1].split("With many thanks", 1)[0]
    assert "- CV" not in attached and "- Personal statement draft" in attached, attached


def test_coach_packet_says_what_profile_set_says(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 cli_clock: FixedClock) -> None:
    add_supervised_rotation(ctx)
    missing, folder = tmp_path / "no" / "cv.pdf", tmp_path / "statements"
    folder.mkdir()
    said = run_cli(capsys, "profile", "set", "--cv-path", str(missing), "--personal-statement-path", str(folder),
                   "--db", ctx.db.url)
    assert said.code == 0, said.err
    profile_words = [w.split(": ", 3)[-1] for w in said.err.splitlines()]  # after "imgcoach: warning: --cv-path: "
    packet = run_cli(capsys, "packet", "Dr. Jane Okafor", "-o", str(tmp_path / "out"), "--db", ctx.db.url)
    assert packet.code == 0, packet.err
    assert packet.err.splitlines() == [
        f"imgcoach: warning: CV: {profile_words[0]}", f"imgcoach: warning: Personal statement draft: {profile_words[1]}"]
    assert profile_words == [f"{missing} does not exist (yet); the packet will leave it out until it does",
                             f"{folder} is not a file; the packet will leave it out"]


def test_the_app_s_letter_draft_claims_only_files_that_are_there(ctx: Context, tmp_path: Path) -> None:
    """The app's Letters preview showed "[!] CV" above a draft saying "I have attached: - CV": it now claims what
    the daemon's draft claims."""
    from imgcoach.plan import add_contact, add_letter_request, letter_draft

    statement = tmp_path / "statement.docx"
    statement.write_bytes(b"draft")
    set_profile(ctx, cv_path=str(tmp_path / "no" / "cv.pdf"), personal_statement_path=str(statement))
    rotation_id = add_supervised_rotation(ctx)
    writer = add_contact(ctx, "Dr. Ana Writer", rotation_id=rotation_id, role="attending", email="ana@hospital.example")
    assert writer.id is not None
    letter = add_letter_request(ctx, writer.id, rotation_id=rotation_id)
    assert letter.id is not None
    draft = letter_draft(ctx, letter.id)
    assert [(item.name, bool(item.problem)) for item in draft.packet][:2] == [("CV", True), ("Personal statement draft", False)]
    attached = draft.body.split("I have attached:", 1)[1]
    assert "- CV" not in attached and "- Personal statement draft" in attached, draft.body
