"""The Outreach list and `imgcoach outreach list` say what is true after the rule's last follow-up, and the app names
its own keys where coach's sentences say what to do (issue 15).

After the last follow-up readiness.toml allows (max_follow_ups = 2), no reminder asks for another, yet the list's
Follow-up column (app and CLI, text and --json) still gave a follow-up day and the status read "sent", then "follow-up
due" (a "!" alone marked it); b Mark sent was offered (footer, palette) and the CLI's `set-status N sent` took a third
follow-up. The app's "better closed" warning said `imgcoach outreach set-status N withdrawn` where its e edits the
status, and an offer's toast `imgcoach outreach list` and `imgcoach outreach accept ...` where its ctrl+a accepts.
The tests' clock: 25 Nov 2026 14:00 UTC (09:00 in New York)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from imgcoach.coach import add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import database_state, run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.test_tui_enter_details49 import footer_keys
from tests.tui_helpers import SIZE, app_for, press, settle

CLOSED = "Closed Too Late Hospital (fictional)"  # the last follow-up 23 Oct: its wait ended 02 Nov
WAITING = "Waiting Still Clinic (fictional)"  # the last follow-up 22 Nov: its wait ends 02 Dec, past the month's end
ORDINARY = "Ordinary Sent Center (fictional)"  # the first e-mail 21 Nov: the follow-up falls due 01 Dec


def _sent(ctx: Context, institution: str, written: date, *follow_ups: date) -> int:
    row = add_outreach(ctx, institution, status="sent", written_on=written, contact_email="desk@example.org")
    assert row.id is not None
    for day in follow_ups:
        set_outreach_status(ctx, row.id, "sent", on=day)
    return row.id


def _three(ctx: Context) -> tuple[int, int, int]:
    return (_sent(ctx, CLOSED, date(2026, 10, 1), date(2026, 10, 12), date(2026, 10, 23)),
            _sent(ctx, WAITING, date(2026, 11, 1), date(2026, 11, 11), date(2026, 11, 22)),
            _sent(ctx, ORDINARY, date(2026, 11, 21)))


def _line(text: str, institution: str) -> str:
    return " ".join(next(line for line in text.splitlines() if institution in line).split())


def test_cli_list_gives_no_follow_up_day_after_the_last(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                        cli_clock: FixedClock) -> None:
    closed, waiting, ordinary = _three(ctx)
    text = run_cli(capsys, "outreach", "list", "--db", ctx.db.url)
    assert text.code == 0, text.err
    assert f"{closed} {CLOSED} unanswered 2026-10-01 none: better closed 1" in _line(text.out, CLOSED), text.out
    assert f"{waiting} {WAITING} sent 2026-11-01 none: 2 follow-ups sent" in _line(text.out, WAITING), text.out
    assert f"{ordinary} {ORDINARY} sent 2026-11-21 2026-12-01" in _line(text.out, ORDINARY), text.out
    assert "follow-up due" not in text.out
    assert f"better closed (imgcoach outreach set-status {closed} withdrawn)" in text.out, "the CLI names its command"
    listed = {r["institution"]: r for r in run_cli(capsys, "outreach", "list", "--db", ctx.db.url, "--json").json()}
    # status_today and follow_up_due keep their meaning (the pipeline's value, the day the wait ends): scripts read
    # them; next_follow_up and better_closed say whether a follow-up is asked for.
    assert {name: (r["status_today"], r["follow_up_due"], r["next_follow_up"], r["better_closed"])
            for name, r in listed.items()} == {
        CLOSED: ("follow_up_due", "2026-11-02", None, True),
        WAITING: ("sent", "2026-12-02", None, False),
        ORDINARY: ("sent", "2026-12-01", "2026-12-01", False),
    }


def test_cli_refuses_a_third_follow_up(ctx: Context, capsys: pytest.CaptureFixture[str],
                                       cli_clock: FixedClock) -> None:
    """set-status N sent after the last follow-up took a third: refused in the close warning's words, exit 2, the
    database unchanged; withdrawing, which the words ask for, goes through."""
    closed, _, _ = _three(ctx)
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "outreach", "set-status", str(closed), "sent", "--db", ctx.db.url)
    assert refused.code == 2, refused.out
    assert (f"outreach {closed} ({CLOSED}): 2 follow-ups went unanswered and the rule asks for 2 follow-ups at most, "
            "so no other e-mail is recorded as sent: the entry is better closed (imgcoach outreach set-status "
            f"{closed} withdrawn)") in refused.err, refused.err
    assert database_state(ctx.db.url) == before
    withdrawn = run_cli(capsys, "outreach", "set-status", str(closed), "withdrawn", "--db", ctx.db.url)
    assert withdrawn.out == f"outreach {closed}: withdrawn\n", withdrawn.err


def test_the_closing_day_follows_the_applicants_zone(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                     cli_clock: FixedClock) -> None:
    """The last follow-up 16 Nov: its wait ends 26 Nov. At 14:00 UTC on 25 Nov it is 25 Nov in New York (still
    waiting), and 26 Nov on Kiritimati (UTC+14) once the applicant moves there (better closed)."""
    entry = _sent(ctx, CLOSED, date(2026, 11, 1), date(2026, 11, 5), date(2026, 11, 16))
    (shown,) = run_cli(capsys, "outreach", "list", "--db", ctx.db.url, "--json").json()
    assert (shown["status_today"], shown["next_follow_up"], shown["better_closed"]) == ("sent", None, False)
    from imgcoach.plan import set_profile

    set_profile(ctx, timezone="Pacific/Kiritimati")
    cli_clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    (shown,) = run_cli(capsys, "outreach", "list", "--db", ctx.db.url, "--json").json()
    assert (shown["status_today"], shown["next_follow_up"], shown["better_closed"]) == ("follow_up_due", None, True)
    refused = run_cli(capsys, "outreach", "set-status", str(entry), "sent", "--db", ctx.db.url)
    assert refused.code == 2 and "better closed" in refused.err


def _cells(screen: Any, institution: str) -> tuple[str, str]:
    table = screen.query_one(DataTable)
    row = next(table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[0]) == institution)
    return str(row[1]), str(row[2])


def _palette_titles(pilot: Any) -> set[str]:
    return {c.title for c in pilot.app.get_system_commands(pilot.app.screen)}


async def test_the_outreach_list_says_so_and_offers_no_mark_sent(ctx: Context) -> None:
    _three(ctx)
    drafted = add_outreach(ctx, "Not Yet Sent Hospital (fictional)")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, index_of(ctx, CLOSED))
        assert _cells(screen, CLOSED) == ("unanswered !", "none: better closed")
        assert _cells(screen, WAITING) == ("sent", "none: 2 follow-ups sent")
        assert _cells(screen, ORDINARY) == ("sent", "01 Dec 2026")
        detail = str(screen.query_one("#outreach-detail", Static).content)
        assert "better closed (press e and choose withdrawn)" in detail and "imgcoach" not in detail, detail
        assert not any(key.startswith("b ") for key in footer_keys(screen)), footer_keys(screen)
        assert "Outreach: Mark sent" not in _palette_titles(pilot)
        await press(pilot, "b")  # the key withheld: nothing is marked
        await press(pilot, "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        assert form.form_title == f"{CLOSED}: unanswered →", form.form_title
        choices = [value for _, value in next(f for f in form.fields if f.name == "status").choices]
        assert "sent" not in choices and "withdrawn" in choices, choices
        await press(pilot, "escape")
        screen.query_one(DataTable).move_cursor(row=index_of(ctx, drafted.institution))
        await settle(pilot)
        assert "b Mark sent" in footer_keys(screen), "a drafted entry still offers it"
        assert "Outreach: Mark sent" in _palette_titles(pilot)
    (closed,) = [r for r in _listed(ctx) if r.institution == CLOSED]
    assert closed.follow_ups_sent == 2 and closed.status == "sent"


def _listed(ctx: Context) -> list[Any]:
    from imgcoach.coach import list_outreach

    return [row for row, *_ in list_outreach(ctx)]


async def test_an_offers_toast_names_the_apps_keys(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                   cli_clock: FixedClock) -> None:
    """v on an offer: the toast said `imgcoach outreach list` and `imgcoach outreach accept N ...`; the CLI still
    names its commands (a guard)."""
    entry = _sent(ctx, ORDINARY, date(2026, 11, 10))
    set_outreach_status(ctx, entry, "offered", on=date(2026, 11, 20))
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await open_outreach(pilot, index_of(ctx, ORDINARY))
        await press(pilot, "v")
        said = [str(n.message) for n in pilot.app._notifications]
        assert any("it offered you a place: check the warnings in its details, then ctrl+a accepts it and plans the "
                   "rotation; v then drafts the confirmation" in s for s in said), said
        assert not any("imgcoach" in s for s in said), said
    refused = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert refused.code == 2 and f"`imgcoach outreach accept {entry} --start YYYY-MM-DD" in refused.err
