"""A refusal names the option the user typed, on every command.

Found on a new applicant's first hour (6 December): `cases add 1 "Sepsis" --on 2030-01-01` said "occurred_on:
after today", `log add --hours 200` "hours: 200 is not between 0 and 168", `log add --week` "week: ...",
`contacts add --email bad@` "email: ..." and `projects add --kind foo` "kind: ...": the names the rows store, or
the coach's own spelling, where `rotations add --end` says "--end". Only some commands turned a rule's field
error into the option's name (cli.common.fields_as_options); every command now does (cli.common.Command), and the
coach's field errors carry their field (coach.errors.CoachFieldError), so a form can place them too.
"""

from __future__ import annotations

from datetime import timedelta

import click
import pytest

from imgcoach.cli.common import Command
from imgcoach.cli.main import cli
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


@pytest.mark.parametrize(("words", "said"), [
    (("cases", "add", "{r}", "Sepsis", "--on", "{far}"), "--on: "),
    (("log", "add", "{r}", "--week", "{today}", "--hours", "200"), "--hours: not between 0 and 168"),
    (("log", "add", "{r}", "--week", "{far}", "--hours", "20"), "--week: outside rotation"),
    (("log", "feedback", "{r}", "--week", "{today}", "--feedback", " "), "--feedback: write down what you were told"),
    (("contacts", "add", "--name", "Dr. X", "--email", "bad@"), "--email: not a valid e-mail address"),
    (("projects", "add", "--kind", "poster", "--title", "T"), "--kind: unknown project kind"),
])
def test_a_refusal_names_the_option_typed(capsys: pytest.CaptureFixture[str], ctx: Context, db_url: str,
                                          rotation_under_way: int, cli_clock: FixedClock, words: tuple[str, ...],
                                          said: str) -> None:
    today = cli_clock.now().date()
    args = [w.format(r=rotation_under_way, today=today.isoformat(), far=(today + timedelta(days=400)).isoformat())
            for w in words]
    before = database_state(db_url)
    refused = run_cli(capsys, *args, "--db", db_url)
    assert refused.code == 2, refused
    assert refused.err.startswith(f"imgcoach: error: {said}"), refused.err
    assert database_state(db_url) == before


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += _commands(command, click.Context(command, parent=ctx), (*path, name))
        else:
            found.append((" ".join((*path, name)), command))
    return found


def test_every_command_says_its_options() -> None:
    """No command can forget it: each leaf of the CLI is a cli.common.Command (a group's command_class)."""
    commands = _commands(cli, click.Context(cli))
    assert len(commands) > 60
    assert [name for name, command in commands if not isinstance(command, Command)] == []
