"""An e-mail approved for a person's address is not sent after that address was edited: neither to the old address
nor to the new one until the applicant approves it again.

The daemon sent an approved e-mail (a feedback request, a letter request to its writer, a progress update) to the
address stored at the approval, so after `contacts edit`/the app's person form corrected it, the old address still
got it, and nothing said so. Now one rule (reminders.readdress_mail_to_contact, called by plan.edit_contact) moves
every e-mail to them not sent yet to the new address; an approved one goes back to awaiting approval with a note,
one awaiting approval just takes the address, one a daemon is sending is left to it. The CLI's line and --json and
the app's toast say so (plan.ContactEdited.words). Real SQLite/PostgreSQL, a real loopback SMTP server and
`daemon --once`, the test's FixedClock.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_contact, add_rotation, edit_contact, get_profile, plan_letter_request
from imgcoach.plan.people import list_contacts
from imgcoach.reminders import approve_draft, outbox
from imgcoach.storage.models import Reminder
from tests.cli_helpers import run_cli
from tests.smtp_server import SmtpServer
from tests.tui_helpers import SIZE, app_for, fill, highlight_person, press, record_toasts, settle

OLD, NEW = "sam.reyes@old-hospital.example", "sam.reyes@new-hospital.example"
AGAIN = f"needs your approval again: the address changed from {OLD} to {NEW}"


def _smtp(monkeypatch: pytest.MonkeyPatch, server: SmtpServer) -> None:
    monkeypatch.setenv("IMGCOACH_SMTP_HOST", server.host)
    monkeypatch.setenv("IMGCOACH_SMTP_PORT", str(server.port))
    monkeypatch.setenv("IMGCOACH_SMTP_SECURITY", "none")


def _daemon_once(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, ctx: Context,
                 to_applicant: list[str] | None = None) -> list[list[str]]:
    """`imgcoach daemon --once` against a fresh loopback SMTP server: the envelope recipients of each message to
    someone else than the applicant; `to_applicant` gets the text of those to the applicant (the weekly digest)."""
    mine = get_profile(ctx).email  # type: ignore[union-attr]
    with SmtpServer() as server:
        _smtp(monkeypatch, server)
        ran = run_cli(capsys, "daemon", "--once", "--db", ctx.db.url)
        assert ran.code == 0, ran.err
        for r in server.received:
            if r.rcpt_tos == [mine] and to_applicant is not None:
                body = r.message.get_body(preferencelist=("plain",))
                to_applicant.append(" ".join(str(body.get_content() if body else "").split()))
        return [sorted(r.rcpt_tos) for r in server.received if r.rcpt_tos != [mine]]


def _row(ctx: Context, reminder_id: int) -> Reminder:
    with ctx.db.read() as session:
        row = session.get(Reminder, reminder_id)
    assert row is not None
    return row


def _rotation_ahead(ctx: Context) -> int:
    """An observership a month ahead of the clock, so its reminders (and their drafts) are still to come."""
    start = ctx.clock.now().date() + timedelta(days=30)
    rotation = add_rotation(ctx, kind="observership", specialty="Internal Medicine",
                            institution="Riverside Clinic (synthetic)", start_date=start,
                            end_date=start + timedelta(weeks=4))
    assert rotation.id is not None
    return rotation.id


def _reminder_of(ctx: Context, rotation_id: int, kind: str) -> int:
    with ctx.db.read() as session:
        return session.exec(select(Reminder.id).where(Reminder.rotation_id == rotation_id, Reminder.kind == kind,
                                                      Reminder.template_key == kind)).one()  # type: ignore[return-value]


def _approved_feedback_request(ctx: Context) -> tuple[int, int]:
    """A supervisor at OLD and the approved e-mail asking them for feedback, due now: (contact id, its reminder id)."""
    rotation_id = _rotation_ahead(ctx)
    supervisor = add_contact(ctx, "Dr. Sam Reyes (synthetic)", rotation_id=rotation_id, role="supervisor", email=OLD)
    draft = approve_draft(ctx, _reminder_of(ctx, rotation_id, "mid_rotation_feedback"))
    assert (draft.recipient, draft.status, draft.approved_at is not None) == (OLD, "pending", True)
    assert supervisor.id is not None and draft.id is not None
    return supervisor.id, draft.id


def test_an_approved_e_mail_reaches_neither_address_until_approved_again(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    edited = edit_contact(ctx, supervisor_id, email=NEW)  # the app's person form, as `contacts edit` does
    assert edited.words() == f"1 approved e-mail to them {AGAIN}"
    row = _row(ctx, draft_id)
    assert (row.recipient, row.status, row.approved_at, row.note) == (NEW, "pending", None, AGAIN)
    digest: list[str] = []
    assert _daemon_once(capsys, monkeypatch, ctx, digest) == [], "approved for the old address: sent to nobody"
    listed = run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).json()
    (entry,) = [r for r in listed if r["id"] == draft_id]
    assert (entry["note"], entry["recipient"], entry["awaiting_approval"]) == (AGAIN, NEW, True)
    approved = run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url)
    assert approved.code == 0 and f"will be sent to {NEW}" in approved.out, approved.out + approved.err
    assert _daemon_once(capsys, monkeypatch, ctx) == [[NEW]], "approved again: to the new address only"
    assert _row(ctx, draft_id).status == "sent"


def test_the_cli_says_what_the_new_address_did(ctx: Context, cli_clock: FixedClock,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    edited = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--email", NEW, "--db", ctx.db.url)
    assert edited.code == 0, edited.err
    assert edited.out == (f"contact {supervisor_id} (Dr. Sam Reyes (synthetic)) updated; 1 approved e-mail to them "
                          f"{AGAIN}\n")
    moved_back = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--email", OLD, "--json", "--db", ctx.db.url)
    assert moved_back.code == 0, moved_back.err
    data = moved_back.json()
    assert data["contact"]["email"] == OLD
    assert data["readdressed"] == {
        "old": NEW, "new": OLD, "approval_again": [], "awaiting_approval": [draft_id], "being_sent": [],
        "words": f"1 e-mail to them awaiting your approval now goes to {OLD}"}
    # Awaiting approval, its note follows the address: the change it names is the one it waits for.
    assert _row(ctx, draft_id).note == f"needs your approval again: the address changed from {NEW} to {OLD}"
    renamed = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--title", "MD", "--json", "--db", ctx.db.url)
    assert renamed.json()["readdressed"] is None, "the address did not change"
    refused = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--email", "not an address", "--db",
                      ctx.db.url)
    assert refused.code == 2 and "email" in refused.err, refused.err


def test_an_address_removed_leaves_the_e_mail_unapprovable_until_one_is_given(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    removed = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--email", "", "--json", "--db", ctx.db.url)
    assert removed.code == 0, removed.err
    note = f"needs your approval again: the address {OLD} was removed; add one, then approve it"
    assert removed.json()["readdressed"]["words"] == f"1 approved e-mail to them {note}"
    row = _row(ctx, draft_id)
    assert (row.recipient, row.approved_at, row.note) == ("", None, note)
    refused = run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url)
    assert refused.code == 2 and "no recipient address" in refused.err, refused.err
    assert _daemon_once(capsys, monkeypatch, ctx) == []
    given = run_cli(capsys, "contacts", "edit", str(supervisor_id), "--email", NEW, "--db", ctx.db.url)
    assert given.out.endswith(f"; 1 e-mail to them awaiting your approval now goes to {NEW}\n"), given.out
    row = _row(ctx, draft_id)
    assert (row.recipient, row.approved_at) == (NEW, None)
    assert row.note == f"needs your approval again: the address {NEW} was added"
    assert run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url).code == 0
    assert _daemon_once(capsys, monkeypatch, ctx) == [[NEW]]


def test_an_e_mail_awaiting_approval_takes_the_new_address(demo_ctx: Context, cli_clock: FixedClock,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    whitaker = next(c for c in list_contacts(demo_ctx) if "Whitaker" in c.name)
    with demo_ctx.db.read() as session:
        (update,) = session.exec(select(Reminder).where(Reminder.recipient == whitaker.email)).all()
    assert (update.kind, update.status, update.approved_at) == ("progress_update", "pending", None)
    note = update.note
    edited = edit_contact(demo_ctx, whitaker.id, email="j.whitaker@new-clinic.example")  # type: ignore[arg-type]
    assert edited.words() == "1 e-mail to them awaiting your approval now goes to j.whitaker@new-clinic.example"
    assert update.id is not None
    row = _row(demo_ctx, update.id)
    assert (row.recipient, row.approved_at, row.note) == ("j.whitaker@new-clinic.example", None, note)
    assert row.payload["draft_to"] == "j.whitaker@new-clinic.example", "the draft's own To, the e-mail's draft shows"
    cli_clock.set(max(cli_clock.now(), row.due_at.replace(tzinfo=cli_clock.now().tzinfo)) + timedelta(minutes=1))
    assert run_cli(capsys, "reminders", "approve", str(update.id), "--db", demo_ctx.db.url).code == 0
    sent = _daemon_once(capsys, monkeypatch, demo_ctx)
    assert ["j.whitaker@new-clinic.example"] in sent and [whitaker.email] not in sent, sent


def test_a_letter_request_approved_for_its_writer_follows_the_writer(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The letter request stores no address: its draft goes to the writer's (reminders.addressees), kept at approval."""
    rotation_id = _rotation_ahead(ctx)
    add_contact(ctx, "Dr. Sam Reyes (synthetic)", rotation_id=rotation_id, role="supervisor", email=OLD)
    writer = add_contact(ctx, "Dr. Ana Lima (synthetic)", rotation_id=rotation_id, role="attending",
                         email="ana.lima@old-hospital.example")
    assert writer.id is not None
    plan_letter_request(ctx, writer.id, rotation_id=rotation_id)
    draft = approve_draft(ctx, _reminder_of(ctx, rotation_id, "letter_request_open"))
    assert draft.recipient == "ana.lima@old-hospital.example" and draft.id is not None
    edited = run_cli(capsys, "contacts", "edit", str(writer.id), "--email", "ana.lima@new-hospital.example",
                     "--db", ctx.db.url)
    assert edited.out.endswith("; 1 approved e-mail to them needs your approval again: the address changed from "
                               "ana.lima@old-hospital.example to ana.lima@new-hospital.example\n"), edited.out
    assert _daemon_once(capsys, monkeypatch, ctx) == []
    assert run_cli(capsys, "reminders", "approve", str(draft.id), "--db", ctx.db.url).code == 0
    with SmtpServer() as server:
        _smtp(monkeypatch, server)
        assert run_cli(capsys, "daemon", "--once", "--db", ctx.db.url).code == 0
        (mail,) = server.received
        assert mail.rcpt_tos == ["ana.lima@new-hospital.example"]
        assert mail.message["To"] == "\"Dr. Ana Lima (synthetic)\" <ana.lima@new-hospital.example>", mail.message["To"]


