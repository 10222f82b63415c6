"""Opening a form styles each of its widgets once, when it is mounted (issue 15: the add-rotation form took
85 ms against a 50 ms goal, and 17 of its 153 stylesheet applications, with their component classes about half
the work, were restyles of widgets not yet in the form). Counted, never timed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widget import Widget

from imgcoach.core.context import Context
from imgcoach.tui.widgets.form import FormInput, FormScreen
from tests.tui_helpers import SIZE, app_for, press, settle


@asynccontextmanager
async def form_opened(ctx: Context, monkeypatch: pytest.MonkeyPatch
                      ) -> AsyncIterator[tuple[Pilot[Any], list[tuple[DOMNode, bool]]]]:
    """The app with the add-rotation form just opened, and each node styled meanwhile with whether it was in the
    DOM then (Stylesheet.apply, counted)."""
    applied: list[tuple[DOMNode, bool]] = []
    apply = Stylesheet.apply

    def counted(self: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        applied.append((node, node.parent is not None))
        apply(self, node, *args, **kwargs)

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "apply", counted)
        await press(pilot, "a")
        await settle(pilot)
        monkeypatch.undo()
        yield pilot, applied


async def test_the_add_rotation_forms_widgets_are_styled_only_once_in_the_dom(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    async with form_opened(demo_ctx, monkeypatch) as (pilot, applied):
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


async def test_like_fields_share_their_component_class_styles(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Input's component classes (cursor, placeholder, suggestion, selection) are matched against the
    stylesheet once per group of like fields (one parent, the same classes) mounted together, not once per field:
    44 of the form's 88 stylesheet applications were those, for eleven fields in four groups (the hours field,
    filled in, is `-valid`)."""
    matched: list[tuple[DOMNode, str]] = []  # (the field, the component) of each virtual node matched in full
    mounting = [0]
    apply = Stylesheet.apply

    def counted(self: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        if mounting[0] and type(node) is DOMNode and isinstance(node.parent, FormInput):  # a component's node
            matched.append((node.parent, " ".join(sorted(node.classes))))
        apply(self, node, *args, **kwargs)

    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        app = pilot.app
        register = app._register

        def registering(*args: Any, **kwargs: Any) -> list[Widget]:  # styles what it mounts: the batch counted
            mounting[0] += 1
            try:
                return register(*args, **kwargs)
            finally:
                mounting[0] -= 1

        await press(pilot, "r")
        await settle(pilot)
        monkeypatch.setattr(Stylesheet, "apply", counted)
        monkeypatch.setattr(app, "_register", registering)
        await press(pilot, "a")
        await settle(pilot)
        monkeypatch.undo()
        form = app.screen
        assert isinstance(form, FormScreen)
        fields = list(form.query(FormInput))
        components = FormInput._get_component_classes()
        groups = {(field.parent, field.classes) for field in fields}
        assert len(fields) == 11 and len(groups) == 4 and len(components) == 4
        assert {field for field, _ in matched} <= set(fields)
        per_group = {(field.parent, field.classes, component) for field, component in matched}
        assert len(matched) == len(per_group) == len(groups) * len(components)  # 44 before


async def test_a_new_forms_widgets_are_not_restyled_when_it_is_first_shown(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual restyles a whole screen on each ScreenResume; on a form's first, just after every widget was
    styled as it was mounted, that doubled the stylesheet work before the first frame. A widget nothing happened
    to since (a label, the dialog's box) is styled once."""
    async with form_opened(demo_ctx, monkeypatch) as (pilot, applied):
        styled = [node for node, _ in applied]
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        still = [form.query_one("#form-dialog"), form.query_one("#form-fields"), *form.query(".form-label")]
        assert len(still) == 16
        assert [styled.count(node) for node in still] == [1] * len(still)  # 2 each before


async def test_shared_component_styles_are_those_each_field_would_get_alone(demo_ctx: Context) -> None:
    """What the sharing must not change: each field's component styles, once the form is open (the first field
    focused, so one field differs from its siblings), equal Textual's own matching for that field alone."""
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        await press(pilot, "a")
        await settle(pilot)
        await press(pilot, "tab")  # the focus moves on: both fields restyled
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        compared = 0
        for field in form.query(FormInput):
            for component in sorted(field._get_component_classes()):
                alone = DOMNode(classes=component)
                alone._attach(field)
                Stylesheet.apply(pilot.app.stylesheet, alone)  # Textual's matching, no cache, nothing shared
                assert field.get_component_styles(component).base._rules == alone.styles.base._rules, \
                    (field.id, component)
                compared += 1
        assert compared == 44
        assert any(field.has_focus for field in form.query(FormInput))
