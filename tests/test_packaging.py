"""The wheel carries what the code loads at run time: templates, migrations, styles, data files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_templates_and_migrations(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("imgcoach-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "imgcoach/storage/migrations/versions/0001_core.py" in names
    assert "imgcoach/storage/migrations/script.py.mako" in names
    assert "imgcoach/tui/app.tcss" in names
    emails = {n for n in names if n.startswith("imgcoach/templates/emails/")}
    for source in (REPO / "imgcoach" / "templates" / "emails").glob("*.j2"):
        assert f"imgcoach/templates/emails/{source.name}" in emails


def test_top_level_templates_is_the_package_folder() -> None:
    assert (REPO / "templates").resolve() == (REPO / "imgcoach" / "templates").resolve()
