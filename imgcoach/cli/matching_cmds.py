"""`imgcoach programs ...` and `imgcoach shortlist`: program data and the application shortlist."""

from __future__ import annotations

import sys
from datetime import UTC
from pathlib import Path

import click

from imgcoach.cli.common import (
    Command,
    GivenPath,
    db_option,
    echo_wrapped,
    get_context,
    group,
    json_option,
    keep_next_answer,
    keeps_answer,
    kept_answer,
    output_zone,
    print_json,
    print_table,
)
from imgcoach.cli.quick import EMPTY
from imgcoach.cli.shapes import program_json
from imgcoach.cli.shortlist_text import explain_refusal, shortlist_view
from imgcoach.core.words import counted


@group()
def programs() -> None:
    """Residency program data: import a CSV, override a field locally, list."""


@programs.command("import")
@click.argument("file", type=GivenPath(path_type=Path, dir_okay=False))
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows and list the invalid ones.")
@click.option("--mapping", default=None, metavar="NAME|FILE.toml",
              help="Read another layout: 'freida' (FREIDA-style export) or your own mapping file.")
@db_option
@json_option
def import_cmd(file: Path, skip_invalid: bool, mapping: str | None, as_json: bool) -> None:
    """Import FILE.csv (or .csv.gz); re-import updates programs by id and records what changed."""
    from imgcoach.matching import import_programs, load_mapping, refresh_all

    ctx = get_context()
    report = import_programs(ctx, file, skip_invalid=skip_invalid,
                             mapping=load_mapping(mapping) if mapping else None)
    unchanged = report.status == "unchanged"
    refreshed = 0 if unchanged else refresh_all(ctx, trigger="programs")  # the same data ranks the same
    if as_json:
        print_json({**report.to_dict(), "shortlists_refreshed": refreshed})
        return
    skipped = len({e.line for e in report.skipped})
    if unchanged:
        click.echo(f"{file}: unchanged ({counted(report.unchanged, 'program')} stored as the file has them"
                   + (f", {skipped} skipped" if skipped else "") + "); nothing written")
    else:
        click.echo(f"imported {file}: {len(report.added)} added, {len(report.updated)} updated, "
                   f"{report.unchanged} unchanged, {skipped} skipped")
    kept = report.kept_words()
    for line in (kept or "").splitlines():
        echo_wrapped(line)
    for error in report.skipped[:20]:
        click.echo(f"  skipped {error}")
    for pid in list(report.updated)[:20]:
        click.echo(f"  {pid}: {report.change_words(pid)}")


@programs.command("template")
@click.option("--csv", "as_csv", is_flag=True, help="Print only the header row, to start a spreadsheet.")
@json_option
def template_cmd(as_csv: bool, as_json: bool) -> None:
    """The program file's columns, what each means, and which may be left out (they are then `unknown`)."""
    from imgcoach.matching import PROGRAM_COLUMNS as COLUMNS
    from imgcoach.matching import built_in_mapping_file

    if as_csv:
        click.echo(",".join(c.name for c in COLUMNS))
        return
    rows = [{"column": c.name, "required": not c.may_be_unknown,
             "special_values": ", ".join(w for w, ok in (("unknown", c.may_be_unknown), ("none", c.may_be_none)) if ok),
             "meaning": c.doc} for c in COLUMNS]
    if as_json:
        print_json(rows)
        return
    print_table(["column", "required", "also accepts", "meaning"],
                [[r["column"], "yes" if r["required"] else "no", r["special_values"], r["meaning"]]
                 for r in rows], wrap_last=True)
    click.echo("")
    echo_wrapped("Optional columns may be left out: they are `unknown`. A cell may say `unknown`; limits may say "
                 "`none` (the program states it has no such limit). Percent cells may carry '%', dates may be "
                 "YYYY-MM-DD, MM/DD/YYYY (month first) or D.M.YYYY (with dots, day first); in a semicolon-separated "
                 "file a slash date that reads two ways (03/04/2027) is refused.")
    echo_wrapped("Provenance per fact: add <column>_source and <column>_checked_on columns.")
    echo_wrapped("Another layout (e.g. a FREIDA-style export): `imgcoach programs import FILE --mapping freida`, "
                 "or your own mapping file (TOML): copy the built-in one and edit its column names:")
    click.echo(f"  {built_in_mapping_file('freida')}")  # on a line of its own: wrapping could split a long path


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    from imgcoach.core.errors import UserError

    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--set: expected FIELD=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


