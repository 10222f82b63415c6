"""The README says its pictures "are the app's own snapshot tests, so they show what the app draws": they are
copies of the snapshot files, byte for byte. They had drifted (the letters board still said "4 pending
reminder(s)" and asked for a letter in words the app no longer writes)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = REPO / "tests" / "__snapshots__" / "test_tui_snapshots"
PICTURES = {
    "timeline.svg": "test_screen_snapshot[timeline-120x40].svg",
    "letters.svg": "test_screen_snapshot[letters-120x40].svg",
}


def test_every_picture_the_readme_shows_is_listed_here() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = {name for name in PICTURES if f"docs/screenshots/{name}" in readme}
    on_disk = {path.name for path in (REPO / "docs" / "screenshots").glob("*.svg")}
    assert shown == on_disk == set(PICTURES)


@pytest.mark.parametrize(("picture", "snapshot"), sorted(PICTURES.items()))
def test_the_readme_picture_is_the_snapshot(picture: str, snapshot: str) -> None:
    copy, source = REPO / "docs" / "screenshots" / picture, SNAPSHOTS / snapshot
    assert copy.read_bytes() == source.read_bytes(), f"stale: cp '{source.relative_to(REPO)}' docs/screenshots/{picture}"
