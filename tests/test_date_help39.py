"""Every date option's help names the forms it reads (plan.parse_day: today, +4w, next monday), as the rotations'
did: `study add --help` and `exams add --help` said only YYYY-MM-DD."""

from __future__ import annotations

import click
import pytest

from imgcoach.cli.common import DateType
from tests.cli_helpers import run_cli


def _date_options() -> list[tuple[str, click.Option]]:
    from imgcoach.cli.main import cli

    found: list[tuple[str, click.Option]] = []

    def walk(command: click.Command, path: str) -> None:
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.type, DateType):
                found.append((path, param))
        if isinstance(command, click.Group):  # lazily loaded: asked by name, as --help asks
            context = click.Context(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None:
                    walk(sub, f"{path} {name}".strip())

    walk(cli, "")
    return found


def test_every_date_option_help_names_the_relative_forms() -> None:
    options = _date_options()
    assert {"study add", "exams add", "exams edit"} <= {path for path, _ in options}
    for path, option in options:
        assert "today" in (option.help or "") and "+4w" in (option.help or "") and "next monday" in (
            option.help or ""), (path, option.opts, option.help)


@pytest.mark.parametrize("command", [("study", "add"), ("exams", "add"), ("exams", "edit")])
def test_study_and_exam_help_names_the_forms_they_read(
        command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    shown = run_cli(capsys, *command, "--help")
    assert shown.code == 0
    text = " ".join(shown.out.split())
    assert "YYYY-MM-DD, today, tomorrow, +4w, -3d, +2m or next monday" in text, shown.out
