"""The `/` search's matching rule, pure: a row matches when every word and facet of the filter does.

Every word must occur in the row's visible text (case-insensitive, in any order). A screen may also name
facets (`state:NY`, `tier:likely`, `visa:h1b`: the row's value starts with one of the comma-separated
values, compared without case or hyphens) and flags (a bare `plan` keeps only the rows that need your
plan). A `name:value` whose name is not a facet of the screen is an ordinary word, so "10:30" still works.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text


def _fold(text: str) -> str:
    return text.casefold().strip()


def _fold_value(text: str) -> str:
    """Facet values compare without case, spaces or hyphens: "H-1B", "h1b" and "H1B" are one visa."""
    return _fold(text).replace("-", "").replace(" ", "")


@dataclass(frozen=True)
class RowFacts:
    """What a filter can see of one row: its visible text, and the facets and flags the screen gives it."""

    text: str
    facets: Mapping[str, Collection[str]] = field(default_factory=dict)
    flags: Collection[str] = ()

    @classmethod
    def of(cls, cells: Iterable[Any], facets: Mapping[str, Iterable[str]] | None = None,
           flags: Iterable[str] = (), also: Iterable[str] = ()) -> RowFacts:
        """`also`: text the row stands for but shows clipped (a program's whole name)."""
        text = " ".join([*(cell.plain if isinstance(cell, Text) else str(cell) for cell in cells), *also])
        folded = {_fold(name): frozenset(_fold_value(v) for v in values if v) for name, values in (facets or {}).items()}
        return cls(_fold(text), folded, frozenset(_fold(f) for f in flags))


@dataclass(frozen=True)
class Filter:
    """A parsed filter; empty when nothing is typed (every row matches)."""

    words: tuple[str, ...] = ()
    facets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.facets or self.flags)

    def matches(self, row: RowFacts) -> bool:
        return (all(word in row.text for word in self.words)
                and all(flag in row.flags for flag in self.flags)
                and all(any(value.startswith(wanted) for value in row.facets.get(name, ()) for wanted in alternatives)
                        for name, alternatives in self.facets))


def parse_filter(text: str, facet_names: Collection[str] = (), flag_names: Collection[str] = ()) -> Filter:
    """Words, `facet:value[,value]` for the screen's facets, and the screen's bare flags.

    A facet with nothing after the colon yet ("state:") is ignored, so the rows do not vanish mid-typing.
    """
    facets_known = {_fold(name) for name in facet_names}
    flags_known = {_fold(name) for name in flag_names}
    words: list[str] = []
    facets: list[tuple[str, tuple[str, ...]]] = []
    flags: list[str] = []
    for token in _fold(text).split():
        name, colon, value = token.partition(":")
        if colon and name in facets_known:
            alternatives = tuple(v for v in (_fold_value(part) for part in value.split(",")) if v)
            if alternatives:
                facets.append((name, alternatives))
        elif token in flags_known:
            flags.append(token)
        else:
            words.append(token)
    return Filter(tuple(words), tuple(facets), tuple(flags))
