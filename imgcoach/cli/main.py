"""The `imgcoach` entry point.

Subcommands live in their own modules and are imported only when used, so `imgcoach daemon`
never pays for the Textual import and `imgcoach --version` is instant.
"""

from __future__ import annotations

import os
import sys

import click

from imgcoach import __version__
from imgcoach.cli.common import (
    APPLICANT,
    APPLICANT_HELP,
    Group,
    State,
    discard_new_database,
    err,
    exit_code_for,
    reset_new_database,
)
from imgcoach.cli.quick import MESSAGE_LIMIT, one_line  # noqa: F401  (one rule with the quick read commands)
from imgcoach.core.errors import UserError

# Each command's first help sentence, so `imgcoach --help` lists them without importing any command module
# (that import was most of --help's time); tests/test_cli_startup.py checks them against the commands' own help.
# _load imports a group's module only when that command runs.
SUMMARIES: dict[str, str] = {
    "profile": "The applicant's profile.",
    "rotations": "Clinical rotations: observerships, externships, clinical jobs, research, volunteering.",
    "exams": "Exam results and booked exam dates (USMLE, OET, MCCQE, PLAB...).",
    "study": "Dedicated study blocks.",
    "contacts": "Supervisors, attendings and coordinators.",
    "letters": "Letters of recommendation.",
    "reminders": "The reminder outbox.",
    "demo": "Create the demo database (synthetic applicant, rotations, letters, reminders).",
    "app": "Open the planner.",
    "readiness": "Each readiness check: met, at risk or not met, with evidence and the next action.",
    "outreach": "Places written to for observerships and externships.",
    "log": "Weekly rotation log.",
    "cases": "Cases worth remembering, tagged for interview stories.",
    "projects": "Case reports, QI projects and research done during or beside rotations.",
    'cv': 'The "Clinical Experience in the US" section of a CV, from the rotations.',
    "packet": "The packet for a letter writer (name or contact id): one-page summary (PDF + Markdown), CV and statement.",
    "stories": "Interview stories mapped to the common questions.",
    "progress": "Progress updates to former supervisors (drafts you approve).",
    "daemon": "Send reminder e-mails as they fall due (foreground; SIGTERM or Ctrl-C stops it cleanly).",
    "mail": "E-mail settings and checks.",
    "events": "Imported calendar events: list them, remove the ones you do not want on the plan.",
    "import": "Import iCalendar (.ics) files: one transaction per file; an event is its UID, so a re-import (from this file or another) updates, never duplicates.",
    "programs": "Residency program data: import a CSV, override a field locally, list.",
    "shortlist": "The programs to apply to under your budget, with the estimated chance of matching.",
    "export": "Export rotations, study blocks, exams, letter deadlines and pending reminders as one .ics calendar.",
    "db": "The database: schema version and upgrade, integrity check, backup and restore.",
    "applicants": "The applicants in this database (advisers and organisations).",
}
COMMANDS: tuple[str, ...] = tuple(SUMMARIES)


def _load(name: str) -> click.Command | None:
    """The click command for `name`, imported on first use (ordinary imports, so tools can follow them).

    Add a case here and a name to COMMANDS to register a new command group.
    """
    command: click.Command
    match name:
        case "profile":
            from imgcoach.cli.profile_cmds import profile as command
        case "rotations":
            from imgcoach.cli.rotation_cmds import rotations as command
        case "exams":
            from imgcoach.cli.exam_cmds import exams as command
        case "study":
            from imgcoach.cli.study_cmds import study as command
        case "contacts":
            from imgcoach.cli.people_cmds import contacts as command
        case "letters":
            from imgcoach.cli.people_cmds import letters as command
        case "reminders":
            from imgcoach.cli.reminder_cmds import reminders as command
        case "demo":
            from imgcoach.cli.demo_cmd import demo as command
        case "app":
            from imgcoach.cli.app_cmd import app as command
        case "readiness":
            from imgcoach.cli.coach_cmds import readiness as command
        case "outreach":
            from imgcoach.cli.coach_cmds import outreach as command
        case "log":
            from imgcoach.cli.coach_cmds import log as command
        case "cases":
            from imgcoach.cli.coach_cmds import cases as command
        case "projects":
            from imgcoach.cli.coach_cmds import projects as command
        case "cv":
            from imgcoach.cli.coach_cmds import cv as command
        case "packet":
            from imgcoach.cli.coach_cmds import packet as command
        case "stories":
            from imgcoach.cli.coach_cmds import stories as command
        case "progress":
            from imgcoach.cli.coach_cmds import progress as command
        case "daemon":
            from imgcoach.cli.daemon_cmds import daemon as command
        case "mail":
            from imgcoach.cli.daemon_cmds import mail as command
        case "import":
            from imgcoach.cli.calendar_cmds import import_cmd as command
        case "events":
            from imgcoach.cli.calendar_cmds import events as command
        case "programs":
            from imgcoach.cli.matching_cmds import programs as command
        case "shortlist":
            from imgcoach.cli.matching_cmds import shortlist as command
        case "export":
            from imgcoach.cli.calendar_cmds import export_cmd as command
        case "db":
            from imgcoach.cli.db_cmds import db as command
        case "applicants":
            from imgcoach.cli.applicant_cmds import applicants as command
        case _:
            return None
    # daemon_cmds also adds `reminders retry` and `reminders approve` to the reminders group.
    import imgcoach.cli.daemon_cmds  # noqa: F401

    return command


