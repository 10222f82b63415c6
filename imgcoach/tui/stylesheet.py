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

And it keeps each node's matched rules from one styling to the next, keyed by everything the rules can see of
the node's path (PlannerStylesheet.path_key): Textual's own cache lives for one group of nodes mounted together,
so every form opened matched its 40-odd widgets and their components against the stylesheet again, though the
same form yields the same paths each time (about half of a form open's work, issue 15).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from textual.css.model import RuleSet, SelectorType
from textual.css.stylesheet import CSSLocation, RulesMap, Stylesheet
from textual.dom import DOMNode


class CssSource(NamedTuple):
    """One source as Stylesheet.add_source takes it (PlannerApp.screens_css lists them)."""

    read_from: CSSLocation
    css: str
    is_default: bool
    tie_breaker: int
    scope: str


KEPT_LIMIT = 20_000  # rules kept per path: a bound against ever-new ids or classes, far above what the app has


class _Recorder(dict[tuple[Any, ...], RulesMap]):
    """The group cache Textual's apply is given, recording what it computed: the rules it stored for the node,
    or that it took them from the group (`hit`)."""

    def __init__(self, inner: dict[tuple[Any, ...], RulesMap]) -> None:
        super().__init__()
        self.inner = inner
        self.stored: RulesMap | None = None
        self.hit = False

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        found = self.inner.get(key, default)
        self.hit = found is not None
        return found

    def __setitem__(self, key: tuple[Any, ...], rules: RulesMap) -> None:
        self.inner[key] = rules
        self.stored = rules


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
        # Across stylings: path key -> (the rules Textual matched, None for none; its four _has_* flags), and
        # what a path key looks at, all for one rules map (a parse or a theme starts them again).
        self._kept: dict[tuple[Any, ...], tuple[RulesMap | None, tuple[bool, bool, bool, bool]]] = {}
        self._kept_for: dict[str, list[RuleSet]] | None = None
        self._named: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())  # every #id, every pseudo-class
        self._keyable: dict[tuple[Any, ...], bool] = {}
        self._path: tuple[Any, ...] | None = None  # the key of the node being styled (its components use it)
        # False: no path keys, Textual's matching alone (the group's cache aside). The app's start, until its first
        # frame, adds a widget class's CSS with each new class mounted (nine rules maps before that frame), and each
        # new map threw the kept matches away and looked through every rule again for its ids and pseudo-classes.
        self.keep_paths = True

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

    def add_sources(self, sources: Iterable[CssSource]) -> bool:
        """Add each source as Textual adds it (a widget's default CSS by add_source, which keeps a source already
        there with its lowest tie-breaker; a file once, as App._load_screen_css reads it); True if any changed."""
        before = dict(self.source)
        for source in sources:
            if not source.is_default and self.has_source(*source.read_from):
                continue
            self.add_source(source.css, read_from=source.read_from, is_default_css=source.is_default,
                            tie_breaker=source.tie_breaker, scope=source.scope)
        return self.source != before

    def parse_ahead(self, sources: Iterable[CssSource]) -> None:
        """Parse what this sheet holds with `sources` added into the parses it keeps, on a copy, so that a thread
        other than the UI thread can do it: the UI thread's add_sources and reparse then find every source parsed.
        A source that does not parse is left to that reparse, which reports it as ever."""
        try:
            scratch = PlannerStylesheet(variables=dict(self._variables), parsed=self._parsed)
            scratch.source = dict(self.source)  # a copy: the UI thread may add a widget's source meanwhile
            scratch.add_sources(sources)
            scratch.parse()
        except Exception:
            return

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
        outer_path, self._path = self._path, self.path_key(node) if self.keep_paths else None
        try:
            path = self._path
            kept = self._kept.get(path) if path is not None else None
            if kept is not None:  # what Textual's matching gave this path before, as it gives it (rules, flags)
                rules, flags = kept
                (node._has_hover_style, node._has_focus_within, node._has_order_style, node._has_odd_or_even) = flags
                if rules is not None:  # none matched: Textual leaves the node's rules as they are
                    self.replace_rules(node, rules, animate=animate)
                self._process_component_classes(node)
                return
            recorder = _Recorder(cache if cache is not None else {})
            super().apply(node, animate=animate, cache=recorder)
            if path is not None and not recorder.hit:  # computed here (not the group's rules for a like node)
                if len(self._kept) >= KEPT_LIMIT:
                    self._kept.clear()
                self._kept[path] = (recorder.stored, (node._has_hover_style, node._has_focus_within,
                                                      node._has_order_style, node._has_odd_or_even))
        finally:
            self._batch, self._path = outer, outer_path

    def path_key(self, node: DOMNode) -> tuple[Any, ...] | None:
        """What every rule that could match `node` (or one of its components) can see: for each node from the
        app down, its type, classes, id (if a rule names it) and the pseudo-classes the stylesheet names. None
        when a rule for it names a pseudo-class that depends on siblings or descendants (:first-child,
        :focus-within, :empty...), which Textual leaves out of its own cache too."""
        rules_map = self.rules_map
        if self._kept_for is not rules_map:  # parsed again (a new screen's CSS, a theme): match afresh
            self._kept.clear()
            self._keyable.clear()
            self._kept_for = rules_map
            ids = frozenset(selector.name for rules in rules_map.values() for rule in rules
                            for selector_set in rule.selector_set for selector in selector_set.selectors
                            if selector.type == SelectorType.ID)
            named = set().union(*(rule.pseudo_classes for rules in rules_map.values() for rule in rules))
            self._named = ids, tuple(sorted(named - self._EXCLUDE_PSEUDO_CLASSES_FROM_CACHE))
        own = (type(node), node.classes, node._id)
        keyable = self._keyable.get(own)
        if keyable is None:
            names = set(node._selector_names)
            names |= {f".{component}" for component in node._get_component_classes()}
            keyable = self._keyable[own] = all(
                rule.pseudo_classes.isdisjoint(self._EXCLUDE_PSEUDO_CLASSES_FROM_CACHE)
                for name in names for rule in rules_map.get(name, ()))
        if not keyable:
            return None
        return self._path_of(node)

    def _path_of(self, node: DOMNode) -> tuple[Any, ...]:
        """`node`'s part of a path key after its parent's. Within one styling group the parent's is looked up in
        the group's cache (as Textual's own key trusts the parent not to change meanwhile): the app's theme
        pseudo-classes, read for every node, were most of the key's cost."""
        ids, pseudo_classes = self._named
        mine = ((type(node), node.classes, node._id if node._id in ids else None,
                 tuple([node.has_pseudo_class(name) for name in pseudo_classes])),)
        parent = node._parent
        if not isinstance(parent, DOMNode):
            return mine
        batch = self._batch
        if batch is None:
            return self._path_of(parent) + mine
        store: dict[tuple[Any, ...], Any] = batch  # ("path", node) is no Textual key (5-tuples from a node)
        known: tuple[Any, ...] | None = store.get(("path", parent))
        if known is None:
            known = store[("path", parent)] = self._path_of(parent)
        return known + mine

    def _process_component_classes(self, node: DOMNode) -> None:
        """Textual's, with each component's rules looked up first: kept under the node's path key (path_key), or
        else in the group's cache.

        A component's styles are those of a virtual node below `node`: what its rules can see is the path from
        the app to `node`, so two nodes with the same parent, type, classes, the pseudo-classes the rules name
        and (if a rule names it) id get the same rules. The cache lives for one group, as Textual's own node
        cache does, while no ancestor can change."""
        cache, path = self._batch, self._path
        components = node._get_component_classes()
        if not components or (cache is None and path is None):
            super()._process_component_classes(node)
            return
        refresh = False
        old = node._component_styles.copy()
        node._component_styles.clear()
        for component in sorted(components):
            virtual = DOMNode(classes=component)
            virtual._attach(node)
            if path is not None:  # the node's path key covers its components' rules (path_key)
                key: tuple[Any, ...] = ("component", component, path)
                kept = self._kept.get(key)
                rules = kept[0] if kept is not None else None
            else:
                ids, pseudo_classes = self._component_rule_facts(component, virtual)
                key = ("component", component, node._parent, type(node), node.classes,
                       node._id if node._id in ids else None,
                       tuple(node.has_pseudo_class(name) for name in pseudo_classes))
                rules = cache.get(key) if cache is not None else None
            if rules is None:
                found: dict[tuple[Any, ...], RulesMap] = {}
                super().apply(virtual, animate=False, cache=found)
                # Textual's apply caches nothing when no rule matched (no styles) or a rule names a pseudo-class
                # it leaves out of cache keys; the facts cover those (they are in `pseudo_classes`) either way.
                rules = next(iter(found.values()), None)
                if rules is None:
                    rules = dict(virtual.styles.base._rules)  # type: ignore[assignment]
                if path is not None:
                    self._kept[key] = (rules, (False, False, False, False))
                elif cache is not None:
                    cache[key] = rules  # type: ignore[assignment]
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
