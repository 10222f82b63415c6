"""The Outreach screen, keyboard only: add (errors beside fields), change status, view drafts, accept an
offer into a rotation. Demo database under the fixed clock; results checked through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable

from imgcoach.coach.outreach_actions import add_outreach, list_outreach
from imgcoach.coach.thresholds import load_thresholds
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from imgcoach.plan.rotations import get_rotation
from imgcoach.reminders.sync import list_reminders
from imgcoach.tui.screens.outreach_screen import ADD_FORM, OutreachScreen, field_error, next_statuses
from imgcoach.tui.widgets.draft import DraftScreen
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import SIZE, app_for, error_of, fill, press, settle


def index_of(ctx: Context, institution_part: str) -> int:
    return next(i for i, (row, *_) in enumerate(list_outreach(ctx)) if institution_part in row.institution)


async def open_outreach(pilot: object, row: int = 0) -> OutreachScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await press(pilot, "u")  # type: ignore[arg-type]
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, OutreachScreen)
    screen.query_one(DataTable).move_cursor(row=row)
    await settle(pilot)  # type: ignore[arg-type]
    return screen


async def test_add_shows_errors_beside_fields_then_saves(demo_ctx: Context) -> None:
    before = len(list_outreach(demo_ctx))
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot)
        await press(pilot, "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, written_on="2026-13-01", cost_usd="about 1500")
        await press(pilot, "ctrl+s")
        assert "is required" in error_of(form, "institution")
        assert "not a date" in error_of(form, "written_on")
        fill(form, institution="Harbor View Hospital (fictional)", department="Internal Medicine",
             coordinator="Ms. Dana Reyes", contact_email="gme@harborview.example", written_on="2026-11-20",
             visa_requirement="B-1/B-2 visitor visa accepted", notes="via the GME office")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is form, "the cost is checked when saving, and the form stays open"
        assert "US dollars" in error_of(form, "cost_usd") and not error_of(form, "institution")
        fill(form, cost_usd="$1,500")
        form.query_one("#field-status").value = "sent"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
        assert "Harbor View" in " ".join(str(c) for c in screen.query_one(DataTable).get_row_at(before))
    rows = list_outreach(demo_ctx)
    assert len(rows) == before + 1
    row, status, due, _ = rows[-1]
    assert (row.coordinator, row.contact_email, row.cost_usd, row.written_on) == (
        "Ms. Dana Reyes", "gme@harborview.example", 1500.0, date(2026, 11, 20))
    assert status.value == "sent" and due is not None
    assert any(r.key.startswith(f"outreach:{row.id}:follow_up") for r in list_reminders(demo_ctx, "pending"))


def test_service_errors_naming_a_field_land_beside_it(demo_ctx: Context) -> None:
    with pytest.raises(UserError) as caught:
        add_outreach(demo_ctx, "Nowhere (fictional)", kind="residency")
    mapped = field_error(caught.value, ADD_FORM)
    assert isinstance(mapped, FieldError) and mapped.field == "kind" and "unknown outreach kind" in mapped.message
    other = UserError("unknown outreach field(s): x")
    assert field_error(other, ADD_FORM) is other, "no field named: stays a general error"


def test_status_choices_follow_the_domain_transitions() -> None:
    assert next_statuses("drafted") == ["sent", "withdrawn"]
    assert next_statuses("offered") == ["declined", "accepted", "withdrawn"]
    assert "follow_up_due" not in next_statuses("sent"), "follow-up due arrives by itself"
    assert next_statuses("declined") == []


async def test_change_status_offers_only_allowed_moves(demo_ctx: Context) -> None:
    drafted = index_of(demo_ctx, "Eastside")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, drafted)
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        choice = form.query_one("#field-status")
        assert [v for _, v in choice.options] == ["sent", "withdrawn"]  # type: ignore[attr-defined]
        fill(form, on="2026-11-24")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
        assert "sent" in str(screen.query_one(DataTable).get_row_at(drafted)[1])
        screen.query_one(DataTable).move_cursor(row=index_of(demo_ctx, "Mercy Lakes"))
        await press(pilot, "enter")
        assert isinstance(pilot.app.screen, FormScreen), "Enter on a row opens the same status choice"
        assert [v for _, v in pilot.app.screen.query_one("#field-status").options] == [  # type: ignore[attr-defined]
            "offered", "declined", "withdrawn"]
        await press(pilot, "escape")
        final = next(i for i, (_, s, _, _) in enumerate(list_outreach(demo_ctx)) if s.value == "declined")
        screen.query_one(DataTable).move_cursor(row=final)
        await press(pilot, "e")
        assert pilot.app.screen is screen, "a final status opens no form"
    row, status, due, _ = list_outreach(demo_ctx)[drafted]
    days = load_thresholds().follow_up_days
    assert status.value == "sent" and row.last_sent_on == date(2026, 11, 24)
    assert due == date(2026, 11, 24) + timedelta(days=days)


async def test_view_draft_shows_first_email_and_follow_up(demo_ctx: Context) -> None:
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, 0)  # St. Brigid: follow-up due
        await press(pilot, "v")
        dialog = pilot.app.screen
        assert isinstance(dialog, DraftScreen)
        assert dialog.title_text.startswith("Follow-up: St. Brigid"), "the follow-up is what is due"
        await press(pilot, "v")
        assert dialog.title_text.startswith("First e-mail: St. Brigid"), "v in the dialog: the other e-mail"
        await press(pilot, "escape")
        assert pilot.app.screen is screen


async def test_accept_offer_becomes_a_rotation_in_one_step(demo_ctx: Context) -> None:
    offered = next(i for i, (_, s, _, _) in enumerate(list_outreach(demo_ctx)) if s.value == "offered")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, offered)
        await press(pilot, "ctrl+a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, start_date="2027-03-01", end_date="2027-02-01")
        await press(pilot, "ctrl+s")
        assert "before the start date" in error_of(form, "end_date")
        fill(form, end_date="2027-03-26", supervisor="Dr. Lena Ortiz", supervisor_email="lortiz@example.org")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
        messages = " ".join(str(n.message) for n in pilot.app._notifications)
        row = list_outreach(demo_ctx)[offered][0]
        assert row.status == "accepted" and row.rotation_id is not None
        assert f"rotation {row.rotation_id} planned" in messages
        await press(pilot, "ctrl+a")
        assert pilot.app.screen is screen, "an entry becomes a rotation only once"
    rotation = get_rotation(demo_ctx, row.rotation_id)
    assert (rotation.institution, rotation.start_date, rotation.end_date, rotation.hours_per_week) == (
        row.institution, date(2027, 3, 1), date(2027, 3, 26), 40)
    assert rotation.setting == ""  # left at the form's blank: not said, so the CV does not say "Inpatient"
    assert any(r.rotation_id == rotation.id for r in list_reminders(demo_ctx, "pending"))


async def test_the_toast_names_the_key_that_plans_the_accepted_offer(demo_ctx: Context) -> None:
    """Marking an offer accepted said "press k to plan the rotation", and k did nothing on this screen: the
    accept key is ctrl+a. It is offered in the footer only on a row it can act on (it showed on every row)."""
    rows = list_outreach(demo_ctx)
    offered = next(i for i, (_, s, _, _) in enumerate(rows) if s.value == "offered")
    drafted = next(i for i, (_, s, _, _) in enumerate(rows) if s.value == "drafted")
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, drafted)
        assert screen.check_action("accept", ()) is False, "a drafted entry cannot become a rotation"
        screen.query_one(DataTable).move_cursor(row=offered)
        await settle(pilot)
        assert screen.check_action("accept", ()) is True
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-status").value = "accepted"  # type: ignore[attr-defined]
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
        toast = " ".join(str(n.message) for n in pilot.app._notifications)
        assert "press ctrl+a to plan the rotation" in toast and "press k" not in toast
        await press(pilot, "ctrl+a")
        assert isinstance(pilot.app.screen, FormScreen), "the key the toast names opens the accept form"
        assert pilot.app.screen.form_title.startswith("Accept ")
