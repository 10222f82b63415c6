"""The demo database opens in the app and shows the demo applicant's plan."""

from __future__ import annotations

from imgcoach.core.context import Context
from imgcoach.tui.app import make_app
from tests.tui_helpers import settle


async def test_demo_opens_in_the_app(demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # the plan loads in a worker after the first paint
        screen = app.export_screenshot()
        assert "Lakeview" in screen  # the current externship of the demo applicant
