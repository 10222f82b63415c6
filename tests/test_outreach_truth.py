"""Outreach records what happened: no e-mail sent on a day ahead, no reply address that is not an address.

Found by a new user's sequence: on 3 December `outreach add ... --status sent --written-on 2026-12-20` was stored
with its follow-up due on 30 December, and `--email not-an-email` was kept as the coordinator's address.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from imgcoach.coach import add_outreach, list_outreach, set_outreach_status
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError, UserError
from tests.cli_helpers import database_state, run_cli


def test_a_letter_sent_ahead_is_refused_and_today_is_taken(ctx: Context) -> None:
    today = ctx.clock.now().date()
    with pytest.raises(FieldError, match="after today"):
        add_outreach(ctx, "Riverside General (fictional)", status="sent", written_on=today + timedelta(days=17))
    sent = add_outreach(ctx, "Riverside General (fictional)", status="sent", written_on=today)
    assert sent.id is not None and sent.written_on == today
    with pytest.raises(FieldError, match="after today"):
        set_outreach_status(ctx, sent.id, "replied", on=today + timedelta(days=1))
    assert set_outreach_status(ctx, sent.id, "replied", on=today).status == "replied"


@pytest.mark.parametrize("typed", ["not-an-email", "gme@", "a b@example.org", "mailto:gme@example.org"])
def test_a_contact_address_must_be_one(ctx: Context, typed: str) -> None:
    with pytest.raises(FieldError):
        add_outreach(ctx, "Lakeside Clinic (fictional)", contact_email=typed)
    assert list_outreach(ctx) == []


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str, cli_clock: FixedClock) -> None:
    ahead = (ctx.clock.now().date() + timedelta(days=17)).isoformat()
    before = database_state(db_url)
    for args in (("--status", "sent", "--written-on", ahead), ("--email", "not-an-email")):
        refused = run_cli(capsys, "outreach", "add", "--db", db_url, "Riverside General (fictional)", *args)
        assert refused.code == 2, refused.err
    assert database_state(db_url) == before


def test_the_specialty_is_the_listed_name_and_the_draft_never_leaves_a_gap(ctx: Context) -> None:
    from imgcoach.coach import draft_outreach
    from imgcoach.plan.profile import set_profile

    entry = add_outreach(ctx, "Riverside General (fictional)", specialty="IM", coordinator="Ms. Test Coordinator")
    assert entry.id is not None and entry.specialty == "Internal Medicine"
    with pytest.raises(UserError, match="unknown specialty"):
        add_outreach(ctx, "Lakeside Clinic (fictional)", specialty="Underwater Medicine")
    set_profile(ctx, target_specialties=[])
    body = draft_outreach(ctx, entry.id).body
    assert "residency in Internal Medicine in the" in body  # the entry's own specialty
    bare = add_outreach(ctx, "Hilltop Hospital (fictional)")
    assert bare.id is not None
    body = draft_outreach(ctx, bare.id).body
    assert "residency in  in" not in body and "preparing to apply for residency in the" in body
