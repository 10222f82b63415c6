"""Shared CLI pieces: the --db/--json options, the context, output and date parsing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from imgcoach.core.errors import UserError
from imgcoach.plan import DATE_FORMS

if TYPE_CHECKING:

    from imgcoach.core.context import Context

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """Per-invocation state on click's context: the --db and --applicant values and the opened Context."""

    def __init__(self, db: str | None = None, applicant: str | None = None) -> None:
        self.db = db
        self.applicant = applicant  # None: IMGCOACH_APPLICANT, then the database's first applicant
        self._ctx: Context | None = None
        self._zone: tzinfo | None = None

    def context(self) -> Context:
        if self._ctx is None:
            from imgcoach.composition import open_context
            from imgcoach.core.settings import load_settings

            settings = load_settings()  # read the config file once for both steps
            _refuse_missing_database(self.db, settings.database_url)
            self._ctx = open_context(self.db, settings=settings, applicant=self.applicant)
            if _new_database:
                _new_database[-1].ctx = self._ctx
            for warning in self._ctx.settings.warnings:  # a typo in config.toml must not pass unseen
                warn(warning)
        return self._ctx

    def zone(self) -> tzinfo:
        """The applicant's time zone, in which every moment is printed; UTC when no applicant is at hand
        (no database opened, or none chosen: `applicants list`)."""
        if self._zone is None:
            self._zone = UTC
            if self._ctx is not None and self.applicant != "":
                from zoneinfo import ZoneInfo

                from imgcoach.plan import get_profile

                applicant = get_profile(self._ctx)
                if applicant is not None:
                    self._zone = ZoneInfo(applicant.timezone)
        return self._zone


# The commands that may start a new database; any other command given a path with no database there
# says so and creates nothing (a mistyped --db must not leave an empty database behind and report "no rotations").
CREATING_COMMANDS = frozenset({
    "imgcoach profile set", "imgcoach demo", "imgcoach db upgrade", "imgcoach db restore",
    "imgcoach applicants add", "imgcoach applicants import",
})


def _refuse_missing_database(db: str | None, configured: str | None) -> None:
    from imgcoach.composition import empty_database_file, sqlite_file
    from imgcoach.core.locations import resolve_database_url

    path = sqlite_file(resolve_database_url(db, configured))
    if path is None:
        return  # a server database: the server says whether it exists
    command = click.get_current_context().command_path
    if command in CREATING_COMMANDS:
        if not path.exists():
            _new_database.append(NewDatabase(path, _missing_folder(path)))
        if (db or configured) is not None and not path.parent.exists():  # sqlite3 refuses a missing folder; we make it, and say so
            click.echo(f"imgcoach: note: {path.parent} did not exist: created it for the new database {path.name}",
                       err=True)
        return
    if not path.exists():
        raise UserError(f"no database at {path} (check --db / IMGCOACH_DB; `imgcoach profile set` starts a new one)")
    if empty_database_file(path):  # `rotations list --db notes.csv` on an empty file wrote the whole schema into it
        raise UserError(f"no database at {path}: it is an empty file (check --db / IMGCOACH_DB; `imgcoach profile "
                        "set` starts a new database there)")


class NewDatabase:
    """A SQLite file (and the folder) this command is about to create: removed again if the command is refused.
    `profile set --db new.sqlite --email bad` left a 356 KB database with no profile behind (and its folder), where
    a refused command promises to change nothing."""

    def __init__(self, path: Path, folder: Path | None) -> None:
        self.path, self.folder = path, folder
        self.ctx: Context | None = None  # the context opened on it, closed before the file is removed

    def discard(self) -> str | None:
        """Remove what was created; the note to print after the error when a folder made for it went too."""
        if self.ctx is not None:
            with suppress(Exception):
                self.ctx.db.engine.dispose()  # (Windows cannot remove an open file)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        if self.folder is not None:
            for folder in (self.path.parent, *self.path.parent.parents):  # the folders made for it, if still empty
                with suppress(OSError):
                    folder.rmdir()
                if folder == self.folder:
                    break
            if not self.folder.exists():
                return f"imgcoach: note: removed {self.folder} again: nothing was saved"
        return None


_new_database: list[NewDatabase] = []  # this process's command's, at most one (cli.main discards it on a refusal)


def _missing_folder(path: Path) -> Path | None:
    """The outermost folder on the way to `path` that does not exist yet (None: its folder exists)."""
    missing = None
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            break
        missing = folder
    return missing


def reset_new_database() -> None:
    """A command begins: nothing of an earlier one's in this process (the tests run many) is to be discarded."""
    _new_database.clear()


