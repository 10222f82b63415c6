"""`make bench SCALE=100` after a `make bench` stopped at once with IsADirectoryError, having deleted the khal venv's
pyvenv.cfg: clearing the builds of older code versions emptied every folder in .bench-cache, the khal venv `make
bench` installs there for bench_cli's reference too. The builds now have a folder of their own, and only builds of
other versions are removed from it."""

from __future__ import annotations

from pathlib import Path

from bench import bench_scale


def test_the_builds_live_apart_from_the_rest_of_the_cache() -> None:
    assert bench_scale.BUILDS.parent == bench_scale.CACHE and bench_scale.BUILDS != bench_scale.CACHE / "khal-venv"


def test_stale_builds_go_and_nothing_else(tmp_path: Path) -> None:
    cache = tmp_path / ".bench-cache"
    khal = cache / "khal-venv"
    (khal / "lib" / "python3.11").mkdir(parents=True)
    (khal / "pyvenv.cfg").write_text("home = /usr/bin\n")
    builds = cache / "scale"
    keep, stale = builds / "new", builds / "old"
    keep.mkdir(parents=True)
    (keep / "100x.sqlite").write_bytes(b"kept")
    (stale / "nested").mkdir(parents=True)
    (stale / "100x.sqlite").write_bytes(b"stale")
    bench_scale.drop_stale_builds(builds, keep)
    assert sorted(p.name for p in builds.iterdir()) == ["new"]
    assert (keep / "100x.sqlite").read_bytes() == b"kept"
    assert (khal / "pyvenv.cfg").read_text() == "home = /usr/bin\n" and (khal / "lib" / "python3.11").is_dir()
