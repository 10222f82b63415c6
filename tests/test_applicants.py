"""Several applicants in one database: --applicant / IMGCOACH_APPLICANT, `imgcoach applicants ...`, moving
one applicant's whole plan between an individual's SQLite and an organisation's PostgreSQL (issue 18.5)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.settings import Settings
from imgcoach.core.uids import PLAN_UID_PREFIX, applicant_salt, plan_row_uid
from imgcoach.storage.db import Database
from imgcoach.storage.transfer import applicant_tables
from tests.cli_helpers import database_state, run_cli
from tests.pg_server import TEMPLATE, PostgresServer


def _add_two(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert run_cli(capsys, "--db", url, "applicants", "add", "--name", "Asha Rao", "--email", "asha@example.org",
                   "--timezone", "Asia/Kolkata").code == 0
    assert run_cli(capsys, "--db", url, "applicants", "add", "--name", "Ben Ortiz", "--email", "Ben@Example.org",
                   "--timezone", "America/Chicago").code == 0


ROTATION = ("rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
            "--institution", "Lakeside General", "--start", "2027-03-01", "--end", "2027-03-28")


def test_applicant_option_and_environment_choose_whom_a_command_acts_on(
        capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch, cli_clock: FixedClock) -> None:
    _add_two(capsys, db_url)
    listed = run_cli(capsys, "--db", db_url, "applicants", "list", "--json").json()
    assert [(a["name"], a["timezone"]) for a in listed] == [("Asha Rao", "Asia/Kolkata"), ("Ben Ortiz", "America/Chicago")]
    ben = listed[1]["id"]
    # global option with an e-mail in another case; leaf option with the id; the environment
    assert run_cli(capsys, "--db", db_url, "--applicant", "ben@example.ORG", *ROTATION).code == 0
    assert run_cli(capsys, "rotations", "list", "--json", "--db", db_url, "--applicant", str(ben)).json()
    assert run_cli(capsys, "rotations", "list", "--json", "--db", db_url).json() == []  # the first applicant: Asha
    monkeypatch.setenv("IMGCOACH_APPLICANT", str(ben))
    assert len(run_cli(capsys, "rotations", "list", "--json", "--db", db_url).json()) == 1
    shown = run_cli(capsys, "--db", db_url, "profile", "show", "--json").json()
    assert shown["name"] == "Ben Ortiz"
    # the reminders of Ben's rotation were derived in Ben's zone: 09:00 in Chicago
    due = run_cli(capsys, "--db", db_url, "reminders", "list", "--json").json()
    assert due
    for reminder in due:
        local = datetime.fromisoformat(reminder["due_at"]).astimezone(ZoneInfo("America/Chicago"))
        assert local.hour == 9, reminder
    monkeypatch.setenv("IMGCOACH_APPLICANT", "asha@example.org")
    assert run_cli(capsys, "--db", db_url, "reminders", "list", "--json").json() == []


def test_an_unknown_applicant_is_a_user_error_naming_it_and_changes_nothing(
        capsys: pytest.CaptureFixture[str], db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _add_two(capsys, db_url)
    before = database_state(db_url)
    result = run_cli(capsys, "--db", db_url, "--applicant", "nobody@example.org", *ROTATION)
    assert result.code == 2 and "'nobody@example.org'" in result.err and "Traceback" not in result.err
    monkeypatch.setenv("IMGCOACH_APPLICANT", "77")
    result = run_cli(capsys, "--db", db_url, "profile", "set", "--name", "X")
    assert result.code == 2 and "no applicant '77'" in result.err
    assert database_state(db_url) == before


def test_add_refuses_an_email_already_taken(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _add_two(capsys, db_url)
    result = run_cli(capsys, "--db", db_url, "applicants", "add", "--name", "Other", "--email", "ASHA@example.org")
    assert result.code == 2 and "already has the e-mail" in result.err


def test_remove_deletes_one_applicant_and_only_theirs(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _add_two(capsys, db_url)
    assert run_cli(capsys, "--db", db_url, "--applicant", "asha@example.org", *ROTATION).code == 0
    assert run_cli(capsys, "--db", db_url, "--applicant", "ben@example.org", *ROTATION).code == 0
    assert run_cli(capsys, "--db", db_url, "applicants", "remove", "asha@example.org", "--yes").code == 0
    left = run_cli(capsys, "--db", db_url, "applicants", "list", "--json").json()
    assert [a["name"] for a in left] == ["Ben Ortiz"]
    assert len(run_cli(capsys, "--db", db_url, "rotations", "list", "--json").json()) == 1


def _canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The export with every id replaced by its row's position, so two databases' exports compare equal."""
    import re

    tables = data["tables"]
    order = {"applicant": {r["id"]: n for n, r in enumerate(tables["applicant"])}}
    for table, _link in applicant_tables():
        order[table.name] = {r["id"]: n for n, r in enumerate(tables.get(table.name, []))}
    fks = {t.name: {c.name: next(iter(c.foreign_keys)).column.table.name for c in t.c if c.foreign_keys}
           for t, _ in applicant_tables()}
    mapped = {"rotation": "rotation", "study_block": "study_block", "exam": "exam_result"}
    keys = {"rotation": "rotation", "outreach": "coach_outreach", "progress": "coach_moment", "digest": "applicant"}
    out: dict[str, Any] = {}
    for name, rows in tables.items():
        canon = []
        for row in rows:
            row = dict(row)
            row["id"] = order[name][row["id"]]
            for column, target in fks.get(name, {}).items():
                if row.get(column) is not None:
                    row[column] = order[target][row[column]]
            if name == "calendar_event" and row.get("mapped_id") is not None:
                row["mapped_id"] = order[mapped[row["mapped_kind"]]][row["mapped_id"]]
            if name == "reminder":
                row["key"] = re.sub(r"\b(rotation|outreach|progress|digest):(\d+)",
                                    lambda m: f"{m.group(1)}:{order[keys[m.group(1)]][int(m.group(2))]}", row["key"])
            canon.append(row)
        out[name] = canon
    return out