def discard_new_database() -> list[str]:
    """The command was refused or failed: a database it was creating is removed, as if never begun. Returns the
    notes to print after the error (the folder note came before it, so its undoing comes after)."""
    notes = []
    while _new_database:
        if (note := _new_database.pop().discard()) is not None:
            notes.append(note)
    return notes


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
        "--applicant", "applicant_ref", type=APPLICANT, metavar="ID|EMAIL", expose_value=False,
        callback=_remember_applicant,
        is_eager=True, help=APPLICANT_HELP,
    )(f)
    return click.option(
        "--db", "db_path", metavar="PATH", expose_value=False, callback=_remember_db, is_eager=True,
        help="Database file or URL (default: IMGCOACH_DB, then config.toml's database_url, then the user data folder).",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


def get_context() -> Context:
    return click.get_current_context().ensure_object(State).context()


def output_zone() -> tzinfo:
    """The zone `print_json` writes moments in: the current applicant's."""
    return click.get_current_context().ensure_object(State).zone()


def print_json(data: Any, tz: tzinfo | None = None) -> None:
    """Every --json output: moments as local ISO 8601 with their offset (imgcoach.cli.shapes.local_iso), written
    by cli.quick.json_text, as the quick read commands write it."""
    from imgcoach.cli.quick import json_text

    click.echo(json_text(data, tz or output_zone()))


def print_table(headers: list[str], rows: list[list[Any]], *, wrap_last: bool = False, empty: str = "") -> None:
    """A plain aligned table: readable in a terminal, greppable in a script (cli.quick.table_lines).
    `wrap_last`: the last column is prose, wrapped to the terminal's width (80 when not a terminal).
    `empty`: a list's cli.quick.EMPTY line, said instead of a bare header when there are no rows."""
    from imgcoach.cli.quick import table_lines

    for line in table_lines(headers, rows, width=terminal_width() if wrap_last else None, empty=empty):
        click.echo(line)


_width_reads = [0]  # how often terminal_width was asked: an answer shaped by the width is never kept


def terminal_width() -> int:
    """The terminal's columns, or COLUMNS, else 80 (a pipe): the width prose is wrapped to."""
    import shutil

    _width_reads[0] += 1

    return shutil.get_terminal_size((80, 24)).columns


def echo_wrapped(text: str) -> None:
    """A paragraph wrapped to `terminal_width`."""
    import textwrap

    click.echo(textwrap.fill(text, terminal_width(), break_on_hyphens=False))


# Other names people type for a command: `rotations delete` is `rotations remove`.
COMMAND_ALIASES = {"delete": "remove", "rm": "remove", "del": "remove", "ls": "list", "new": "add",
                   "update": "edit", "view": "show"}


class Command(click.Command):
    """A command whose rules' field errors are said by the option typed: `cases add --on 2030-01-01` said
    "occurred_on: after today", `log add` "hours:" and `contacts add` "email:", the names stored, because only
    some commands wrapped their bodies in fields_as_options. Every command of the CLI is one of these (Group's
    command_class; the top-level ones name it), so no command can forget it."""

    def invoke(self, ctx: click.Context) -> Any:
        with fields_as_options():
            return super().invoke(ctx)


class Group(click.Group):
    """A command group that understands common aliases and suggests the nearest command on a typo."""

    command_class = Command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                             list[str]]:
        if args and self.get_command(ctx, args[0]) is None:
            alias = COMMAND_ALIASES.get(args[0])
            if alias is not None and self.get_command(ctx, alias) is not None:
                args = [alias, *args[1:]]
            elif not args[0].startswith("-"):
                import difflib

                close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=3, cutoff=0.6)
                if close:
                    ctx.fail(f"No such command {args[0]!r}. Did you mean {' or '.join(map(repr, close))}?")
        return super().resolve_command(ctx, args)


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """``click.group`` with aliases and suggestions (every group of the CLI uses it)."""
    return click.group(name, cls=Group, **attrs)


