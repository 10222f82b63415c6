"""Where the real-world ICS corpus is: in the repository once copied there, else the shared folder.

The shared folder sits beside the canonical checkout (/work/shared next to /work/main) but two levels
higher for a worktree (/work/wt/NAME), so a fixed ``parents[2]`` silently turned the corpus tests into skips
there. This looks in the repository first, then in every ancestor folder.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
IN_REPOSITORY = TESTS / "data" / "ics" / "corpus"


def corpus_dir() -> Path:
    """The folder holding SOURCES.md and the corpus files (may not exist: callers skip with its path)."""
    if (IN_REPOSITORY / "SOURCES.md").exists():
        return IN_REPOSITORY
    for folder in TESTS.parents:
        candidate = folder / "shared" / "corpus" / "ics"
        if (candidate / "SOURCES.md").exists():
            return candidate
    return IN_REPOSITORY