@pytest.mark.slow
def test_round_trip_sqlite_json_postgresql_json_is_equal_with_new_ids(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_template: Path, pg_server: PostgresServer) -> None:
    source = tmp_path / "own.sqlite"
    shutil.copyfile(demo_template, source)
    first = tmp_path / "first.json"
    assert run_cli(capsys, "--db", str(source), "applicants", "export", "-o", str(first)).code == 0
    exported = json.loads(first.read_text())
    counts = {k: len(v) for k, v in exported["tables"].items()}
    for table in ("rotation", "contact", "letter_request", "case_note", "reminder", "exam_result", "study_block",
                  "coach_outreach", "coach_weekly_entry", "shortlist_run", "shortlist_entry"):
        assert counts[table] > 0, table  # the demo covers them, so the round trip checks them

    target = pg_server.url(pg_server.new_database(TEMPLATE))
    try:
        # someone already there, so the imported rows cannot keep their ids
        assert run_cli(capsys, "--db", target, "applicants", "add", "--name", "First", "--email", "f@example.org").code == 0
        assert run_cli(capsys, "--db", target, *ROTATION).code == 0
        imported = run_cli(capsys, "--db", target, "applicants", "import", str(first), "--json").json()["id"]
        second = run_cli(capsys, "--db", target, "applicants", "export", str(imported))
        again = json.loads(second.out)
        assert again["tables"]["rotation"][0]["id"] != exported["tables"]["rotation"][0]["id"]
        # each plan row keeps the UID it was published under (made from its old id there; test_applicant_move_uids
        # checks the calendars themselves), and is otherwise the same row
        person = exported["tables"]["applicant"][0]
        salt = applicant_salt(person["id"], person["created_at"])
        for table in PLAN_UID_PREFIX:
            assert [r["calendar_uid"] for r in again["tables"][table]] == \
                [plan_row_uid(table, r["id"], salt, r["calendar_uid"]) for r in exported["tables"][table]]
            for row in again["tables"][table]:
                row["calendar_uid"] = None
        assert _canonical(again) == _canonical(exported)
        # Message-IDs and calendar UIDs travel unchanged: a reminder sent before the move is the same message
        assert [r["message_id"] for r in again["tables"]["reminder"]] == \
               [r["message_id"] for r in exported["tables"]["reminder"]]
        # a second import of the same person is refused, naming the file, and changes nothing
        before = database_state(target)
        result = run_cli(capsys, "--db", target, "applicants", "import", str(first))
        assert result.code == 2 and str(first) in result.err and "already has the e-mail" in result.err
        assert database_state(target) == before
    finally:
        pg_server.drop_database(target.rsplit("/", 1)[1])


