"""An ICS file that books the same exam twice (two VEVENTs, different UIDs): the preview says the import makes one.

The dry run (and the list shown before "Import with these?") said "2 new exams" and "-> new exam" for both, while
the import made exam 1 from the first and warned of the second ("not made an exam: Step 2 CK is already recorded on
2027-02-10 (exam 1)"): the preview weighed each event against the plan's exams only, not against those the same
file makes first. It now reads plan.sitting_clash (check_one_sitting's rule) against them too, in the import's
order. Real ICS files written here; the tests' clock: 25 Nov 2026."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli


def _exam(uid: str, summary: str, day: str, after: str) -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\nLOCATION:Prometric "
            f"Chicago\r\nDTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{after}\r\nEND:VEVENT\r\n")


def _file(tmp_path: Path, *events: str) -> str:
    path = tmp_path / "exams.ics"
    path.write_bytes(("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + "".join(events)
                      + "END:VCALENDAR\r\n").encode())
    return str(path)


def _import(ctx: Context, capsys: pytest.CaptureFixture[str], path: str, *args: str) -> dict:
    res = run_cli(capsys, "import", path, "--accept-suggestions", "--json", *args, "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return json.loads(res.out)


@pytest.mark.parametrize("second", [("20270210", "20270211"), ("20270303", "20270304")], ids=["same-day", "ahead"])
def test_import_preview_of_one_exam_booked_twice(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                 cli_clock: FixedClock, tmp_path: Path,
                                                 second: tuple[str, str]) -> None:
    path = _file(tmp_path, _exam("ck-a@example.org", "USMLE Step 2 CK exam", "20270210", "20270211"),
                 _exam("ck-b@example.org", "USMLE Step 2 CK exam", *second))
    before = database_state(ctx.db.url)
    dry = _import(ctx, capsys, path, "--dry-run")
    assert database_state(ctx.db.url) == before
    said = {a["uid"]: a["on_accept"] for a in dry["accepting"]}
    assert said["ck-a@example.org"] == "new exam", said
    assert said["ck-b@example.org"].startswith("not made an exam: Step 2 CK "), said
    assert "(line 4 of this file)" in said["ck-b@example.org"], said
    text = run_cli(capsys, "import", path, "--accept-suggestions", "--dry-run", "--db", ctx.db.url)
    assert "would accept 2 suggestions: 1 new exam, 1 exam not made" in text.out, text.out
    real = _import(ctx, capsys, path)
    assert [m["uid"] for m in real["mapped"] if m["kind"] == "exam"] == ["ck-a@example.org"], real["mapped"]


def test_import_preview_of_two_exams_makes_both(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                cli_clock: FixedClock, tmp_path: Path) -> None:
    """A guard: two different exams on one day are two sittings; both are new, as the import makes them."""
    path = _file(tmp_path, _exam("ck@example.org", "USMLE Step 2 CK exam", "20270210", "20270211"),
                 _exam("oet@example.org", "OET exam", "20270210", "20270211"))
    dry = _import(ctx, capsys, path, "--dry-run")
    assert {a["uid"]: a["on_accept"] for a in dry["accepting"]} == {"ck@example.org": "new exam",
                                                                    "oet@example.org": "new exam"}, dry["accepting"]
    real = _import(ctx, capsys, path)
    assert sorted(m["uid"] for m in real["mapped"] if m["kind"] == "exam") == ["ck@example.org", "oet@example.org"]