class LazyGroup(Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing, from SUMMARIES instead of the loaded commands."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _load(cmd_name)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", metavar="PATH",
              help="Database file or URL (default: IMGCOACH_DB, then config.toml's database_url, then the user data folder).")
@click.option("--applicant", type=APPLICANT, metavar="ID|EMAIL", help=APPLICANT_HELP)
@click.version_option(__version__, prog_name="imgcoach")
@click.pass_context
def cli(ctx: click.Context, db: str | None, applicant: str | None) -> None:
    """Plan exams, clinical rotations, letters and applications. With no command, opens the app."""
    state = ctx.ensure_object(State)
    state.db, state.applicant = db, applicant
    if ctx.invoked_subcommand is None:
        from imgcoach.cli.app_cmd import run_app

        run_app(db, applicant)


def _check_arguments(argv: list[str]) -> None:
    """Refuse an argument no command can use, naming it: a NUL byte (it would end the text early in a file
    name or the database), or bytes that are not UTF-8 (Python hands them over as lone surrogates, which
    neither the database nor the terminal can encode)."""
    for i, arg in enumerate(argv):
        if "\x00" in arg:
            problem = "contains a NUL byte"
        else:
            try:
                arg.encode("utf-8")
                continue
            except UnicodeEncodeError:
                problem = "is not valid UTF-8 text"
        before = argv[i - 1] if i else ""
        name = arg.partition("=")[0] if arg.startswith("-") else before if before.startswith("-") else f"argument {i + 1}"
        raise UserError(f"{name}: {ascii(arg)[:60]} {problem}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: user errors exit 2 with one line, internal errors exit 1. A database the command was creating
    is removed again when it does not succeed (common.discard_new_database)."""
    reset_new_database()
    notes: list[str] = []
    try:
        _run(argv, notes)
    finally:
        for note in notes:
            click.echo(note, err=True)


def _run(argv: list[str] | None, notes: list[str]) -> None:
    try:
        try:
            _check_arguments(sys.argv[1:] if argv is None else argv)
            cli.main(args=argv, prog_name="imgcoach", standalone_mode=False)
        except click.exceptions.Exit as exc:
            if exc.exit_code:
                notes += discard_new_database()
            raise
        except BaseException:
            notes += discard_new_database()
            raise
    except click.exceptions.Abort:
        err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        # click declares `message` Final; its show() reads the instance attribute, cut here to one bounded line.
        # A group typed without its subcommand (`imgcoach reminders`) shows its help, which is no error line: it
        # was flattened into one line of run-together usage, options and commands.
        if not isinstance(exc, click.exceptions.NoArgsIsHelpError):
            vars(exc)["message"] = one_line(exc.message)
        exc.show()
        sys.exit(2 if exc.exit_code in (1, 2) else exc.exit_code)
    except UserError as exc:
        err(one_line(str(exc)))
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # an internal error: one line, the traceback only on request
        from imgcoach.composition import storage_error_message

        if os.environ.get("IMGCOACH_DEBUG"):
            raise
        message = storage_error_message(exc)
        if message is not None:  # the file or the machine (read-only, full, damaged), or a huge id
            err(message)
            sys.exit(2)
        err(one_line(f"internal error: {type(exc).__name__}: {exc} (set IMGCOACH_DEBUG=1 for the traceback)"))
        sys.exit(exit_code_for(exc))


