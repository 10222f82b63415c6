"""A Textual stylesheet that parses each CSS source once per set of variables.

Textual re-parses every source (the default CSS of every widget class, the app's and each screen's file)
in a fresh stylesheet whenever a screen with its own CSS file is first shown, and on a theme change. On
the large plan that was about a third of a screen's first visit (0.2-0.6 s on the loaded 2-core machine).
What a source parses to depends only on its text, where it came from, its priority and scope, and the
CSS variables (the theme), so the parsed rules are kept and reused for the same key: the rules and
their order are exactly those a full re-parse gives.

It also styles a widget's component classes (an Input's cursor, placeholder, suggestion and selection) once per
group of like siblings mounted together rather than once per widget: Textual matches every rule against a
virtual node for each component of each widget, 44 of the 88 stylesheet applications when the add-rotation form
opened (issue 15), though its eleven fields are four alike groups of siblings.
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet, SelectorType
from textual.css.stylesheet import CSSLocation, RulesMap, Stylesheet
from textual.dom import DOMNode


class PlannerStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None,
                 parsed: dict[tuple[Any, ...], list[RuleSet]] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed: dict[tuple[Any, ...], list[RuleSet]] = {} if parsed is None else parsed
        self._variables_key = tuple(sorted(self._variables.items()))
        self._batch: dict[tuple[Any, ...], RulesMap] | None = None  # the cache of the nodes being styled now
        # Per component class: the ids and pseudo-classes its rules look at, for the rules map they came from.
        self._component_facts: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
        self._facts_of: dict[str, Any] | None = None

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = tuple(sorted(self._variables.items()))

    def _parse_rules(self, css: str, read_from: CSSLocation, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._variables_key)
        rules = self._parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self._parsed[key] = rules
        return rules

    def reparse(self) -> None:
        """Textual's reparse (a fresh sheet, so an error leaves this one as it was) with the parsed rules kept."""
        fresh = PlannerStylesheet(variables=self._variables, parsed=self._parsed)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker,
                             scope=scope)
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)  # as Textual does (its issue 3581)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    # --- component classes: styled once per group of like siblings ---------------------------------------

    def apply(self, node: DOMNode, *, animate: bool = False, cache: dict[tuple[Any, ...], RulesMap] | None = None
              ) -> None:
        """Textual's apply; the `cache` it is given for a group of nodes (App._register, update_nodes) is kept
        while this node's component classes are styled, so they can share it."""
        outer, self._batch = self._batch, cache
        try:
            super().apply(node, animate=animate, cache=cache)
        finally:
            self._batch = outer

    def _process_component_classes(self, node: DOMNode) -> None:
        """Textual's, with each component's rules looked up in the group's cache first.

        A component's styles are those of a virtual node below `node`: what its rules can see is the path from
        the app to `node`, so two nodes with the same parent, type, classes, the pseudo-classes the rules name
        and (if a rule names it) id get the same rules. The cache lives for one group, as Textual's own node
        cache does, while no ancestor can change."""
        cache = self._batch
        components = node._get_component_classes()
        if cache is None or not components:
            super()._process_component_classes(node)
            return
        refresh = False
        old = node._component_styles.copy()
        node._component_styles.clear()
        for component in sorted(components):
            virtual = DOMNode(classes=component)
            virtual._attach(node)
            ids, pseudo_classes = self._component_rule_facts(component, virtual)
            key = ("component", component, node._parent, type(node), node.classes,
                   node._id if node._id in ids else None,
                   tuple(node.has_pseudo_class(name) for name in pseudo_classes))
            rules = cache.get(key)
            if rules is None:
                found: dict[tuple[Any, ...], RulesMap] = {}
                super().apply(virtual, animate=False, cache=found)
                # Textual's apply caches nothing when no rule matched (no styles) or a rule names a pseudo-class
                # it leaves out of cache keys; the facts cover those (they are in `pseudo_classes`) either way.
                rules = next(iter(found.values()), None)
                cache[key] = rules if rules is not None else dict(virtual.styles.base._rules)  # type: ignore[assignment]
            else:
                self.replace_rules(virtual, rules)
            if not refresh and old.get(component) != virtual.styles:
                refresh = True
            node._component_styles[component] = virtual.styles
        if refresh:
            node.refresh()

    def _component_rule_facts(self, component: str, virtual: DOMNode) -> tuple[frozenset[str], tuple[str, ...]]:
        """The ids and the pseudo-classes named anywhere in the rules that can match `component`'s `virtual` node
        (those Textual's apply considers for it: its selector names)."""
        rules_map = self.rules_map
        if self._facts_of is not rules_map:  # parsed again (a new screen's CSS, a theme): look again
            self._component_facts.clear()
            self._facts_of = rules_map
        facts = self._component_facts.get(component)
        if facts is None:
            ids: set[str] = set()
            pseudo_classes: set[str] = set()
            for name in virtual._selector_names:
                for rule in rules_map.get(name, ()):
                    pseudo_classes |= rule.pseudo_classes
                    ids.update(selector.name for selector_set in rule.selector_set
                               for selector in selector_set.selectors if selector.type == SelectorType.ID)
            facts = self._component_facts[component] = (frozenset(ids), tuple(sorted(pseudo_classes)))
        return facts
