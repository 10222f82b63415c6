"""Outreach writes a day in a sentence as the rest of its face does (issue 15).

`imgcoach outreach accept` said "rotation 5 planned 2026-11-20 to 2026-12-18" where `outreach set-status`, the
draft's standing and the CLI's other sentences say "20 Nov 2026", and the app's toast was its own sentence. Both now
say coach.accepted_said in their own day format ("05 Apr 2027 to 01 May 2027", the app's "05 Apr – 01 May 2027");
--json keeps ISO. The refusal to draft for an accepted place whose rotation is under way wrote "%d %b %Y to %d %b %Y"
itself, so the app's toast read a range no other screen writes. The tests' clock: 25 Nov 2026 14:00 UTC."""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import accept_offer, add_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.cli_helpers import database_state, run_cli
from tests.test_coach_outreach_tui import index_of, open_outreach
from tests.tui_helpers import SIZE, app_for, fill, press, record_toasts

PLACE = "Quayside Teaching Hospital (fictional)"
ASSUMED = "40 h/week assumed"


def _offered(ctx: Context) -> int:
    row = add_outreach(ctx, PLACE, specialty="Internal Medicine", status="sent", written_on=date(2026, 11, 2),
                       contact_email="desk@example.org")
    assert row.id is not None
    set_outreach_status(ctx, row.id, "offered")
    return row.id


def test_cli_accept_says_the_days_as_its_sentences_do(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                      cli_clock: FixedClock) -> None:
    entry = _offered(ctx)
    accepted = run_cli(capsys, "outreach", "accept", str(entry), "--start", "2027-04-05", "--end", "2027-05-01",
                       "--hours", "40", "--db", ctx.db.url)
    assert accepted.code == 0, accepted.err
    first = accepted.out.splitlines()[0]
    assert first.startswith(f"outreach {entry}: accepted; rotation ") and first.endswith(
        " planned 05 Apr 2027 to 01 May 2027"), first


def test_cli_accept_json_keeps_iso(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A guard: scripts read ISO days in --json."""
    entry = _offered(ctx)
    shaped = run_cli(capsys, "outreach", "accept", str(entry), "--start", "2027-04-05", "--end", "2027-05-01",
                     "--json", "--db", ctx.db.url).json()
    assert (shaped["rotation"]["start_date"], shaped["rotation"]["end_date"]) == ("2027-04-05", "2027-05-01")


async def test_app_accept_says_the_same_sentence_in_its_days(ctx: Context) -> None:
    entry = _offered(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, index_of(ctx, PLACE))
        toasts = record_toasts(pilot.app)
        await press(pilot, "ctrl+a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, start_date="2027-04-05", end_date="2027-05-01")
        await press(pilot, "ctrl+s")
        assert pilot.app.screen is screen
    from imgcoach.coach import list_outreach

    row = next(r for r, *_ in list_outreach(ctx) if r.id == entry)
    said = next(t for t in toasts if "accepted;" in t)
    assert said.startswith(f"{PLACE}: accepted; rotation {row.rotation_id} planned 05 Apr – 01 May 2027"), said
    assert ASSUMED in said, "the hours assumed are still said"


async def test_the_refusal_for_a_rotation_under_way_writes_the_faces_range(
    ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """Accepted, its rotation under way (16 Nov to 11 Dec): no e-mail to draft. The CLI writes the range as its
    sentences do; the app's toast as every screen does (it read "16 Nov 2026 to 11 Dec 2026")."""
    entry = _offered(ctx)
    accept_offer(ctx, entry, date(2026, 11, 16), date(2026, 12, 11))
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "outreach", "draft", str(entry), "--db", ctx.db.url)
    assert refused.code == 2 and "is under way (16 Nov 2026 to 11 Dec 2026)" in refused.err, refused.err
    assert database_state(ctx.db.url) == before
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        screen = await open_outreach(pilot, index_of(ctx, PLACE))
        toasts = record_toasts(pilot.app)
        await press(pilot, "v")
        assert pilot.app.screen is screen
    said = next(t for t in toasts if "under way" in t)
    assert "is under way (16 Nov – 11 Dec 2026)" in said, said
