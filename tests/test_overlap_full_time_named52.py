"""An overlap warning calls full-time the rotation that is, not the one beside it.

Found walking the shortlist on the demo (25 Nov 2026): a Family Medicine observership, 40 h/week, added over the
demo's volunteer clinic (8 h/week) warned "Elm Clinic (05 Apr 2027 to 02 May 2027) overlaps full-time Harbor Street
Free Clinic (fictional) (27 Mar 2027 to 22 May 2027) ... (48 h/week together)": the 8-hour clinic called full-time.
`rotations add`/`edit`, the app's rotation form, an import's made rotation and undo all say it through
plan.full_time_overlaps.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.datewords import WRITTEN
from imgcoach.plan import add_rotation, full_time_overlaps
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, fill, press, settle


def _rotation(rid: int, place: str, start: date, end: date, hours: int) -> SimpleNamespace:
    return SimpleNamespace(id=rid, institution=place, start_date=start, end_date=end, hours_per_week=hours,
                           hours_assumed=False)


CLINIC = ("Harbor Street Free Clinic", date(2027, 3, 29), date(2027, 5, 21))  # 8 h/week
OBSERVERSHIP = ("Elm Clinic", date(2027, 4, 5), date(2027, 4, 30))  # 40 h/week


def test_the_full_time_one_is_named_full_time() -> None:
    clinic, observership = _rotation(1, *CLINIC, 8), _rotation(2, *OBSERVERSHIP, 40)
    (saved_over_clinic,) = full_time_overlaps(observership, [clinic], WRITTEN)
    assert saved_over_clinic == ("full-time Elm Clinic (05 Apr 2027 to 30 Apr 2027) overlaps Harbor Street Free Clinic "
                                 "(29 Mar 2027 to 21 May 2027) for 05 Apr 2027 to 30 Apr 2027 (48 h/week together)")
    (clinic_saved_over_it,) = full_time_overlaps(clinic, [observership], WRITTEN)  # a guard: this way round was true
    assert clinic_saved_over_it.startswith("Harbor Street Free Clinic (29 Mar 2027 to 21 May 2027) overlaps full-time "
                                           "Elm Clinic"), clinic_saved_over_it


def _clinic(ctx: Context) -> None:
    add_rotation(ctx, kind="volunteer", specialty="Family Medicine", institution=CLINIC[0], start_date=CLINIC[1],
                 end_date=CLINIC[2], hours_per_week=8)


def test_rotations_add_says_it(capsys: pytest.CaptureFixture[str], ctx: Context, cli_clock: FixedClock) -> None:
    _clinic(ctx)
    added = run_cli(capsys, "rotations", "add", "--db", ctx.db.url, "--kind", "observership", "--specialty",
                    "Family Medicine", "--institution", OBSERVERSHIP[0], "--start", "2027-04-05", "--end",
                    "2027-04-30", "--hours", "40")
    assert added.code == 0, added
    assert "overlaps full-time Harbor Street" not in added.err, added.err
    assert ("imgcoach: warning: full-time Elm Clinic (05 Apr 2027 to 30 Apr 2027) overlaps Harbor Street Free Clinic "
            "(29 Mar 2027 to 21 May 2027)") in added.err, added.err


async def test_the_apps_form_says_it(ctx: Context) -> None:
    _clinic(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "r", "a")
        fill(pilot.app.screen, specialty="Family Medicine", institution=OBSERVERSHIP[0], start_date="2027-04-05",
             end_date="2027-04-30", hours_per_week="40")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        shown = " ".join(" ".join(str(n.message).split()) for n in pilot.app._notifications)
        assert "overlaps full-time Harbor Street" not in shown, shown
        assert "full-time Elm Clinic" in shown and "overlaps Harbor Street Free Clinic" in shown, shown
