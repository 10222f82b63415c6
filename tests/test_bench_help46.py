"""`python -m bench.bench_tui --help` printed nothing and ran the whole bench (building a 5-year plan first):
help and an option it does not know now say what the bench takes, and nothing runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench_tui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.bench_tui", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_help_prints_the_usage_and_runs_nothing() -> None:
    done = _bench_tui("--help")
    assert done.returncode == 0, done.stderr
    assert "--switches" in done.stdout and "--ab OLD_TREE" in done.stdout
    assert "large plan built" not in done.stdout


def test_an_unknown_option_is_refused() -> None:
    done = _bench_tui("--swtiches")
    assert done.returncode == 2 and "--switches" in done.stdout and "large plan built" not in done.stdout
