"""Every coach screen names the same Match year: the one `[coach] match_year` configures, else the next season.

Found by a new applicant aiming at a later Match: with `[coach] match_year = 2030`, readiness counted every
deadline against the 2030 season, while the first e-mail to a coordinator said "in the 2028 Match" (the
outreach draft worked the year out again and skipped the configured one).
"""

from __future__ import annotations

from dataclasses import replace

from imgcoach.coach import add_outreach, check_readiness, draft_outreach
from imgcoach.core.context import Context
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
