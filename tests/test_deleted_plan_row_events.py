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
from tests.cli_helpers import database_state, run_cli

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


def test_import_undo_refuses_to_delete_a_rotation_edited_since_and_says_how(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`import --undo` deleted the rotation the import made although its hours had been set since, and said only
    "3 plan items": the edit went without a word (the app's undo of its own deletes refuses this). It refuses,
    names the row and the way on, and changes nothing; once that row is removed the undo runs."""
    links = _made(ctx, tmp_path, capsys)
    rotation_id = links["Externship: Internal Medicine at Mercy"][1]
    assert run_cli(capsys, "rotations", "edit", str(rotation_id), "--hours", "30", "--db", ctx.db.url).code == 0
    before = database_state(ctx.db.url)
    refused = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert refused.code == 2, refused.out
    assert (f"rotation {rotation_id} (Internal Medicine at Mercy, 2026-12-12 to 2027-01-08), made by it, was edited "
            f"since" in refused.err and f"`imgcoach rotations remove {rotation_id}`" in refused.err), refused.err
    assert database_state(ctx.db.url) == before
    assert run_cli(capsys, "rotations", "remove", str(rotation_id), "--db", ctx.db.url).code == 0
    undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
    assert undone.code == 0 and "undid import 1" in undone.out, undone.err
    assert _links(ctx) == {} and plan.list_rotations(ctx) == []


def test_undoing_a_later_import_is_no_edit_to_what_an_earlier_one_made(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """Import 2 moves the rotation import 1 made; undoing 2 puts it back (a new version, no new values): undoing
    1 then runs, as nobody edited anything."""
    _made(ctx, tmp_path, capsys)
    moved = tmp_path / "plan.ics"
    moved.write_bytes(EXPORT.read_bytes().replace(b"DTEND;VALUE=DATE:20270109", b"DTEND;VALUE=DATE:20270116")
                      .replace(b"SEQUENCE:218658241", b"SEQUENCE:218658299"))
    second = run_cli(capsys, "import", str(moved), "--db", ctx.db.url)
    assert second.code == 0 and [(r.start_date.isoformat(), r.end_date.isoformat())
                                 for r in plan.list_rotations(ctx)] == [("2026-12-12", "2027-01-15")], second.out
    for expected in ("undid import 2", "undid import 1"):
        undone = run_cli(capsys, "import", "--undo", "--db", ctx.db.url)
        assert undone.code == 0 and expected in undone.out, undone.err
    assert plan.list_rotations(ctx) == []
