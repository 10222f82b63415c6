"""Opening a form styles each of its widgets once, when it is mounted (issue 15: the add-rotation form took
85 ms against a 50 ms goal, and 17 of its 153 stylesheet applications, with their component classes about half
the work, were restyles of widgets not yet in the form). Counted, never timed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widget import Widget

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormScreen
from tests.tui_helpers import SIZE, app_for, press, settle


async def test_the_add_rotation_forms_widgets_are_styled_only_once_in_the_dom(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    applied: list[tuple[DOMNode, bool]] = []  # each node styled, and whether it was in the DOM then
    apply = Stylesheet.apply

    def counted(self: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        applied.append((node, node.parent is not None))
        apply(self, node, *args, **kwargs)

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "apply", counted)
        await press(pilot, "a")
        await settle(pilot)
        monkeypatch.undo()
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and form.query_one("#form-save").is_mounted
        dialog = form.query_one("#form-dialog")
        widgets = [(node, in_dom) for node, in_dom in applied
                   if isinstance(node, Widget) and dialog in node.ancestors_with_self]
        assert any(node.id == "field-institution" for node, _ in widgets)  # the form's fields were styled
        # Every widget of the dialog styled was in the DOM then: none was styled by a class set in its constructor
        # (the footer's keys, Textual's own, still are).
        early = [f"{type(node).__name__}#{node.id}" for node, in_dom in widgets if not in_dom]
        assert early == []
