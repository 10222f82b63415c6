"""The schema revisions this imgcoach knows, recorded from the migration scripts when they change.

Why a constant: every command opens the database, and asking Alembic whether a migration is due costs
its import (about 0.5 s on a loaded machine) plus a walk of the scripts. Opening now reads
``alembic_version`` with one query and compares it with HEADS; Alembic is imported only when they
differ (a migration is due, a new or foreign file). tests/test_schema_version.py checks these constants
against Alembic's own view of imgcoach/storage/migrations/versions, so a new migration without a
regenerated constant fails the suite. Regenerate with ``python -m imgcoach.storage.schema_version``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# --- generated: do not edit by hand (python -m imgcoach.storage.schema_version) ---
HEADS: frozenset[str] = frozenset({"0002_us_citizen", "calendar_0001", "coach_0001", "daemon_0001", "matching_0001"})
# --- end generated ---

_GENERATED = re.compile(r"(# --- generated:[^\n]*\n)(.*?)(# --- end generated ---)", re.DOTALL)


def render(heads: frozenset[str]) -> str:
    names = ", ".join(f'"{h}"' for h in sorted(heads))
    return f"HEADS: frozenset[str] = frozenset({{{names}}})\n"


def regenerate(path: Path | None = None) -> bool:
    """Rewrite HEADS in this file from the migration scripts; True if it changed."""
    from imgcoach.storage.quickread import known_heads

    target = path or Path(__file__)
    text = target.read_text(encoding="utf-8")
    updated = _GENERATED.sub(lambda m: m.group(1) + render(known_heads()) + m.group(3), text, count=1)
    if updated == text:
        return False
    target.write_text(updated, encoding="utf-8")
    return True


if __name__ == "__main__":
    changed = regenerate()
    print("schema_version.py updated" if changed else "schema_version.py already matches the migrations")
    sys.exit(0)
