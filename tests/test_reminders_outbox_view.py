"""The Outbox's load (issue 17): one read transaction for everything it shows (`reminders.outbox_view`), and `a`
offered exactly where `approve_draft` approves: one rule (`reminders.approval_refusal`) for both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, insert, select

from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.reminders import approve_draft, count_reminders, list_reminders
from imgcoach.storage.models import Reminder
from imgcoach.tui.screens.outbox_screen import FILTERS, OutboxScreen
from tests.daemon_helpers import add_supervised_rotation
from tests.tui_helpers import app_for, press, settle


class Begins:
    """The transactions begun on a database's engine (SQLAlchemy's "begin" event), while in the `with`."""

    def __init__(self, ctx: Context) -> None:
        self.engine, self.count = ctx.db.engine, 0

    def _begun(self, conn: Any) -> None:
        self.count += 1

    def __enter__(self) -> Begins:
        event.listen(self.engine, "begin", self._begun)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "begin", self._begun)


async def test_the_outbox_reads_what_it_shows_in_one_transaction(demo_ctx: Context) -> None:
    """Its load made seven calls, each its own transaction (the profile, the rows, the counts, the rotations, the
    daemon, the supervisors' addresses, the queued drafts): a write between two showed counts that disagree with
    the rows, and each cost a BEGIN on a first visit. What it reads is what the separate reads give."""
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        for shown in FILTERS:
            screen.filter = shown
            with Begins(demo_ctx) as begins:
                data = screen.fetch(demo_ctx)
            assert begins.count == 1, (shown, begins.count)
            assert [r.id for r in data.reminders] == [r.id for r in list_reminders(demo_ctx, None if shown == "all"
                                                                                   else shown)]
            assert data.counts == count_reminders(demo_ctx)
        assert screen.filter == "all" and data.reminders, "the demo has reminders"
        screen.show(data)
        await settle(pilot)
        assert set(screen.reminders) == {r.id for r in data.reminders}


def _rows(ctx: Context, cases: dict[str, dict[str, Any]]) -> dict[str, int]:
    now = ctx.clock.now()
    base = dict(applicant_id=1, kind="thank_you", template_key="thank_you", recipient="applicant@example.com",
                due_at=now + timedelta(days=1), expires_at=now + timedelta(days=30), status="pending", attempts=0,
                last_error="", claimed_by="", late=False, note="", payload={}, requires_approval=False,
                created_at=now, updated_at=now)
    rows = [{**base, "key": f"case:{name}", "message_id": f"<case.{n}@imgcoach.test>",
             "calendar_uid": f"case-{n}@imgcoach", **values} for n, (name, values) in enumerate(cases.items())]
    with ctx.db.transaction() as session:
        session.execute(insert(Reminder), rows)
    with ctx.db.read() as session:
        ids = dict(session.execute(select(Reminder.key, Reminder.id).where(Reminder.key.like("case:%"))).all())
    return {name: ids[f"case:{name}"] for name in cases}


async def test_a_is_offered_exactly_where_approve_draft_approves(ctx: Context) -> None:
    """The Outbox's offer repeated the approval's conditions and had drifted: a supervisor draft with no address
    was offered and the yes ended in an error, and a rotation reminder already sent, whose e-mail says "approve it
    with `imgcoach reminders approve N`", was not offered. Each case: offered under "all" iff the approval works."""
    from imgcoach.plan import add_rotation

    supervised = add_supervised_rotation(ctx)
    unaddressed = add_rotation(ctx, kind="observership", specialty="Pediatrics", institution="Nowhere (synthetic)",
                               start_date=ctx.clock.now().date(), end_date=ctx.clock.now().date() + timedelta(days=20))
    now = ctx.clock.now()
    gated = dict(requires_approval=True, kind="progress_update", template_key="progress_update",
                 recipient="jane.okafor@hospital.example")
    rotation = dict(rotation_id=supervised)
    cases: dict[str, dict[str, Any]] = {
        "draft waiting": gated,
        "draft approved": {**gated, "approved_at": now - timedelta(hours=1)},
        "draft sent": {**gated, "status": "sent"},
        "draft failed": {**gated, "status": "failed"},
        "draft expired": {**gated, "expires_at": now - timedelta(minutes=1)},
        "draft without recipient": {**gated, "recipient": ""},
        "draft to no address": {**gated, "recipient": "Dr. Okafor"},
        "pending": rotation,
        "failed": {**rotation, "status": "failed"},
        "sent": {**rotation, "status": "sent"},
        "missed": {**rotation, "status": "missed"},
        "draft queued": rotation,
        "draft queued:draft": {**gated, **rotation, "approved_at": now},
        "draft given up": rotation,
        "draft given up:draft": {**gated, **rotation, "status": "cancelled"},
        "no supervisor address": {"rotation_id": unaddressed.id},
        "no rotation": {},
        "the applicant's own kind": {**rotation, "kind": "study_block_start"},
    }
    ids = _rows(ctx, cases)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "o")
        screen = pilot.app.screen
        assert isinstance(screen, OutboxScreen)
        while screen.filter != "all":
            await press(pilot, "F")
        await settle(pilot)
        assert set(ids.values()) <= set(screen.reminders)
        offered = {name: screen.can_approve(screen.reminders[rid]) for name, rid in ids.items()}
    approved: dict[str, bool | str] = {}
    for name, rid in ids.items():
        try:
            approve_draft(ctx, rid)
            approved[name] = True
        except UserError as exc:
            approved[name] = str(exc)
    disagree = {name: (offered[name], approved[name]) for name in ids if offered[name] != (approved[name] is True)}
    assert not disagree, disagree
    assert offered["draft waiting"] and offered["pending"] and offered["sent"] and offered["draft given up"]
    assert not offered["draft without recipient"] and not offered["draft queued"] and not offered["no rotation"]
