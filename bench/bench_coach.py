"""Coach benchmark: readiness for the demo applicant and for a large plan, against a same-run baseline.

Baseline: a stdlib pass over the same rotations that only adds up their weeks (the least work any
readiness check must do). The ratio says how much the full set of checks costs on top of that.
Run: .venv/bin/python -m bench.bench_coach
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from imgcoach.coach.models import Letter, Plan, Rotation, RotationKind
from imgcoach.coach.readiness import evaluate
from imgcoach.coach.sample import sample_data
from imgcoach.coach.thresholds import load_thresholds

TODAY = date(2026, 11, 25)


def large_plan(n_rotations: int = 5000, n_specialties: int = 40) -> Plan:
    """SYNTHETIC: many rotations, letters and target specialties, to show how the checks scale."""
    base = sample_data(TODAY).plan
    specialties = tuple(f"Specialty {i}" for i in range(n_specialties))
    start = TODAY - timedelta(days=3 * 365)
    rotations = tuple(
        Rotation(i, RotationKind.EXTERNSHIP if i % 3 else RotationKind.OBSERVERSHIP, specialties[i % n_specialties],
                 f"Hospital {i}", start + timedelta(days=i % 1500), start + timedelta(days=i % 1500 + 27),
                 supervisor=f"Dr {i}", feedback_asked_on=start + timedelta(days=i % 1500 + 14) if i % 4 else None)
        for i in range(n_rotations)
    )
    letters = tuple(Letter(f"Dr {i}", "agreed", i) for i in range(0, n_rotations, 7))
    return replace(base, applicant=replace(base.applicant, target_specialties=specialties), rotations=rotations,
                   letters=letters)


def baseline(plan: Plan) -> int:
    return sum(math.ceil(((r.end - r.start).days + 1) / 7) for r in plan.rotations if r.country == "US")


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def measure(label: str, plan: Plan, rounds: int) -> None:
    t = load_thresholds()
    evaluate(plan, TODAY, t)  # warm caches
    ratios, checks, bases = [], [], []
    for _ in range(rounds):  # interleaved pairs, the ratio of each pair
        b = min(timed(lambda: baseline(plan), 3))
        c = timed(lambda: evaluate(plan, TODAY, t), 1)[0]
        bases.append(b)
        checks.append(c)
        ratios.append(c / b)
    print(f"{label}: {len(plan.rotations)} rotations, {len(plan.applicant.target_specialties)} specialties")
    print(f"  readiness   median {statistics.median(checks) * 1000:9.3f} ms  (min {min(checks) * 1000:.3f})")
    print(f"  baseline    median {statistics.median(bases) * 1000:9.3f} ms  (sum of weeks, stdlib)")
    print(f"  ratio       median {statistics.median(ratios):9.1f}x baseline")


def main() -> None:
    demo = sample_data(TODAY).plan
    measure("demo applicant (synthetic)", demo, rounds=200)
    measure("large plan (synthetic)", large_plan(), rounds=10)


if __name__ == "__main__":
    main()
