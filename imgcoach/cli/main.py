"""The `imgcoach` entry point.

Subcommands live in their own modules and are imported only when used, so `imgcoach daemon`
never pays for the Textual import and `imgcoach --version` is instant.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from imgcoach import __version__
from imgcoach.cli.common import State, err, exit_code_for
from imgcoach.errors import UserError

# name -> "module:attribute". Add a line to register a new command group.
COMMANDS: dict[str, str] = {
    "profile": "imgcoach.cli.profile_cmds:profile",
    "rotations": "imgcoach.cli.rotation_cmds:rotations",
    "exams": "imgcoach.cli.exam_cmds:exams",
    "study": "imgcoach.cli.study_cmds:study",
    "contacts": "imgcoach.cli.people_cmds:contacts",
    "letters": "imgcoach.cli.people_cmds:letters",
    "reminders": "imgcoach.cli.reminder_cmds:reminders",
    "demo": "imgcoach.cli.demo_cmd:demo",
    "app": "imgcoach.cli.app_cmd:app",
    "readiness": "imgcoach.cli.coach_cmds:readiness",
    "outreach": "imgcoach.cli.coach_cmds:outreach",
    "log": "imgcoach.cli.coach_cmds:log",
    "cases": "imgcoach.cli.coach_cmds:cases",
    "projects": "imgcoach.cli.coach_cmds:projects",
    "cv": "imgcoach.cli.coach_cmds:cv",
    "packet": "imgcoach.cli.coach_cmds:packet",
    "stories": "imgcoach.cli.coach_cmds:stories",
    "progress": "imgcoach.cli.coach_cmds:progress",
    "daemon": "imgcoach.cli.daemon_cmds:daemon",
    "mail": "imgcoach.cli.daemon_cmds:mail",
    "import": "imgcoach.cli.calendar_cmds:import_cmd",
    "programs": "imgcoach.cli.matching_cmds:programs",
    "shortlist": "imgcoach.cli.matching_cmds:shortlist",
    "export": "imgcoach.cli.calendar_cmds:export_cmd",
    "db": "imgcoach.cli.db_cmds:db",
}

# Modules that add subcommands to an existing group (imported before the CLI runs).
EXTRA_COMMAND_MODULES: list[str] = ["imgcoach.cli.daemon_cmds"]


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        for extra in EXTRA_COMMAND_MODULES:
            importlib.import_module(extra)
        return command


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH", help="Database file or URL (default: IMGCOACH_DB, then the user data folder).")
@click.version_option(__version__, prog_name="imgcoach")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Plan exams, clinical rotations, letters and applications. With no command, opens the app."""
    ctx.ensure_object(State).db = db
    if ctx.invoked_subcommand is None:
        from imgcoach.cli.app_cmd import run_app

        run_app(db)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: user errors exit 2 with one line, internal errors exit 1."""
    try:
        cli.main(args=argv, prog_name="imgcoach", standalone_mode=False)
    except click.exceptions.Abort:
        err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except UserError as exc:
        err(str(exc))
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # an internal error: one line, the traceback only on request
        if os.environ.get("IMGCOACH_DEBUG"):
            raise
        err(f"internal error: {type(exc).__name__}: {exc} (set IMGCOACH_DEBUG=1 for the traceback)")
        sys.exit(exit_code_for(exc))


