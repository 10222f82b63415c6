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
from imgcoach.tui.stylesheet import PlannerStylesheet
from imgcoach.tui.widgets.form import FormInput, FormScreen
from tests.tui_helpers import SIZE, app_for, press, settle


@asynccontextmanager
async def form_opened(ctx: Context, monkeypatch: pytest.MonkeyPatch
                      ) -> AsyncIterator[tuple[Pilot[Any], list[tuple[DOMNode, bool]]]]:
    """The app with the add-rotation form just opened, and each node styled meanwhile with whether it was in the
    DOM then (the app's stylesheet asked to style it, counted: matched, or given the rules kept for its path)."""
    applied: list[tuple[DOMNode, bool]] = []
    apply = PlannerStylesheet.apply

    def counted(self: PlannerStylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        applied.append((node, node.parent is not None))
        apply(self, node, *args, **kwargs)

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        monkeypatch.setattr(PlannerStylesheet, "apply", counted)
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
    44 of the form's 88 stylesheet applications were those, for eleven fields in four groups then (the hours field,
    filled in with 40, was `-valid`; it starts blank now, 40 assumed unless typed, so three groups)."""
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
        assert len(fields) == 11 and len(groups) == 3 and len(components) == 4
        assert {field for field, _ in matched} <= set(fields)
        per_group = {(field.parent, field.classes, component) for field, component in matched}
        # At most once per group and component (44 before); groups whose paths no rule tells apart (the two date
        # rows: no rule names their ids) share one match since the rules are kept per path (PlannerStylesheet).
        assert matched and len(matched) == len(per_group) <= len(groups) * len(components)


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


async def open_the_form_again(ctx: Context, monkeypatch: pytest.MonkeyPatch
                              ) -> AsyncIterator[tuple[Pilot[Any], list[DOMNode], list[DOMNode]]]:
    """The add-rotation form opened and closed twice, then opened again: the nodes the app's stylesheet was asked
    to style during that open, and those Textual matched against the rules in full (Stylesheet.apply). Twice:
    the first open in a process adds the form's widget classes' CSS, parsed anew as each first mounts, and rules
    kept before the last of those parses were for a stylesheet gone since."""
    asked: list[DOMNode] = []
    matched: list[DOMNode] = []
    ask, match = PlannerStylesheet.apply, Stylesheet.apply

    def asking(self: PlannerStylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        asked.append(node)
        ask(self, node, *args, **kwargs)

    def matching(self: Stylesheet, node: DOMNode, *args: Any, **kwargs: Any) -> None:
        matched.append(node)
        match(self, node, *args, **kwargs)

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        await settle(pilot)
        for _ in range(2):
            await press(pilot, "a")
            await settle(pilot)
            await press(pilot, "escape")
            await settle(pilot)
        monkeypatch.setattr(PlannerStylesheet, "apply", asking)
        monkeypatch.setattr(Stylesheet, "apply", matching)
        await press(pilot, "a")
        await settle(pilot)
        monkeypatch.undo()
        yield pilot, asked, matched


async def test_a_form_opened_again_matches_nothing_against_the_stylesheet(
        demo_ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: Textual's node cache lives for one group of widgets mounted together, so each open of a form
    matched its widgets and their component classes against every rule again. The rules are kept per path (what
    the rules can see of a node and its ancestors), so a form opened again styles every widget from them: dozens
    of full matches before, none now."""
    async with asynccontextmanager(open_the_form_again)(demo_ctx, monkeypatch) as (pilot, asked, matched):
        form = pilot.app.screen
        assert isinstance(form, FormScreen) and form.query_one("#form-save").is_mounted
        dialog = form.query_one("#form-dialog")
        styled = [node for node in asked if isinstance(node, Widget) and dialog in node.ancestors_with_self]
        assert len({id(node) for node in styled}) >= 30  # the dialog's widgets were styled (41 of them)
        assert matched == []


async def test_kept_rules_are_those_textuals_matching_gives(demo_ctx: Context,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeping the rules must not change: every widget of the form opened again, and each of its
    component classes, has the rules and style flags Textual's own matching gives it now (a plain Stylesheet
    with the same rules, no cache)."""
    async with asynccontextmanager(open_the_form_again)(demo_ctx, monkeypatch) as (pilot, _asked, _matched):
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        plain = Stylesheet()
        plain._rules, plain._require_parse = pilot.app.stylesheet.rules, False

        def state(node: DOMNode) -> tuple[Any, ...]:
            return (dict(node.styles.base._rules), node._has_hover_style, node._has_focus_within,
                    node._has_order_style, node._has_odd_or_even,
                    {name: dict(styles.base._rules) for name, styles in node._component_styles.items()})

        nodes = list(form.walk_children(with_self=True))
        kept = [state(node) for node in nodes]
        for node in nodes:
            plain.apply(node)
        assert [state(node) for node in nodes] == kept
        assert len(nodes) >= 40 and sum(bool(s[5]) for s in kept) >= 11  # the widgets, the fields' components
