"""Databases written before deletes freed their events (walk38) keep links "imported event became rotation N" to
rows that are gone. Upgrade 0011 frees them: `events list` no longer says the event became a deleted rotation,
and a re-import offers and makes it again instead of passing it over as already made. The old database is made
on a real SQLite file: an import, then the rotation deleted by SQL as the old delete left it, at revision 0010."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.storage.db import Database, _alembic_config
from tests.cli_helpers import run_cli
from tests.migration_helpers import migrate_file

EXPORT = Path(__file__).parent / "data" / "ics" / "imgcoach_export_rotation_study_exam.ics"


def _to_0010(path: Path) -> None:
    """Back to the revision before the clean-up, as storage.db.upgrade runs migrations (foreign keys off)."""
    migrate_file(path, command.downgrade, "0010_moved_row_uids")


@pytest.mark.sqlite_only  # an old SQLite file, downgraded and upgraded by Alembic
def test_the_upgrade_frees_events_linked_to_a_deleted_rotation(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    copy = tmp_path / "plan.ics"
    copy.write_bytes(EXPORT.read_bytes())
    assert run_cli(capsys, "import", str(copy), "--accept-suggestions", "--db", ctx.db.url).code == 0
    path = Path(ctx.db.url.removeprefix("sqlite:///"))
    ctx.db.close()
    _to_0010(path)
    with sqlite3.connect(path) as raw:
        (rotation_id,) = raw.execute("SELECT id FROM rotation").fetchone()
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("DELETE FROM reminder WHERE rotation_id = ?", (rotation_id,))
        raw.execute("DELETE FROM rotation WHERE id = ?", (rotation_id,))  # as deletes before walk38 left it
        # and a link with no row at all (an older `applicants import`), on the study block's event
        raw.execute("UPDATE calendar_event SET mapped_id = NULL WHERE mapped_kind = 'study_block'")
        assert raw.execute("SELECT count(*) FROM calendar_event WHERE mapped_kind = 'rotation'").fetchone() == (1,)
    Database(f"sqlite:///{path}").close()  # upgrades to the head
    listed = run_cli(capsys, "events", "list", "--db", ctx.db.url, "--json").json()
    became = {e["summary"]: (e["mapped_kind"], e["mapped_id"]) for e in listed}
    assert became["Externship: Internal Medicine at Mercy"] == ("", None), became
    assert became["Study block: Step 2 CK (30 h/week)"] == ("", None), became
    assert became["Exam: Step 2 CK"][0] == "exam", "a live link is kept"
    text = run_cli(capsys, "events", "list", "--db", ctx.db.url).out
    assert f"rotation {rotation_id}" not in text and "study_block" not in text, text
    again = run_cli(capsys, "import", str(copy), "--accept-suggestions", "--db", ctx.db.url)
    assert again.code == 0 and "made rotation" in again.out and "linked to study block 1" in again.out, again.out


def test_applicants_import_frees_an_event_whose_row_the_file_does_not_hold(
        ctx: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """An export written from such a database names a rotation it does not hold: the moved event kept "rotation"
    with no row, so `events list` said it became a rotation and no import offered it again."""
    import json

    copy = tmp_path / "plan.ics"
    copy.write_bytes(EXPORT.read_bytes())
    assert run_cli(capsys, "import", str(copy), "--accept-suggestions", "--db", ctx.db.url).code == 0
    moved = tmp_path / "applicant.json"
    assert run_cli(capsys, "applicants", "export", "-o", str(moved), "--db", ctx.db.url).code == 0
    data = json.loads(moved.read_text(encoding="utf-8"))
    data["tables"]["rotation"] = []  # the rotation deleted before its event was freed
    data["tables"]["reminder"] = [r for r in data["tables"]["reminder"] if r.get("rotation_id") is None]
    data["tables"]["rotation_contact"] = []
    moved.write_text(json.dumps(data), encoding="utf-8")
    target = f"sqlite:///{tmp_path / 'organisation.sqlite'}"
    new_id = run_cli(capsys, "--db", target, "applicants", "import", str(moved), "--json").json()["id"]
    listed = run_cli(capsys, "--db", target, "--applicant", str(new_id), "events", "list", "--json").json()
    became = {e["summary"]: (e["mapped_kind"], e["mapped_id"]) for e in listed}
    assert became["Externship: Internal Medicine at Mercy"] == ("", None), became
    assert became["Exam: Step 2 CK"][0] == "exam" and became["Exam: Step 2 CK"][1] is not None, became


@pytest.mark.postgresql_only  # the upgrade's SQL on a PostgreSQL database holding rows of revision 0010
def test_the_upgrade_on_postgresql_frees_dead_links_and_marks_files_to_read_again(
        new_db_url: Callable[..., str]) -> None:
    from sqlalchemy import text

    url = new_db_url("old", migrated=False)
    db = Database(url, migrate=False)
    with db.engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "0010_moved_row_uids")
        conn.execute(text(
            "INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
            " target_countries, target_states, home_states, cv_path, personal_statement_path, synthetic, us_citizen,"
            " version) VALUES ('Old User', 'old@example.com', 'Europe/London', '', '', 'none', '[]', '[]', '[]',"
            " '[]', '', '', false, false, 1)"))
        conn.execute(text("INSERT INTO calendar_source (applicant_id, path, name, sha256, events) "
                          "VALUES (1, '/rota.ics', 'rota', 'x', 2), (1, '/days.ics', 'days', 'y', 1)"))
        columns = ("source_id, applicant_id, uid, recurrence_id, component, summary, description, location, "
                   "categories, all_day, start_at, end_at, start_date, end_date, tzid, status, sequence, "
                   "suggested_kind, mapped_kind, mapped_id, link_only")
        conn.execute(text(
            f"INSERT INTO calendar_event ({columns}) VALUES "
            "(1, 1, 'ward', '', 'VEVENT', 'Ward round', '', '', '[]', false, '2027-01-15 09:00', '2027-01-15 10:00',"
            " NULL, NULL, 'Europe/London', '', 0, 'event', '', NULL, false),"
            "(1, 1, 'obs', '', 'VEVENT', 'Observership', '', '', '[]', false, '2027-02-01 09:00', '2027-02-01 10:00',"
            " NULL, NULL, 'UTC', '', 0, 'rotation', 'rotation', 999, false),"
            "(2, 1, 'day', '', 'VEVENT', 'Study day', '', '', '[]', true, NULL, NULL, '2027-01-16', '2027-01-17',"
            " '', '', 0, 'event', '', NULL, false)"))
    db.close()
    from imgcoach.composition import upgrade_schema

    assert upgrade_schema(url).changed  # `imgcoach db upgrade`, the deploy step on a server
    db = Database(url, migrate=False)
    try:
        with db.engine.connect() as conn:
            events = conn.execute(text("SELECT uid, mapped_kind, mapped_id, link_only, floating FROM calendar_event "
                                       "ORDER BY uid")).all()
            sources = conn.execute(text("SELECT path, sha256 FROM calendar_source ORDER BY path")).all()
    finally:
        db.close()
    assert [tuple(e) for e in events] == [("day", "", None, False, False), ("obs", "", None, False, False),
                                          ("ward", "", None, False, False)]
    # the file with a timed event in the applicant's zone is read again on its next import; the other is not
    assert [tuple(s) for s in sources] == [("/days.ics", "y"), ("/rota.ics", "")]
