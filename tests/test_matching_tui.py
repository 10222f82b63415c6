"""The Shortlist screen shows the demo applicant's list, the match chance and the disclaimer."""

from __future__ import annotations

from imgcoach.context import Context
from imgcoach.tui.app import make_app


async def test_shortlist_screen_shows_the_list(demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause(0.05)
        await pilot.press("m")
        screen_text = ""
        for _ in range(40):  # the list loads in a worker
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            screen_text = app.export_screenshot().replace("&#160;", " ")
            if "Estimated chance" in screen_text:
                break
        assert "Estimated chance of at least one match" in screen_text
        assert "synthetic" in screen_text  # the sample programs say what they are
        assert "interview" in screen_text
