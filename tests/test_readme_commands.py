"""The README's commands work as written on a fresh database (issue 15: a new user copies them first).

Each command is run by bash through an `imgcoach` on PATH, as a user's shell would run it after
`pipx install .`; only the demo's /tmp path is moved into the test's folder.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def _sh_commands(section: str) -> list[str]:
    """The `imgcoach ...` lines of the section's first ```sh block, backslash continuations joined, comments cut."""
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the section has a shell block"
    joined = block.group(1).replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "imgcoach" and len(words) > 1:  # a bare `imgcoach` opens the app
            commands.append(shlex.join(words))
    return commands


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH finds `imgcoach` (this checkout, run by this interpreter)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "imgcoach"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m imgcoach "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    root = str(README.parent)
    python_path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": python_path}


def _run(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, cwd=cwd, timeout=180)


def test_using_it_and_program_data_commands_run_on_a_fresh_database(shell_env: dict[str, str],
                                                                     tmp_path: Path) -> None:
    commands = _sh_commands(_section("## Using it")) + _sh_commands(_section("## Program data for the shortlist"))
    assert any("programs add" in c for c in commands) and any("shortlist" in c for c in commands)
    for command in commands:
        command = command.replace("/tmp/demo.sqlite", str(tmp_path / "demo.sqlite"))
        done = _run(command, shell_env, tmp_path)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    # The shortlist then lists the program the README added, not "no program data yet".
    assert "Example Medical Center" in _run("imgcoach shortlist", shell_env, tmp_path).stdout


def test_the_readme_completion_line_completes_commands_in_bash(shell_env: dict[str, str], tmp_path: Path) -> None:
    section = _section("### Shell completion")
    line = next(ln.split("#")[0].strip() for ln in section.splitlines() if "bash_source" in ln)
    # What bash does on `imgcoach rot<Tab>`: the completion function registered by the README's line fills COMPREPLY.
    script = (f"{line}\nCOMP_WORDS=(imgcoach rot); COMP_CWORD=1\n_imgcoach_completion imgcoach\n"
              'printf "%s\\n" "${COMPREPLY[@]}"')
    done = _run(script, shell_env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["rotations"]


def test_programs_template_names_a_mapping_file_that_exists(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a user's own folder: a path relative to the source tree finds nothing here
    result = run_cli(capsys, "programs", "template")
    assert result.code == 0
    named = [line.strip() for line in result.out.splitlines() if line.strip().endswith(".toml")]
    assert len(named) == 1, result.out
    path = Path(named[0])
    assert path.is_absolute() and path.is_file()
    assert "[columns]" in path.read_text(encoding="utf-8")
