"""The Shortlist screen shows the demo applicant's list, the match chance and the disclaimer."""

from __future__ import annotations

from imgcoach.core.context import Context
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
        assert "chance of at least one match: about" in screen_text and "model ceiling 93%" in screen_text
        assert "100%" not in screen_text.replace("100% of residents are IMGs", "")  # a program fact may say 100%


async def test_without_program_data_the_screen_says_so_once(ctx: Context) -> None:
    """A profile but no programs: one clear message in place, no repeated toasts, no 'set up your profile'."""
    app = make_app(context=ctx)
    async with app.run_test(size=(110, 34)) as pilot:
        await pilot.pause(0.05)
        await pilot.press("m")
        screen_text = ""
        for _ in range(40):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            screen_text = app.export_screenshot().replace("&#160;", " ")
            if "No program data yet" in screen_text:
                break
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert screen_text.count("No program data yet") == 1
        assert "imgcoach programs import" in screen_text
        assert "set up your profile" not in screen_text
        assert not list(app._notifications)  # no toast at all: the message is on the screen
