"""Small timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable


def time_call(fn: Callable[[], object], repeat: int = 5) -> list[float]:
    """Wall-clock seconds of `fn()` over `repeat` runs."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def time_command(args: list[str], repeat: int = 7, env: dict[str, str] | None = None) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env=env)
        out.append(time.perf_counter() - start)
    return out


def time_interleaved(commands: dict[str, tuple[list[str], dict[str, str] | None]],
                     repeat: int = 9, before: dict[str, Callable[[], object]] | None = None) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, run in turn round after round: on a shared, noisy machine a slow
    spell then slows every command alike instead of whichever happened to be running (A/B interleaved).
    `before`: per label, a step run (untimed) just before each of its runs, e.g. a write that makes it the
    first read after a write."""
    out: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, (args, env) in commands.items():
            if before and label in before:
                before[label]()
            start = time.perf_counter()
            subprocess.run(args, check=True, capture_output=True, env=env)
            out[label].append(time.perf_counter() - start)
    return out


def med(values: list[float]) -> float:
    return statistics.median(values)


def report(label: str, values: list[float], baseline: float | None = None, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1
    line = f"{label:<48} median {med(values) * scale:8.1f} {unit}  (min {min(values) * scale:.1f})"
    if baseline:
        line += f"  ratio {med(values) / baseline:5.2f}x"
    print(line, flush=True)


PYTHON = sys.executable
