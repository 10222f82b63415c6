"""The work the app does before its first frames (issue 15: start-up to the first paint with data, then to the
full snapshot). Counted, never timed: frames rendered, modules imported."""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import Compositor

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.tui.app import PlannerApp
from tests.tui_helpers import settle


@pytest.mark.sqlite_only  # the quick read before the first frame: a local file
async def test_no_frame_is_rendered_while_textual_holds_frames_back(demo_ctx: Context,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual composes, lays out and renders the first screen inside its start-up batch, then drops that frame
    (App._display writes nothing while a batch is open) and renders the first frame written again after it: a
    whole render of the timeline for nothing before the first paint. None is rendered in the batch now, and the
    first frame written still shows the plan."""
    renders: list[bool] = []  # per render of the screen: was a batch open
    frames: list[bool] = []  # per frame written: the plan shown
    render_update = Compositor.render_update

    class Watched(PlannerApp):
        def _display(self, screen: Any, renderable: Any) -> None:
            if renderable is not None and not self._batch_count:
                frames.append(screen.query_one("#timeline").today is not None)
            super()._display(screen, renderable)

    app = Watched(db=demo_ctx.db.url, clock=FixedClock(demo_ctx.clock.now()), cursor_blink=False, poll_seconds=0)

    def counted(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        renders.append(bool(app._batch_count))
        return render_update(compositor, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.shown_from == ["quick", "full"]  # type: ignore[attr-defined]
    assert renders and frames
    assert not any(renders), f"{renders.count(True)} frame(s) rendered inside Textual's batch and dropped"
    assert frames[0], "the first frame written shows the plan"
