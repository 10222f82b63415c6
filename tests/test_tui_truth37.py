"""What the app shows stays true through a person's sequences: a time zone changed on the Profile screen is
the zone every later screen reads in, the Import preview too. Pilot, keyboard only, real database files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select
from textual.widgets import DataTable, Static

from imgcoach.core.context import Context
from imgcoach.storage.models import CalendarEvent
from tests.tui_helpers import app_for, fill, press, preview_import

# One event at a UTC moment, one at a floating time (read in the applicant's zone).
TWO_EVENTS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//imgcoach tests//EN\r
BEGIN:VEVENT\r
UID:utc-call@tests\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261210T150000Z\r
DTEND:20261210T160000Z\r
SUMMARY:Call with the program coordinator\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:floating@tests\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261211T090000\r
DTEND:20261211T100000\r
SUMMARY:Floating meeting\r
END:VEVENT\r
END:VCALENDAR\r
"""



async def preview(pilot: Any, path: Path) -> Any:
    """The Import screen (i) with `path` typed and previewed (Enter): the screen."""
    return await preview_import(pilot, path)

async def test_the_import_preview_follows_a_time_zone_changed_on_the_profile(demo_ctx: Context,
                                                                             tmp_path: Path) -> None:
    """Preview a file, change the profile's zone (p, e), come back: the preview still said "Times in
    America/New_York" with New York's times under "When (your time)", and ctrl+s imported the floating time
    as read in New York (14:00 UTC) though the profile now said Tokyo."""
    path = tmp_path / "schedule.ics"
    path.write_bytes(TWO_EVENTS.encode())
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        screen = await preview(pilot, path)
        table = screen.query_one(DataTable)
        assert "Times in America/New_York." in str(screen.query_one("#import-summary", Static).render())
        assert [str(table.get_row_at(i)[0]) for i in range(2)] == ["10 Dec 2026 10:00", "11 Dec 2026 09:00"]
        await press(pilot, "escape", "p", "e")
        fill(pilot.app.screen, timezone="Asia/Tokyo")
        await press(pilot, "ctrl+s", "i")
        assert pilot.app.screen is screen
        assert "Times in Asia/Tokyo." in str(screen.query_one("#import-summary", Static).render())
        assert [str(table.get_row_at(i)[0]) for i in range(2)] == ["11 Dec 2026 00:00", "11 Dec 2026 09:00"]
        assert "Your time zone is now Asia/Tokyo" in str(screen.query_one("#import-notes", Static).render())
        table.focus()
        await press(pilot, "ctrl+s")
    with demo_ctx.db.read() as session:
        floating = session.exec(select(CalendarEvent).where(CalendarEvent.uid == "floating@tests")).one()
    assert floating.start_at == datetime(2026, 12, 11, 0, 0, tzinfo=UTC), "09:00 in Tokyo"


async def test_saving_a_rotation_deleted_elsewhere_says_so_and_writes_nothing(demo_ctx: Context) -> None:
    """Edit a rotation while the CLI deletes it: the form said only "no rotation with id 1", as if the id had
    been mistyped; it now says the rotation was deleted elsewhere after the form opened, and nothing is saved."""
    from imgcoach import plan
    from imgcoach.core.settings import Settings
    from imgcoach.storage.db import Database
    from imgcoach.tui.widgets.form import FormScreen

    other_db = Database(demo_ctx.db.url)  # another process: its own engine and connections
    other = Context(db=other_db, clock=demo_ctx.clock, settings=Settings())
    try:
        async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
            await press(pilot, "r", "e")
            form = pilot.app.screen
            assert isinstance(form, FormScreen) and form.loaded is not None
            rotation_id = form.loaded["id"]
            fill(form, hours_per_week="20")
            plan.delete_with_undo(other, "rotation", rotation_id)
            left = {r.id for r in plan.list_rotations(other)}
            await press(pilot, "ctrl+s")
            assert pilot.app.screen is form, "the form stays open with the edits"
            said = str(form.query_one("#form-error", Static).render())
            assert said.startswith("Not saved: it was deleted elsewhere (another window or the CLI) after this "
                                   f"form opened it (no rotation with id {rotation_id} now)."), said
            assert {r.id for r in plan.list_rotations(demo_ctx)} == left
            await press(pilot, "escape")
            assert str(rotation_id) not in pilot.app.screen.query_one(DataTable).rows
    finally:
        other_db.close()


