"""A rotation's log names each week by its first day, and `rotations edit` renames the logged weeks when the dates
move (stop 47). An import that moved a rotation with its event (a hospital's schedule saved again a few days later)
moved the dates and left the log under the old weeks: after the hospital's start moved from Monday 2026-10-05 to
Thursday 2026-10-08, `log list` still said "week of 2026-10-05", a week before the rotation. The import now renames
them by the edit's rule (plan.move_log_weeks_in) in its own transaction and says so in the line that names the move
(the CLI and the app's Import screen print ImportReport.moved_lines); `import --undo` puts the old labels back and
keeps what was written in the weeks since; the same file imported again changes nothing.

A rename could also make a week not begun yet: a week under way (2026-11-23, today 2026-11-25) with the start moved
three days later became "week of 2026-11-26", a week the log itself refuses to log before it begins, and which
readiness counted as done. Such a week keeps its label (a week begun), and the edit and the import say so."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Lakeside General//Observer Schedule//EN
BEGIN:VEVENT
UID:lakeside-obs-2026-im@hospital.example
DTSTAMP:20260901T000000Z
SUMMARY:Observership - Internal Medicine
LOCATION:Lakeside General Hospital\\, 4 West
DTSTART;VALUE=DATE:{start}
DTEND;VALUE=DATE:{end}
END:VEVENT
END:VCALENDAR
"""


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == code, (res.out, res.err)
    return res.out, res.err


def _weeks(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, float, str]]:
    out, _ = _cli(ctx, capsys, "log", "list", "--json")
    return [(row["week_of"], row["hours"], row["activities"]) for row in json.loads(out)]


def _schedule(tmp_path: Path, start: str, end: str) -> Path:
    path = tmp_path / f"schedule-{start}.ics"
    path.write_text(EVENT.format(start=start, end=end).replace("\n", "\r\n"), encoding="utf-8")
    return path


def _linked(ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path, end: str, weeks: tuple[str, ...]) -> int:
    """Rotation 2026-10-05 (a Monday) to `end`, the hospital's schedule linked to it, `weeks` logged (40 h each)."""
    out, _ = _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                  "--institution", "Lakeside General", "--city", "Chicago", "--state", "IL", "--country", "US",
                  "--start", "2026-10-05", "--end", end, "--hours", "40")
    rotation = int(out.strip())
    for day in weeks:
        _cli(ctx, capsys, "log", "add", str(rotation), "--week", day, "--hours", "40", "--did", f"typed {day}")
    last_day = (date.fromisoformat(end) + timedelta(days=1)).strftime("%Y%m%d")  # an all-day event's DTEND
    out, _ = _cli(ctx, capsys, "import", str(_schedule(tmp_path, "20261005", last_day)), "--accept-suggestions")
    assert f"linked to rotation {rotation}" in out, out
    return rotation