class DateType(click.ParamType):
    """YYYY-MM-DD, or a relative day (`today`, `+4w`, `next monday`: plan.parse_day, the forms' rule), with an
    error that names the option and the value. A relative day counts from today where the applicant lives, on
    the context's clock, as the app's forms and every rule do: in New York at 19:00 the machine's UTC date is
    already tomorrow (--db and --applicant are eager, so the database is known by the time a date is read)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from imgcoach.plan import MAX_DATE, MIN_DATE, parse_day

        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            try:
                parsed = parse_day(value, _applicant_today(ctx))
            except ValueError as exc:
                self.fail(str(exc), param, ctx)
            except OverflowError:
                self.fail(f"{value!r} is outside {MIN_DATE.year}..{MAX_DATE.year}", param, ctx)
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.fail(f"{value!r} is outside {MIN_DATE.year}..{MAX_DATE.year}", param, ctx)
        return parsed


DATE = DateType()
# plan.parse_day's forms, as the app's date fields say them: every DATE option's help names them, since a help
# saying only YYYY-MM-DD (study, exams) hid that today, +4w and next monday are read too. From today, said:
# beside "four weeks from --start", `--start 2027-03-01 --end +4w` read as four weeks from the start.
DATE_HELP = f"{DATE_FORMS}; +4w and the like count from today"
NOT_SET = "none"  # what clears an optional day (`rotations edit --feedback-asked none`), as `exams edit --result none`


class DayOrNone(DateType):
    """A day as DATE reads it, or "none" (returned as NOT_SET) to clear a recorded one."""

    name = "YYYY-MM-DD|none"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.strip().lower() == NOT_SET:
            return NOT_SET
        return super().convert(value, param, ctx)


DAY_OR_NONE = DayOrNone()


def _applicant_today(ctx: click.Context | None) -> date:
    """Today in the applicant's zone on the context's clock; the machine's local date only when there is no
    applicant to ask (no database yet, or none set up)."""
    if ctx is None:
        return datetime.now().astimezone().date()
    state = ctx.ensure_object(State)
    moment = state.context().clock.now()
    zone = state.zone()
    return moment.astimezone(zone if zone is not UTC else None).date()


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

    def _describe_range(self) -> str:
        """No bounds, nothing to say: click's own text for an unbounded range is "x<=None" in every help."""
        return super()._describe_range() if self.min is not None or self.max is not None else ""


FLOAT = FiniteFloat()


class GivenPath(click.Path):
    """click.Path that refuses a blank value, naming the option. pathlib reads "" as ".", the current folder, so an
    empty `-o "$DIR"` (an unset variable) wrote a letter-writer packet there, `export -o ""` failed with "Device or
    resource busy", `db backup ""` said ".: already exists" and `db restore ""` ".: no such file"."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail(f"{value!r} is an empty path: give a file or folder name", param, ctx)
        return super().convert(value, param, ctx)


class ApplicantRef(click.ParamType):
    """--applicant's value: refused when blank, naming the option. A blank one was read as "not given": on a shared
    database, `--applicant "$WHO"` with $WHO unset acted on the first applicant, someone else (walk48 noticed)."""

    name = "ID|EMAIL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail(f"{value!r} names no applicant: give an id or an e-mail address (`imgcoach applicants list` "
                      "shows them), or leave --applicant out for IMGCOACH_APPLICANT, then the first applicant",
                      param, ctx)
        return value


APPLICANT = ApplicantRef()


def fail(message: str) -> None:
    raise UserError(message)


def err(message: str) -> None:
    click.echo(f"imgcoach: error: {message}", err=True)


def warn(message: str) -> None:
    click.echo(f"imgcoach: warning: {message}", err=True)


def assumed_hours_note(rotation: Any) -> str:
    """Said on stderr where a rotation's hours are assumed (stdout stays what scripts read)."""
    return (f"note: {rotation.hours_per_week} hours a week assumed (the weekly load counts them; the CV leaves "
            f"them out); set the real figure with `imgcoach rotations edit {rotation.id} --hours N`")


# How the CLI's place note (plan.place_note) tells the applicant to have reminders at 09:00 where a rotation is.
PLACE_HOW = "run `imgcoach profile set --timezone {zone}`"


def say_place(ctx: Any, rotation: Any) -> None:
    """On stderr, when the rotation's reminders would reach its place out of their day (plan.place_note): said
    where a rotation is added or moved (`rotations add`/`edit`; an accepted outreach offer has no state yet)."""
    from imgcoach.plan import place_note

    note = place_note(ctx, rotation, PLACE_HOW)
    if note:
        click.echo(f"note: {note}", err=True)


def default_end_note(rotation: Any) -> str:
    """Said on stderr when `rotations add` had no --end: the four weeks are an assumption, and the reminders
    (feedback, the letter's window, the thank-you) are timed from the last day, so a rotation that really ends
    on the Friday before would have them all a weekend late without a word."""
    return (f"note: no --end given: rotation {rotation.id} ends {rotation.end_date:%a %d %b %Y}, four weeks from "
            f"its start (an assumption; its reminders are timed from it); give the real last day with "
            f"`imgcoach rotations edit {rotation.id} --end YYYY-MM-DD`")


def exit_code_for(exc: BaseException) -> int:
    return 2 if isinstance(exc, UserError) else 1


def stdout_isatty() -> bool:
    return sys.stdout.isatty()


def echo_profile(applicant: Any, as_json: bool) -> None:
    """One applicant's profile, for `profile show` and `applicants show` alike."""
    from imgcoach.cli.shapes import applicant_json
    from imgcoach.cli.show_text import profile_lines

    if as_json:
        print_json(applicant_json(applicant))
        return
    for line in profile_lines(applicant):
        click.echo(line)