def test_an_e_mail_a_daemon_is_sending_is_not_changed_under_it(ctx: Context) -> None:
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    now = ctx.clock.now()
    assert outbox.claim_due(ctx, "host|1|x", now) == [draft_id]
    edited = edit_contact(ctx, supervisor_id, email=NEW)
    assert edited.readdressed is not None and edited.readdressed.being_sent == (draft_id,)
    assert edited.words() == (f"1 e-mail to them is being sent to {OLD} right now, as you approved it before the "
                              f"change; if that try does not deliver it, it awaits your approval again, to {NEW}")
    row = _row(ctx, draft_id)
    assert (row.status, row.recipient, row.claimed_by, row.approved_at is not None) == (
        "sending", OLD, "host|1|x", True)
    assert outbox.mark_sent(ctx, draft_id, "host|1|x", now), "the daemon's claim still holds"
    assert _row(ctx, draft_id).recipient == OLD, "what was sent says where it went"


@pytest.mark.parametrize("outcome", ["retry", "failed", "unknown", "released"])
def test_a_try_that_did_not_deliver_follows_the_change(ctx: Context, cli_clock: FixedClock, outcome: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The e-mail a daemon was sending at the edit, not delivered by that try (the server said try later, refused,
    never confirmed; the daemon stopped before sending): its retry went to the old address. It now follows the
    change then: to NEW, awaiting approval again, and nothing reaches either address until it is approved."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    now = ctx.clock.now()
    assert outbox.claim_due(ctx, "host|1|x", now) == [draft_id]
    edit_contact(ctx, supervisor_id, email=NEW)
    assert _row(ctx, draft_id).recipient == OLD, "the try under way is left to the daemon"
    if outcome == "retry":
        assert outbox.mark_retry(ctx, draft_id, "host|1|x", now, "451 try again later") is not None
    elif outcome == "failed":
        assert outbox.mark_failed(ctx, draft_id, "host|1|x", now, "550 mailbox unavailable")
    elif outcome == "unknown":
        assert outbox.mark_unknown(ctx, draft_id, "host|1|x", now, "no reply after DATA") == "pending"
    else:
        assert outbox.release(ctx, [draft_id], "host|1|x", now) == 1
    row = _row(ctx, draft_id)
    assert (row.recipient, row.approved_at, row.note) == (NEW, None, AGAIN), (row.recipient, row.note)
    assert "address_changed_while_sending" not in row.payload, "followed once: a later try is an ordinary one"
    cli_clock.set(cli_clock.now() + timedelta(hours=2))  # past any backoff
    if row.status == "failed":
        assert run_cli(capsys, "reminders", "retry", str(draft_id), "--db", ctx.db.url).code == 0
    assert _daemon_once(capsys, monkeypatch, ctx) == [], "neither address gets it before it is approved again"
    assert run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url).code == 0
    assert _daemon_once(capsys, monkeypatch, ctx) == [[NEW]]


