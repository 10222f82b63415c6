"""A command group typed without its subcommand shows its help as help, not as one run-together error line.

`imgcoach reminders` printed "Usage: imgcoach reminders [OPTIONS] COMMAND [ARGS]...    The reminder outbox.
Options:   -h, --help ..." on one line: click shows a group's help when no subcommand is given, and the error
handler flattened it like any error message. The help now keeps its lines (still on stderr, exit 2 as click
gives it), for every group.
"""

from __future__ import annotations

import click
import pytest

from tests.cli_helpers import run_command


def _groups() -> list[str]:
    from imgcoach.cli.main import cli

    ctx = click.Context(cli)
    commands = {name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    # `daemon` alone runs the daemon: a group that acts without a subcommand is not asked here.
    return sorted(name for name, command in commands.items()
                  if isinstance(command, click.Group) and not command.invoke_without_command)


@pytest.mark.parametrize("group", _groups())
def test_a_group_without_its_subcommand_shows_its_help_line_by_line(
        group: str, capsys: pytest.CaptureFixture[str]) -> None:
    res = run_command(capsys, group)
    assert res.code == 2 and res.out == "", (res.code, res.out)
    lines = res.err.splitlines()
    assert lines[0] == f"Usage: imgcoach {group} [OPTIONS] COMMAND [ARGS]...", res.err
    assert "Commands:" in lines and "Options:" in lines, res.err
    assert len(lines) > 8, res.err