async def test_undoing_an_import_says_what_it_undid(demo_ctx: Context) -> None:
    """ctrl+z on the Import screen toasted only "Undid the import of FILE": not that the rotation it had made went
    with it. The toast now gives the counts `imgcoach import --undo` prints, and the Outbox drops that rotation's
    reminders at once."""
    from imgcoach import plan
    from imgcoach.calendar import apply_import

    data = Path(__file__).parent / "data" / "ics" / "allday_multiday.ics"
    before = {r.id for r in plan.list_rotations(demo_ctx)}
    apply_import(demo_ctx, data, kinds={"allday-1@test": "rotation"})
    (made,) = [r for r in plan.list_rotations(demo_ctx) if r.id not in before]
    reminders = {r.id for r in plan.pending_reminders_of(demo_ctx, made.id)}
    assert reminders, "the rotation the import made has its reminders"
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "o")
        outbox = pilot.app.screen
        assert reminders <= set(outbox.reminders)  # type: ignore[attr-defined]
        await press(pilot, "i", "ctrl+z", "y")
        said = [str(n.message) for n in pilot.app._notifications][-1]
        assert said == "Undid the import of allday_multiday.ics (2 created, 0 updated, 0 removed; removed 1 rotation)", said
        await press(pilot, "o")
        assert not reminders & set(outbox.reminders)  # type: ignore[attr-defined]
    assert {r.id for r in plan.list_rotations(demo_ctx)} == before


async def test_enter_on_the_timeline_shows_a_bar_before_any_is_picked(demo_ctx: Context) -> None:
    """The footer offers "⏎ Details" as the app opens, but Enter did nothing until ↓ had picked a bar. It now picks
    the first bar in view (as ↓ does) and shows its details, whose dates are the bar's."""
    from imgcoach.tui import dates
    from imgcoach.tui.widgets.dialogs import TextScreen
    from imgcoach.tui.widgets.timeline import TimelineView

    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "t")
        view = pilot.app.screen.query_one(TimelineView)
        assert view.selected is None
        footer = {b.binding.key: b.binding.description for b in pilot.app.screen.active_bindings.values()}
        assert footer["enter"] == "Details"
        await press(pilot, "enter")
        dialog = pilot.app.screen
        assert isinstance(dialog, TextScreen), "Enter showed nothing"
        bar = view.selected
        assert bar is not None
        shown = " ".join(dialog.text.plain.split())
        assert dates.day_range(bar.start, bar.end) in shown or dates.day(bar.start) in shown, shown


async def test_an_approval_refused_because_of_a_change_elsewhere_shows_the_change(demo_ctx: Context) -> None:
    """The CLI cancels the progress update while the Outbox's approve question is open; "y" is refused
    ("reminder 18 is cancelled ..."), but the row went on saying "to approve" and the filter bar counted it as
    pending, so a second a asked to approve it again. The screen now reloads after a refusal."""
    from imgcoach.core.settings import Settings
    from imgcoach.reminders.sync import cancel_reminder
    from imgcoach.storage.db import Database
    from imgcoach.tui.widgets.dialogs import ConfirmScreen

    other_db = Database(demo_ctx.db.url)
    other = Context(db=other_db, clock=demo_ctx.clock, settings=Settings())
    try:
        async with app_for(demo_ctx).run_test(size=(100, 32)) as pilot:
            await press(pilot, "o")
            screen = pilot.app.screen
            ids = list(screen.reminders)  # type: ignore[attr-defined]
            kinds = [screen.reminders[rid].kind for rid in ids]  # type: ignore[attr-defined]
            update = ids[kinds.index("progress_update")]
            await press(pilot, *["down"] * kinds.index("progress_update"), "A")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            cancel_reminder(other, update)
            await press(pilot, "y")
            said = [str(n.message) for n in pilot.app._notifications][-1]
            assert said.startswith(f"reminder {update} is cancelled"), said
            assert pilot.app.screen is screen
            shown = screen.reminders.get(update)  # type: ignore[attr-defined]
            assert shown is None or shown.status == "cancelled", "the row still said it waits for approval"
            bar = str(screen.query_one("#outbox-filters", Static).render())
            # Lakeview's feedback, asked: not sent; Brookside's three, entered months after it ended: not planned
            assert " pending 12 " in bar and "9 cancelled" in bar, bar
    finally:
        other_db.close()


