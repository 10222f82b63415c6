"""The Alembic heads this code's models match, recorded when a migration is added (generated, checked by a test).

Why a constant: the app's first paint (storage.quickread) must know, without importing Alembic or
SQLAlchemy and without parsing migration scripts, whether a database has exactly the schema this code
reads. It compares the database's ``alembic_version`` rows with this set. tests/test_tui_quickread.py
checks the set against Alembic's own heads; after adding a migration, regenerate it:

    .venv/bin/python -m imgcoach.storage.schema_heads
"""

from __future__ import annotations

SCHEMA_HEADS: frozenset[str] = frozenset({
    "0018_event_start_indexes",
})


def alembic_heads() -> frozenset[str]:
    """The heads of the migration scripts as Alembic computes them (imports Alembic: tests and tooling only)."""
    from importlib import resources

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("imgcoach.storage") / "migrations"))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def main() -> None:
    """Rewrite SCHEMA_HEADS in this file from the migration scripts."""
    import re
    from pathlib import Path

    path = Path(__file__)
    listed = "".join(f'    "{head}",\n' for head in sorted(alembic_heads()))
    text = re.sub(r"SCHEMA_HEADS: frozenset\[str\] = frozenset\(\{\n.*?\}\)",
                  lambda _: "SCHEMA_HEADS: frozenset[str] = frozenset({\n" + listed + "})",
                  path.read_text(encoding="utf-8"), count=1, flags=re.DOTALL)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
