"""Read commands answered before click, SQLAlchemy or SQLModel is imported (issue 17: at most 5x `python -c pass`).

`imgcoach rotations|study|exams|contacts|letters|events|applicants list [--json]`, `imgcoach profile show [--json]`,
`imgcoach reminders list [--json] [--status S]`, `imgcoach daemon status [--json]` (the daemon's state, with the
full path's rule: reminders.daemon_view) and `imgcoach rotations show ID [--json]` (which reminders are overdue,
decided at this moment by the one rule, reminders.is_overdue) are read through imgcoach.plan.read_listing_quickly
and read_rotation_quickly (sqlite3 or psycopg alone, on a database at this code's schema); `imgcoach db status`
and `imgcoach db check [--full]` through composition.schema_status_quickly and check_database_quickly (a
SQLite file or a PostgreSQL database, read through libpq without psycopg, at this code's schema; `db check` only
when it finds nothing); `imgcoach applicants export [ID|EMAIL]` to standard output through composition.export_applicant_quickly (storage.transfer's rule). Each is printed
here exactly as the click commands print them: the same shapes (imgcoach.cli.shapes), the same table, the same
JSON, the same one-line errors and exit codes. `quick_listing` returns None whenever it is not sure it can do
that (an option it does not know, a config file with warnings, a schema to migrate, an engine it cannot reach
alone...) and the command takes the full path, which then behaves as it always did. IMGCOACH_FULL_READ=1
always takes the full path (tests compare both byte for byte: tests/test_cli_quickread.py). Stdlib only.

The forms in KEPT (`readiness`, `shortlist`, `outreach|log|cases|projects|programs list`, `stories`, `cv`,
`import --history`, `applicants show`, with their read options) are not computed here (one rule, one
implementation): their full path keeps the text it printed (cli.common.kept_answer), and this prints that text
again only while its validity key (imgcoach.plan.stored_answer_quickly -> storage.readcache) is unchanged;
tests/test_cli_quickanswer.py. `readiness` whose kept answer is stale (the first read after a write) is computed
here by the coach's own builder and rules from rows read with sqlite3 or libpq (coach.readiness_quickly),
printed as the click command prints it and kept for the next read (on SQLite; PostgreSQL keeps no answers, so
every `readiness` there is computed so); tests/test_cli_readiness_quick.py. `shortlist [--json]` likewise, on a
SQLite file: ranked from rows read with sqlite3 by the matching feature's own conversions and rules
(matching.shortlist_quickly), its run stored and its changes marked seen as the full path does; its other views
(`--csv`, `--explain ID`, budgets, what-ifs) are worked out the same way and printed by the click command's own
code (cli.shortlist_text.shortlist_view); tests/test_cli_shortlist_quick.py.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

FULL_READ_ENV = "IMGCOACH_FULL_READ"
MESSAGE_LIMIT = 1000  # characters of one error line: a 200 KiB argument is not echoed back in full


def one_line(message: str, limit: int = MESSAGE_LIMIT) -> str:
    """An error message as one line of bounded length (the middle of an over-long one elided)."""
    flat = " ".join(message.splitlines())
    if len(flat) <= limit:
        return flat
    tail = limit // 4
    return f"{flat[:limit - tail]} [... {len(flat) - limit} characters ...] {flat[-tail:]}"


def table_lines(headers: list[str], rows: list[list[Any]], *, width: int | None = None, empty: str = "") -> list[str]:
    """A plain aligned table (common.print_table prints these lines): readable in a terminal, greppable.

    With `width`, a last column of prose is wrapped to fit (continuation lines indented under it), so a
    table of explanations reads at 80 columns; list tables keep one row per line for grep. With no rows,
    `empty` (when given) instead of a bare header, which a new user read as a command that did nothing."""
    if not rows and empty:
        return [empty]
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    indent = sum(widths[:-1]) + 2 * (len(widths) - 1)
    room = None if width is None or indent + widths[-1] <= width else max(width - indent, 20)
    if room is not None:
        widths[-1] = min(widths[-1], room)
    lines = []
    for n, row in enumerate(cells):
        if room is not None and len(row[-1]) > room:
            import textwrap

            first, *rest = textwrap.wrap(row[-1], room, break_on_hyphens=False) or [""]
            lines.append("  ".join(c.ljust(w) for c, w in zip([*row[:-1], first], widths, strict=True)).rstrip())
            lines.extend(" " * indent + more for more in rest)
        else:
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def json_text(data: Any, tz: tzinfo) -> str:
    """Every --json output (common.print_json prints this, without the final newline): exactly
    `json.dumps(to_jsonable(data, tz), indent=2, ensure_ascii=False)`, written by core.jsontext (the standard
    library's encoder runs in pure Python once `indent` is given: a third of `reminders list --json`'s run at
    1,000 reminders, issue 17)."""
    from imgcoach.cli.shapes import to_jsonable
    from imgcoach.core.jsontext import indented_json

    return indented_json(data, indent=2, convert=lambda value: to_jsonable(value, tz))


# Each list command's table: its headers and one row's cells from the object's JSON shape (cli.shapes), the
# one definition both paths print (the click commands call these too).
ROTATION_HEADERS = ["id", "kind", "specialty", "institution", "start", "end", "h/wk", "mode"]
STUDY_HEADERS = ["id", "exam", "start", "end", "h/wk", "weekly goal"]
EXAM_HEADERS = ["id", "exam", "date", "score", "result", "attempt"]
CONTACT_HEADERS = ["id", "name", "title", "email", "institution"]
# The due day too: `letters add --due` took it and only --json and `rotations show` said it back.
LETTER_HEADERS = ["id", "writer", "rotation", "status", "due", "requested", "eras id"]
APPLICANT_HEADERS = ["id", "name", "email", "timezone", "school_country", "visa"]  # the keys; "_" shown as " "
NO_APPLICANTS = "no applicants yet: imgcoach applicants add --name NAME --email EMAIL --timezone ZONE"
# What an empty list says instead of a bare header (both paths): there is nothing, and how to add the first.
EMPTY = {
    "rotations": "no rotations yet: `imgcoach rotations add --help` shows how to add one",
    "study": "no study blocks yet: `imgcoach study add --help`, or let the app's Study plan screen draft them",
    "exams": "no exams yet: `imgcoach exams add --help` (a past date with a score, or a booked date)",
    "contacts": "no contacts yet: `imgcoach contacts add --help`",
    "letters": "no letters yet: `imgcoach letters add --help`",
    "events": "no imported calendar events: `imgcoach import FILE.ics` brings a calendar in",
    "outreach": "no outreach yet: `imgcoach outreach add --help` records a program or hospital you write to",
    "cases": "no cases yet: `imgcoach cases add --help`",
    "log": "no log weeks yet: `imgcoach log add --help` records a week of a rotation",
    "programs": "no program data yet: `imgcoach programs import FILE.csv` (`imgcoach programs template` lists the "
                "columns)",
}


def rotation_cells(r: dict[str, Any]) -> list[Any]:
    hours = f'{r["hours_per_week"]} assumed' if r.get("hours_assumed") else r["hours_per_week"]
    return [r["id"], r["kind"], r["specialty"], r["institution"], r["start_date"], r["end_date"], hours,
            "hands-on" if r["hands_on"] else "observing"]


def study_cells(r: dict[str, Any]) -> list[Any]:
    return [r["id"], r["exam"], r["start_date"], r["end_date"], r["hours_per_week"], r["weekly_goal"]]


def study_past_lines(blocks: list[Any], exams: list[Any], today: date) -> str:
    """Stderr of `study list` (both paths) and of `exams add|edit`: each block that no longer fits the booked exam
    it prepares for (plan's blocks_past_exam: after it, or a final review weeks before it), with what to do."""
    from imgcoach.plan import blocks_past_exam

    return "".join(study_past_line(past) + "\n" for past in blocks_past_exam(blocks, exams, today=today))


def study_past_line(past: Any) -> str:
    if past.kind == "early":  # the booking moved later: the plan is for the old date
        return (f"imgcoach: warning: {past.message}: remove it with `imgcoach study remove {past.block_id}` and "
                "draft a plan for the new date (the app's Study plan screen, g)")
    return (f"imgcoach: warning: {past.message}: remove it with `imgcoach study remove {past.block_id}` (the app's "
            "Study plan screen edits it)")


def exam_cells(r: dict[str, Any]) -> list[Any]:
    return [r["id"], r["exam"], r["taken_on"], r["score"] if r["score"] is not None else r["sub_scores"], r["result"],
            r["attempt"]]


def contact_cells(r: dict[str, Any]) -> list[Any]:
    return [r["id"], r["name"], r["title"], r["email"], r["institution"]]


def letter_cells(d: dict[str, Any]) -> list[Any]:
    return [d["id"], d["writer"], d["rotation"], d["status"], d["due_on"], d["requested_on"], d["eras_letter_id"]]


REMINDER_HEADERS = ["id", "due", "kind", "status", "rotation", "note"]


def reminder_cells(d: dict[str, Any], zone: tzinfo) -> list[Any]:
    """One row of `reminders list` from the reminder's JSON shape (cli.shapes.reminder_json). The due time names
    its zone (the applicant's: "09:00 IST"), as `events list` does: a bare "09:00" read as the local time of a
    reader away from the profile's zone, where the e-mail comes at another hour."""
    from imgcoach.cli.show_text import status_text
    from imgcoach.core.datewords import moment_words
    from imgcoach.reminders import list_note

    # The kind as the app names it ("Ask for a letter"): the stored "letter_request_open" is for scripts (--json).
    return [d["id"], moment_words(datetime.fromisoformat(d["due_at"]), zone), d["label"], status_text(d),
            d["rotation_id"], list_note(d["note"], d["last_error"])]


EVENT_HEADERS = ["id", "when", "title", "became"]


def event_cells(r: dict[str, Any], zone: tzinfo) -> list[Any]:
    """One row of `events list`: local start (the applicant's zone, named: "10:00 EST", as the import preview
    names it) or the day, title, what it became."""
    from imgcoach.core.datewords import moment_words

    if r["all_day"] or r["start_at"] is None:
        when = f"{r['start_date']}" if r["start_date"] else ""
    else:
        when = moment_words(r["start_at"], zone)
    became = (f"{r['mapped_kind']} {r['mapped_id']}" if r["mapped_id"] else r["mapped_kind"]) or "event"
    return [r["id"], when, r["summary"], became]


TABLES: dict[str, tuple[list[str], Callable[[dict[str, Any]], list[Any]]]] = {
    "rotations": (ROTATION_HEADERS, rotation_cells),
    "study": (STUDY_HEADERS, study_cells),
    "exams": (EXAM_HEADERS, exam_cells),
    "contacts": (CONTACT_HEADERS, contact_cells),
    "letters": (LETTER_HEADERS, letter_cells),
    "applicants": ([c.replace("_", " ") for c in APPLICANT_HEADERS], lambda r: [r[c] for c in APPLICANT_HEADERS]),
}


def schema_status_line(where: str, current: frozenset[str], heads: frozenset[str]) -> str:
    """What `imgcoach db status` prints (both paths): the revisions in the database, the ones this code needs."""
    verdict = ("up to date" if current == heads
               else ("empty" if not current else "older: run `imgcoach db upgrade`"))
    return (f"{where}: schema {', '.join(sorted(current)) or '(none)'}; this imgcoach needs "
            f"{', '.join(sorted(heads))}; {verdict}")


def check_ok_line(where: str, checked: str) -> str:
    """What `imgcoach db check` prints when it finds nothing wrong (both paths)."""
    return f"{where}: ok ({checked})"


class Invocation:
    """A quick command's arguments as click would leave them on State and in the leaf's parameters. A plain
    class, not a dataclass: defining one costs about a millisecond of every quick command (issue 17)."""

    __slots__ = ("group", "db", "applicant", "as_json", "status", "words", "options", "argument", "text")

    def __init__(self, group: str, *, db: str | None = None, applicant: str | None = None, as_json: bool = False,
                 status: str | None = None, words: tuple[str, ...] = (), options: dict[str, Any] | None = None,
                 argument: int | None = None, text: str | None = None) -> None:
        self.group, self.db, self.applicant, self.as_json, self.status = group, db, applicant, as_json, status
        self.words = words
        self.options: dict[str, Any] = {} if options is None else options  # the leaf's options, with click's values
        self.argument = argument  # `rotations show ROTATION_ID`'s id
        self.text = text  # `applicants export [ID|EMAIL]`'s argument, when given


def answer_command(words: tuple[str, ...], options: dict[str, Any]) -> str:
    """The form of a command an answer is kept for (storage.readcache), e.g. `log list --json --rotation 3`:
    its words, then each option given (flags by name, values as JSON, so `--tag "a b"` stays one value).
    The full path keeps its text under this name (cli.common.kept_answer) and the quick read looks it up."""
    parts = list(words)
    for name in sorted(options):
        value = options[name]
        if value is True:
            parts.append(name)
        else:
            import json  # here: a form with no option value (`readiness`) loads none of it (issue 17)

            parts.append(f"{name} {json.dumps(value, ensure_ascii=True)}")
    return " ".join(parts)


# How a leaf option's value is read: False a flag, True text as given, or click's own conversion (int, float).
Kind = bool | Callable[[str], Any]
# The quick commands and the leaf options each takes besides --db and --applicant.
LEAF_OPTIONS: dict[tuple[str, ...], dict[str, Kind]] = {
    ("rotations", "list"): {"--json": False},
    ("reminders", "list"): {"--json": False, "--status": True},
    ("study", "list"): {"--json": False},
    ("exams", "list"): {"--json": False},
    ("contacts", "list"): {"--json": False},
    ("letters", "list"): {"--json": False},
    ("applicants", "list"): {"--json": False},
    ("profile", "show"): {"--json": False},
    ("events", "list"): {"--json": False},
    ("daemon", "status"): {"--json": False},  # computed at each run (reminders.daemon_view): moments, processes
    ("db", "status"): {},  # a SQLite file or PostgreSQL at this code's schema (composition.schema_status_quickly)
    ("db", "check"): {"--full": False},  # only "ok", for a sound database (composition.check_database_quickly)
    ("rotations", "show"): {"--json": False},  # and its ROTATION_ID; computed at each run (what is overdue now)
    # Commands whose answer the full path keeps (KEPT below).
    ("readiness",): {"--json": False, "--sources": False},
    ("shortlist",): {"--json": False, "--csv": False, "--budget": int, "--budget-usd": float, "--explain": True,
                     "--what-if-step2": int, "--completed-only": False},
    ("outreach", "list"): {"--json": False},
    ("log", "list"): {"--json": False, "--rotation": int},
    ("cases", "list"): {"--json": False},
    ("projects", "list"): {"--json": False},
    ("stories",): {"--json": False, "--tag": True},
    ("programs", "list"): {"--json": False, "--specialty": True, "--state": True, "--limit": int},
    ("import",): {"--history": False, "--json": False},
    ("cv",): {"--format": True, "--include-planned": False},
    ("applicants", "show"): {"--json": False},
    ("applicants", "export"): {},  # and its [ID|EMAIL]; to standard output only (composition.export_applicant_quickly)
    ("export",): {},  # the plan's ICS on standard output (kept, below); -o and --feed write: the full path
}
# The quick commands that take one id argument, and the largest id read here (both engines' INTEGER).
ARGUMENT: dict[tuple[str, ...], int] = {("rotations", "show"): 2**31 - 1}
# The quick commands that take at most one text argument (click's str: as given; an empty one goes to click).
TEXT_ARGUMENT: frozenset[tuple[str, ...]] = frozenset({("applicants", "export")})
# The forms not computed here (one rule, one implementation): the full path keeps the exact text it printed
# (cli.common.kept_answer) and the quick read prints it again while its validity key is unchanged. Each reads
# only tables whose writes storage.readcache.WATCHED counts (tests/test_cli_quickanswer.py checks it).
KEPT: frozenset[tuple[str, ...]] = frozenset({
    ("readiness",), ("shortlist",), ("outreach", "list"), ("log", "list"), ("cases", "list"), ("projects", "list"),
    ("stories",), ("programs", "list"), ("import",), ("cv",), ("applicants", "show"), ("export",),
})
# The kept forms whose full path writes bytes to stdout's buffer (not through click.echo, which strips escapes).
BINARY: frozenset[tuple[str, ...]] = frozenset({("export",)})


def parse(args: list[str]) -> Invocation | None:
    """`[--db X] [--applicant Y] GROUP COMMAND [options]` as click reads it; None for anything else."""
    top: dict[str, str] = {}
    rest = _options(args, {"--db": True, "--applicant": True}, top, stop_at_word=True)
    if not rest:
        return None
    words = (rest[0],) if (rest[0],) in LEAF_OPTIONS else tuple(rest[:2])
    if words not in LEAF_OPTIONS:
        return None
    leaf: dict[str, str] = {}
    kinds = LEAF_OPTIONS[words]
    given: list[str] = []  # the leaf's arguments, between its options as click allows
    extra = _options(rest[len(words):], {"--db": True, "--applicant": True, **kinds}, leaf, stop_at_word=False,
                     arguments=given if words in ARGUMENT or words in TEXT_ARGUMENT else None)
    if extra is None or extra:
        return None
    if any(not d.get("--applicant", "x").strip() for d in (top, leaf)):
        return None  # a blank --applicant: the full path's refusal (ApplicantRef), not the first applicant's rows
    if words in TEXT_ARGUMENT and (len(given) > 1 or "" in given):
        return None  # click's refusal of a second argument; an empty one: the full path's
    argument = None
    if words in ARGUMENT:
        if len(given) != 1 or not (given[0].isascii() and given[0].isdigit()) or int(given[0]) > ARGUMENT[words]:
            return None  # click's conversion of anything else (" 12", "1_2", a huge id): the full path's
        argument = int(given[0])
    # The group's callback sets State from its options; the leaf's eager callbacks then override with a
    # non-empty value of their own (cli.common._remember_db / _remember_applicant).
    status = leaf.get("--status")
    if status is not None:
        from imgcoach.reminders import REMINDER_STATUSES  # here: only `reminders list --status` needs it

        if status not in REMINDER_STATUSES:
            return None  # click's own refusal
    options: dict[str, Any] = {}
    for name, value in leaf.items():
        kind = kinds.get(name)
        if kind is None:
            continue  # --db, --applicant: the database and the subject, not the form
        try:
            options[name] = value if kind is True else True if kind is False else kind(value)
        except ValueError:
            return None  # click's own refusal
    return Invocation(group=rest[0], db=leaf.get("--db") or top.get("--db"),
                      applicant=leaf.get("--applicant") or top.get("--applicant"),
                      as_json="--json" in leaf, status=status, words=words, options=options, argument=argument,
                      text=given[0] if words in TEXT_ARGUMENT and given else None)


def _options(args: list[str], known: dict[str, Kind], into: dict[str, str], *, stop_at_word: bool,
             arguments: list[str] | None = None) -> list[str] | None:
    """Read `known` options (the last of a repeated one wins, as in click) until the first word; the words left,
    or None for an option not known here or one missing its value. With `arguments`, words are collected there
    instead (a leaf's arguments among its options)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("-") or arg == "-":
            if stop_at_word:
                return args[i:]
            if arguments is None or arg == "-":
                return None
            arguments.append(arg)
            i += 1
            continue
        name, eq, value = arg.partition("=")
        if name not in known:
            return None
        if known[name]:
            if not eq:
                if i + 1 >= len(args):
                    return None
                i += 1
                value = args[i]
            into[name] = value
        elif eq:
            return None
        else:
            into[name] = ""
        i += 1
    return []


class Answer(NamedTuple):  # not a dataclass: defining one costs about 1 ms of every quick command's start-up
    out: str  # everything for stdout
    err: str = ""
    code: int = 0
    binary: bool = False  # `out` goes to stdout's buffer as UTF-8, as the full path writes its bytes


def quick_listing(args: list[str], *, now: Callable[[], datetime] | None = None) -> Answer | None:
    """The answer of a quick read command, or None when the full path must answer it."""
    if os.environ.get(FULL_READ_ENV) or not all(_plain(a) for a in args):
        return None
    call = parse(args)
    if call is None:
        return None
    from imgcoach.core.errors import UserError
    from imgcoach.core.locations import resolve_database_url
    from imgcoach.core.settings import applicant_from_env, load_settings

    try:
        settings = load_settings()
    except UserError:
        return None  # the full path says what is wrong with the config file
    if settings.warnings:
        return None  # and prints its warnings
    url = resolve_database_url(call.db, settings.database_url)
    if call.words == ("db", "status"):
        from imgcoach.composition import schema_status_quickly

        state = schema_status_quickly(url)
        text = "" if state is None else schema_status_line(state.where, state.current, state.heads) + "\n"
        return Answer(text) if text and "\x1b" not in text else None
    if call.words == ("db", "check"):
        from imgcoach.composition import check_database_quickly

        result = check_database_quickly(url, full="--full" in call.options)
        text = "" if result is None else check_ok_line(result.where, result.checked) + "\n"
        return Answer(text) if text and "\x1b" not in text else None
    if call.words == ("applicants", "export"):  # the argument beats --applicant (applicant_cmds._ctx_for)
        from imgcoach.composition import export_applicant_quickly

        chosen = call.text if call.text is not None else call.applicant
        try:
            exported = export_applicant_quickly(url, chosen if chosen is not None else applicant_from_env())
        except UserError as exc:
            return Answer("", f"imgcoach: error: {one_line(str(exc))}\n", 2)
        return None if exported is None or "\x1b" in exported else Answer(exported + "\n")
    if call.words == ("applicants", "list"):
        call.applicant = ""  # applicant_cmds._ctx_for_nobody: the list itself, whoever --applicant names
    ref = call.applicant if call.applicant is not None else applicant_from_env()
    if call.words in KEPT:  # the full path's kept answer, while it is current
        from imgcoach.plan import lookup_answer_quickly

        clock = now or _default_now()
        form = answer_command(call.words, call.options)
        kept, key = lookup_answer_quickly(url, form, applicant=ref, now=clock(), settings=settings)
        if kept is None and call.words == ("readiness",):
            # computed by the coach's rule; kept when it can be (key: SQLite's counters; None on PostgreSQL)
            return _readiness(url, ref, call, settings, form, key, clock)
        if kept is None and call.words == ("shortlist",):  # the first look after a write
            if set(call.options) <= {"--json"}:  # the default view: it marks its changes seen
                return _shortlist(url, ref, call, settings, form, key, clock)
            return _shortlist_view(url, ref, call, settings, form, key, clock)
        if kept is not None and call.words in BINARY:
            return Answer(kept, binary=True)
        return None if kept is None or "\x1b" in kept else Answer(kept)
    if call.words == ("daemon", "status"):
        return _daemon_status(url, ref, call, settings, (now or _default_now())())
    if call.words == ("rotations", "show") and call.argument is not None:
        return _rotation_show(url, ref, call, settings, (now or _default_now())())
    try:
        if call.group == "events":  # the calendar feature's own rows and order
            from imgcoach.calendar import read_events_quickly

            listing = read_events_quickly(url, applicant=ref)
        else:
            from imgcoach.cli.shapes import REMINDER_READS
            from imgcoach.plan import read_listing_quickly

            listing = read_listing_quickly(url, call.group, applicant=ref, status=call.status,
                                           columns=REMINDER_READS if call.group == "reminders" else ())
    except UserError as exc:
        return Answer("", f"imgcoach: error: {one_line(str(exc))}\n", 2)
    if listing is None:
        return None
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from imgcoach.cli.shapes import bookkeeping_free, letter_shape, reminder_json, rotation_label

    zone = ZoneInfo(listing.timezone)
    if call.group == "reminders":
        moment = (now or _default_now())()
        from imgcoach.reminders import daemon_status_quickly, superseded_openings

        rows = [SimpleNamespace(**row) for row in listing.rows]
        # the first line: is a daemon running, what of the list below is overdue or failed. Its superseded
        # openings are the list's: a `--status pending` list lacks a sending last call (as the full path).
        daemon = None
        if not call.as_json or call.status is not None:
            daemon = daemon_status_quickly(url, moment, mine=True, applicant=ref)
            if daemon is None:
                return None
        gone = superseded_openings(rows, moment) if daemon is None else daemon.superseded
        reminders = [reminder_json(row, zone, moment, gone) for row in rows]
        if call.as_json or daemon is None:
            return Answer(json_text(reminders, zone) + "\n")
        lines = [daemon.summary(zone), *table_lines(REMINDER_HEADERS, [reminder_cells(d, zone) for d in reminders])]
        text = "\n".join(lines) + "\n"
        return None if "\x1b" in text else Answer(text)
    data = [bookkeeping_free(row) for row in listing.rows]
    if call.group == "events":
        if call.as_json:
            return Answer(json_text(data, zone) + "\n")
        text = "\n".join(table_lines(EVENT_HEADERS, [event_cells(r, zone) for r in data], empty=EMPTY["events"])) + "\n"
        return None if "\x1b" in text else Answer(text)
    if call.group == "profile":
        if call.as_json:
            return Answer(json_text(data[0], zone) + "\n")
        from imgcoach.cli.show_text import profile_lines

        text = "".join(f"{line}\n" for line in profile_lines(SimpleNamespace(**listing.rows[0])))
        return None if "\x1b" in text else Answer(text)
    if call.group == "applicants" and not call.as_json and not data:
        return Answer(NO_APPLICANTS + "\n")
    if call.group == "letters":
        data = [letter_shape(fields, rel["writer"], rotation_label(rel["specialty"], rel["institution"])
                             if rel["rotation_id"] is not None else None)
                for fields, rel in zip(data, listing.related, strict=True)]
    err = ""
    if call.group == "study" and data:  # a booking moved earlier leaves blocks after it: said, as the full path does
        from imgcoach.plan import read_listing_quickly

        try:
            exams = read_listing_quickly(url, "exams", applicant=ref)
        except UserError:
            return None
        if exams is None:
            return None
        err = study_past_lines([SimpleNamespace(**r) for r in data], [SimpleNamespace(**r) for r in exams.rows],
                               (now or _default_now())().astimezone(zone).date())
    if call.as_json:
        # cli.common.output_zone: the applicant's (a blank --applicant never reaches here: parse, ApplicantRef)
        return Answer(json_text(data, zone) + "\n", err)
    headers, cells = TABLES[call.group]
    text = "\n".join(table_lines(headers, [cells(r) for r in data], empty=EMPTY.get(call.group, ""))) + "\n"
    return None if "\x1b" in text + err else Answer(text, err)  # click.echo strips escape sequences; leave that to it


def _readiness(url: str, ref: str | None, call: Invocation, settings: Any, form: str, key: str | None,
               clock: Callable[[], datetime]) -> Answer | None:
    """`readiness [--json] [--sources]` when its kept answer is stale (the first read after a write): the report
    computed by the coach's one rule from rows read with sqlite3 (coach.readiness_quickly), printed as the click
    command prints it, and kept under `key` (taken before the rows were read) for the next read, as the full
    path keeps its own; with no key (PostgreSQL keeps no answers) it is printed and not kept."""
    import codecs
    from zoneinfo import ZoneInfo

    from imgcoach.coach import readiness_quickly, render_readiness
    from imgcoach.plan import keep_answer_quickly

    if codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "ascii":
        return None  # click re-encodes for an ASCII stream; the full path prints (and keeps nothing)
    found = readiness_quickly(url, applicant=ref, now=clock(), settings=settings)
    if found is None:
        return None
    if call.as_json:
        text = json_text(found.report.to_dict(), ZoneInfo(found.timezone)) + "\n"
    else:
        text = render_readiness(found.report, sources="--sources" in call.options)
    if "\x1b" in text:
        return None  # click.echo strips escape sequences; leave that to it
    if key is not None:
        keep_answer_quickly(url, form, key, text, applicant=ref, now=clock, settings=settings)
    return Answer(text)


def _shortlist(url: str, ref: str | None, call: Invocation, settings: Any, form: str, key: str | None,
               clock: Callable[[], datetime]) -> Answer | None:
    """`shortlist [--json]` when its kept answer is stale (the first look after a write): runs.current's
    shortlist computed from rows read with sqlite3 (matching.shortlist_quickly), its run stored when an input
    changed, printed as the click command prints it (cli.shortlist_text), then its changes marked seen
    (matching.mark_seen_quickly), as the full path does after printing. What is kept is what the full path
    keeps: this text when nothing was written (under `key`, taken before the rows were read), else the next
    look's, which shows no changes (cli.common.keep_next_answer), under the key after the writes. Other
    options: _shortlist_view."""
    import codecs
    from zoneinfo import ZoneInfo

    from imgcoach.cli.shortlist_text import shortlist_data, shortlist_lines
    from imgcoach.matching import mark_seen_quickly, one_checkpoint, shortlist_quickly
    from imgcoach.plan import keep_answer_quickly, lookup_answer_quickly

    if codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "ascii":
        return None  # click re-encodes for an ASCII stream; the full path prints
    with one_checkpoint(url):  # one WAL checkpoint for the look's three writes, not one each
        found = shortlist_quickly(url, applicant=ref, now=clock(), settings=settings)
        if found is None:
            return None

        data: dict[str, Any] = {}  # --json's data, worked out once (its budget curve runs the optimiser again)

        def text(changes: list[dict[str, Any]]) -> str:
            if call.as_json:
                if not data:
                    data.update(shortlist_data(found.shortlist, None, changes))
                # the same data with other changes: shortlist_data sets nothing else from them, and the copy keeps
                # every key in its place
                return json_text({**data, "changes_since_last_seen": changes}, ZoneInfo(found.timezone)) + "\n"
            return "".join(f"{line}\n" for line in shortlist_lines(found.shortlist, None, changes))

        shown = text(found.changes)
        if "\x1b" in shown:
            return None  # click.echo strips escape sequences; leave that to it (it finds the run stored)
        marked = mark_seen_quickly(url, found.applicant_id, clock(), found.model)
        if marked is None:
            return None  # the full path marks them, and prints the same changes first
        if key is not None:
            if found.stored or marked:
                _, key = lookup_answer_quickly(url, form, applicant=ref, now=clock(), settings=settings)
                if key is not None:
                    keep_answer_quickly(url, form, key, text([]), applicant=ref, now=clock, settings=settings)
            else:
                keep_answer_quickly(url, form, key, shown, applicant=ref, now=clock, settings=settings)
        return Answer(shown)


def _shortlist_view(url: str, ref: str | None, call: Invocation, settings: Any, form: str, key: str | None,
                    clock: Callable[[], datetime]) -> Answer | None:
    """`shortlist` with `--csv`, `--explain ID`, a budget (`--budget N`, `--budget-usd X`), `--what-if-step2 S` or
    `--completed-only` when its kept answer is stale (the first look after a write): the click command's text
    (cli.shortlist_text.shortlist_view) of the list worked out from rows read with sqlite3. With no budget or
    what-if it is runs.current's list, its run stored when an input changed (matching.shortlist_quickly; these
    views mark no change seen), else runs.compute's, nothing stored (matching.view_quickly). Kept for the next
    look as the full path keeps it. Any refusal (two budgets, --json with --csv, an unknown program, a budget out
    of range) is left to the full path, which says it in its own words."""
    import codecs
    from zoneinfo import ZoneInfo

    from imgcoach.cli.shortlist_text import shortlist_view
    from imgcoach.core.errors import UserError
    from imgcoach.matching import check_budget, check_step2, one_checkpoint, shortlist_quickly, view_quickly
    from imgcoach.plan import keep_answer_quickly, lookup_answer_quickly

    if codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "ascii":
        return None  # click re-encodes for an ASCII stream; the full path prints
    options = call.options
    as_json, as_csv = "--json" in options, "--csv" in options
    budget_programs, budget_usd = options.get("--budget"), options.get("--budget-usd")
    step2, completed_only = options.get("--what-if-step2"), "--completed-only" in options
    if (as_json and as_csv) or (budget_programs is not None and budget_usd is not None):
        return None
    try:
        check_budget(budget_programs, budget_usd)
        if step2 is not None:
            check_step2(step2, "--what-if-step2")
    except UserError:
        return None
    default_view = budget_programs is None and budget_usd is None and step2 is None and not completed_only

    def view(result: Any, table: Any, inputs: Any, today: Any, timezone: str) -> str:
        """--json's moments in the applicant's zone (cli.common.output_zone's)"""
        return shortlist_view(result, table, inputs, today, [], ZoneInfo(timezone), as_json=as_json, as_csv=as_csv,
                              explain_id=options.get("--explain"), what_if_step2=step2, completed_only=completed_only)

    with one_checkpoint(url):
        if default_view:  # runs.current's list: --csv and --explain show no changes
            found = shortlist_quickly(url, applicant=ref, now=clock(), settings=settings, view=view)
            shown = None if found is None else found.shown
            stored = found is not None and found.stored
        else:
            computed = view_quickly(url, applicant=ref, now=clock(), settings=settings, view=view,
                                    budget_programs=budget_programs, budget_usd=budget_usd,
                                    include_planned=not completed_only)
            shown = None if computed is None else computed.shown
            stored = False
        if shown is None or "\x1b" in shown:
            return None  # click.echo strips escape sequences; leave that to it (it finds the run stored)
        if key is not None:
            if stored:  # the full path keeps the next look's text, the same here (no changes shown)
                _, key = lookup_answer_quickly(url, form, applicant=ref, now=clock(), settings=settings)
            if key is not None:
                keep_answer_quickly(url, form, key, shown, applicant=ref, now=clock, settings=settings)
        return Answer(shown)


def _daemon_status(url: str, ref: str | None, call: Invocation, settings: Any, moment: datetime) -> Answer | None:
    """`daemon status [--json]` with the full path's rule (reminders.daemon_view), in the applicant's zone, and
    why a daemon cannot start, by the daemon's own check (reminders.daemon_start_problem)."""
    from zoneinfo import ZoneInfo

    from imgcoach.core.errors import UserError
    from imgcoach.core.locations import data_dir
    from imgcoach.plan import read_listing_quickly
    from imgcoach.reminders import daemon_start_problem, daemon_status_quickly

    try:
        profile = read_listing_quickly(url, "profile", applicant=ref)
    except UserError:
        return None  # no applicant (the full path prints in UTC) or an unknown one: its own words
    state = daemon_status_quickly(url, moment) if profile is not None else None
    if profile is None or state is None:
        return None
    state = state.with_start_problem(daemon_start_problem(settings.extra, data_dir=data_dir()))
    zone = ZoneInfo(profile.timezone)
    if call.as_json:  # cli.common.output_zone: the applicant's
        return Answer(json_text(state.as_dict(), zone) + "\n")
    text = "".join(f"{line}\n" for line in state.report_lines(zone))
    return None if "\x1b" in text else Answer(text)


def _rotation_show(url: str, ref: str | None, call: Invocation, settings: Any, moment: datetime) -> Answer | None:
    """`rotations show ID [--json]` from plan.rotation_detail's rows read with sqlite3 or psycopg, printed by the
    full path's own code (show_text.rotation_lines, shapes.rotation_show_json): which reminders are overdue is
    decided at `moment` by the one rule (reminders.is_overdue), the letter window by reminders.letter_window."""
    from types import SimpleNamespace as Row
    from zoneinfo import ZoneInfo

    from imgcoach.cli.shapes import rotation_show_json
    from imgcoach.cli.show_text import rotation_lines
    from imgcoach.core.errors import UserError
    from imgcoach.plan import read_rotation_quickly
    from imgcoach.reminders import letter_window

    assert call.argument is not None
    try:
        rows = read_rotation_quickly(url, call.argument, applicant=ref)
    except UserError as exc:  # no applicant, an unknown one, a rotation that is not theirs: the same words
        return Answer("", f"imgcoach: error: {one_line(str(exc))}\n", 2)
    if rows is None:
        return None
    rotation = Row(**rows.rotation)
    detail = Row(rotation=rotation, supervisors=[(Row(**c), role) for c, role in rows.supervisors],
                 letters=[(Row(**lt), Row(name=writer)) for lt, writer in rows.letters],
                 reminders=[Row(**r) for r in rows.reminders], cases=[Row(**c) for c in rows.cases])
    zone = ZoneInfo(rows.timezone)
    window = letter_window(rotation.start_date, rotation.end_date, settings.reminders)  # plan.request_window's
    if call.as_json:
        return Answer(json_text(rotation_show_json(detail, zone, window, moment), zone) + "\n")
    text = "".join(f"{line}\n" for line in rotation_lines(detail, zone, rows.timezone, window, moment))
    return None if "\x1b" in text else Answer(text)


def _default_now() -> Callable[[], datetime]:
    """The full path's clock (core.clock.default_clock, which its composition root reads too): both paths of a
    command read the same moment, and a test that fixes it fixes both (stdlib only: core.clock)."""
    from imgcoach.core.clock import default_clock

    return default_clock().now


def _plain(arg: str) -> bool:
    """No NUL byte and valid UTF-8: cli.main refuses anything else, so the full path answers it."""
    if "\x00" in arg:
        return False
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def answer(args: list[str]) -> bool:
    """Print the quick answer of `args` and exit with its code; False when the full path must answer."""
    try:
        found = quick_listing(args)
    except Exception:  # never worse than the full path: it answers whatever went wrong here
        if os.environ.get("IMGCOACH_DEBUG"):
            raise
        return False
    if found is None:
        return False
    if found.out and found.binary:
        sys.stdout.buffer.write(found.out.encode("utf-8"))
        sys.stdout.flush()
    elif found.out:
        sys.stdout.write(found.out)
        sys.stdout.flush()
    if found.err:
        sys.stderr.write(found.err)
        sys.stderr.flush()
    if found.code:
        sys.exit(found.code)
    return True
