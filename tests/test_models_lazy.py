"""storage.models loads a model's module on first use (issue 15: the app's full snapshot imports only the plan's
tables). What that must keep: every foreign key of every table loaded names a table loaded with it, and
register_all() puts every table on the metadata. Each in a process of its own (this one has every model loaded)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from imgcoach.storage.models import _MODULES

LOAD_ONE = """
import sys
from sqlmodel import SQLModel
from imgcoach.storage import models

getattr(models, sys.argv[1])
for table in SQLModel.metadata.tables.values():
    for key in table.foreign_keys:
        key.column  # raises NoReferencedTableError when the table it names is not loaded
print("TABLES", *sorted(SQLModel.metadata.tables))
"""


@pytest.mark.parametrize("module", sorted(_MODULES))
def test_a_model_loads_with_every_table_its_foreign_keys_name(module: str) -> None:
    name = _MODULES[module][0]
    out = subprocess.run([sys.executable, "-c", LOAD_ONE, name], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "TABLES" in out.stdout


def test_register_all_puts_every_model_on_the_metadata() -> None:
    script = ("from sqlmodel import SQLModel\nfrom imgcoach.storage.models import __all__, register_all\n"
              "register_all()\nimport imgcoach.storage.models as m\n"
              "print(len(SQLModel.metadata.tables), sum(hasattr(getattr(m, n), '__table__') for n in __all__),"
              " len(__all__) - 1)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    tables, models, named = (int(v) for v in out.stdout.split())
    assert tables == models == named, out.stdout  # one table per model, every model in __all__ (and register_all)
