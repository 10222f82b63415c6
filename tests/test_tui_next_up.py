"""Issue 15, the timeline's "Next up": it grows with the window, is a Tab stop with ↑↓ between items, and
Enter opens an item the way its own screen does (a reminder's e-mail, a letter's request, an exam's form)."""

from __future__ import annotations

import pytest

from imgcoach.core.context import Context
from imgcoach.tui.screens.timeline_screen import NextUpList
from imgcoach.tui.widgets.timeline import TimelineView
from tests.tui_helpers import app_for, press, settle


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_next_up_grows_with_the_window_and_the_grid_keeps_its_room(demo_ctx: Context,
                                                                         size: tuple[int, int]) -> None:
    async with app_for(demo_ctx).run_test(size=size) as pilot:
        await settle(pilot)
        panel = pilot.app.screen.query_one("#side-panel")
        grid = pilot.app.screen.query_one(TimelineView)
        width = size[0]
        if width == 80:
            assert panel.outer_size.width == 30 and grid.size.width >= 80 - 34, "at 80 columns the grid keeps its room"
        if width >= 200:
            assert panel.outer_size.width >= 50, "at 200 columns Next up uses the width"
        listing = pilot.app.screen.query_one(NextUpList)
        shown = [listing.render_line(y).text for y in range(listing.size.height)]
        words = " ".join(" ".join(shown).split())
        assert "Brookside University Hospital (fictional)" in words, "a wrapped line is whole, not cut"
        assert all(line[:7].strip() == "" or line[0] in "0123!" for line in shown), "wrapped lines keep their indent"
        if width >= 200:
            assert any("Brookside University" in line for line in shown) and not any("…" in line for line in shown)
        if width == 120:
            assert panel.outer_size.width > 30


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_tab_reaches_next_up_and_enter_opens_a_reminders_email(demo_ctx: Context, size: tuple[int, int]) -> None:
    from imgcoach.tui.widgets.draft import DraftScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "tab")
        listing = app.screen.query_one(NextUpList)
        assert app.screen.focused is listing, app.screen.focused
        assert any(b.key == "enter" and b.description == "Open" for b in listing._bindings.key_to_bindings["enter"])
        first = listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id)
        assert first is not None and first.kind == "notice", "the demo starts with reminders not sent"
        await press(pilot, "down")
        item = listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id)
        assert item is not None and item.kind == "reminder", item
        await press(pilot, "enter")
        assert isinstance(app.screen, DraftScreen), type(app.screen).__name__
        assert app.screen.title_text == f"E-mail: {item.what}"
        assert app.screen.draft.subject and app.screen.draft.body
        await press(pilot, "escape")
        assert app.screen.focused is listing


async def test_enter_on_the_notice_goes_to_the_outbox(demo_ctx: Context) -> None:
    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "tab", "enter")
        assert app.current_mode == "outbox"


async def test_enter_on_a_letter_or_an_exam_opens_what_its_own_screen_opens(demo_ctx: Context) -> None:
    from imgcoach.tui.widgets.draft import DraftScreen
    from imgcoach.tui.widgets.form import FormScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(NextUpList)
        kinds = [item.kind for item in listing.items]
        assert "letter" in kinds and "exam" in kinds, kinds
        await press(pilot, "tab")
        for kind, opened in (("letter", DraftScreen), ("exam", FormScreen)):
            await press(pilot, "escape") if app.current_mode != "timeline" else None
            while listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id).kind != kind:  # type: ignore[union-attr]
                await press(pilot, "down")
            item = listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id)
            await press(pilot, "enter")
            assert isinstance(app.screen, opened), (kind, type(app.screen).__name__)
            if kind == "letter":
                assert app.screen.title_text.startswith("Letter request e-mail")
                await press(pilot, "escape")
            else:
                assert item is not None and item.what.removeprefix("Exam: ") in app.screen.form_title  # type: ignore[attr-defined]
                await press(pilot, "escape")
                assert app.current_mode == "profile"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_study_block_starting_soon_is_in_next_up_and_enter_shows_its_details(demo_ctx: Context,
                                                                                      size: tuple[int, int]) -> None:
    """The demo's Step 3 block starts in five days: Next up did not say so. It is a dated line with its exam and
    hours per week, and Enter on it shows the details Enter on its bar shows (tui.details, one writer)."""
    from imgcoach.plan import list_study_blocks
    from imgcoach.tui import dates
    from imgcoach.tui.details import bar_details
    from imgcoach.tui.widgets.dialogs import TextScreen

    today = demo_ctx.clock.now().date()
    block = min((b for b in list_study_blocks(demo_ctx) if b.start_date >= today), key=lambda b: b.start_date)
    app = app_for(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        listing = app.screen.query_one(NextUpList)
        studies = [item for item in listing.items if item.kind == "study"]
        assert studies and studies[0].ref == block.id and studies[0].day == block.start_date, listing.items
        assert studies[0].detail == f"{block.hours_per_week} h/week"
        assert f"{dates.day_in_year(block.start_date)} Study: {block.exam} {block.hours_per_week} h/week" in " ".join(
            listing.text().split())
        days = [item.day for item in listing.items if item.day is not None]
        assert days == sorted(days), "by day, as every other item"
        await press(pilot, "tab")
        while listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id) != studies[0]:
            await press(pilot, "down")
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen), type(app.screen).__name__
        title, text = bar_details(demo_ctx, "study", block.id)
        assert app.screen.title_text == title
        assert app.screen.text.plain.split() == text.plain.split()  # type: ignore[attr-defined]
        await press(pilot, "escape")
        assert app.screen.focused is listing


