"""`make bench`'s reference for issue 17 ("every read command faster than `khal list` in the same run"): bench_cli
timed khal only where it happened to be installed, so on a machine without it the goal went unmeasured. `make
bench` now installs khal into a venv of its own under .bench-cache/ when none is there, and hands it to bench_cli;
`make test` and `make run` install nothing of it. Read from make's dry run (-n: the recipes printed, none run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(*targets: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "IMGCOACH_BENCH_KHAL"}
    proc = subprocess.run(["make", "-n", *targets], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_make_bench_gets_khal_for_its_reference() -> None:
    recipe = _dry_run("bench")
    assert "pip install" in recipe and "khal==" in recipe, recipe  # when neither PATH nor the cache has one
    assert ".bench-cache/khal-venv" in recipe, recipe
    assert "IMGCOACH_BENCH_KHAL=" in recipe, "bench_cli is not told where that khal is"


@pytest.mark.parametrize("target", ["test", "run"])
def test_test_and_run_install_no_khal(target: str) -> None:
    assert "khal" not in _dry_run(target)
