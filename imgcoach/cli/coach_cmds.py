"""Coach commands: readiness, outreach, log, cases, cv, packet, stories, progress (issue 8)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from imgcoach.cli.common import (
    DATE,
    DATE_HELP,
    FLOAT,
    Command,
    GivenPath,
    assumed_hours_note,
    db_option,
    get_context,
    group,
    json_option,
    keeps_answer,
    kept_answer,
    print_json,
    print_table,
)
from imgcoach.cli.quick import EMPTY
from imgcoach.cli.shapes import case_json, outreach_json, rotation_json, row_json, stored_case_json
from imgcoach.core.errors import UserError
from imgcoach.core.ids import saved_id
from imgcoach.core.words import counted
from imgcoach.plan import SETTINGS


def _split(values: tuple[str, ...]) -> list[str]:
    return [x.strip() for v in values for x in v.split(";") if x.strip()]


@click.command("readiness", cls=Command)
@db_option
@json_option
@click.option("--sources", is_flag=True, help="Show the public source of each threshold.")
def readiness(as_json: bool, sources: bool) -> None:
    """Each readiness check: met, at risk or not met, with evidence and the next action."""
    from imgcoach.cli.common import output_zone
    from imgcoach.cli.quick import json_text
    from imgcoach.coach import check_readiness as run
    from imgcoach.coach import render_readiness as render_text

    with kept_answer():  # for the quick read (imgcoach.cli.quick, issue 17) while nothing it depends on changes
        report = run(get_context())
        text = json_text(report.to_dict(), output_zone()) + "\n" if as_json else render_text(report, sources=sources)
        click.echo(text, nl=False)


# --- outreach -------------------------------------------------------------------------------------------


def outreach_row(ctx: Any, outreach_id: int) -> dict[str, Any]:
    """The entry as `outreach list --json` prints it (its status today, follow-up day and warnings)."""
    from imgcoach.coach import list_outreach

    return next(outreach_json(*entry) for entry in list_outreach(ctx) if entry[0].id == outreach_id)


@group("outreach")
def outreach() -> None:
    """Places written to for observerships and externships."""


@outreach.command("add")
@db_option
@click.argument("institution")
@click.option("--department", default="")
@click.option("--specialty", default="")
@click.option("--kind", default="observership", help="observership, externship or clinical_job")
@click.option("--coordinator", default="")
@click.option("--email", "contact_email", default="")
@click.option("--status", default="drafted", help="drafted or sent")
@click.option("--written-on", type=DATE, help=DATE_HELP)
@click.option("--cost", "cost_usd", type=FLOAT)
@click.option("--visa", "visa_requirement", default="")
@click.option("--role-in-writing/--no-role-in-writing", default=False)
@click.option("--verified/--not-verified", "verified_legitimate", default=False)
@click.option("--notes", default="")
@json_option
def outreach_add(institution: str, as_json: bool, **values: object) -> None:
    """Record a place you wrote to (or will write to) for an observership or externship; prints its id."""
    from imgcoach.coach import record_outreach

    fields: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    ctx = get_context()
    added = record_outreach(ctx, institution, **fields)
    if as_json:
        print_json(outreach_row(ctx, saved_id(added.row.id)))
    else:
        click.echo(f"outreach {added.row.id}: {added.added()}")


@outreach.command("list")
@keeps_answer
@db_option
@json_option
def outreach_list(as_json: bool) -> None:
    """The places written to, with each one's status and follow-up date; each entry's warnings under the table."""
    from imgcoach.coach import follow_up_for_list, list_outreach

    rows = list_outreach(get_context())
    if as_json:
        print_json([outreach_json(*entry) for entry in rows])
        return
    shown = [follow_up_for_list(status, due, row.follow_ups_sent) for row, status, due, _ in rows]
    print_table(["id", "institution", "department", "status", "written", "follow-up", "warnings"], [
        [row.id, row.institution, row.department, said.status, row.written_on or "", said.column, len(warnings) or ""]
        for (row, _, _, warnings), said in zip(rows, shown, strict=True)
    ], empty=EMPTY["outreach"])
    # The warnings' words, not only their count: they were read only in --json or once an offer was accepted.
    for row, _, _, warnings in rows:
        if warnings:
            click.echo(f"\noutreach {row.id} ({row.institution}):")
            for warning in warnings:
                click.echo(f"  - {warning}")


@outreach.command("set-status")
@db_option
@click.argument("outreach_id", type=int)
@click.argument("status", metavar="STATUS")
@click.option("--on", type=DATE, help=f"Date of the change (default: today): {DATE_HELP}")
@json_option
def outreach_set_status(outreach_id: int, status: str, on: date | None, as_json: bool) -> None:
    """Move an entry: drafted, sent, follow_up_due, replied, interview, offered, declined, accepted, withdrawn."""
    from imgcoach.coach import change_outreach_status

    ctx = get_context()
    changed = change_outreach_status(ctx, outreach_id, status, on=on)
    if as_json:
        print_json(outreach_row(ctx, outreach_id))
    else:
        click.echo(f"outreach {changed.row.id}: {changed.said}")


@outreach.command("accept")
@db_option
@click.argument("outreach_id", type=int)
@click.option("--start", type=DATE, required=True, help=DATE_HELP)
@click.option("--end", type=DATE, required=True, help=DATE_HELP)
@click.option("--supervisor", default="")
@click.option("--supervisor-email", default="")
@click.option("--hours", "hours_per_week", type=int,
              help="Hours per week (1-80); left out, 40 is assumed, which the weekly load counts and the CV leaves out")
@click.option("--setting", type=click.Choice(SETTINGS),
              help="Inpatient, outpatient or mixed (default: not said; the CV leaves it out)")
@click.option("--specialty", default=None,
              help="The rotation's specialty (default: the entry's specialty or department)")
@json_option
def outreach_accept(outreach_id: int, start: date, end: date, as_json: bool, **values: object) -> None:
    """The offer becomes a planned rotation, in one step."""
    from imgcoach.cli.common import warn
    from imgcoach.coach import accept_offer, accepted_said, list_outreach

    ctx = get_context()
    # The offer's checks, as the app's Accept form lists them ("Check: ..."): the CLI accepted an offer flagged
    # "asks for $4,200 but is not verified: do not pay before verifying" without a word.
    checks = next((w for row, _, _, w in list_outreach(ctx) if row.id == outreach_id), [])
    rotation = accept_offer(ctx, outreach_id, start, end, **values)  # type: ignore[arg-type]
    if as_json:  # two objects, each under its name in the shape its list prints (cli.shapes)
        print_json({"outreach": outreach_row(ctx, outreach_id), "rotation": rotation_json(rotation)})
    else:
        click.echo(f"outreach {outreach_id}: {accepted_said(rotation)}")
    if rotation.hours_assumed:
        click.echo(assumed_hours_note(rotation), err=True)
    for check in checks:
        warn(f"check: {check}")


@outreach.command("draft")
@db_option
@click.argument("outreach_id", type=int)
@click.option("--follow-up", "follow_up", is_flag=True, help="The follow-up instead of the first e-mail.")
@json_option
def outreach_draft(outreach_id: int, follow_up: bool, as_json: bool) -> None:
    """Print OUTREACH_ID's e-mail as the app's Outreach v opens it: the follow-up once it is due, else the first
    request (drafted anew once sent: its text is not kept), a confirmation once accepted (--follow-up: the
    follow-up); nothing is sent. Where its e-mails stand today (which one fits, if any; what was sent on which day;
    when a follow-up falls due) goes to stderr, in the app's words."""
    from imgcoach.coach import outreach_emails

    emails = outreach_emails(get_context(), outreach_id)
    shown = emails.position("follow-up" if follow_up else "fitting")
    draft = emails.drafts[shown]
    if as_json:  # the draft's own fields: no list prints a draft
        print_json({"outreach_id": outreach_id, "title": draft.title, "to": draft.to, "address": draft.address,
                    "subject": draft.subject, "body": draft.body, "fits_today": emails.fits_today(shown),
                    "standing": emails.said_beside(shown)})
        return
    click.echo(draft.as_text(), nl=False)
    if said := emails.said_beside(shown):  # on stderr: stdout stays the e-mail alone, to copy or pipe elsewhere
        click.echo(said, err=True)


