"""Each feature's public API: every name resolves, the type checker's list and the run-time table agree,
and importing a light name from an API does not load the database stack (the CLI and the first paint
depend on it)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

FEATURES = ["plan", "reminders", "calendar", "matching", "coach"]
PACKAGE = Path(__file__).resolve().parents[1] / "imgcoach"


def _declared(feature: str) -> tuple[set[str], dict[str, tuple[str, str]], set[str]]:
    """(names imported under TYPE_CHECKING, the _HOMES table, __all__) as written in the __init__."""
    tree = ast.parse((PACKAGE / feature / "__init__.py").read_text())
    typed: set[str] = set()
    homes: dict[str, tuple[str, str]] = {}
    exported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # if TYPE_CHECKING:
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module
                for alias in imp.names:
                    public = alias.asname or alias.name
                    typed.add(public)
                    submodule = imp.module.removeprefix(f"imgcoach.{feature}.")
                    assert homes.setdefault(public, (submodule, alias.name)) == (submodule, alias.name)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id == "_HOMES":
                table = ast.literal_eval(node.value)
            elif node.targets[0].id == "__all__":
                exported = set(ast.literal_eval(node.value))
    assert table == homes, "the TYPE_CHECKING imports and _HOMES must name the same things in the same places"
    return typed, table, exported


@pytest.mark.parametrize("feature", FEATURES)
def test_every_public_name_resolves_to_where_the_type_checker_looks(feature: str) -> None:
    typed, homes, exported = _declared(feature)
    assert typed == exported == set(homes)
    api = importlib.import_module(f"imgcoach.{feature}")
    for name, (submodule, attribute) in homes.items():
        home = importlib.import_module(f"imgcoach.{feature}.{submodule}")
        assert getattr(api, name) is getattr(home, attribute), name
    with pytest.raises(AttributeError, match="no_such_use_case"):
        api.no_such_use_case  # noqa: B018


@pytest.mark.parametrize("feature", FEATURES)
def test_public_names_do_not_shadow_submodules(feature: str) -> None:
    """Importing a submodule sets it as a package attribute: a public name equal to one would flip meaning."""
    _, homes, _ = _declared(feature)
    submodules = {p.stem for p in (PACKAGE / feature).iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert not submodules & set(homes)


def test_light_names_from_the_apis_do_not_load_the_database_stack() -> None:
    code = (
        "import sys\n"
        "from imgcoach.plan import ROTATION_KINDS, VISAS, OVERLOAD_HOURS, find_conflicts, read_plan_quickly\n"
        "from imgcoach.plan import read_listing_quickly, stored_answer_quickly\n"
        "from imgcoach.reminders import rotation_kind_label, REMINDER_STATUSES\n"
        "from imgcoach.matching import chance_sentence, pct\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlmodel', 'sqlalchemy', 'alembic'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_every_public_use_case_has_exactly_one_implementation() -> None:
    """Outside the faces, a name a feature API exports is defined only in its home module (two
    `retry_reminder`s and two `add_case`s drifted apart before: the app and the CLI called different copies).
    Two APIs may each export their own concept under one name (calendar's and matching's ImportReport)."""
    homes: dict[str, set[str]] = {}
    for feature in FEATURES:
        for name, (submodule, _) in _declared(feature)[1].items():
            home = PACKAGE / feature / (submodule.replace(".", "/") + ".py")
            if not home.exists():
                home = home.with_suffix("") / "__init__.py"
            homes.setdefault(name, set()).add(str(home.relative_to(PACKAGE)))
    strays: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        where = str(path.relative_to(PACKAGE))
        if where.split("/")[0] in ("cli", "tui"):  # faces name their handlers after the use case they call
            continue
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in homes
                    and where not in homes[node.name]):
                strays.setdefault(node.name, []).append(where)
    # Same name, different things: matching's programs import report; coach.cv's pure renderer under the
    # coach.render_cv use case; the digest's one-line Monday (reminders sit below plan and cannot import it).
    known = {"ImportReport": ["matching/programs.py"], "render_cv": ["coach/cv.py"],
             "monday_of": ["reminders/mail/digest.py"]}
    assert strays == known