@programs.command("add")
@click.argument("program_id")
@click.option("--name", required=True)
@click.option("--specialty", required=True, help="Code, name or alias, e.g. IM.")
@click.option("--state", required=True, help="Two-letter state code.")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Any other column (see `programs template`), repeatable, e.g. --set visa_j1=yes.")
@db_option
@json_option
def add_cmd(program_id: str, name: str, specialty: str, state: str, sets: tuple[str, ...], as_json: bool) -> None:
    """Add one program by hand (the facts you do not give are `unknown`)."""
    from imgcoach.matching import add_program, get_program, refresh_all

    ctx = get_context()
    values = {"program_id": program_id, "name": name, "specialty": specialty, "state": state, **_pairs(sets)}
    add_program(ctx, values)
    refresh_all(ctx, trigger="programs")
    if as_json:  # the row as `programs list --json` prints it
        print_json(program_json(get_program(ctx, program_id)))
    else:
        click.echo(f"added {program_id}")


@programs.command("edit")
@click.argument("program_id")
@click.option("--set", "sets", multiple=True, required=True, metavar="FIELD=VALUE",
              help="A column and its new value, repeatable, e.g. --set interviews_last_year=120.")
@db_option
@json_option
def edit_cmd(program_id: str, sets: tuple[str, ...], as_json: bool) -> None:
    """Change stated facts of one program (recorded like a re-import; your overrides stay separate)."""
    from imgcoach.matching import edit_program, get_program, refresh_all

    ctx = get_context()
    report = edit_program(ctx, program_id, _pairs(sets))
    refresh_all(ctx, trigger="programs")
    if as_json:
        print_json(program_json(get_program(ctx, program_id)))
    else:
        click.echo(f"{program_id}: {report.change_words(program_id)}")


@programs.command("override")
@click.argument("program_id")
@click.argument("field")
@click.argument("value")
@click.option("--note", default="", help="Where the value comes from, e.g. 'called coordinator 2026-11-20'.")
@click.option("--clear", is_flag=True, help="Remove your override of FIELD (VALUE is ignored).")
@db_option
@json_option
def override_cmd(program_id: str, field: str, value: str, note: str, clear: bool, as_json: bool) -> None:
    """Set your own VALUE for a program FIELD (kept across re-imports, shown as your override)."""
    from imgcoach.matching import clear_override, get_program, recompute, set_override

    ctx = get_context()
    if clear:
        removed = clear_override(ctx, program_id, field)
        said = f"{program_id} {field}: override {'removed' if removed else 'was not set'}"
    else:
        row = set_override(ctx, program_id, field, value, note=note)
        said = f"{program_id} {field} = {row.value} (your override)"
    if not as_json:
        click.echo(said)
    recompute(ctx, trigger="programs")
    if as_json:  # the program as `programs list --json` prints it: its overridden_fields say what holds now
        print_json(program_json(get_program(ctx, program_id)))


@programs.command("list")
@keeps_answer
@click.option("--specialty", default=None, help="Specialty: code, name or alias, e.g. IM or 'Internal Medicine'.")
@click.option("--state", default=None, help="Two-letter state code.")
@click.option("--limit", type=int, default=50, show_default=True)
@db_option
@json_option
def list_cmd(specialty: str | None, state: str | None, limit: int, as_json: bool) -> None:
    """List programs with their unknown and overridden fields."""
    from imgcoach.matching import display_name, program_listing

    listing = program_listing(get_context(), specialty=specialty, state=state, limit=limit)
    items = listing.programs
    if as_json:
        print_json([program_json(p) for p in items])
        return
    # A synthetic row keeps "(synthetic)" whole however its name is cut, as the shortlist shows it.
    print_table(["id", "name", "specialty", "state", "unknown", "overridden"],
                [[p.program_id, display_name(p.name, p.synthetic, 48), p.specialty, p.state, len(p.unknown_fields()),
                  ",".join(sorted(p.overridden))] for p in items],
                empty="" if listing.filters else EMPTY["programs"])  # filtered: the header, then the note
    note = listing.note()
    if note:
        click.echo(note)


