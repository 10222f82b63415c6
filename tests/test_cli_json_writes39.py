"""Every command that writes prints `--json` for scripts: the row as the matching `list --json` prints it (the
same keys, by the same function, cli.shapes), and a remove names the row and what went with it
(`deleted_with`, `unlinked`), as `rotations remove --json` does. Errors stay one line on stderr, stdout empty.

Found on 5 December: 23 write commands (contacts add, letters add|edit|set-status|remove, outreach add|...,
reminders approve|cancel, programs add|edit|override, exams|study|events remove, applicants remove...) had no
--json, so a script had to scrape "case 3: ..." or run a list again and guess which row was new.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import Result, database_state, run_cli

EXPORT = Path(__file__).parent / "data" / "ics" / "imgcoach_export_rotation_study_exam.ics"


def _ok(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    done = run_cli(capsys, *args)
    assert done.code == 0, done.err
    return done


def _listed(capsys: pytest.CaptureFixture[str], db: str, *command: str) -> list[dict[str, Any]]:
    return _ok(capsys, *command, "--db", db, "--json").json()


def _by_id(rows: list[dict[str, Any]], row_id: Any, key: str = "id") -> dict[str, Any]:
    return next(r for r in rows if r[key] == row_id)


def _rotation(capsys: pytest.CaptureFixture[str], db: str, start: str, end: str) -> int:
    return _ok(capsys, "rotations", "add", "--db", db, "--kind", "observership", "--specialty", "Internal Medicine",
               "--institution", "Riverside General (fictional)", "--start", start, "--end", end, "--hours", "40",
               "--json").json()["id"]


def test_people_and_letters(ctx: Context, db_url: str, cli_clock: FixedClock,
                            capsys: pytest.CaptureFixture[str]) -> None:
    rid = _rotation(capsys, db_url, "2026-11-02", "2026-11-27")
    person = _ok(capsys, "contacts", "add", "--db", db_url, "--name", "Dr. Jane Okafor", "--rotation", str(rid),
                 "--email", "jane@hospital.example", "--json").json()
    assert person == _by_id(_listed(capsys, db_url, "contacts", "list"), person["id"])
    letter = _ok(capsys, "letters", "add", "--db", db_url, "--writer", str(person["id"]), "--rotation", str(rid),
                 "--json").json()
    assert letter == _by_id(_listed(capsys, db_url, "letters", "list"), letter["id"])
    assert letter["writer"] == "Dr. Jane Okafor"
    edited = _ok(capsys, "letters", "edit", str(letter["id"]), "--db", db_url, "--notes", "ask in person",
                 "--json").json()
    assert edited == _by_id(_listed(capsys, db_url, "letters", "list"), letter["id"])
    assert edited["notes"] == "ask in person"
    moved = _ok(capsys, "letters", "set-status", str(letter["id"]), "requested", "--db", db_url, "--json").json()
    assert moved == _by_id(_listed(capsys, db_url, "letters", "list"), letter["id"])
    assert moved["status"] == "requested" and moved["requested_on"] == "2026-11-25"
    removed = _ok(capsys, "letters", "remove", str(letter["id"]), "--db", db_url, "--json").json()
    assert removed == {"removed": letter["id"], "letter": moved, "deleted_with": {}, "unlinked": {},
                       "cancelled_reminders": []}  # the approved e-mails to its writer it cancelled (ids)
    assert _listed(capsys, db_url, "letters", "list") == []


def test_coach_writes(ctx: Context, db_url: str, cli_clock: FixedClock,
                      capsys: pytest.CaptureFixture[str]) -> None:
    rid = _rotation(capsys, db_url, "2026-11-02", "2026-11-27")
    case = _ok(capsys, "cases", "add", str(rid), "DKA in a 19-year-old", "--tags", "teamwork", "--on",
               "2026-11-10", "--db", db_url, "--json").json()
    assert case == _by_id(_listed(capsys, db_url, "cases", "list"), case["id"])
    week = _ok(capsys, "log", "add", str(rid), "--week", "2026-11-10", "--hours", "38", "--did", "ward rounds",
               "--db", db_url, "--json").json()
    assert week == _by_id(_listed(capsys, db_url, "log", "list"), week["id"])
    feedback = _ok(capsys, "log", "feedback", str(rid), "--week", "2026-11-10", "--feedback", "present more",
                   "--db", db_url, "--json").json()
    assert feedback == _by_id(_listed(capsys, db_url, "log", "list"), week["id"])
    assert feedback["feedback"] == "present more" and feedback["hours"] == 38
    project = _ok(capsys, "projects", "add", "--kind", "qi", "--title", "Sepsis bundle", "--db", db_url,
                  "--json").json()
    assert project == _by_id(_listed(capsys, db_url, "projects", "list"), project["id"])

    entry = _ok(capsys, "outreach", "add", "St. Brigid (fictional)", "--specialty", "Internal Medicine",
                "--status", "sent", "--written-on", "2026-11-20", "--db", db_url, "--json").json()
    assert entry == _by_id(_listed(capsys, db_url, "outreach", "list"), entry["id"])
    offered = _ok(capsys, "outreach", "set-status", str(entry["id"]), "offered", "--db", db_url, "--json").json()
    assert offered == _by_id(_listed(capsys, db_url, "outreach", "list"), entry["id"])
    assert offered["status_today"] == "offered"
    accepted = _ok(capsys, "outreach", "accept", str(entry["id"]), "--start", "2027-01-04", "--end", "2027-01-29",
                   "--hours", "40", "--db", db_url, "--json").json()
    assert accepted["outreach"] == _by_id(_listed(capsys, db_url, "outreach", "list"), entry["id"])
    assert accepted["rotation"] == _by_id(_listed(capsys, db_url, "rotations", "list"), accepted["rotation"]["id"])
    assert accepted["outreach"]["rotation_id"] == accepted["rotation"]["id"]
    draft = _ok(capsys, "outreach", "draft", str(entry["id"]), "--db", db_url, "--json").json()
    text = _ok(capsys, "outreach", "draft", str(entry["id"]), "--db", db_url).out
    assert text == f"Subject: {draft['subject']}\n\n{draft['body']}"  # the text is the same draft
    assert draft["outreach_id"] == entry["id"]


def test_reminders_and_progress(ctx: Context, db_url: str, cli_clock: FixedClock,
                                capsys: pytest.CaptureFixture[str]) -> None:
    ended = _rotation(capsys, db_url, "2026-09-07", "2026-10-02")
    _ok(capsys, "contacts", "add", "--db", db_url, "--name", "Dr. Jane Okafor", "--rotation", str(ended),
        "--email", "jane@hospital.example")
    marked = _ok(capsys, "progress", "mark", "exam_score", "--detail", "Step 2 CK passed with 250", "--db", db_url,
                 "--json").json()
    assert marked["moment"]["kind"] == "exam_score" and marked["skipped"] == []
    (draft,) = marked["drafts"]
    assert draft == _by_id(_listed(capsys, db_url, "reminders", "list"), draft["id"])
    assert draft["awaiting_approval"] is True
    approved = _ok(capsys, "reminders", "approve", str(draft["id"]), "--db", db_url, "--json").json()
    assert approved == _by_id(_listed(capsys, db_url, "reminders", "list"), draft["id"])
    assert approved["awaiting_approval"] is False
    cancelled = _ok(capsys, "reminders", "cancel", str(draft["id"]), "--db", db_url, "--json").json()
    assert cancelled == _by_id(_listed(capsys, db_url, "reminders", "list"), draft["id"])
    assert cancelled["status"] == "cancelled"


def test_programs(ctx: Context, db_url: str, cli_clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    added = _ok(capsys, "programs", "add", "TEST001", "--name", "Riverside IM (fictional)", "--specialty", "IM",
                "--state", "NY", "--db", db_url, "--json").json()
    assert added == _by_id(_listed(capsys, db_url, "programs", "list"), "TEST001", "program_id")
    edited = _ok(capsys, "programs", "edit", "TEST001", "--set", "interviews_last_year=120", "--db", db_url,
                 "--json").json()
    assert edited == _by_id(_listed(capsys, db_url, "programs", "list"), "TEST001", "program_id")
    assert edited["interviews_last_year"] == "120"
    overridden = _ok(capsys, "programs", "override", "TEST001", "visa_j1", "yes", "--db", db_url, "--json").json()
    assert overridden == _by_id(_listed(capsys, db_url, "programs", "list"), "TEST001", "program_id")
    assert overridden["overridden_fields"] == ["visa_j1"]
    cleared = _ok(capsys, "programs", "override", "TEST001", "visa_j1", "-", "--clear", "--db", db_url,
                  "--json").json()
    assert cleared == _by_id(_listed(capsys, db_url, "programs", "list"), "TEST001", "program_id")
    assert cleared["overridden_fields"] == []


def test_removes_name_the_row_and_what_went(ctx: Context, db_url: str, tmp_path: Path, cli_clock: FixedClock,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "plan.ics"
    copy.write_bytes(EXPORT.read_bytes())
    _ok(capsys, "import", str(copy), "--accept-suggestions", "--db", db_url)
    exam = _listed(capsys, db_url, "exams", "list")[0]
    gone = _ok(capsys, "exams", "remove", str(exam["id"]), "--db", db_url, "--json").json()
    # The imported event that made it stays, without its link (plan.event_links): said, as rotations say it.
    assert gone == {"removed": exam["id"], "exam": exam, "renumbered": [], "deleted_with": {},
                    "unlinked": {"calendar_event": 1}}
    block = _listed(capsys, db_url, "study", "list")[0]
    gone = _ok(capsys, "study", "remove", str(block["id"]), "--db", db_url, "--json").json()
    assert gone == {"removed": block["id"], "study_block": block, "deleted_with": {},
                    "unlinked": {"calendar_event": 1}}
    free = [e for e in _listed(capsys, db_url, "events", "list") if not e["mapped_id"]]
    ids = [e["id"] for e in free]
    gone = _ok(capsys, "events", "remove", *map(str, ids), "--db", db_url, "--json").json()
    assert gone == {"removed": ids, "events": free, "deleted_with": {}, "unlinked": {}}


def test_applicants_remove(ctx: Context, db_url: str, cli_clock: FixedClock,
                           capsys: pytest.CaptureFixture[str]) -> None:
    other = _ok(capsys, "applicants", "add", "--db", db_url, "--name", "B", "--email", "b@example.com",
                "--json").json()
    who = ("--db", db_url, "--applicant", str(other["id"]))
    rid = _ok(capsys, "rotations", "add", *who, "--kind", "observership", "--specialty", "Internal Medicine",
              "--institution", "Riverside (fictional)", "--start", "2027-01-04").out.strip()
    person = _ok(capsys, "contacts", "add", *who, "--name", "Dr. Jane Okafor", "--rotation", rid).out.strip()
    _ok(capsys, "letters", "add", *who, "--writer", person, "--rotation", rid)
    listed = _by_id(_listed(capsys, db_url, "applicants", "list"), other["id"])
    unsent = sorted((r for r in _ok(capsys, "reminders", "list", *who, "--json").json()),
                    key=lambda r: (r["due_at"], r["id"]))
    gone = _ok(capsys, "applicants", "remove", str(other["id"]), "--yes", "--db", db_url, "--json").json()
    # Added key (profile39): the unsent reminders deleted with the applicant, by id.
    assert unsent and gone.pop("deleted_reminders") == [r["id"] for r in unsent if r["status"] == "pending"]
    # Each row once, though the letter is reached through the applicant, the writer and the rotation, and it is
    # deleted, not "kept without its rotation" (plan.reach_of counted it three times, once as kept).
    assert gone == {"removed": other["id"], "applicant": listed, "unlinked": {}, "emptied_feeds": [],
                    "deleted_with": {"rotation": 1, "contact": 1, "rotation_contact": 1, "letter_request": 1}}


@pytest.mark.parametrize("args", [
    ("letters", "remove", "99"), ("letters", "set-status", "99", "agreed"), ("reminders", "cancel", "99"),
    ("exams", "remove", "99"), ("study", "remove", "99"), ("events", "remove", "99"),
    ("outreach", "set-status", "99", "sent"), ("programs", "edit", "NOPE", "--set", "name=x"),
])
def test_errors_stay_one_line_on_stderr(ctx: Context, db_url: str, cli_clock: FixedClock,
                                        capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    before = database_state(db_url)
    refused = run_cli(capsys, *args, "--db", db_url, "--json")
    assert refused.code == 2 and refused.out == ""
    assert refused.err.startswith("imgcoach: error: ") and refused.err.count("\n") == 1, refused.err
    assert database_state(db_url) == before


def test_rotations_remove_names_the_row_too(ctx: Context, db_url: str, cli_clock: FixedClock,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The first remove with --json printed the id alone; it names the row as the others do (a key added)."""
    rid = _rotation(capsys, db_url, "2027-01-04", "2027-01-29")
    row = _by_id(_listed(capsys, db_url, "rotations", "list"), rid)
    gone = _ok(capsys, "rotations", "remove", str(rid), "--db", db_url, "--json").json()
    assert gone["removed"] == rid and gone["rotation"] == row
    assert list(gone) == ["removed", "rotation", "cancelled_reminders", "deleted_with", "unlinked"]
