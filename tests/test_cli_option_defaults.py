"""Every option's default is a value the option accepts.

Found by a new user's sequence: `outreach accept 2 --start ... --end ...` answered "Invalid value for
'--setting': '' is not one of 'inpatient', 'outpatient', 'mixed'" (exit 2) for an option nobody typed: click
checks a default against the choices too, and "" (not said) is not one of them. A choice's "not said" is None.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
from click._utils import UNSET  # click's "no default given" (8.3+)

from imgcoach.cli.main import cli


def _commands(group: click.Group, ctx: click.Context, path: str = "imgcoach") -> Iterator[tuple[str, click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{path} {name}"
        yield f"{path} {name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, click.Context(command, parent=ctx), f"{path} {name}")


def test_every_choice_default_is_one_of_its_choices() -> None:
    ctx = click.Context(cli)
    checked, wrong = 0, []
    for path, command in _commands(cli, ctx):
        for param in command.params:
            if not isinstance(param, click.Option) or not isinstance(param.type, click.Choice):
                continue
            checked += 1
            default = param.default
            if default is None or default is UNSET or callable(default):
                continue
            values = default if param.multiple and isinstance(default, (list, tuple)) else [default]
            wrong += [f"{path} {param.opts[0]}={v!r}" for v in values if str(v) not in param.type.choices]
    assert checked > 10, "the walk reached the commands' choice options"
    assert wrong == []