@click.command("shortlist", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for spreadsheets.")
@click.option("--budget", "budget_programs", type=int, default=None, help="Apply to at most N programs.")
@click.option("--budget-usd", "budget_usd", type=float, default=None, help="Spend at most X USD in per-program application fees (ERAS, SF Match).")
@click.option("--explain", "explain_id", default=None, metavar="PROGRAM_ID", help="Explain one program.")
@click.option("--what-if-step2", "what_if_step2", type=int, default=None, metavar="N",
              help="Compare with a Step 2 CK score of N.")
@click.option("--completed-only", is_flag=True, help="Count only completed rotations (and letters in hand).")
@db_option
def shortlist(as_json: bool, as_csv: bool, budget_programs: int | None, budget_usd: float | None,
              explain_id: str | None, what_if_step2: int | None, completed_only: bool) -> None:
    """The programs to apply to under your budget, with the estimated chance of matching."""
    from imgcoach import matching as service
    from imgcoach.core.errors import UserError

    if as_json and as_csv:
        raise UserError("choose one of --json and --csv")
    if budget_programs is not None and budget_usd is not None:
        raise UserError("choose one budget: --budget N (programs) or --budget-usd X")
    service.check_budget(budget_programs, budget_usd)
    if what_if_step2 is not None:
        service.check_step2(what_if_step2, "--what-if-step2")
    default_view = budget_programs is None and budget_usd is None and not completed_only and what_if_step2 is None

    def show() -> bool:
        return _show_shortlist(as_json, as_csv, budget_programs, budget_usd, explain_id, what_if_step2,
                               completed_only, default_view)

    # Kept for the quick read (imgcoach.cli.quick, issue 17): the key is taken before anything is read or
    # refreshed, and the answer kept only if it is still the same after. The default view's first look after a
    # change writes (a new run stored, its changes marked seen), so it is not kept: what the next look prints is
    # kept instead, computed again here (keep_next_answer), and that look takes the quick path.
    with kept_answer():
        wrote = show()
    if wrote:
        keep_next_answer(show)


def _show_shortlist(as_json: bool, as_csv: bool, budget_programs: int | None, budget_usd: float | None,
                    explain_id: str | None, what_if_step2: int | None, completed_only: bool,
                    default_view: bool) -> bool:
    """Print the shortlist as the options ask; True when it wrote (stored a run or marked changes seen)."""
    from imgcoach import matching as service
    from imgcoach.core.errors import NotFound, UserError

    ctx = get_context()
    changes = []
    wrote = False
    if explain_id is not None:  # refused before a first look after a change stores its run: a refusal writes nothing
        try:
            service.get_program(ctx, explain_id)
        except NotFound as error:
            raise UserError(explain_refusal(explain_id)) from error
    if default_view:
        # One ranking stored (when an input changed) and printed: the app's Shortlist reads it the same way.
        now = service.current(ctx)
        result, table, inputs, today = now.shortlist, now.table, now.inputs, now.today
        changes = service.changes_since_seen(ctx)
        wrote = now.stored is not None
    else:
        result, table, inputs, today = service.compute(ctx, budget_programs=budget_programs,
                                                       budget_usd=budget_usd, include_planned=not completed_only)
    zone = output_zone() if as_json else UTC  # the applicant's, read for --json only (as print_json reads it)
    text = shortlist_view(result, table, inputs, today, changes, zone, as_json=as_json, as_csv=as_csv,
                          explain_id=explain_id, what_if_step2=what_if_step2, completed_only=completed_only)
    if as_csv:
        sys.stdout.write(text)  # as written: click.echo would strip escape sequences from a field
        return wrote
    click.echo(text, nl=False)
    if explain_id is not None:
        return wrote
    if default_view and service.mark_seen(ctx):
        wrote = True
    return wrote
