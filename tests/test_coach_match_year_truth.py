"""Every coach screen names the same Match year: the one `[coach] match_year` configures, else the next season.

Found by a new applicant aiming at a later Match: with `[coach] match_year = 2030`, readiness counted every
deadline against the 2030 season, while the first e-mail to a coordinator said "in the 2028 Match" (the
outreach draft worked the year out again and skipped the configured one).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from imgcoach.coach import add_outreach, check_readiness, draft_outreach
from imgcoach.coach.readiness import render_text
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import UserError
from imgcoach.core.settings import Settings


def test_the_outreach_draft_names_the_configured_match_year(ctx: Context) -> None:
    aiming = replace(ctx, settings=Settings(extra={"coach": {"match_year": 2030}}))
    assert check_readiness(aiming).season.match_year == 2030
    entry = add_outreach(aiming, "Riverside General (fictional)", specialty="Internal Medicine")
    assert entry.id is not None
    body = draft_outreach(aiming, entry.id).body
    assert "in the 2030 Match" in body and "2028 Match" not in body


def test_without_a_configured_year_both_name_the_next_season(ctx: Context) -> None:
    year = check_readiness(ctx).season.match_year
    assert year == 2028  # 25 November 2026: the 2027 Match's submission day (3 September 2026) has passed
    entry = add_outreach(ctx, "Riverside General (fictional)")
    assert entry.id is not None
    assert f"in the {year} Match" in draft_outreach(ctx, entry.id).body


def test_a_year_set_for_the_shortlist_alone_is_the_year_readiness_counts_against(ctx: Context) -> None:
    # `[matching] match_year` is read by the shortlist ([matching], then [coach]); readiness read [coach] only,
    # so a profile with the shortlist's year set said "Match 2030" there and "Match 2028" on every coach screen.
    aiming = replace(ctx, settings=Settings(extra={"matching": {"match_year": 2030}}))
    assert check_readiness(aiming).season.match_year == 2030
    entry = add_outreach(aiming, "Riverside General (fictional)")
    assert entry.id is not None
    assert "in the 2030 Match" in draft_outreach(aiming, entry.id).body


# --- one rule for readiness and the shortlist (plan.rules.season) ----------------------------------------------
# Found on 1 September: the shortlist moved to the next Match on 1 September (a fixed date), readiness on the day
# after the season's submission date (3 September), so for three days the shortlist counted years since
# graduation and the H-1B warning for the 2028 Match while every coach screen named 2027.


@pytest.mark.parametrize(("day", "year"), [(date(2026, 8, 31), 2027), (date(2026, 9, 1), 2027),
                                           (date(2026, 9, 3), 2027), (date(2026, 9, 4), 2028)])
def test_readiness_and_the_shortlist_name_the_same_match_year_around_submission(ctx: Context, day: date,
                                                                                year: int) -> None:
    from imgcoach.matching.runs import gather
    from imgcoach.storage.applicants import current_applicant

    assert isinstance(ctx.clock, FixedClock)
    ctx.clock.set(datetime.combine(day, time(14), tzinfo=UTC))  # 10:00 in New York, the applicant's zone
    report = check_readiness(ctx)
    with ctx.db.read() as session:
        facts = gather(session, ctx, current_applicant(session, ctx), day).facts
    assert (report.season.match_year, facts.match_year) == (year, year)
    # Both say why, in the same words: the 2027 season's submission day (3 Sep 2026) is still that season's.
    assert report.to_dict()["match_year_reason"] == facts.match_year_reason == \
        "the next season whose submission date has not passed"
    assert f"Match {year} (the next season whose submission date has not passed)" in render_text(report)


def test_the_two_config_keys_naming_different_years_are_refused(ctx: Context) -> None:
    # Read in opposite orders, readiness counted [coach]'s year and the shortlist [matching]'s.
    both = replace(ctx, settings=Settings(extra={"coach": {"match_year": 2029}, "matching": {"match_year": 2030}}))
    with pytest.raises(UserError, match=r"\[coach\] match_year = 2029 and \[matching\] match_year = 2030"):
        check_readiness(both)
    same = replace(ctx, settings=Settings(extra={"coach": {"match_year": 2030}, "matching": {"match_year": 2030}}))
    report = check_readiness(same)
    assert report.season.match_year == 2030 and report.match_year_reason == "set in the config file ([coach] match_year)"


async def test_the_readiness_screen_says_a_configured_year_is_configured(ctx: Context) -> None:
    """A year the config file sets is not the next season: the screen named it as if it were ("Match 2030 -
    submission 03 Sep 2029"), with nothing to say why an applicant on 25 Nov 2026 was counted against it."""
    from textual.widgets import Static

    from imgcoach.tui.app import make_app
    from tests.tui_helpers import settle

    aiming = replace(ctx, settings=Settings(extra={"coach": {"match_year": 2030}}))
    async with make_app(context=aiming, poll_seconds=0, cursor_blink=False).run_test(size=(120, 40)) as pilot:
        pilot.app.switch_mode("readiness")
        await settle(pilot)
        shown = str(pilot.app.screen.query_one("#readiness-summary", Static).render())
    assert shown.startswith("Match 2030 (set in the config file ([coach] match_year)) - submission 03 Sep 2029"), shown