def test_import_of_a_file_that_is_not_an_export_is_a_user_error(
        capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    for text, words in (("{", "not JSON"), ('{"format": "x"}', "not an imgcoach applicant export"),
                        ('{"format": "imgcoach-applicant", "version": 1, "tables": {"applicant": []}}', "exactly one")):
        bad.write_text(text)
        result = run_cli(capsys, "--db", db_url, "applicants", "import", str(bad))
        assert result.code == 2 and str(bad) in result.err and words in result.err, result.err


def test_daemon_tasks_serve_every_applicant_each_in_their_own_zone(capsys: pytest.CaptureFixture[str], db_url: str,
                                                                   clock: Any) -> None:
    """The weekly digest pass makes one row per applicant, due at the reminder hour of their own zone."""
    from imgcoach.reminders.digest import ensure_weekly_digests

    _add_two(capsys, db_url)
    db = Database(db_url)
    try:
        ctx = Context(db=db, clock=clock, settings=Settings())
        # Sunday 22 November, before either's Monday: each row is due then (one made after its time that nothing
        # could have sent is due when made: reminders.digest.first_due_at)
        clock.set(datetime(2026, 11, 22, 12, tzinfo=UTC))
        run = ensure_weekly_digests(ctx)
        assert len(run.created) == 2
        from sqlmodel import select

        from imgcoach.storage.models import Applicant, Reminder

        with db.read() as session:
            zones = {a.id: a.timezone for a in session.exec(select(Applicant))}
            rows = list(session.exec(select(Reminder).where(Reminder.kind == "weekly_digest")))
        hour = ctx.settings.reminders.hour
        assert {r.applicant_id for r in rows} == set(zones)
        for row in rows:
            local = row.due_at.astimezone(ZoneInfo(zones[row.applicant_id]))
            assert (local.weekday(), local.hour) == (0, hour), (zones[row.applicant_id], local)
        assert len({r.due_at for r in rows}) == 2  # Kolkata's Monday morning is not Chicago's
    finally:
        db.close()


def test_first_paint_reads_the_chosen_applicant(capsys: pytest.CaptureFixture[str], db_url: str, clock: Any) -> None:
    from imgcoach.storage.quickread import read_plan

    _add_two(capsys, db_url)
    assert run_cli(capsys, "--db", db_url, "--applicant", "ben@example.org", *ROTATION).code == 0
    plan = read_plan(db_url, clock.now(), applicant="BEN@example.org")  # sqlite3 or psycopg alone
    assert plan is not None and plan.applicant.name == "Ben Ortiz" and len(plan.rotations) == 1
    assert read_plan(db_url, clock.now()).applicant.name == "Asha Rao"  # type: ignore[union-attr]


def test_the_app_for_an_unknown_applicant_is_a_one_line_error_before_it_starts(
        capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _add_two(capsys, db_url)
    result = run_cli(capsys, "--db", db_url, "--applicant", "ghost@example.org")
    assert result.code == 2 and "'ghost@example.org'" in result.err and "Traceback" not in result.err


def test_removing_an_applicant_empties_their_subscribed_feed_and_only_theirs(
        capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    """The feed rows went with the applicant, so nothing wrote their feed file again: a calendar app subscribed
    to it kept showing the whole removed plan, rotations and reminders, for good. The file is now a calendar with
    no event (an app drops what the feed no longer holds), and the command says so; the other feed is theirs."""
    import icalendar

    _add_two(capsys, db_url)
    feeds = {who: tmp_path / f"{who}.ics" for who in ("asha", "ben")}
    for who, path in feeds.items():
        assert run_cli(capsys, "--db", db_url, "--applicant", f"{who}@example.org", *ROTATION).code == 0
        assert run_cli(capsys, "--db", db_url, "--applicant", f"{who}@example.org", "export", "--feed",
                       str(path)).code == 0
    ben_before = feeds["ben"].read_bytes()

    result = run_cli(capsys, "--db", db_url, "applicants", "remove", "asha@example.org", "--yes")
    assert result.code == 0
    asha = icalendar.Calendar.from_ical(feeds["asha"].read_bytes())
    assert [str(e["SUMMARY"]) for e in asha.walk("VEVENT")] == []
    assert str(asha["X-WR-CALNAME"]) == "imgcoach plan: Asha Rao"
    assert f"calendar feed {feeds['asha']}: now a calendar with no event" in result.out
    assert feeds["ben"].read_bytes() == ben_before
    ben = icalendar.Calendar.from_ical(ben_before)
    assert "Observership: Internal Medicine at Lakeside General" in {str(e["SUMMARY"]) for e in ben.walk("VEVENT")}