# --- rotation log and cases ---------------------------------------------------------------------------


@group("log")
def log() -> None:
    """Weekly rotation log."""


@log.command("add")
@db_option
@click.argument("rotation_id", type=int)
@click.option("--week", "week_of", type=DATE, required=True,
              help="A day of the week logged (within the rotation); weeks run from the rotation's first day, and "
                   f"the log names a week by its first day: {DATE_HELP}")
@click.option("--hours", type=FLOAT, required=True)
@click.option("--did", "activities", default="")
# Each option's parameter is the field the rules name (procedures_performed): their field errors are then said
# by the option typed (cli.common.Command); `--performed` escaped as "procedures performed:".
@click.option("--observed", "procedures_observed", multiple=True, help="Procedure observed (repeat, or separate with ';').")
@click.option("--performed", "procedures_performed", multiple=True, help="Procedure performed where permitted.")
@click.option("--presented", "presentations", multiple=True)
@click.option("--feedback", default="")
@click.option("--changed", "change_after_feedback", default="", help="What you changed after the feedback.")
@json_option
def log_add(rotation_id: int, week_of: date, hours: float, activities: str, procedures_observed: tuple[str, ...],
            procedures_performed: tuple[str, ...], presentations: tuple[str, ...], feedback: str,
            change_after_feedback: str, as_json: bool) -> None:
    """Log one week of ROTATION_ID: hours, what you did, procedures, feedback."""
    from imgcoach.coach import log_week

    logged = log_week(get_context(), rotation_id, week_of, hours, activities=activities,
                      procedures_observed=_split(procedures_observed),
                      procedures_performed=_split(procedures_performed), presentations=_split(presentations),
                      feedback=feedback, change_after_feedback=change_after_feedback)
    if as_json:
        print_json(row_json(logged.entry))
    else:
        click.echo(logged.words())


