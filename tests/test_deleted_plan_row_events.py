"""A rotation, study block or exam made from an imported event, then deleted: the event is a plain imported
event again (plan.event_links), in every command and in the app's undo.

Found walking `import --accept-suggestions`, `rotations remove 1`, `events list`: the event still "became
rotation 1", and `events remove 1` answered "is the plan's rotation 1: delete that instead" for a rotation
already deleted, so the event could be neither removed nor seen (the timeline hides events a row draws).
Real SQLite/PostgreSQL databases, a real export file, the CLI in process on the fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete as sa_delete
from sqlmodel import select

from imgcoach import plan
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.models import CalendarEvent, Rotation
from tests.cli_helpers import run_cli

EXPORT = Path(__file__).parent / "data" / "ics" / "imgcoach_export_rotation_study_exam.ics"


def _links(ctx: Context) -> dict[str, tuple[str, int | None]]:
    with ctx.db.read() as session:
        return {e.summary: (e.mapped_kind, e.mapped_id) for e in session.exec(select(CalendarEvent)).all()}


def _made(ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, tuple[str, int | None]]:
    copy = tmp_path / "plan.ics"
    copy.write_bytes(EXPORT.read_bytes())
    done = run_cli(capsys, "import", str(copy), "--accept-suggestions", "--db", ctx.db.url)
    assert done.code == 0, done.err
    links = _links(ctx)
    assert {kind for kind, row_id in links.values() if row_id} == {"rotation", "study_block", "exam"}, links
    return links


def test_deleting_what_an_event_made_frees_the_event_in_every_command(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    links = _made(ctx, tmp_path, capsys)
    for command, summary in (("rotations", "Externship: Internal Medicine at Mercy"),
                             ("study", "Study block: Step 2 CK (30 h/week)"), ("exams", "Exam: Step 2 CK")):
        removed = run_cli(capsys, command, "remove", str(links[summary][1]), "--db", ctx.db.url)
        assert removed.code == 0, removed.err
    assert set(_links(ctx).values()) == {("", None)}, "no event names a deleted row"
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    assert {(e["mapped_kind"], e["mapped_id"]) for e in listed} == {("", None)}
    text = run_cli(capsys, "events", "list", "--db", ctx.db.url).out
    assert "rotation 1" not in text and "study_block 1" not in text and "exam 1" not in text, text
    rotation_event = next(e["id"] for e in listed if e["summary"].startswith("Externship"))
    freed = run_cli(capsys, "events", "remove", str(rotation_event), "--db", ctx.db.url)
    assert freed.code == 0 and "removed 1 event" in freed.out, freed.err
    # The file still holds the other two: the next import offers them again, and accepting makes them anew.
    again = run_cli(capsys, "import", str(tmp_path / "plan.ics"), "--accept-suggestions", "--db", ctx.db.url)
    assert again.code == 0 and "made study block" in again.out and "made exam" in again.out, again.out


def test_undoing_the_apps_delete_links_the_event_again(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The app's delete is undoable: the link the delete took from the event comes back with the rotation."""
    links = _made(ctx, tmp_path, capsys)
    rotation_id = links["Externship: Internal Medicine at Mercy"][1]
    assert rotation_id is not None
    record = plan.delete_with_undo(ctx, "rotation", rotation_id)
    assert _links(ctx)["Externship: Internal Medicine at Mercy"] == ("", None)
    plan.undo_change(ctx, record)
    assert _links(ctx) == links


def test_an_event_still_naming_a_row_deleted_before_this_fix_can_be_removed(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """A database written before deletes freed their events keeps the stale link: `events remove` no longer
    sends the person to delete a rotation that is not there."""
    links = _made(ctx, tmp_path, capsys)
    rotation_id = links["Externship: Internal Medicine at Mercy"][1]
    with ctx.db.transaction(ctx.applicant_id) as session:
        event = session.exec(select(CalendarEvent).where(CalendarEvent.mapped_kind == "rotation")).one()
        event_id = event.id
        session.execute(sa_delete(Rotation).where(Rotation.id == rotation_id))  # as the old delete left it
    removed = run_cli(capsys, "events", "remove", str(event_id), "--db", ctx.db.url)
    assert removed.code == 0 and "removed 1 event" in removed.out, removed.err
