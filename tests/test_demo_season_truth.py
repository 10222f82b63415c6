"""The demo's program deadlines fall in the season readiness and the shortlist name on the day it is made.

The sample programs' deadlines are for the 2028 Match (autumn 2027). A demo made on 1 October 2027 (Match 2029)
said "deadline ... is from an earlier season" on every program with a deadline, and one made in June 2026
(Match 2027) showed autumn-2027 deadlines as its own season's. Real SQLite/PostgreSQL, the context's FixedClock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from imgcoach.coach import check_readiness
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.demo import build_demo
from imgcoach.matching import runs
from imgcoach.matching.programs import list_programs


@pytest.mark.parametrize("made", [datetime(2027, 10, 1, 14, tzinfo=UTC), datetime(2026, 6, 15, 14, tzinfo=UTC)])
def test_the_demos_deadlines_are_in_its_own_season(empty_ctx: Context, clock: FixedClock, made: datetime) -> None:
    clock.set(made)
    build_demo(empty_ctx)
    season = check_readiness(empty_ctx).season
    shortlist, _, _, _ = runs.compute(empty_ctx)
    assert shortlist.to_dict()["match_year"] == season.match_year == made.year + (2 if made.month >= 10 else 1)
    deadlines = [p.application_deadline for p in list_programs(empty_ctx)
                 if isinstance(p.application_deadline, date)]
    # the autumn before the Match: after the season opens, around the submission date
    assert deadlines and {d.year for d in deadlines} == {season.match_year - 1}, sorted({d.year for d in deadlines})
    ranking = shortlist.ranking
    said = [r.text for a in (*ranking.kept, *ranking.excluded) for r in a.verdict.reasons]
    assert said and not [x for x in said if "earlier season" in x], [x for x in said if "earlier season" in x][:3]