@log.command("feedback")
@db_option
@click.argument("rotation_id", type=int)
@click.option("--week", "week_of", type=DATE, required=True,
              help="A day of the week the feedback came (within the rotation); weeks run from the rotation's first "
                   f"day, and the log names a week by its first day: {DATE_HELP}")
@click.option("--feedback", required=True, help="What you were told.")
@click.option("--changed", "change_after_feedback", default="", help="What you changed after it.")
@json_option
def log_feedback(rotation_id: int, week_of: date, feedback: str, change_after_feedback: str, as_json: bool) -> None:
    """Record the mid-rotation feedback you received (readiness counts feedback as met only then)."""
    from imgcoach.coach import record_feedback

    entry = record_feedback(get_context(), rotation_id, week_of, feedback, change_after_feedback)
    if as_json:
        print_json(row_json(entry))
    else:
        click.echo(f"feedback recorded: rotation {rotation_id}, week of {entry.week_of}")


@log.command("list")
@keeps_answer
@db_option
@json_option
@click.option("--rotation", "rotation_id", type=int)
def log_list(as_json: bool, rotation_id: int | None) -> None:
    """The logged weeks, of every rotation or of --rotation."""
    from imgcoach.coach import list_log
    from imgcoach.core.words import clip

    rows = list_log(get_context(), rotation_id)
    if as_json:
        print_json([row_json(r) for r in rows])
        return
    print_table(["rotation", "week of", "hours", "did", "performed", "feedback"], [
        [r.rotation_id, r.week_of, f"{r.hours:g}", clip(r.activities, 30), ", ".join(r.procedures_performed),
         clip(r.feedback, 30)] for r in rows
    ], empty=f"no log weeks for rotation {rotation_id} yet" if rotation_id is not None else EMPTY["log"])


@group("projects")
def projects() -> None:
    """Case reports, QI projects and research done during or beside rotations."""


@projects.command("add")
@db_option
@click.option("--kind", required=True, help="case_report, qi or research")
@click.option("--title", required=True)
@click.option("--rotation", "rotation_id", type=int, help="The rotation it came from")
@click.option("--supervisor", default="", help="Who supervised it (shows in that writer's packet)")
@click.option("--status", default="in_progress", show_default=True,
              help="planned, in_progress, submitted, accepted, published or presented")
@json_option
def projects_add(kind: str, title: str, rotation_id: int | None, supervisor: str, status: str, as_json: bool) -> None:
    """Record a project; prints its id."""
    from imgcoach.coach import add_project

    project = add_project(get_context(), kind, title, rotation_id=rotation_id, supervisor=supervisor, status=status)
    if as_json:
        print_json(row_json(project))
    else:
        click.echo(project.id)


@projects.command("list")
@keeps_answer
@db_option
@json_option
def projects_list(as_json: bool) -> None:
    """Case reports, QI and research projects, with their status."""
    from imgcoach.coach import list_projects

    rows = list_projects(get_context())
    if as_json:
        print_json([row_json(r) for r in rows])
        return
    print_table(["id", "kind", "title", "rotation", "supervisor", "status"],
                [[r.id, r.kind, r.title, r.rotation_id, r.supervisor, r.status] for r in rows])


@group("cases")
def cases() -> None:
    """Cases worth remembering, tagged for interview stories."""


@cases.command("add")
@db_option
@click.argument("rotation_id", type=int)
@click.argument("title")
@click.option("--summary", default="")
@click.option("--tags", default="", help="challenging patient, ethical dilemma, teamwork, system differences, "
                                         "guideline in practice (comma-separated)")
@click.option("--on", "occurred_on", type=DATE, help=DATE_HELP)
@json_option
def cases_add(rotation_id: int, title: str, summary: str, tags: str, occurred_on: date | None, as_json: bool) -> None:
    """Record a case worth remembering from ROTATION_ID, tagged for interview stories."""
    from imgcoach.plan import add_case

    case = add_case(get_context(), rotation_id, title, summary=summary, tags=tags, occurred_on=occurred_on)
    if as_json:
        print_json(stored_case_json(case))
    else:
        click.echo(f"case {case.id}: {case.title} [{', '.join(case.tags)}]")


