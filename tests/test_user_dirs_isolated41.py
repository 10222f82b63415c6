"""The tests see neither the developer's home nor their IMGCOACH_* settings (conftest.isolated_user_dirs).

Before, only the data and config folders were redirected: a developer with a file at the demo's CV path
(`~/Documents/residency/...`) saw the profile and letters snapshots fail (the CV check expands `~` in the
real home), and one with IMGCOACH_APPLICANT set saw CLI tests refused ("no applicant ..."). The first three
tests state what each test can rely on; the last runs them in a fresh pytest whose environment is hostile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from tests.cli_helpers import run_cli
from tests.conftest import REPO

DEMO_CV = "~/Documents/residency/CV_Amina_Rahman.pdf"  # imgcoach.demo's applicant: a path under the home


def test_home_and_the_xdg_folders_are_the_tests_own(tmp_path_factory: pytest.TempPathFactory) -> None:
    import platformdirs

    base = tmp_path_factory.getbasetemp()
    home = Path(os.environ["HOME"])
    assert home.is_relative_to(base) and Path("~").expanduser() == home
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        assert Path(os.environ[variable]).is_relative_to(home), variable
    assert Path(platformdirs.user_config_dir("imgcoach")).is_relative_to(home)


def test_the_demo_cv_path_is_looked_for_in_the_tests_home() -> None:
    from imgcoach.plan.profile import document_problem

    assert document_problem(DEMO_CV) == "does not exist (yet); the packet will leave it out until it does"


def test_no_imgcoach_variable_of_the_developer_reaches_a_command(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from imgcoach.core.settings import Settings, load_settings

    assert load_settings() == Settings()
    shown = run_cli(capsys, "--db", db_url, "profile", "show", "--json")
    assert shown.code == 0 and shown.json()["name"] == "Test Applicant", shown


@pytest.mark.sqlite_only
def test_a_hostile_home_and_environment_change_no_outcome(tmp_path: Path, db_engine: str) -> None:
    hostile = tmp_path / "developer"
    config = hostile / ".config" / "imgcoach"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("[reminders]\nhour = 99\n")  # refused by load_settings
    cv = Path(str(hostile) + DEMO_CV[1:])
    cv.parent.mkdir(parents=True)
    cv.write_bytes(b"%PDF-1.4 the developer's own CV\n")
    env = {**os.environ, "HOME": str(hostile), "XDG_CONFIG_HOME": str(hostile / ".config"),
           "IMGCOACH_CONFIG_DIR": str(config), "IMGCOACH_DATA_DIR": str(hostile / "data"),
           "IMGCOACH_APPLICANT": "nobody@example.com", "IMGCOACH_FULL_READ": "1", "PYTHONPATH": str(REPO)}
    inner = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--engines", "sqlite",
         f"{Path(__file__).relative_to(REPO)}", "-k", "not hostile"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert inner.returncode == 0, inner.stdout[-3000:]
    assert "3 passed" in inner.stdout, inner.stdout[-3000:]
