"""CLI start-up: `--help` and `--version` import no command module and no SQLAlchemy (issue 17)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from imgcoach.cli.main import COMMANDS, SUMMARIES, _load


@pytest.mark.parametrize("limit", [30, 45, 60, 200])
@pytest.mark.parametrize("name", COMMANDS)
def test_summary_is_the_commands_own_short_help(name: str, limit: int) -> None:
    """--help lists SUMMARIES; each must read exactly as click would have shown the command's own help."""
    command = _load(name)
    assert command is not None
    assert click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit) == command.get_short_help_str(limit)


_PROBE = (
    "import sys\n"
    "from imgcoach.cli.main import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "except SystemExit:\n    pass\n"
    "loaded = sorted(m for m in sys.modules if m.startswith(('imgcoach.cli.', 'sqlalchemy', 'sqlmodel', 'alembic'))\n"
    "                and m not in ('imgcoach.cli.main', 'imgcoach.cli.common', 'imgcoach.cli.quick'))\n"
    "print('LOADED', loaded, file=sys.stderr)\n"
)


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_nothing_heavy(flag: str) -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE, flag], capture_output=True, text=True, timeout=120)
    assert "Usage: imgcoach" in out.stdout if flag == "--help" else out.stdout.startswith("imgcoach, version")
    assert "LOADED []" in out.stderr, out.stderr


def test_help_lists_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "imgcoach", "--help"], capture_output=True, text=True, timeout=120)
    listed = [line.split()[0] for line in out.stdout.split("Commands:", 1)[1].splitlines() if line.startswith("  ")]
    assert listed == sorted(COMMANDS)


def test_version_is_clicks_own_text_without_importing_click() -> None:
    from click.testing import CliRunner

    from imgcoach.cli.main import cli

    expected = CliRunner().invoke(cli, ["--version"]).output
    probe = ("import sys\nfrom imgcoach.cli import main\nmain(['--version'])\n"
             "print('CLICK' if 'click' in sys.modules else 'NO CLICK', file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.stdout == expected
    assert out.stderr.strip() == "NO CLICK"
    script = subprocess.run([str(Path(sys.executable).with_name("imgcoach")), "--version"], capture_output=True,
                            text=True, timeout=120)
    assert script.stdout == expected, "the installed entry point is imgcoach.cli:main (run make install)"


@pytest.mark.parametrize("columns", ["200", "80", "79", "50"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_top_level_help_is_clicks_own_text_and_imports_no_click_on_a_wide_terminal(flag: str, columns: str) -> None:
    """`imgcoach --help` is answered from imgcoach/cli/top_help.txt; if this fails after a change to a command's
    help, regenerate the file: `python -m imgcoach.cli.top_help`."""
    import os

    env = {**os.environ, "COLUMNS": columns}
    expected = subprocess.run([sys.executable, "-c", "from imgcoach.cli.main import main; main(['--help'])"],
                              capture_output=True, text=True, timeout=120, env=env).stdout
    probe = (f"import sys\nfrom imgcoach.cli import main\nmain([{flag!r}])\n"
             "print('CLICK' if 'click' in sys.modules else 'NO CLICK', file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
    assert out.stdout == expected, "top_help.txt is stale: run `python -m imgcoach.cli.top_help`"
    assert out.stderr.strip() == ("NO CLICK" if int(columns) >= 80 else "CLICK")