@cases.command("list")
@keeps_answer
@db_option
@json_option
def cases_list(as_json: bool) -> None:
    """The cases recorded, with their tags."""
    from imgcoach.coach import load_coach_data

    data = load_coach_data(get_context())
    if as_json:
        print_json([case_json(id=c.id, rotation_id=c.rotation_id, title=c.title, summary=c.summary, tags=c.tags,
                              occurred_on=c.seen_on) for c in data.cases])
        return
    print_table(["id", "rotation", "title", "tags"],
                [[c.id, c.rotation_id, c.title, ", ".join(c.tags)] for c in data.cases], empty=EMPTY["cases"])


# --- materials ------------------------------------------------------------------------------------------


@click.command("cv", cls=Command)
@db_option
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "pdf"]), default="md")
@click.option("-o", "--output", type=GivenPath(path_type=Path), help="File to write (default: print; pdf needs -o).")
@click.option("--include-planned", is_flag=True, help="Also list rotations that have not started, marked (planned).")
def cv(fmt: str, output: Path | None, include_planned: bool) -> None:
    """The "Clinical Experience in the US" section of a CV, from the rotations."""
    from imgcoach.coach import export_cv, render_cv

    if output is None:
        if fmt == "pdf":
            raise UserError("cv: --format pdf needs -o FILE")
        with kept_answer():
            click.echo(render_cv(get_context(), fmt, include_planned=include_planned), nl=False)
        return
    path = export_cv(get_context(), fmt, output, include_planned=include_planned)
    click.echo(f"wrote {path}")


@click.command("packet", cls=Command)
@db_option
@click.argument("writer", metavar="WRITER")
@click.option("-o", "--output", "out_dir", type=GivenPath(path_type=Path), default=Path("."), show_default=True)
def packet(writer: str, out_dir: Path) -> None:
    """The packet for a letter writer (name or contact id): one-page summary (PDF + Markdown), CV and statement."""
    from imgcoach.coach import export_packet

    files = export_packet(get_context(), writer, out_dir)
    if files.created is not None:
        click.echo(f"created folder {files.created}")
    click.echo(f"wrote {files.markdown}\nwrote {files.pdf}")
    for path in files.copied:
        click.echo(f"copied {path}")
    for missing in files.missing:
        click.echo(f"imgcoach: warning: {missing}", err=True)
    for note in files.notes:
        click.echo(f"note: {note}", err=True)


@click.command("stories", cls=Command)
@keeps_answer
@db_option
@json_option
@click.option("--tag", help="Only stories with this tag (or 'feedback').")
def stories(as_json: bool, tag: str | None) -> None:
    """Interview stories mapped to the common questions."""
    from imgcoach.coach import interview_stories, stories_text

    if as_json:
        grouped = interview_stories(get_context(), tag)
        print_json({q: [s.to_dict() for s in items] for q, items in grouped.items()})
    else:
        click.echo(stories_text(get_context(), tag), nl=False)


@group("progress")
def progress() -> None:
    """Progress updates to former supervisors (drafts you approve)."""


@progress.command("mark")
@db_option
@click.argument("kind", metavar="KIND")
@click.option("--on", type=DATE, help=DATE_HELP)
@click.option("--detail", default="", help="e.g. 'Step 2 CK passed with 250'.")
@json_option
def progress_mark(kind: str, on: date | None, detail: str, as_json: bool) -> None:
    """KIND: exam_score, applications_submitted, interview_season or match_day."""
    from imgcoach.cli.common import output_zone
    from imgcoach.cli.shapes import reminder_json
    from imgcoach.coach import mark_progress

    ctx = get_context()
    marked = mark_progress(ctx, kind, on, detail)
    if as_json:  # the drafts as `reminders list --json` prints them; skipped: supervisors with no e-mail
        zone, now = output_zone(), ctx.clock.now()
        # () superseded: a draft to a supervisor is never a letter-window opening
        print_json({"moment": row_json(marked.moment), "drafts": [reminder_json(r, zone, now, ()) for r in marked.drafts],
                    "skipped": marked.skipped})
    else:
        click.echo(f"moment {marked.moment.id}: {marked.moment.kind} on {marked.moment.on}; "
                   f"{counted(len(marked.drafts), 'draft')} waiting for your approval in the outbox")
    for name in marked.skipped:  # on stderr either way: stdout stays what scripts read
        click.echo(f"imgcoach: warning: no e-mail for {name}; no draft made", err=True)
    if not as_json and not marked.drafts and not marked.skipped:  # say why, or "0 drafts" reads like a failure
        click.echo("no former supervisor yet: drafts go to the supervisor of each rotation that has ended")


__all__ = ["cases", "cv", "log", "outreach", "packet", "progress", "readiness", "stories"]
