"""`make bench`: run every bench/bench_*.py module in turn, each in its own process.

    python -m bench [NAME ...]          # the listed modules, or all but bench_scale
    python -m bench --scale 10|100      # issue 17's databases: demo -> 10x (-> 100x), see bench/bench_scale.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCALED = "bench_scale"  # builds large databases: only with --scale


def main() -> int:
    args = sys.argv[1:]
    if args and args[0].startswith("--scale"):
        return subprocess.run([sys.executable, "-m", f"bench.{SCALED}", *args]).returncode
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py") if p.stem != SCALED)
    wanted = args or names
    failed = []
    for name in wanted:
        print(f"\n=== {name} ===", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"]).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
