"""`imgcoach import FILE.ics...` and `imgcoach export [-o plan.ics] [--feed PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from imgcoach.cli.common import (
    Command,
    GivenPath,
    db_option,
    get_context,
    group,
    json_option,
    kept_answer,
    print_json,
    warn,
)
from imgcoach.core.datewords import moment_words
from imgcoach.core.errors import UserError
from imgcoach.core.words import clip, counted

if TYPE_CHECKING:
    from imgcoach.core.context import Context

PREVIEW_LINES = 40


def _parse_as(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, kind = value.rpartition("=")
        if not sep or not key:
            raise UserError(f"--as {value!r}: use UID=KIND (or UID#RECURRENCE-ID=KIND)")
        out[key.strip()] = kind.strip()
    return out


@click.command("import", cls=Command)
@click.argument("files", nargs=-1, type=GivenPath(path_type=Path, dir_okay=False))
# Broken events are always skipped and named now (issue 13); the flag stays so scripts that pass it keep working.
@click.option("--skip-invalid", is_flag=True, hidden=True)
@click.option("--prune", is_flag=True, help="Remove events that are gone from a re-imported file (asked otherwise).")
@click.option("--accept-suggestions", "accept", is_flag=True,
              help="Make each new event what the rules suggest; a rotation, study block or exam the plan already "
                   "holds is linked, not copied. Lists everything it will accept first.")
@click.option("--as", "as_kinds", multiple=True, metavar="UID=KIND",
              help="Override one event's kind: rotation, study_block, exam, interview or event. Repeatable.")
@click.option("--separate", multiple=True, metavar="UID",
              help="Keep this event a plan item of its own instead of linking it to an existing one. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Show the preview only; change nothing.")
@click.option("--undo", is_flag=True, help="Revert the last import: its events, the plan items it made or changed, "
                                           "their reminders (refused, naming it, while one of those items was edited since).")
@click.option("--history", is_flag=True, help="List past imports (date, file, counts).")
@db_option
@json_option
def import_cmd(files: tuple[Path, ...], skip_invalid: bool, prune: bool, accept: bool, as_kinds: tuple[str, ...],
               separate: tuple[str, ...], dry_run: bool, undo: bool, history: bool, as_json: bool) -> None:
    """Import iCalendar (.ics) files: one transaction per file; an event is its UID, so a re-import (from this
    file or another) updates, never duplicates. A broken event is skipped and named, the others imported; only
    a file damaged as a whole (truncated, bad nesting, undecodable bytes), holding no event or only broken ones
    imports nothing (exit 2). Times are shown in your time zone."""
    from imgcoach.calendar import (
        apply_import,
        import_timezone,
        preview_import,
        read_calendar_file,
        unchanged_import,
    )

    ctx = get_context()
    if undo or history:
        if files or (undo and history):
            raise UserError("--undo and --history take no file and go alone")
        if undo:
            _undo(ctx, as_json)
        else:
            with kept_answer():  # kept for the quick read (imgcoach.cli.quick, issue 17)
                _history(ctx, as_json)
        return
    if not files:
        raise UserError("give one or more .ics files (or --history, --undo)")
    kinds = _parse_as(as_kinds)
    tz = import_timezone(ctx)
    reports = []
    interactive = not as_json and sys.stdin.isatty()
    # Every event --as or --separate names is in one of the files, before any file is imported: a UID mistyped (or
    # empty) changed nothing and said nothing, and the event went in as a plain one, exit 0.
    read_first = {path: read_calendar_file(ctx, path, tz) for path in files} if kinds or separate else {}
    _check_named_events(read_first, kinds, separate)
    for path in files:
        # Read last time exactly as it would be now, nothing to choose: say so without reading it again.
        quick = None if (dry_run or accept or kinds or prune or separate) else unchanged_import(ctx, path)
        if quick is not None:
            reports.append(quick)
            if not as_json:
                _show(quick, False)
            continue
        parsed = read_first.get(path) or read_calendar_file(ctx, path, tz)
        options: dict[str, Any] = {"skip_invalid": skip_invalid, "accept": accept, "kinds": kinds, "parsed": parsed,
                                   "separate": set(separate)}
        if dry_run:
            report = preview_import(ctx, path, prune=prune, **options)
        else:
            remove = prune
            if (accept or kinds or (not prune and interactive)):
                preview = preview_import(ctx, path, **options)
                if preview.status != "refused":
                    if not prune and interactive and preview.gone:
                        _show_gone(preview.gone, preview)
                        remove = click.confirm(f"Remove {'this event' if len(preview.gone) == 1 else f'these {len(preview.gone)} events'} from imgcoach?",
                                               default=False)
                    if (accept or kinds) and not as_json and not _confirm_accepting(preview, interactive, remove):
                        click.echo(f"{path}: nothing imported")
                        continue
            report = apply_import(ctx, path, prune=remove, **options)
        reports.append(report)
        if not as_json:
            _show(report, accept or bool(kinds), alone=len(files) == 1)
    if not as_json and len(files) > 1:
        _say_undo([r.import_id for r in reports if r.import_id is not None])
    if as_json:
        print_json([r.to_json() for r in reports] if len(reports) != 1 else reports[0].to_json())
    refused = [r for r in reports if r.status == "refused"]
    if refused:
        if len(refused) == 1 and len(reports) == 1 and not as_json:
            raise UserError(refused[0].refusal())
        raise UserError(f"{len(refused)} of {counted(len(reports), 'file')} not imported: "
                        + ", ".join(r.file for r in refused))


def _check_named_events(read: dict[Path, Any], kinds: dict[str, str], separate: tuple[str, ...]) -> None:
    """A UserError naming the first --as or --separate whose UID (or UID#RECURRENCE-ID) no event of the files has
    (an --as of an unknown KIND is left to the import's own refusal, which names the kinds)."""
    from imgcoach.calendar import KINDS

    known: set[str] = set()
    for parsed in read.values():
        for e in parsed.events:
            known.add(e.uid)
            if e.recurrence_id:
                known.add(f"{e.uid}#{e.recurrence_id}")
    where = ", ".join(str(path) for path in read)
    for key, kind in kinds.items():
        if key not in known and kind in KINDS:
            raise UserError(f"--as {key}={kind}: no event in {where} has UID {key!r} (`imgcoach import FILE "
                            "--dry-run` lists each suggestion with its UID)")
    for key in separate:
        if key not in known:
            raise UserError(f"--separate {key!r}: no event in {where} has that UID (`imgcoach import FILE --dry-run` "
                            "lists each suggestion with its UID)")


def _confirm_accepting(preview: Any, interactive: bool, prune: bool) -> bool:
    """Before accepting: say what will be accepted, every item (not only the first screenful), by kind, with what a
    rotation it makes collides with (`prune`: the import removes the events gone from the file)."""
    if not _list_accepting(preview, "will accept", prune):
        return True
    return click.confirm("Import with these?", default=True) if interactive else True


def _list_accepting(report: Any, verb: str, prune: bool | None = None) -> bool:
    """What the import accepts (ImportReport.accepting), every item, by kind: before a real run asks, and as a dry
    run's answer (it printed the counts alone, whatever --as and --separate chose). Under a rotation it makes, what
    that rotation collides with, the import's own words (ImportReport.overlaps): only the import said them, once
    done. False when nothing."""
    chosen = report.accepting()
    if not chosen:
        return False
    counts: dict[tuple[str, str], int] = {}
    for e in chosen:
        how, label = e.how(e.kind), e.kind.replace("_", " ")
        counts[(how, label)] = counts.get((how, label), 0) + 1
    # "2 new rotations", and one the import would not make apart: "1 rotation not made" (its line says why)
    summary = ", ".join(counted(n, f"{label} not made", f"{label}s not made") if how == "not made" else
                        counted(n, f"{how} {label}") for (how, label), n in sorted(counts.items()))
    click.echo(f"{report.file}: {verb} {counted(len(chosen), 'suggestion')}: {summary} (times in {report.timezone})")
    width = _when_width(report, [e.start for e in chosen])
    overlaps = report.overlaps(prune)
    for e in chosen:
        click.echo(f"  {report.local(e.start):{width}}  {clip(e.summary, 40):40}  -> {e.describe_target()}  "
                   f"[UID {e.key}]")
        for overlap in overlaps.get(e.key, ()):
            click.echo(f"  {'':{width}}  {overlap}")
    return True


def _undo(ctx: Context, as_json: bool) -> None:
    from imgcoach.calendar import not_put_back, undo_last_import, undone_counts

    done = undo_last_import(ctx)
    if as_json:  # the words the text says, and apart what could not be put back as it was
        print_json({"undone": done.id, "file": done.file, "imported_at": done.imported_at,
                    "words": undone_counts(done), "not_put_back": not_put_back(done)})
        return
    click.echo(f"undid import {done.id} of {done.file} ({undone_counts(done)})")


def _history(ctx: Context, as_json: bool) -> None:
    from zoneinfo import ZoneInfo

    from imgcoach.calendar import history_words, import_history, import_timezone, plan_counts

    zone = ZoneInfo(import_timezone(ctx))
    rows = import_history(ctx)
    if as_json:
        # plan_items (made, linked and moved together) and linked stay as they were; made, moved and
        # linked_or_moved say each kind apart (moved None, linked_or_moved the rest: recorded before 0014)
        data = []
        for h in rows:
            counts = plan_counts(h.journal, h.plan_items, h.linked)
            data.append({"id": h.id, "file": h.file, "imported_at": h.imported_at, "created": h.created,
                         "updated": h.updated, "removed": h.removed, "plan_items": h.plan_items, "linked": h.linked,
                         "made": counts.made_by_kind(), "removed_plan_items": counts.removed_by_kind(),
                         "moved": counts.moved,
                         "linked_or_moved": counts.unsorted, "undone_at": h.undone_at})
        print_json(data, zone)
        return
    if not rows:
        click.echo("no imports yet")
        return
    for h in rows:
        undone = f"  (undone {moment_words(h.undone_at, zone)})" if h.undone_at else ""
        click.echo(f"{h.id:>4}  {moment_words(h.imported_at, zone)}  {h.file}  {h.created} created, "
                   f"{h.updated} updated, {h.removed} removed; {history_words(h)}{undone}")


def _when_width(report: Any, starts: list[Any]) -> int:
    """The width of a list's time column: an all-day row's day ("2027-04-05") beside a timed row's moment
    ("2027-03-01 07:00 EST") pushed the rest of its line ten columns left."""
    return max((len(report.local(start)) for start in starts), default=0)


def _show_gone(gone: list[dict[str, Any]], report: Any) -> None:
    click.echo(f"These events are no longer in the file (times in {report.timezone}):")
    width = _when_width(report, [g["start"] for g in gone[:PREVIEW_LINES]])
    for g in gone[:PREVIEW_LINES]:
        click.echo(f"  {report.local(g['start']):{width}}  {g['summary'] or '(no title)'}  [UID {g['uid']}]")
        if note := report.gone_note(g):  # the question named the event alone, then deleted the rotation and its log
            click.echo(f"  {'':{width}}  {note}")
    if len(gone) > PREVIEW_LINES:
        click.echo(f"  ... and {len(gone) - PREVIEW_LINES} more")


def _show(report: Any, deciding: bool, alone: bool = False) -> None:
    from imgcoach.cli.show_text import give_hours

    if report.status == "refused":
        if alone and len(report.problems) == 1 and not report.warnings:
            return  # the error line says it (refusal): not the same problem three times
        click.echo(f"{report.file}: {counted(len(report.problems), 'problem')}, nothing imported", err=True)
        for p in report.problems:
            click.echo(f"  {p.describe()}", err=True)
        for p in report.warnings:
            click.echo(f"  warning: {p.describe()}", err=True)
        return
    if report.status == "unchanged":
        click.echo(f"{report.file}: unchanged since its last import ({counted(report.unchanged, 'event')}); "
                   "nothing to write")
        if report.undecided():
            click.echo(f"  {report.undecided()} of its events still suggested as plan items, not accepted: "
                       f"`imgcoach import {report.file} --dry-run` lists them")
        return
    verb = "would be" if report.status == "preview" else ""
    counts = (f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
              f"{len(report.removed)} removed, {len(report.skipped)} skipped")
    click.echo(f"{report.file}: {counts}" + (f" ({verb} on import)" if verb else ""))
    changes = report.change_lines()  # what each update changes: "1 updated" alone left it to guess
    for line in changes[:PREVIEW_LINES]:
        click.echo(f"  {line}")
    if len(changes) > PREVIEW_LINES:
        click.echo(f"  ... and {len(changes) - PREVIEW_LINES} more updated (all of them: --json)")
    for p in report.skipped:
        click.echo(f"  skipped: {p.describe()}")
    if report.already:
        click.echo(f"  {report.already_note()}")
    if report.others_reminders:
        click.echo(f"  {report.others_note()}")
    if report.own_linked:
        click.echo(f"  {report.own_note()}")
    for p in report.warnings:
        warn(p.describe())
    for r in report.removed:
        also = "would also remove" if report.status == "preview" else "also removed"
        extra = f"; {also} {r['also_removed']}" if r.get("also_removed") else ""
        click.echo(f"  {'would be removed' if report.status == 'preview' else 'removed'} ({r['reason']}): "
                   f"{r['summary'] or r['uid']}{extra}")
    if report.gone:
        click.echo(f"  {report.gone_words()}")
    for line in report.mapped_lines(give_hours):
        click.echo(f"  {line}")
    for line in report.moved_lines() + report.unmade_lines():
        click.echo(f"  {line}")
    if deciding and report.status == "preview":
        _list_accepting(report, "would accept")
    suggestions = [e for e in report.suggestions() if not e.kind]
    if suggestions and not deciding:
        click.echo(f"  suggestions (times in {report.timezone}; accept with --accept-suggestions, "
                   "or choose with --as UID=KIND, --separate UID):")
        width = _when_width(report, [e.start for e in suggestions[:PREVIEW_LINES]])
        for e in suggestions[:PREVIEW_LINES]:
            click.echo(f"    {report.local(e.start):{width}}  {clip(e.summary, 40):40}  -> {e.describe_target()}  "
                       f"({e.suggestion.rule})  [UID {e.key}]")
        if len(suggestions) > PREVIEW_LINES:
            click.echo(f"    ... and {len(suggestions) - PREVIEW_LINES} more (all of them: --json)")
    if report.import_id is not None:  # one file: its undo here; several: named here, their undo said once (_say_undo)
        click.echo(f"  import {report.import_id}" + (": undo with `imgcoach import --undo`" if alone else ""))


def _say_undo(import_ids: list[int]) -> None:
    """After a run of several files, how to undo its imports: `import --undo` reverts the newest import, so the
    line each file printed ("import 1: undo with `imgcoach import --undo`") undid the run's last file, not that one."""
    if len(import_ids) == 1:
        click.echo(f"import {import_ids[0]}: undo with `imgcoach import --undo`")
    elif import_ids:
        names = ", ".join(map(str, import_ids[:-1])) + f" and {import_ids[-1]}"
        click.echo(f"imports {names}: `imgcoach import --undo` undoes the newest of them (import {max(import_ids)}) "
                   "first; run it once more for each earlier one")


@click.command("export", cls=Command)
@click.argument("file", required=False, type=GivenPath(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=GivenPath(path_type=Path, dir_okay=False),
              help="Write the calendar to this file (default: standard output); FILE says the same.")
@click.option("--feed", type=GivenPath(path_type=Path, dir_okay=False),
              help="Write to PATH now and keep it updated after every change (the daemon refreshes it).")
@db_option
def export_cmd(file: Path | None, output: Path | None, feed: Path | None) -> None:
    """Export rotations, study blocks, exams, letter deadlines and pending reminders as one .ics calendar.

    Written to FILE (or -o FILE), else to standard output."""
    from imgcoach.calendar import add_feed, export_to

    # `imgcoach export plan.ics`, as `imgcoach import plan.ics` reads it: click said "Got unexpected extra argument".
    if file is not None and output is not None and file != output:
        raise click.UsageError(f"two files to write: {file} and -o {output}; give one")
    output = output or file
    ctx = get_context()
    if feed is not None:
        target = add_feed(ctx, feed)
        click.echo(f"feed written to {target}; `imgcoach daemon` keeps it current", err=True)
    if output is not None:
        size = export_to(ctx, output)
        click.echo(f"wrote {output} ({size} bytes)", err=True)
    if output is None and feed is None:
        _export_to_stdout(ctx)


def _export_to_stdout(ctx: Any) -> None:
    """The plan's ICS bytes on standard output, kept for the quick read (cli.quick, issue 17: importing
    icalendar alone is 3.3x `python -c pass`) while nothing it is made from changes: every table it reads is
    watched (storage.readcache.WATCHED), the key holds the zone and its tz database file. Not kept when a
    DTSTAMP came from the clock (calendar.export_answer) or stdout is not a byte stream."""
    from imgcoach.calendar import export_answer
    from imgcoach.cli.common import answer_form
    from imgcoach.plan import answer_key, keep_answer

    command = answer_form(click.get_current_context())
    key = answer_key(ctx, command)  # before anything is read: a write meanwhile keeps nothing
    data, stable = export_answer(ctx)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    if stable:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return
        keep_answer(ctx, command, key, text)


@group()
def events() -> None:
    """Imported calendar events: list them, remove the ones you do not want on the plan."""


@events.command("list")
@db_option
@json_option
def events_list(as_json: bool) -> None:
    """Every imported occurrence with its id, local time and what it became."""
    from zoneinfo import ZoneInfo

    # Usually answered before click by cli.quick (the same output without SQLAlchemy); this is the full path.
    from imgcoach.calendar import import_timezone, list_events
    from imgcoach.cli.common import print_table
    from imgcoach.cli.quick import EMPTY, EVENT_HEADERS, event_cells
    from imgcoach.cli.shapes import row_json

    ctx = get_context()
    zone = ZoneInfo(import_timezone(ctx))
    rows = list_events(ctx)
    data = [row_json(r) for r in rows]  # the model's field order (a loaded row's model_dump() has its own)
    if as_json:
        print_json(data)
        return
    print_table(EVENT_HEADERS, [event_cells(r, zone) for r in data], empty=EMPTY["events"])


@events.command("remove")
@db_option
@click.argument("event_ids", nargs=-1, type=int, required=True)
@json_option
def events_remove(event_ids: tuple[int, ...], as_json: bool) -> None:
    """Delete imported events by id (all or none). Importing their file again brings them back."""
    from imgcoach.calendar import list_events, remove_events
    from imgcoach.cli.shapes import row_json
    from imgcoach.plan import removal_reach

    ctx = get_context()
    wanted = sorted(set(event_ids))
    # --json: read before they go, the rows as `events list` prints them and what goes with them.
    rows = [row_json(r) for r in list_events(ctx) if r.id in wanted] if as_json else []
    reach = removal_reach(ctx, "calendar_event", wanted) if as_json else None
    removed = remove_events(ctx, event_ids)
    if reach is not None:
        print_json({"removed": wanted, "events": rows, "deleted_with": reach.deleted, "unlinked": reach.unlinked})
        return
    click.echo(f"removed {counted(removed.count, 'event')}: {', '.join(removed.titles)} "
               "(importing their file again brings them back)")