class _Tee:
    """A text stream that writes through to `stream` and remembers what it wrote: the exact text a kept answer
    must hold. No `buffer` attribute on purpose: click would then write to the binary stream past the copy."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []
        self.encoding = getattr(stream, "encoding", None)
        self.errors = getattr(stream, "errors", None)

    def write(self, text: str) -> int:
        written = self._stream.write(text)  # first: a bytes probe (click's) raises before anything is recorded
        self.parts.append(text)
        return written

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:  # click strips escape sequences when this says False, as for the real stream
        return bool(self._stream.isatty())

    def text(self) -> str:
        return "".join(self.parts)


def answer_form(cctx: click.Context) -> str:
    """The command form (cli.quick.answer_command) of the running leaf command: its words and the options given
    on the command line with click's values, which the quick read makes the same way from the arguments."""
    from click.core import ParameterSource

    from imgcoach.cli.quick import answer_command

    words: list[str] = []
    level: click.Context | None = cctx
    while level is not None and level.parent is not None:  # the root's name is the program's, not a word
        words.insert(0, level.command.name or "")
        level = level.parent
    options: dict[str, Any] = {}
    for param in cctx.command.params:
        if isinstance(param, click.Option) and param.name in cctx.params and \
                cctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            name = next((o for o in param.opts if o.startswith("--")), param.opts[0])  # the long name
            options[name] = cctx.params[param.name]
    return answer_command(tuple(words), options)


@contextmanager
def kept_answer() -> Iterator[None]:
    """Run a read command's body and keep the text it printed for the quick read (imgcoach.cli.quick, issue 17).

    The validity key is taken before the body reads anything and checked again when the text is stored
    (storage.readcache.keep), so a write in between keeps nothing. Nothing is kept when the body fails, writes
    to stderr, wraps text to the terminal's width (not in the key), or stdout is not a text stream click writes to
    as is (an ASCII-only one it would re-encode)."""
    import codecs

    from imgcoach.plan import answer_key, keep_answer

    ctx = get_context()  # opened (and any config warning printed) before the key is taken
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    if codecs.lookup(encoding).name == "ascii":
        yield
        return
    command = answer_form(click.get_current_context())
    key = answer_key(ctx, command)
    out, error = _Tee(sys.stdout), _Tee(sys.stderr)
    widths = _width_reads[0]
    with redirect_stdout(out), redirect_stderr(error):
        yield
    if not error.parts and _width_reads[0] == widths:  # the key holds no terminal width
        keep_answer(ctx, command, key, out.text())


class _Sink(_Tee):
    """A stream like `stream` (its encoding, whether it is a terminal) that prints nothing."""

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream refuses click's bytes probe (see _Tee.write)
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def keep_next_answer(body: Callable[[], object]) -> None:
    """Run a read command's body once more, printing nothing, to keep what its next run will print.

    For a command whose first run writes (`shortlist` stores a new run and marks its changes seen): that run's
    answer is not kept (the key moved under it), so the run after it took the full path too, about a second
    for an answer that was already known. The body runs again in this process, where everything is loaded
    (tens of ms), and its text is kept as any answer is (kept_answer): only if nothing was written meanwhile,
    the second run included. Not at all where no answer is kept (a PostgreSQL database)."""
    from imgcoach.plan import answer_key

    if answer_key(get_context(), answer_form(click.get_current_context())) is None:
        return
    with redirect_stdout(_Sink(sys.stdout)), redirect_stderr(_Sink(sys.stderr)), kept_answer():
        body()


def keeps_answer(f: F) -> F:
    """A read command whose whole body runs under kept_answer (its printed text kept for the quick read)."""
    import functools

    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        with kept_answer():
            return f(*args, **kwargs)

    return run  # type: ignore[return-value]


@contextmanager
def fields_as_options(fields: dict[str, str] | None = None) -> Iterator[None]:
    """A plan rule's FieldError names the field as stored (``feedback_requested_on``); at the command line it is
    said by the option the user typed (``--feedback-asked``), read from the running command's own options, so a
    renamed option can never drift from its message. The app's forms keep the field names (they place errors).

    `fields`: stored field -> the option's parameter name, where the command renames a value before the rule
    sees it (`profile set --specialties` is stored as ``target_specialties``)."""
    from imgcoach.core.errors import FieldError, ValidationError

    options = {p.name: p.opts[0] for p in click.get_current_context().command.params
               if isinstance(p, click.Option) and p.name and p.opts[0].startswith("--")}
    options.update({field: options[param] for field, param in (fields or {}).items() if param in options})

    def said(e: FieldError) -> str:
        return e.said_as(options.get(e.field, e.field))

    try:
        yield
    except ValidationError as exc:
        raise UserError("; ".join(said(e) for e in exc.errors)) from None
    except FieldError as exc:
        raise UserError(said(exc)) from None
