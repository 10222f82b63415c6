"""The user's data and config folders found without importing platformdirs where its answer is certain (issue 17:
importing it was 5-7 ms of every quick read command): each environment below is a real subprocess whose folders
are compared with platformdirs' own, and a quick read run where the answer is certain loads no platformdirs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.test_cli_quickread import HEAVY, run

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the folders platformdirs gives on Linux")

_FOLDERS = """
import json, sys
from imgcoach.core import locations
found = [str(locations.config_dir()), str(locations.data_dir())]
used = "platformdirs" in sys.modules
import platformdirs
print(json.dumps({"found": found, "used": used,
                  "theirs": [platformdirs.user_config_dir("imgcoach", appauthor=False),
                             platformdirs.user_data_dir("imgcoach", appauthor=False)]}))
"""


def _folders(env: dict[str, str]) -> dict[str, object]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("IMGCOACH_", "XDG_", "ANDROID_")) and k != "HOME"}
    proc = subprocess.run([sys.executable, "-c", _FOLDERS], capture_output=True, text=True, timeout=60,
                          env={**base, **env}, check=True)
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("env", [
    {"HOME": "/home/amina"},
    {"HOME": "/home/amina/"},
    {"HOME": "/"},
    {"HOME": "/home/amina", "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": ""},
    {"HOME": "/home/amina", "XDG_CONFIG_HOME": "/srv/conf", "XDG_DATA_HOME": "/srv/data"},
    {"HOME": "/home/amina", "XDG_CONFIG_HOME": "relative/conf", "XDG_DATA_HOME": " "},
    {"HOME": "relative/home"},
    {"HOME": ""},
    {},
], ids=repr)
def test_the_folders_are_platformdirs_own(env: dict[str, str]) -> None:
    seen = _folders(env)
    assert seen["found"] == seen["theirs"], env
    certain = env.get("HOME", "").startswith("/") and not env.get("XDG_CONFIG_HOME")
    assert seen["used"] is not certain, f"{env}: platformdirs imported: {seen['used']}"


def test_a_quick_read_with_the_default_folders_loads_no_platformdirs(demo_ctx: Context, db_engine: str,
                                                                     tmp_path: Path) -> None:
    """`imgcoach rotations list` as a person runs it: no IMGCOACH_CONFIG_DIR, a home, no XDG variables."""
    if db_engine != "sqlite":
        pytest.skip("one engine is enough: the folders are found before any database is opened")
    url = demo_ctx.db.url
    demo_ctx.db.close()
    env = {k: "" for k in os.environ if k.startswith("XDG_")} | {"HOME": str(tmp_path), "IMGCOACH_CONFIG_DIR": "",
                                                                "IMGCOACH_DATA_DIR": ""}
    fast = run("--db", url, "rotations", "list", env=env)
    full = run("--db", url, "rotations", "list", env=env, full=True)
    assert (fast.code, fast.err, fast.out) == (full.code, full.err, full.out) and fast.code == 0
    assert not set(HEAVY) & fast.modules, "took the full path"
    assert "platformdirs" not in fast.modules
