"""`imgcoach import FILE.ics...` and `imgcoach export [-o plan.ics] [--feed PATH]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from imgcoach.cli.common import db_option, get_context, json_option, print_json, warn
from imgcoach.core.errors import UserError

PREVIEW_LINES = 40


def _parse_as(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, kind = value.rpartition("=")
        if not sep or not key:
            raise UserError(f"--as {value!r}: use UID=KIND (or UID#RECURRENCE-ID=KIND)")
        out[key.strip()] = kind.strip()
    return out


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--skip-invalid", is_flag=True, help="Import the events that parse; list every skipped item and why.")
@click.option("--prune", is_flag=True, help="Remove events that are gone from a re-imported file (asked otherwise).")
@click.option("--accept-suggestions", "accept", is_flag=True,
              help="Make each new event what the rules suggest (rotation, study block, exam, interview).")
@click.option("--as", "as_kinds", multiple=True, metavar="UID=KIND",
              help="Override one event's kind: rotation, study_block, exam, interview or event. Repeatable.")
@click.option("--dry-run", is_flag=True, help="Show the preview only; change nothing.")
@db_option
@json_option
def import_cmd(files: tuple[Path, ...], skip_invalid: bool, prune: bool, accept: bool, as_kinds: tuple[str, ...],
               dry_run: bool, as_json: bool) -> None:
    """Import iCalendar (.ics) files: one transaction per file; a re-import updates, never duplicates."""
    from imgcoach.calendar import apply_import, import_timezone, preview_import, read_calendar_file

    ctx = get_context()
    kinds = _parse_as(as_kinds)
    tz = import_timezone(ctx)
    reports = []
    for path in files:
        parsed = read_calendar_file(ctx, path, tz)
        options: dict[str, Any] = {"skip_invalid": skip_invalid, "accept": accept, "kinds": kinds, "parsed": parsed}
        if dry_run:
            report = preview_import(ctx, path, **options)
        else:
            remove = prune
            if not prune and not as_json and sys.stdin.isatty():
                preview = preview_import(ctx, path, **options)
                if preview.gone and preview.status != "refused":
                    _show_gone(preview.gone)
                    remove = click.confirm(f"Remove these {len(preview.gone)} event(s) from imgcoach?", default=False)
            report = apply_import(ctx, path, prune=remove, **options)
        reports.append(report)
        if not as_json:
            _show(report, accept or bool(kinds))
    if as_json:
        print_json([r.to_json() for r in reports] if len(reports) > 1 else reports[0].to_json())
    refused = [r for r in reports if r.status == "refused"]
    if refused:
        if len(refused) == 1 and len(reports) == 1 and not as_json:
            raise UserError(f"{refused[0].file}: nothing imported (fix the problems above, or use --skip-invalid)")
        raise UserError(f"{len(refused)} of {len(reports)} file(s) not imported: "
                        + ", ".join(r.file for r in refused))


def _show_gone(gone: list[dict[str, Any]]) -> None:
    click.echo("These events are no longer in the file:")
    for g in gone[:PREVIEW_LINES]:
        click.echo(f"  {g['start']}  {g['summary'] or '(no title)'}  [UID {g['uid']}]")
    if len(gone) > PREVIEW_LINES:
        click.echo(f"  ... and {len(gone) - PREVIEW_LINES} more")


def _show(report: Any, deciding: bool) -> None:
    if report.status == "refused":
        click.echo(f"{report.file}: {len(report.problems)} problem(s), nothing imported", err=True)
        for p in report.problems:
            click.echo(f"  {p.describe()}", err=True)
        for p in report.warnings:
            click.echo(f"  warning: {p.describe()}", err=True)
        return
    verb = "would be" if report.status == "preview" else ""
    counts = (f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
              f"{len(report.removed)} removed, {len(report.skipped)} skipped")
    click.echo(f"{report.file}: {counts}" + (f" ({verb} on import)" if verb else ""))
    for p in report.skipped:
        click.echo(f"  skipped: {p.describe()}")
    for p in report.warnings:
        warn(p.describe())
    for r in report.removed:
        extra = f"; also removed {r['also_removed']}" if r.get("also_removed") else ""
        click.echo(f"  removed ({r['reason']}): {r['summary'] or r['uid']}{extra}")
    if report.gone:
        click.echo(f"  {len(report.gone)} event(s) are gone from the file but kept; run again with --prune to remove them")
    for m in report.mapped:
        click.echo(f"  made {m['kind'].replace('_', ' ')} {m['id']} from \"{m['summary']}\"")
    suggestions = [e for e in report.events if e.suggestion.kind != "event" and not e.kind]
    if suggestions and not deciding:
        click.echo("  suggestions (accept with --accept-suggestions, or choose with --as UID=KIND):")
        for e in suggestions[:PREVIEW_LINES]:
            click.echo(f"    {str(e.start)[:16]}  {e.summary[:40]:40}  -> {e.suggestion.kind:11}  "
                       f"({e.suggestion.rule})  [UID {e.key}]")
        if len(suggestions) > PREVIEW_LINES:
            click.echo(f"    ... and {len(suggestions) - PREVIEW_LINES} more")


@click.command("export")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the calendar to this file (default: standard output).")
@click.option("--feed", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to PATH now and keep it updated after every change (the daemon refreshes it).")
@db_option
def export_cmd(output: Path | None, feed: Path | None) -> None:
    """Export rotations, study blocks, exams, letter deadlines and pending reminders as one .ics calendar."""
    from imgcoach.calendar import add_feed, export_bytes, export_to

    ctx = get_context()
    if feed is not None:
        target = add_feed(ctx, feed)
        click.echo(f"feed written to {target}; `imgcoach daemon` keeps it current", err=True)
    if output is not None:
        size = export_to(ctx, output)
        click.echo(f"wrote {output} ({size} bytes)", err=True)
    if output is None and feed is None:
        sys.stdout.buffer.write(export_bytes(ctx))
        sys.stdout.flush()