def test_a_claim_its_daemon_abandoned_is_given_back_at_the_edit(ctx: Context) -> None:
    """A daemon that died while sending leaves a claim whose lease runs out: nothing is under way, so the edit
    gives it back at once, to NEW and awaiting approval (another daemon would have taken it over, to OLD)."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    now = ctx.clock.now()
    assert outbox.claim_due(ctx, "host|1|dead", now, lease=timedelta(minutes=1)) == [draft_id]
    ctx.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    edited = edit_contact(ctx, supervisor_id, email=NEW)
    assert edited.readdressed is not None and edited.readdressed.approved_again == (draft_id,)
    row = _row(ctx, draft_id)
    assert (row.status, row.claimed_by, row.recipient, row.approved_at, row.note) == ("pending", "", NEW, None, AGAIN)


@pytest.mark.parametrize("in_doubt", [False, True], ids=["before-the-final-dot", "reply-late"])
def test_a_claim_abandoned_after_the_edit_follows_the_change_when_taken_over(
        ctx: Context, cli_clock: FixedClock, in_doubt: bool, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The daemon sending at the edit dies during that very try: when its lease runs out, the next daemon's poll
    (outbox.recover_claims) took the claim over and sent it to OLD. It now follows the change there, as a try that
    did not deliver it does: to NEW, awaiting approval again. With the reply late (the server had the whole message)
    it may have reached OLD: the row keeps saying so."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    now = ctx.clock.now()
    assert outbox.claim_due(ctx, "otherhost|4242|dead", now, lease=timedelta(minutes=1)) == [draft_id]
    edit_contact(ctx, supervisor_id, email=NEW)
    assert _row(ctx, draft_id).recipient == OLD, "the try under way is left to its daemon"
    if in_doubt:
        assert outbox.mark_in_doubt(ctx, draft_id, "otherhost|4242|dead", now)
    cli_clock.set(now + timedelta(minutes=5))  # the lease ran out: that daemon is gone
    assert _daemon_once(capsys, monkeypatch, ctx) == [], "neither address gets it before it is approved again"
    row = _row(ctx, draft_id)
    assert (row.status, row.claimed_by, row.recipient, row.approved_at, row.note) == ("pending", "", NEW, None, AGAIN)
    assert "address_changed_while_sending" not in row.payload
    assert ("may have arrived" in row.last_error) is in_doubt, row.last_error
    assert run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url).code == 0
    assert _daemon_once(capsys, monkeypatch, ctx) == [[NEW]]


def test_a_failed_e_mail_whose_address_changed_says_so_and_keeps_saying_it_after_a_retry(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An approved e-mail the old address's server refused (550), then the address corrected: `reminders list`
    showed the refusal alone, `reminders retry` said "pending again; ... a daemon would write it to your local
    mailbox" (no daemon touches it before it is approved), and the retry's note ("retry requested after: 550 ...")
    replaced the reason it waits. Each now says it waits for approval because the address changed."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    now = ctx.clock.now()
    assert outbox.claim_due(ctx, "host|1|x", now) == [draft_id]
    assert outbox.mark_failed(ctx, draft_id, "host|1|x", now, "550 mailbox unavailable")
    edit_contact(ctx, supervisor_id, email=NEW)
    listed = run_cli(capsys, "reminders", "list", "--db", ctx.db.url)
    (line,) = [x for x in listed.out.splitlines() if x.startswith(f"{draft_id} ")]
    assert line.rstrip().endswith(f"550 mailbox unavailable; {AGAIN}"), line
    retried = run_cli(capsys, "reminders", "retry", str(draft_id), "--db", ctx.db.url)
    assert retried.code == 0, retried.err
    assert retried.out.strip() == (f"reminder {draft_id} is pending again; it waits for your approval before any "
                                   f"daemon sends it (the address changed from {OLD} to {NEW})"), retried.out
    row = _row(ctx, draft_id)
    assert (row.status, row.recipient, row.approved_at) == ("pending", NEW, None)
    assert row.note == f"{AGAIN}; retry requested after: 550 mailbox unavailable", row.note
    assert _daemon_once(capsys, monkeypatch, ctx) == [], "not before it is approved"
    assert run_cli(capsys, "reminders", "approve", str(draft_id), "--db", ctx.db.url).code == 0
    assert _daemon_once(capsys, monkeypatch, ctx) == [[NEW]]


def test_an_address_another_contact_keeps_keeps_its_mail(ctx: Context) -> None:
    """A guard: a shared address (a department's mailbox) still belongs to someone in the contacts, as when a person
    sharing it is removed (reminders.mail_to_removed_contact)."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    add_contact(ctx, "Riverside office (synthetic)", email=OLD)
    assert edit_contact(ctx, supervisor_id, email=NEW).words() == ""
    row = _row(ctx, draft_id)
    assert (row.recipient, row.approved_at is not None) == (OLD, True)


async def test_the_app_s_person_form_says_it(demo_ctx: Context) -> None:
    whitaker = next(c for c in list_contacts(demo_ctx) if "Whitaker" in c.name)
    with demo_ctx.db.read() as session:
        (update_id,) = session.exec(select(Reminder.id).where(Reminder.recipient == whitaker.email)).all()
    approve_draft(demo_ctx, update_id)  # type: ignore[arg-type]
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        toasts = record_toasts(pilot.app)
        await press(pilot, "r", "enter")  # the first rotation, Brookside: Dr. Whitaker is its supervisor
        highlight_person(pilot, whitaker.id)  # type: ignore[arg-type]
        await press(pilot, "e")
        fill(pilot.app.screen, email="j.whitaker@new-clinic.example")
        await press(pilot, "ctrl+s")
        await settle(pilot)
    assert (f"Saved; 1 approved e-mail to them needs your approval again: the address changed from {whitaker.email} "
            "to j.whitaker@new-clinic.example") in toasts, toasts
    row = _row(demo_ctx, update_id)  # type: ignore[arg-type]
    assert (row.recipient, row.approved_at) == ("j.whitaker@new-clinic.example", None)


def test_a_draft_whose_approval_was_withdrawn_is_not_called_approved(
        ctx: Context, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An approved e-mail to a supervisor is labelled "Approved: Ask for feedback" everywhere (reminders.approved_label);
    once its approval is withdrawn by the address change the same label stood beside "to approve": the weekly digest
    said "Approved: Ask for feedback (...; approve it with ...)"."""
    supervisor_id, draft_id = _approved_feedback_request(ctx)
    edit_contact(ctx, supervisor_id, email=NEW)
    digest: list[str] = []
    assert _daemon_once(capsys, monkeypatch, ctx, digest) == []
    (text,) = digest
    assert (f"Draft: Ask for feedback: to approve (Internal Medicine, Riverside Clinic (synthetic); approve it with "
            f"`imgcoach reminders approve {draft_id}`)") in text, text
    assert "Approved:" not in text, text

    def label() -> str:
        listed = run_cli(capsys, "reminders", "list", "--json", "--db", ctx.db.url).json()
        return next(r["label"] for r in listed if r["id"] == draft_id)

    assert label() == "Draft: Ask for feedback"
    table = run_cli(capsys, "reminders", "list", "--db", ctx.db.url).out
    (line,) = [line for line in table.splitlines() if line.lstrip().startswith(f"{draft_id} ")]
    assert "Draft: Ask for feedback" in line and "Approved" not in line, line
    approve_draft(ctx, draft_id)
    assert label() == "Approved: Ask for feedback"
