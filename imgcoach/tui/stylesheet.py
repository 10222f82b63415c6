"""A Textual stylesheet that parses each CSS source once per set of variables.

Textual re-parses every source (the default CSS of every widget class, the app's and each screen's file)
in a fresh stylesheet whenever a screen with its own CSS file is first shown, and on a theme change. On
the large plan that was about a third of a screen's first visit (0.2-0.6 s on the loaded 2-core machine).
What a source parses to depends only on its text, where it came from, its priority and scope, and the
CSS variables (the theme), so the parsed rules are kept and reused for the same key: the rules and
their order are exactly those a full re-parse gives.
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import CSSLocation, Stylesheet


class PlannerStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None,
                 parsed: dict[tuple[Any, ...], list[RuleSet]] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed: dict[tuple[Any, ...], list[RuleSet]] = {} if parsed is None else parsed
        self._variables_key = tuple(sorted(self._variables.items()))

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
