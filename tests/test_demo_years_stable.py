"""The demo applicant graduated `today.year - 3`: built in December 2026 she was 5 years from graduation to the
Match (4 full years before its submission date), built in June 2027 4 years (3 full), so what readiness and the
shortlist said of the demo moved with the day it was built. The graduation year now follows the Match the demo
aims at. Real SQLite demo databases built on a FixedClock at each date."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgcoach.coach import check_readiness
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.demo import build_demo
from imgcoach.matching.runs import gather
from imgcoach.storage.applicants import current_applicant
from imgcoach.storage.db import Database

pytestmark = pytest.mark.sqlite_only


def _demo(tmp_path: Path, day: str) -> tuple[dict[str, str], str, int | None]:
    """(status per readiness check, the graduation check's first line, the shortlist's years since graduation)."""
    path = tmp_path / f"demo-{day}.sqlite"
    db = Database(f"sqlite:///{path}")
    ctx = Context(db=db, clock=FixedClock(datetime.fromisoformat(day).replace(hour=14, tzinfo=UTC)),
                  settings=Settings())
    try:
        build_demo(ctx)
        report = check_readiness(ctx)
        with ctx.db.read() as session:
            facts = gather(session, ctx, current_applicant(session, ctx), ctx.clock.now().date()).facts
    finally:
        db.close()
    graduation = next(c for c in report.checks if c.key == "graduation")
    statuses = {c.key: c.status.value for c in report.checks}
    return statuses, graduation.evidence[0], facts.standing().years_since_graduation


def test_the_demo_says_the_same_years_since_graduation_whenever_it_is_built(tmp_path: Path) -> None:
    seen = {day: _demo(tmp_path, day) for day in ("2026-12-05", "2027-06-30", "2027-07-01", "2027-12-05")}
    for day, (_, line, years) in seen.items():
        assert years == 5, day  # to the Match: the shortlist's count
        assert "4 full years before the" in line, (day, line)  # readiness's, to the submission date
    # a year apart, the same day of the season: every readiness check says the same
    assert seen["2026-12-05"][0] == seen["2027-12-05"][0]
    assert seen["2027-06-30"][0]["graduation"] == seen["2027-07-01"][0]["graduation"] == seen["2026-12-05"][0]["graduation"]