@pytest.mark.parametrize("key", ["x", "A"])
async def test_enter_on_a_reminder_offers_the_outboxs_actions(demo_ctx: Context, key: str) -> None:
    """Enter on a Next-up reminder showed its e-mail only: approving or cancelling it meant going to the Outbox. The
    dialog offers the keys the Outbox offers for it (reminders.offered_actions: a pending reminder has no retry), and
    each asks the Outbox's question and calls its use case."""
    from imgcoach.reminders import AWAITING_WORDS, list_reminders, outbox_view
    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from imgcoach.tui.widgets.draft import DraftScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "tab")
        listing = app.screen.query_one(NextUpList)
        timeline = app.screen
        while (item := listing.chosen(listing.get_option_at_index(listing.highlighted or 0).id)) is None \
                or item.kind != "reminder":
            await press(pilot, "down")
        assert item.ref is not None
        awaiting = outbox_view(demo_ctx, "pending").awaiting
        assert item.ref in awaiting, "the demo's first Next-up reminder has a message to approve"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen), type(app.screen).__name__
        keys = {k: b.binding.description for k, b in app.screen.active_bindings.items()}
        assert keys.get("A") == "Approve" and keys.get("x") == "Cancel reminder" and "R" not in keys, keys
        await press(pilot, "R")
        assert isinstance(app.screen, DraftScreen), "R is not offered on a pending reminder: it does nothing"
        await press(pilot, key)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), type(app.screen).__name__
        assert item.what.removesuffix(f": {AWAITING_WORDS}") in str(app.screen.message)  # the label, as the Outbox's
        # Just read in the dialog, and the timeline has no v for a reminder: the question said "read it first with v".
        assert "with v" not in str(app.screen.message), app.screen.message
        await press(pilot, "y")
        await settle(pilot)
        assert app.screen is timeline
        assert [n.message for n in app._notifications if n.severity == "error"] == []
    rows = list_reminders(demo_ctx)
    if key == "x":
        assert next(r for r in rows if r.id == item.ref).status == "cancelled"
        assert item.ref not in [i.ref for i in listing.items if i.kind == "reminder"], "the reload drops it"
    else:  # approve_draft ran: the row approved (a message to someone else) or its supervisor draft queued
        row = next(r for r in rows if r.id == item.ref)
        drafts = [r.status for r in rows if (r.payload or {}).get("draft_of") == item.ref]
        assert row.approved_at is not None if row.requires_approval else drafts == ["pending"], (row, drafts)
        assert item.ref not in outbox_view(demo_ctx).awaiting, "nothing left to approve on it"


async def test_the_outboxs_enter_dialog_offers_its_keys_too(demo_ctx: Context) -> None:
    """The same dialog from the Outbox's Enter: the keys the Outbox offers on the row, x asks its question."""
    from imgcoach.reminders import list_reminders
    from imgcoach.tui.screens.outbox_screen import OutboxScreen
    from imgcoach.tui.widgets.dialogs import ConfirmScreen
    from imgcoach.tui.widgets.draft import DraftScreen

    app = app_for(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "o")
        await settle(pilot)
        outbox = app.screen
        assert isinstance(outbox, OutboxScreen)
        first = outbox.selected_id()
        assert first is not None
        offered = outbox.offered(outbox.reminders[first])
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.action.startswith("reminder(")}
        assert shown == {f"reminder('{name}')" for name in offered} and "cancel" in offered, (shown, offered)
        await press(pilot, "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.title_text == "Cancel reminder"
        await press(pilot, "y")
        await settle(pilot)
        assert app.screen is outbox
    assert next(r for r in list_reminders(demo_ctx) if r.id == first).status == "cancelled"
