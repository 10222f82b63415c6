"""Shared CLI pieces: the --db/--json options, the context, output and date parsing."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click

from imgcoach.core.errors import UserError

if TYPE_CHECKING:
    from imgcoach.core.context import Context

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Per-invocation state on click's context: the --db and --applicant values and the opened Context."""

    def __init__(self, db: str | None = None, applicant: str | None = None) -> None:
        self.db = db
        self.applicant = applicant  # None: IMGCOACH_APPLICANT, then the database's first applicant
        self._ctx: Context | None = None

    def context(self) -> Context:
        if self._ctx is None:
            from imgcoach.composition import open_context
            from imgcoach.core.settings import load_settings

            settings = load_settings()  # read the config file once for both steps
            _refuse_missing_database(self.db or settings.database_url)
            self._ctx = open_context(self.db, settings=settings, applicant=self.applicant)
            for warning in self._ctx.settings.warnings:  # a typo in config.toml must not pass unseen
                click.echo(f"warning: {warning}", err=True)
        return self._ctx


# The commands that may start a new database; any other command given a path with no database there
# says so and creates nothing (a mistyped --db must not leave an empty database behind and report "no rotations").
CREATING_COMMANDS = frozenset({
    "imgcoach profile set", "imgcoach demo", "imgcoach db upgrade", "imgcoach db restore",
    "imgcoach applicants add", "imgcoach applicants import",
})


def _refuse_missing_database(db: str | None) -> None:
    from imgcoach.composition import sqlite_file
    from imgcoach.core.locations import resolve_database_url

    path = sqlite_file(resolve_database_url(db))
    if path is None:
        return  # a server database: the server says whether it exists
    command = click.get_current_context().command_path
    if not path.exists() and command not in CREATING_COMMANDS:
        raise UserError(f"no database at {path} (check --db / IMGCOACH_DB; `imgcoach profile set` starts a new one)")


def _remember_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        ctx.ensure_object(State).db = value
    return value


def _remember_applicant(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value:
        ctx.ensure_object(State).applicant = value
    return value


APPLICANT_HELP = "The applicant to act on: an id or e-mail (default: IMGCOACH_APPLICANT, then the first one)."


def db_option(f: F) -> F:
    """--db and --applicant on the leaf command too, so `imgcoach rotations list --db x.sqlite` works."""
    f = click.option(
        "--applicant", "applicant_ref", metavar="ID|EMAIL", expose_value=False, callback=_remember_applicant,
        is_eager=True, help=APPLICANT_HELP,
    )(f)
    return click.option(
        "--db", "db_path", metavar="PATH", expose_value=False, callback=_remember_db, is_eager=True,
        help="Database file or URL (default: IMGCOACH_DB, then the user data folder).",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


def get_context() -> Context:
    return click.get_current_context().ensure_object(State).context()


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def print_json(data: Any) -> None:
    click.echo(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False))


def print_table(headers: list[str], rows: list[list[Any]]) -> None:
    """A plain aligned table: readable in a terminal, greppable in a script."""
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


class DateType(click.ParamType):
    """YYYY-MM-DD, with an error that names the option and the value."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from imgcoach.plan import MAX_DATE, MIN_DATE

        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a valid date (use YYYY-MM-DD)", param, ctx)
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.fail(f"{value!r} is outside {MIN_DATE.year}..{MAX_DATE.year}", param, ctx)
        return parsed


DATE = DateType()


class FiniteFloat(click.FloatRange):
    """A number as float() reads it, but never nan or inf: they pass every range check (nan < 5 and nan > 0
    are both false) and then break a budget, a cost or the daemon's poll interval."""

    name = "float"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


FLOAT = FiniteFloat()


def fail(message: str) -> None:
    raise UserError(message)


def err(message: str) -> None:
    click.echo(f"imgcoach: error: {message}", err=True)


def warn(message: str) -> None:
    click.echo(f"imgcoach: warning: {message}", err=True)


def exit_code_for(exc: BaseException) -> int:
    return 2 if isinstance(exc, UserError) else 1


def stdout_isatty() -> bool:
    return sys.stdout.isatty()


def echo_profile(applicant: Any, as_json: bool) -> None:
    """One applicant's profile, for `profile show` and `applicants show` alike."""
    data = applicant.model_dump(exclude={"created_at", "updated_at"})
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        click.echo(f"{key.replace('_', ' '):>26}: {'' if shown is None else shown}")
