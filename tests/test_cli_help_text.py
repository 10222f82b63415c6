"""Every command says in `--help` what it does: `imgcoach study --help` listed "list" and "remove" with nothing
beside them (14 commands had no help line)."""

from __future__ import annotations

import click

from imgcoach.cli.main import cli


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((" ".join((*path, name)), command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, ctx, (*path, name)))
    return found


def test_every_command_has_a_help_line() -> None:
    with click.Context(cli) as ctx:
        commands = _commands(cli, ctx)
    assert len(commands) > 60
    silent = [name for name, command in commands if not command.get_short_help_str(limit=80).strip()]
    assert not silent, silent
