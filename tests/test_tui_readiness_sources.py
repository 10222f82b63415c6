"""The app's Readiness detail names each check's source, as `readiness --sources` does.

Found by a new applicant comparing the two: the app said "target 3-6 months" and "Beyond the 3-year cutoff some
programs use" with no source and no word that the figures are rules of thumb; only the CLI's --sources said so.
"""

from __future__ import annotations

from imgcoach.coach import check_readiness
from imgcoach.core.context import Context
from imgcoach.tui.app import make_app
from tests.tui_helpers import press, settle


async def test_each_check_detail_ends_with_its_source(demo_ctx: Context) -> None:
    checks = check_readiness(demo_ctx).checks
    app = make_app(context=demo_ctx, poll_seconds=0, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        pilot.app.switch_mode("readiness")
        await settle(pilot)
        for index, check in enumerate(checks):
            if index:
                await press(pilot, "down")
            detail = str(app.screen.query_one("#readiness-detail").render())
            assert f"Source: {check.source}" in " ".join(detail.split()), check.key
        usce = next(c for c in checks if c.key == "usce_months")
        assert usce.source.endswith("(rule of thumb)")
