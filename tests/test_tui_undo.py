"""ctrl+z in the app: the toast after a delete or a card move says how to undo it, u puts it back exactly and says
what came back, a second u says there is nothing to undo, and a change made elsewhere meanwhile is a clear
refusal that changes nothing. Pilot, keyboard only, on the demo data (both engines)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel
from sqlmodel import select as plan_select
from textual.widgets import OptionList

from imgcoach import plan
from imgcoach.core.context import Context
from imgcoach.storage.models import register_all
from imgcoach.tui.help import help_text, plain
from imgcoach.tui.widgets.dialogs import ConfirmScreen
from imgcoach.tui.widgets.items import ItemsScreen
from tests.tui_helpers import SIZE, app_for, fill, press

PLAN_TABLES = ("rotation", "rotation_contact", "contact", "letter_request", "case_note", "reminder", "study_block",
               "exam_result", "calendar_event", "coach_outreach", "coach_project", "coach_weekly_entry")


def dump(ctx: Context) -> dict[str, list[dict[str, Any]]]:
    out = {}
    with ctx.db.read() as session:
        for name in PLAN_TABLES:
            register_all()  # the models load lazily
            table = SQLModel.metadata.tables[name]
            out[name] = [dict(r) for r in session.execute(select(table).order_by(table.c.id)).mappings()]
    return out


def toasts(pilot: Any) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_delete_a_rotation_then_u_brings_it_back_and_a_second_u_has_nothing(demo_ctx: Context) -> None:
    rotation = plan.list_rotations(demo_ctx)[0]
    pending = plan.pending_reminders_of(demo_ctx, rotation.id)
    before = dump(demo_ctx)
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "r", "d")
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await press(pilot, "y")
        said = toasts(pilot)[-1]
        assert said.startswith(f"Deleted rotation ‘{rotation.specialty} ") and said.endswith(" — press ctrl+z to undo")
        assert f"cancelled {len(pending)} reminder" in said
        assert rotation.id not in {r.id for r in plan.list_rotations(demo_ctx)}
        await press(pilot, "ctrl+z")
        back = toasts(pilot)[-1]
        assert back.startswith(f"Rotation ‘{rotation.specialty} ") and " is back with " in back
        assert f"; {len(pending)} reminder{' is' if len(pending) == 1 else 's are'} pending again" in back
        assert dump(demo_ctx) == before, "every row back: ids, versions, links, reminders"
        assert rotation.id in pilot.app.screen.rotations  # type: ignore[attr-defined]
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Nothing to undo")
        assert dump(demo_ctx) == before


async def test_move_a_letter_card_then_u_restores_its_status_and_reminders(demo_ctx: Context) -> None:
    letter = next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.status == "planned")
    before = dump(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        pilot.app.screen.focus_letter = letter.id  # type: ignore[attr-defined]
        await press(pilot, "right_square_bracket")
        moved = next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.id == letter.id)
        assert moved.status != "planned"
        assert toasts(pilot)[-1].endswith(("reminder stopped — press ctrl+z to undo", "reminders stopped — press ctrl+z to undo"))
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Undone: the letter card of "), toasts(pilot)
        # the demo's ask reminder was overdue before the move (no daemon ran): it comes back as it was, and is
        # said to go out marked late; nothing became late because of the move and its undo
        assert "(1 was already overdue before the change: the daemon sends it marked late)" in toasts(pilot)[-1]
        after = dump(demo_ctx)
        assert after == before, [(a, b) for a, b in zip(before["reminder"], after["reminder"], strict=True) if a != b]


async def test_u_in_the_people_dialog_brings_a_deleted_person_back(demo_ctx: Context) -> None:
    rotation = plan.list_rotations(demo_ctx)[1]
    nair = next(c for c in plan.list_contacts(demo_ctx) if "Nair" in c.name)
    before = dump(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "down", "enter")
        items = pilot.app.screen
        assert isinstance(items, ItemsScreen)
        items.query_one(OptionList).highlighted = next(
            i for i, item in enumerate(items.items) if item.kind == "supervisor" and item.ref == nair.id)
        await press(pilot, "d", "y")
        assert toasts(pilot)[-1] == ("Deleted Dr. Priya Nair (fictional) with 1 letter request and 1 link to a rotation "
                                     "— press ctrl+z to undo")
        assert all(item.ref != nair.id for item in items.items if item.kind == "supervisor")
        await press(pilot, "ctrl+z")
        assert pilot.app.screen is items
        assert any(item.ref == nair.id for item in items.items if item.kind == "supervisor"), "the list refreshed"
        assert toasts(pilot)[-1].startswith("Dr. Priya Nair (fictional) is back with ")
    assert dump(demo_ctx) == before
    assert rotation.id in {r.id for r in plan.list_rotations(demo_ctx)}


async def test_an_edit_elsewhere_meanwhile_makes_u_refuse_and_lose_nothing(demo_ctx: Context) -> None:
    rotation = plan.list_rotations(demo_ctx)[0]
    letter = next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.rotation_id == rotation.id)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "d", "y")
        # another process (the CLI) writes a note on the letter the delete left without its rotation
        plan.edit_letter(demo_ctx, letter.id, writer_id=letter.writer_id, rotation_id=None, due_on=None,
                         notes="asked in person")
        meanwhile = dump(demo_ctx)
        await press(pilot, "ctrl+z")
        last = pilot.app._notifications
        refusal = list(last)[-1]
        assert refusal.title == "Not undone" and refusal.severity == "error"
        assert "was changed since; nothing was changed" in str(refusal.message)
        assert dump(demo_ctx) == meanwhile
        await press(pilot, "ctrl+z")
        assert toasts(pilot)[-1].startswith("Nothing to undo"), "a refused undo leaves the stack"
    assert next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.id == letter.id).notes == "asked in person"


async def test_study_block_and_exam_deletes_say_u_and_come_back(demo_ctx: Context) -> None:
    before = dump(demo_ctx)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "d", "y")
        assert toasts(pilot)[-1].startswith("Deleted the ") and toasts(pilot)[-1].endswith("press ctrl+z to undo")
        assert len(plan.list_study_blocks(demo_ctx)) == len(before["study_block"]) - 1
        await press(pilot, "ctrl+z")
        assert " study block " in toasts(pilot)[-1] and toasts(pilot)[-1].endswith(" is back")
    assert dump(demo_ctx) == before


async def test_help_and_palette_offer_undo_while_there_is_something_to_undo(demo_ctx: Context) -> None:
    from imgcoach.tui.commands import planner_commands

    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        assert "ctrl+z" not in plain(help_text(app.screen), width=120)
        assert not any(c.title == "Undo" for c in planner_commands(app, app.screen))
        await press(pilot, "d", "y")
        assert re.search(r"^ +ctrl\+z +undo the last delete or letter-card move", plain(help_text(app.screen), width=120),
                         re.M)
        assert any(c.title == "Undo" and "key ctrl+z" in c.help for c in planner_commands(app, app.screen))


async def test_delete_add_the_same_days_then_undo_refuses_or_says_the_overlap(ctx: Context) -> None:
    """Delete the only rotation, add another on the same days in the form, press ctrl+z: the new rotation has a
    new id (SQLite gave it the deleted one before migration 0008, and the undo was refused), so the rotation
    comes back and the toast says the two overlap. Never a silent duplicate."""
    from textual.widgets import Input

    from imgcoach.tui.widgets.form import FormScreen

    old = plan.add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Mercy Hospital",
                            start_date=date(2027, 1, 4), end_date=date(2027, 1, 29))
    async with app_for(ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "r", "d", "y")
        await press(pilot, "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-specialty", Input).focus()
        await pilot.press(*"Internal Medicine")
        fill(form, institution="Lakeview Clinic", start_date="2027-01-04", end_date="2027-01-29")
        await press(pilot, "ctrl+s")
        (new,) = plan.list_rotations(ctx)
        assert new.id != old.id
        await press(pilot, "ctrl+z")
        last = list(pilot.app._notifications)[-1]
        assert last.title == "Undone" and last.severity == "warning"
        assert "note: " in str(last.message) and "overlaps full-time" in str(last.message)
        assert {r.id for r in plan.list_rotations(ctx)} == {old.id, new.id}


async def test_undo_after_the_daemon_sent_a_reminder_and_another_came_due(ctx: Context, clock: Any) -> None:
    """A card moved back to planned brings the ask reminders back; the daemon sends the first; later the undo
    puts the card back, leaves the sent one as history and says so."""
    from datetime import timedelta

    from imgcoach.reminders import outbox

    rotation = plan.add_rotation(ctx, kind="observership", specialty="Cardiology", institution="Mercy Hospital",
                                 start_date=date(2026, 11, 16), end_date=date(2026, 12, 18))
    assert rotation.id is not None
    writer = plan.add_contact(ctx, "Dr. Ada Obi", rotation_id=rotation.id)
    assert writer.id is not None
    letter = plan.add_letter_request(ctx, writer.id, rotation_id=rotation.id, status="requested")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        pilot.app.screen.focus_letter = letter.id  # type: ignore[attr-defined]
        await press(pilot, "left_square_bracket")
        assert toasts(pilot)[-1].endswith("is now planned: 2 reminders back on — press ctrl+z to undo")
        asks = sorted((r for r in plan.rotation_detail(ctx, rotation.id).reminders
                       if r.kind.startswith("letter_request") and r.status == "pending"), key=lambda r: r.due_at)
        clock.set(max(asks[0].due_at, clock.now()) + timedelta(minutes=1))
        for rid in outbox.claim_due(ctx, "daemon-1", clock.now()):
            assert outbox.mark_sent(ctx, rid, "daemon-1", clock.now())
        await press(pilot, "ctrl+z")
        last = list(pilot.app._notifications)[-1]
        assert last.title == "Undone" and last.severity == "warning"
        assert "1 reminder was sent or changed meanwhile and stays as it is (Ask for a letter: sent)" in str(last.message)
    statuses = {r.id: r.status for r in plan.rotation_detail(ctx, rotation.id).reminders}
    assert statuses[asks[0].id] == "sent" and statuses[asks[1].id] == "cancelled"
    assert plan.list_letters(ctx)[0][0].status == "requested"


async def test_a_card_move_counts_the_failed_and_unconfirmed_reminders_it_stopped(demo_ctx: Context) -> None:
    """A requested letter cancels its rotation's failed and unconfirmed ask reminders too, but the toast counted
    only pending ones: "reminders unchanged" when it had stopped two."""
    from sqlmodel import col

    from imgcoach.reminders.rules import LETTER_KINDS
    from imgcoach.storage.models import Reminder

    letter = next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.status == "planned")
    with demo_ctx.db.transaction(demo_ctx.applicant_id) as session:
        rows = session.exec(plan_select(Reminder).where(Reminder.rotation_id == letter.rotation_id,
                                                        col(Reminder.kind).in_(LETTER_KINDS))).all()
        live = [r for r in rows if r.status == "pending"]
        assert len(live) == 2  # the window opens, the last call
        for row, status in zip(live, ("failed", "unconfirmed"), strict=True):  # as the daemon leaves them
            row.status = status
            session.add(row)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        pilot.app.screen.focus_letter = letter.id  # type: ignore[attr-defined]
        await press(pilot, "right_square_bracket")
        with demo_ctx.db.read() as session:
            stopped = [r for r in session.exec(plan_select(Reminder).where(
                Reminder.rotation_id == letter.rotation_id, col(Reminder.kind).in_(LETTER_KINDS))).all()
                       if r.status == "cancelled"]
        assert len(stopped) == 2
        said = toasts(pilot)[-1]
        assert said.endswith(": 2 reminders stopped — press ctrl+z to undo"), said