async def test_the_profile_offers_scroll_keys_only_when_its_text_runs_past_the_pane(demo_ctx: Context) -> None:
    """The Profile's pane has the focus as the screen opens; the footer said "↑ ↓ Scroll" at 80x24 and 120x40
    where the demo profile fits, and ↓ moved nothing. The keys are offered once the text is longer than the pane
    (and the footer shows the keys as they are once the pane is laid out, not as they were before)."""
    from imgcoach import plan
    from imgcoach.tui.widgets.detail_pane import DetailPane

    def offered(pilot: Any) -> set[str]:
        """The keys the footer shows (its widgets, not the bindings it was built from)."""
        from textual.widgets._footer import FooterKey

        return {key.key for key in pilot.app.screen.query(FooterKey)}

    # At 120x40 the demo profile fits (at 80x24 it runs a line past since the profile shows its budget).
    async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "p")
        pane = pilot.app.screen.query_one(DetailPane)
        assert pane.has_focus and pane.max_scroll_y == 0
        assert not {"up", "down"} & offered(pilot)
    for year in range(2015, 2025):  # a long exam history runs past 80x24
        plan.add_exam(demo_ctx, "OET", date(year, 1, 10), result="fail")
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "p")
        pane = pilot.app.screen.query_one(DetailPane)
        assert pane.has_focus and pane.max_scroll_y > 0
        assert {"up", "down"} <= offered(pilot)
        await press(pilot, "down")
        assert pane.scroll_y > 0


async def test_an_import_whose_zone_changed_elsewhere_since_the_preview_is_refused(demo_ctx: Context,
                                                                                   tmp_path: Path) -> None:
    """The CLI changes the zone while the preview is on screen: ctrl+s imported the floating time as read in the
    old zone. It is now refused with both zones named, nothing is written, and the preview is read again."""
    from imgcoach.core.settings import Settings
    from imgcoach.plan import set_profile
    from imgcoach.storage.db import Database, table_counts

    path = tmp_path / "schedule.ics"
    path.write_bytes(TWO_EVENTS.encode())
    other_db = Database(demo_ctx.db.url)
    try:
        async with app_for(demo_ctx).run_test(size=(120, 40)) as pilot:
            screen = await preview(pilot, path)
            set_profile(Context(db=other_db, clock=demo_ctx.clock, settings=Settings()), timezone="Asia/Tokyo")
            before = table_counts(demo_ctx.db)["calendar_event"]
            screen.query_one(DataTable).focus()
            await press(pilot, "ctrl+s")
            said = [str(n.message) for n in pilot.app._notifications][-1]
            assert said.startswith("Nothing imported: your time zone is now Asia/Tokyo, not America/New_York"), said
            assert table_counts(demo_ctx.db)["calendar_event"] == before
            assert "Times in Asia/Tokyo." in str(screen.query_one("#import-summary", Static).render())
    finally:
        other_db.close()


async def test_undoing_a_card_move_names_the_column_the_card_is_back_in(demo_ctx: Context) -> None:
    """ctrl+z after moving a letter card said "the letter card of Dr. X is back where it was": which column, the
    reader had to find on the board. The toast names it, and the Outbox has the card's reminders back at once."""
    from imgcoach import plan

    letter = next(lt for lt, _, _ in plan.list_letters(demo_ctx) if lt.status == "planned")
    pending = {r.id for r in plan.pending_reminders_of(demo_ctx, letter.rotation_id)}
    async with app_for(demo_ctx).run_test(size=(80, 24)) as pilot:
        await press(pilot, "l")
        pilot.app.screen.focus_letter = letter.id  # type: ignore[attr-defined]
        await press(pilot, "right_square_bracket", "o")
        outbox = pilot.app.screen
        assert not pending <= set(outbox.reminders), "the move stopped the ask reminders"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+z")
        said = [str(n.message) for n in pilot.app._notifications][-1]
        assert said.startswith("Undone: the letter card of ") and " is back where it was (planned);" in said, said
        assert pending <= set(outbox.reminders)  # type: ignore[attr-defined]