def test_an_import_that_moves_a_linked_rotation_renames_its_log_weeks_and_its_undo_puts_them_back(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    rotation = _linked(ctx, capsys, tmp_path, "2026-11-27", ("2026-10-05", "2026-10-12", "2026-10-19"))
    moved = _schedule(tmp_path, "20261008", "20261128")  # the hospital's start moved to Thursday 2026-10-08
    out, _ = _cli(ctx, capsys, "import", str(moved))
    assert (f'moved rotation {rotation} to 2026-10-08..2026-11-27 (was 2026-10-05..2026-11-27) with "Observership - '
            'Internal Medicine"; its logged weeks now go by the new weeks holding most of their days: 2026-10-05 is '
            'now 2026-10-08, 2026-10-12 is now 2026-10-15, 2026-10-19 is now 2026-10-22') in out, out
    assert _weeks(ctx, capsys) == [("2026-10-08", 40, "typed 2026-10-05"), ("2026-10-15", 40, "typed 2026-10-12"),
                                   ("2026-10-22", 40, "typed 2026-10-19")]

    # a week written after the import (found by its new week) keeps what was written; the undo gives back labels
    _cli(ctx, capsys, "log", "add", str(rotation), "--week", "2026-10-16", "--hours", "32", "--did", "rewritten")
    out, _ = _cli(ctx, capsys, "import", "--undo")
    assert "moved 1 plan item back and put 3 logged weeks back under their old labels" in out, out
    assert _weeks(ctx, capsys) == [("2026-10-05", 40, "typed 2026-10-05"), ("2026-10-12", 32, "rewritten"),
                                   ("2026-10-19", 40, "typed 2026-10-19")]

    # imported again, then the same file once more: the second changes nothing
    out, _ = _cli(ctx, capsys, "import", str(moved), "--json")
    (entry,) = json.loads(out)["moved"]
    assert entry["log"]["renamed"] == [{"from": "2026-10-05", "to": "2026-10-08"},
                                       {"from": "2026-10-12", "to": "2026-10-15"},
                                       {"from": "2026-10-19", "to": "2026-10-22"}], entry
    weeks = _weeks(ctx, capsys)
    out, _ = _cli(ctx, capsys, "import", str(moved))
    assert "unchanged" in out and "logged week" not in out, out
    assert _weeks(ctx, capsys) == weeks == [("2026-10-08", 40, "typed 2026-10-05"),
                                            ("2026-10-15", 32, "rewritten"), ("2026-10-22", 40, "typed 2026-10-19")]


NOT_BEGUN = ("its logged week of 2026-11-23 (40 h) would be the week of 2026-11-26, which has not begun (today is "
             "2026-11-25): kept as logged")


def test_an_edit_does_not_rename_a_week_under_way_to_a_week_not_begun(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """Today is Wednesday 2026-11-25 in New York; the week of 2026-11-23 is under way and logged. With the start
    moved to Thursday 2026-10-08 the new week holding most of its days begins on 2026-11-26, tomorrow."""
    rotation = _linked(ctx, capsys, tmp_path, "2026-12-04", ("2026-10-19", "2026-11-23"))
    # the rule kept: the log refuses tomorrow's week
    _, err = _cli(ctx, capsys, "log", "add", str(rotation), "--week", "2026-11-30", "--hours", "8", code=2)
    assert "has not begun (today is 2026-11-25)" in err, err
    out, _ = _cli(ctx, capsys, "rotations", "edit", str(rotation), "--start", "2026-10-08")
    assert "its logged week of 2026-10-19 is now the week of 2026-10-22 (the new week holding most of its days); " \
           + NOT_BEGUN in out, out
    assert [w for w, _, _ in _weeks(ctx, capsys)] == ["2026-10-22", "2026-11-23"]
    # the week kept is found as the week under way (2026-11-19 to 2026-11-25 now): written again today it is that
    # row, not a second one, labelled by the week's first day as `log add` labels every week
    _cli(ctx, capsys, "log", "add", str(rotation), "--week", "2026-11-25", "--hours", "36", "--did", "again")
    assert _weeks(ctx, capsys)[1:] == [("2026-11-19", 36, "again")]


def test_an_import_does_not_rename_a_week_under_way_to_a_week_not_begun(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    rotation = _linked(ctx, capsys, tmp_path, "2026-12-04", ("2026-10-19", "2026-11-23"))
    out, _ = _cli(ctx, capsys, "import", str(_schedule(tmp_path, "20261008", "20261205")), "--json")
    (entry,) = json.loads(out)["moved"]
    assert entry["id"] == rotation
    assert entry["log"]["not_begun"] == [{"week_of": "2026-11-23", "would_be": "2026-11-26", "hours": 40}], entry
    assert entry["log_words"].endswith(NOT_BEGUN), entry
    assert [w for w, _, _ in _weeks(ctx, capsys)] == ["2026-10-22", "2026-11-23"]
    # undone: the week renamed goes back, the week kept was never changed
    out, _ = _cli(ctx, capsys, "import", "--undo")
    assert "put 1 logged week back under its old label" in out, out
    assert [w for w, _, _ in _weeks(ctx, capsys)] == ["2026-10-19", "2026-11-23"]


def test_the_undo_of_an_import_that_removed_a_rotation_brings_back_its_log_and_cases(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """`import --prune` of the schedule without its event removes the rotation made from it, and with it (the
    database's cascade) its logged weeks and cases; `import --undo` brought the rotation back without them."""
    from imgcoach.calendar import apply_import
    from imgcoach.plan import add_case

    def cases() -> list[str]:
        out, _ = _cli(ctx, capsys, "cases", "list", "--json")
        return [case["title"] for case in json.loads(out)]

    schedule = _schedule(tmp_path, "20261005", "20261128")
    out, _ = _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    assert "made rotation 1 " in out, out
    _cli(ctx, capsys, "log", "add", "1", "--week", "2026-10-12", "--hours", "40", "--did", "clinic")
    add_case(ctx, 1, "Chest pain in a young runner", occurred_on=date(2026, 10, 14))
    schedule.write_text(EVENT.split("BEGIN:VEVENT")[0] + "END:VCALENDAR\r\n", encoding="utf-8")
    report = apply_import(ctx, schedule, prune=True)
    assert report.removed[0]["also_removed"] == "rotation 1", report.removed
    assert _weeks(ctx, capsys) == [] and cases() == []
    out, _ = _cli(ctx, capsys, "import", "--undo")
    assert "brought back 1 rotation it removed, with 1 case and 1 logged week recorded on it" in out, out
    assert _weeks(ctx, capsys) == [("2026-10-12", 40, "clinic")]
    assert cases() == ["Chest pain in a young runner"]


def test_the_undo_refuses_to_delete_a_rotation_it_made_with_weeks_logged_since(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """`import --undo` of the import that made a rotation deleted the rotation with the weeks logged and the
    cases written on it since (the database's cascade) and said "removed 1 rotation"; an edit of its hours is
    refused (tests/test_deleted_plan_row_events.py). It refuses alike, names what would go and changes nothing."""
    from imgcoach.plan import add_case
    from tests.cli_helpers import database_state

    out, _ = _cli(ctx, capsys, "import", str(_schedule(tmp_path, "20261005", "20261128")), "--accept-suggestions")
    assert "made rotation 1 " in out, out
    _cli(ctx, capsys, "log", "add", "1", "--week", "2026-10-12", "--hours", "40", "--did", "clinic")
    _cli(ctx, capsys, "log", "add", "1", "--week", "2026-10-19", "--hours", "40", "--did", "wards")
    add_case(ctx, 1, "Chest pain in a young runner", occurred_on=date(2026, 10, 14))
    before = database_state(ctx.db.url)
    _, err = _cli(ctx, capsys, "import", "--undo", code=2)
    assert ("rotation 1 (Internal Medicine at Lakeside General Hospital, 4 West, 2026-10-05 to 2026-11-27), made by "
            "it, has 2 logged weeks and 1 case written since: the undo would delete the rotation and what was written "
            "on it (to undo the import anyway, remove the rotation first: `imgcoach rotations remove 1`); nothing was "
            "changed") in err, err
    assert database_state(ctx.db.url) == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_question_before_removing_a_gone_event_names_the_rotation_made_from_it(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-importing the schedule without its event asked "Remove this event from imgcoach?" under the event's
    title alone; a yes removed the rotation made from it too, with the weeks logged on it (the database's
    cascade). The question, the app's notes and `--json` (gone[].would_remove) now name it."""
    schedule = _schedule(tmp_path, "20261005", "20261128")
    _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    _cli(ctx, capsys, "log", "add", "1", "--week", "2026-10-12", "--hours", "40", "--did", "clinic")
    schedule.write_text(EVENT.split("BEGIN:VEVENT")[0] + "END:VCALENDAR\r\n", encoding="utf-8")
    out, _ = _cli(ctx, capsys, "import", str(schedule), "--dry-run", "--json")
    assert [g["would_remove"] for g in json.loads(out)["gone"]] == ["rotation 1"], out
    monkeypatch.setattr("sys.stdin", _Terminal("n\n"))
    out, _ = _cli(ctx, capsys, "import", str(schedule))
    assert ("Observership - Internal Medicine  [UID lakeside-obs-2026-im@hospital.example]\n"
            "              removing it also removes rotation 1, made from it, and what is recorded on it (logged "
            "weeks, cases, links to people; its pending reminders are cancelled)\nRemove this event from imgcoach?") \
        in out, out
    assert _weeks(ctx, capsys) == [("2026-10-12", 40, "clinic")]


def test_not_begun_is_judged_by_the_applicants_day_not_utcs(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """At 03:00 UTC on 2026-11-26 it is still 2026-11-25 in New York: the week of 2026-11-26 has not begun there."""
    rotation = _linked(ctx, capsys, tmp_path, "2026-12-04", ("2026-10-19", "2026-11-23"))
    cli_clock.set(datetime(2026, 11, 26, 3, 0, tzinfo=UTC))
    out, _ = _cli(ctx, capsys, "rotations", "edit", str(rotation), "--start", "2026-10-08")
    assert NOT_BEGUN in out, out
    cli_clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # a day on in New York too: the week has begun
    _cli(ctx, capsys, "rotations", "edit", str(rotation), "--start", "2026-10-05")
    # moved back, the week kept is the week it was logged as (its own days from its label, not its week's middle)
    assert [w for w, _, _ in _weeks(ctx, capsys)] == ["2026-10-19", "2026-11-23"]
    out, _ = _cli(ctx, capsys, "rotations", "edit", str(rotation), "--start", "2026-10-08")
    assert "not begun" not in out and "2026-11-23 is now 2026-11-26" in out, out  # and back, as it was
