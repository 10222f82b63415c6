"""`python -m bench.bench_cli --help` took "--help" as a filter word and ran the whole bench (building a
300-rotation plan, then minutes of timed commands): it now prints its arguments and runs nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_cli_help_names_its_arguments_and_runs_nothing() -> None:
    # The bench's first output is its build; a bench that started would time out here, not print usage.
    proc = subprocess.run([sys.executable, "-m", "bench.bench_cli", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m bench.bench_cli"), proc.stdout
    assert "WORD" in proc.stdout and "--rounds" in proc.stdout and "python -c pass" in proc.stdout, proc.stdout
