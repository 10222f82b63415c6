"""`make bench` is not part of `make test`, so a renamed or moved function would break a bench unseen
(bench_daemon imported `add_case` from its old home after the architecture change). Every name a bench
imports from imgcoach, at module level or inside a function, must exist."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _imports() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("imgcoach"):
                found += [(path.name, node.module, alias.name) for alias in node.names]
            elif isinstance(node, ast.Import):
                found += [(path.name, alias.name, "") for alias in node.names if alias.name.startswith("imgcoach")]
    return found


@pytest.mark.parametrize(("bench", "module", "name"), _imports())
def test_every_name_a_bench_imports_exists(bench: str, module: str, name: str) -> None:
    loaded = importlib.import_module(module)
    if name:
        assert hasattr(loaded, name) or importlib.util.find_spec(f"{module}.{name}") is not None, \
            f"{bench}: {module} has no {name}"
