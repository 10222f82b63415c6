"""An import's preview says the exam clash the import says (issue 15).

Since exams became conflicts (an exam sat on a working day of a full-time rotation), the import, once it had made a
rotation, said "exam Step 2 CK on 12 Jan 2027 falls on a working day of Lakeside General Hospital ..." under it
(plan.overlap_warnings reads the plan's exams); its dry run, and the list a real run shows before "Import with
these?", read the rotations and study blocks alone and said nothing of it. The preview now reads the exams as the
import leaves them: the plan's, and those the same file makes. Real ICS files: the hospital's schedule under
tests/data/ics, and one written here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_exam
from tests.cli_helpers import database_state, run_cli

HOSPITAL = str(Path(__file__).resolve().parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics")
OBSERVERSHIP = "lakeside-obs-2027-im@hospital.example"  # all-day, 04-29 Jan 2027, Lakeside General Hospital


def _json(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    res = run_cli(capsys, "import", *args, "--accept-suggestions", "--json", "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return json.loads(res.out)


def _previewed(dry: dict) -> dict[str, list[str]]:
    return {a["uid"]: a["overlaps"] for a in dry["accepting"] if a["on_accept"].startswith("new rotation")}


def _made(real: dict) -> dict[str, list[str]]:
    return {m["uid"]: m["overlaps"] for m in real["mapped"] if m["kind"] == "rotation" and not m.get("linked")}


def test_a_booked_exam_on_the_new_rotations_weekday_is_said_before(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                   cli_clock: FixedClock) -> None:
    add_exam(ctx, "Step 2 CK", date(2027, 1, 12))  # a Tuesday of the observership
    before = database_state(ctx.db.url)
    dry = _json(ctx, capsys, HOSPITAL, "--dry-run")
    assert database_state(ctx.db.url) == before
    said = _previewed(dry)[OBSERVERSHIP]
    assert [s for s in said if s.startswith("exam Step 2 CK on 12 Jan 2027 falls on a working day of Lakeside")], said
    assert _made(_json(ctx, capsys, HOSPITAL)) == _previewed(dry)


def _all_day(uid: str, summary: str, location: str, first: str, after_last: str) -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\nLOCATION:{location}\r\n"
            f"DTSTART;VALUE=DATE:{first}\r\nDTEND;VALUE=DATE:{after_last}\r\nEND:VEVENT\r\n")


def test_an_exam_the_same_file_books_is_counted(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                cli_clock: FixedClock, tmp_path: Path) -> None:
    """The rotation and the exam come in one file (the exam made first or after, the import says it once both are
    made): the preview counts the exam it would make."""
    path = tmp_path / "both.ics"
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
                      + _all_day("mercy-im@example.org", "Externship - Internal Medicine", "Mercy Hospital", "20270201",
                                 "20270227")
                      + _all_day("prometric-ck@example.org", "USMLE Step 2 CK exam", "Prometric Chicago", "20270210",
                                 "20270211")
                      + "END:VCALENDAR\r\n").encode())
    dry = _json(ctx, capsys, str(path), "--dry-run")
    said = _previewed(dry)["mercy-im@example.org"]
    assert [s for s in said if s.startswith("exam Step 2 CK on 10 Feb 2027 falls on a working day of Mercy")], said
    assert _made(_json(ctx, capsys, str(path))) == _previewed(dry)
