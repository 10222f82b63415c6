"""Lazy public APIs (PEP 562): a feature's ``__init__`` names its API without importing it.

Why lazy: `imgcoach --version` and the app's first paint must not load SQLAlchemy, yet the faces import
light names (vocabularies, labels) from the same feature APIs as the database use cases. Each API module
lists its names twice: under ``if TYPE_CHECKING`` as ordinary imports (so type checkers and import-linter
follow every name to its module) and in a table this helper reads at run time. tests/test_public_api.py
checks that the two lists agree and that every name resolves.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_api(package: str, homes: Mapping[str, tuple[str, str]]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: public name -> (submodule, attribute in it)."""

    def __getattr__(name: str) -> object:
        try:
            submodule, attribute = homes[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{package}.{submodule}"), attribute)
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # cached: the next lookup is an ordinary attribute
        return value

    def __dir__() -> list[str]:
        return sorted(homes)

    return __getattr__, __dir__
