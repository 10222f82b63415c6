"""`imgcoach import FILE --dry-run` (and the list before "Import with these?", and the app's Import screen) must say
what the import will do. Two things it did not say:

- an accepted event whose values make no valid plan item (a year typed 2127, another database's export giving 120
  hours a week, a study block of 200, an exam already booked) was previewed as "-> new rotation" (`--json`: its
  `on_accept`), and the import then made nothing and warned "not made a rotation: start: must be between 1950 and
  2100". The preview now says that same reason under the event (its line named), `--json` as `not_made`;
- an event imported before whose days changed in the file moves the rotation (or study block) made from it or linked
  to it, and the import says 'moved rotation 1 to ... (was ...)' with what its logged weeks do; the preview said
  nothing of it. It now says 'would move rotation 1 to ...' in the import's words, and the warning the import gives
  instead when the item was edited since (it stays on its days).

Both come from the rules the import follows (importing.plan_step decides what an event makes, for the import and the
preview alike; the values are targets.item_values; the move is _Plan._moving). Real ICS files written here, the
hospital's schedule under tests/data/ics; the real import is run after each dry run and compared with it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_exam, set_profile
from tests.cli_helpers import database_state, run_cli
from tests.tui_helpers import app_for, press, preview_import, settle


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return res.out


def _calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test hospital//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def _all_day(uid: str, summary: str, location: str, first: str, after_last: str, extra: str = "") -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\nLOCATION:{location}\r\n"
            f"DTSTART;VALUE=DATE:{first}\r\nDTEND;VALUE=DATE:{after_last}\r\n{extra}END:VEVENT\r\n")


# 2127 typed for 2027: a rotation's days are 1950-2100
TYPO_YEAR = _all_day("mercy-cardio-typo@example.org", "Observership - Cardiology", "Mercy Hospital", "21270201",
                     "21270227")
# Another database's export (its UID is not this plan's): 120 hours a week, which a rotation may not hold
OTHER_PLAN = _all_day("rotation-7@imgcoach", "Externship - Surgery", "Harbor Medical Center", "20270301", "20270327",
                      'X-IMGCOACH-KIND:rotation\r\nX-IMGCOACH-FIELDS:{"hours_per_week": 120}\r\n')
STUDY_200 = _all_day("study-block-3@imgcoach", "Step 2 CK study block", "Home", "20270405", "20270417",
                     'X-IMGCOACH-KIND:study_block\r\nX-IMGCOACH-FIELDS:{"exam": "Step 2 CK", "hours_per_week": 200}\r\n')
EXAM = _all_day("prometric-step2@example.org", "USMLE Step 2 CK exam", "Prometric Chicago", "20270610", "20270611")
GOOD = _all_day("lakeshore-peds@example.org", "Observership - Pediatrics", "Lakeshore Children's Hospital",
                "20270503", "20270529")
REFUSED = {"mercy-cardio-typo@example.org": ("rotation", "start: must be between 1950 and 2100 (got '2127-02-01')"),
           "rotation-7@imgcoach": ("rotation", "hours_per_week: hours per week must be between 1 and 80 (got 120)"),
           "study-block-3@imgcoach": ("study block", "hours_per_week: hours per week must be between 1 and 80 (got 200)"),
           "prometric-step2@example.org": ("exam", "taken_on: Step 2 CK is already booked for 2027-05-03 (exam 1): "
                                                   "change that booking's date instead, or, once it is sat, record its result (from 2027-05-03) first "
                                                   "(got '2027-06-10')")}
A_KIND = {"rotation": "a rotation", "study block": "a study block", "exam": "an exam"}


def _refusing_file(ctx: Context, tmp_path: Path) -> Path:
    add_exam(ctx, exam="Step 2 CK", taken_on=date(2027, 5, 3))  # booked: a second booking is refused
    path = tmp_path / "spring.ics"
    path.write_text(_calendar(TYPO_YEAR, OTHER_PLAN, STUDY_200, EXAM, GOOD), encoding="utf-8", newline="")
    return path


def test_the_dry_run_says_which_items_the_import_will_not_make_and_why(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    path = str(_refusing_file(ctx, tmp_path))
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", path, "--dry-run", "--accept-suggestions", "--json"))
    text = _cli(ctx, capsys, "import", path, "--dry-run", "--accept-suggestions")
    assert database_state(ctx.db.url) == before
    said = {a["uid"]: a["not_made"] for a in dry["accepting"]}
    assert said == {**{uid: reason for uid, (_, reason) in REFUSED.items()}, "lakeshore-peds@example.org": None}
    assert "1 new rotation, 1 exam not made, 2 rotations not made, 1 study block not made" in text, text
    lines = {line.split("[UID ")[1].rstrip("]"): line for line in text.splitlines() if "[UID " in line}
    for uid, (kind, reason) in REFUSED.items():
        assert f"-> not made {A_KIND[kind]}: {reason}; it stays a calendar event (line " in lines[uid], lines[uid]
    assert "-> new rotation" in lines["lakeshore-peds@example.org"]
    real = json.loads(_cli(ctx, capsys, "import", path, "--accept-suggestions", "--json"))
    warned = {(w["uid"], w["line"], w["reason"]) for w in real["warnings"]}
    previewed = {(a["uid"], int(a["on_accept"].rsplit("(line ", 1)[1].rstrip(")")),
                  f"not made {A_KIND[REFUSED[a['uid']][0]]}: {a['not_made']}") for a in dry["accepting"] if a["not_made"]}
    assert warned == previewed  # the import's own warnings, word for word, on the lines the preview named
    assert real["accepting"] == dry["accepting"]  # the real run's list says what it did, as the dry run said it
    assert [(m["kind"], m["uid"]) for m in real["mapped"]] == [("rotation", "lakeshore-peds@example.org")]


CARDIOLOGY = _all_day("mercy-cardio@example.org", "Observership - Cardiology", "Mercy Hospital", "20270201", "20270227")
MOVED = CARDIOLOGY.replace("20270201", "20270208").replace("20270227", "20270306")
UWORLD = _all_day("uworld-block@example.org", "Step 2 CK study block - UWorld", "Home", "20270308", "20270320")
UWORLD_MOVED = UWORLD.replace("20270308", "20270315").replace("20270320", "20270327")


def _moved_file(ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """Rotation 1 and study block 1 made by an import from the hospital's file; then the hospital moved both a week."""
    path = tmp_path / "spring.ics"
    path.write_text(_calendar(CARDIOLOGY, UWORLD), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(path), "--accept-suggestions")
    path.write_text(_calendar(MOVED, UWORLD_MOVED), encoding="utf-8", newline="")
    return path


def test_the_dry_run_lists_the_moves_the_import_makes(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                     cli_clock: FixedClock, tmp_path: Path) -> None:
    path = str(_moved_file(ctx, capsys, tmp_path))
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", path, "--dry-run", "--json"))
    text = _cli(ctx, capsys, "import", path, "--dry-run")
    assert database_state(ctx.db.url) == before
    moves = [line.strip() for line in text.splitlines() if "would move" in line]
    assert moves == ['would move rotation 1 to 2027-02-08..2027-03-05 (was 2027-02-01..2027-02-26) with "Observership '
                     '- Cardiology"', 'would move study block 1 to 2027-03-15..2027-03-26 (was 2027-03-08..2027-03-19) '
                     'with "Step 2 CK study block - UWorld"'], text
    real_text = _cli(ctx, capsys, "import", path, "--dry-run")  # nothing written: the same again
    assert real_text == text
    out = _cli(ctx, capsys, "import", path)
    assert [line.strip() for line in out.splitlines() if line.strip().startswith("moved ")] == [
        m.replace("would move", "moved") for m in moves], out
    _cli(ctx, capsys, "import", "--undo")
    real = json.loads(_cli(ctx, capsys, "import", path, "--json"))
    assert real["moved"] == dry["moved"]


LOG_EVENT = _all_day("lakeside-obs-2026-im@hospital.example", "Observership - Internal Medicine",
                     "Lakeside General Hospital\\, 4 West", "{start}", "{end}")


def test_the_dry_run_says_what_a_move_does_to_the_logged_weeks(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                              cli_clock: FixedClock, tmp_path: Path) -> None:
    """A rotation of the user's own, linked to the hospital's event, with three weeks logged: the hospital moves its
    start from Monday 5 to Thursday 8 October; the import renames the weeks (plan.move_log_weeks_in) and says so, the
    dry run says the same and renames nothing."""
    rotation = _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
                    "--institution", "Lakeside General", "--city", "Chicago", "--state", "IL", "--country", "US",
                    "--start", "2026-10-05", "--end", "2026-11-27", "--hours", "40").strip()
    for week in ("2026-10-05", "2026-10-12", "2026-10-19"):
        _cli(ctx, capsys, "log", "add", rotation, "--week", week, "--hours", "40", "--did", f"typed {week}")
    path = tmp_path / "schedule.ics"
    path.write_text(_calendar(LOG_EVENT.format(start="20261005", end="20261128")), encoding="utf-8", newline="")
    assert f"linked to rotation {rotation}" in _cli(ctx, capsys, "import", str(path), "--accept-suggestions")
    path.write_text(_calendar(LOG_EVENT.format(start="20261008", end="20261128")), encoding="utf-8", newline="")
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", str(path), "--dry-run", "--json"))
    assert database_state(ctx.db.url) == before
    assert dry["moved"][0]["log_words"].startswith("its logged weeks now go by the new weeks holding most of their "
                                                   "days: 2026-10-05 is now 2026-10-08"), dry["moved"]
    real = json.loads(_cli(ctx, capsys, "import", str(path), "--json"))
    assert real["moved"] == dry["moved"]


def test_an_item_edited_since_is_said_to_stay_before_the_import(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                               cli_clock: FixedClock, tmp_path: Path) -> None:
    """Rotation 1, made from the hospital's event, was given another end by hand; the hospital then moves the event:
    the import leaves the rotation on its days and warns. The dry run gives that warning, and no move."""
    path = tmp_path / "spring.ics"
    path.write_text(_calendar(CARDIOLOGY), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(path), "--accept-suggestions")
    _cli(ctx, capsys, "rotations", "edit", "1", "--end", "2027-02-19")
    path.write_text(_calendar(MOVED), encoding="utf-8", newline="")
    dry = json.loads(_cli(ctx, capsys, "import", str(path), "--dry-run", "--json"))
    assert dry["moved"] == []
    real = json.loads(_cli(ctx, capsys, "import", str(path), "--json"))
    assert real["moved"] == []
    kept = [w for w in real["warnings"] if "keeps 01 Feb–19 Feb 2027" in w["reason"]]
    assert len(kept) == 1 and dry["warnings"] == real["warnings"], (dry["warnings"], real["warnings"])


# Night float from Friday evening 5 March 2027 New York time (the file gives UTC): in London it begins on Saturday 6
NIGHTS = ("BEGIN:VEVENT\r\nUID:harbor-night-float@example.org\r\nDTSTAMP:20261120T000000Z\r\n"
          "SUMMARY:Night float observership - Internal Medicine\r\nLOCATION:Harbor Medical Center\r\n"
          "DTSTART:20270306T020000Z\r\nDTEND:20270306T100000Z\r\nRRULE:FREQ=DAILY;COUNT=10\r\nEND:VEVENT\r\n")
ORIENTATION = _all_day("harbor-orientation@example.org", "Orientation day", "Harbor Medical Center", "20270304",
                       "20270305")


def test_import_twice_after_a_delete_and_after_a_change_of_time_zone(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """Each dry run says what the import that follows does: the same file again (nothing), after the rotation made
    from it was deleted (a new one is offered and made), after the applicant moved to London (the series' days are
    now 6-15 March, the rotation made in New York keeps 5-15 March: nothing said while the import writes nothing,
    the import's warning once it writes, a new event beside it)."""
    path = tmp_path / "nights.ics"
    path.write_text(_calendar(NIGHTS), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(path), "--accept-suggestions")

    def dry_then_real(*args: str) -> tuple[dict[str, Any], dict[str, Any]]:
        before = database_state(ctx.db.url)
        dry = json.loads(_cli(ctx, capsys, "import", str(path), "--dry-run", "--json", *args))
        assert database_state(ctx.db.url) == before
        return dry, json.loads(_cli(ctx, capsys, "import", str(path), "--json", *args))

    dry, real = dry_then_real("--accept-suggestions")
    assert dry["accepting"] == [] and dry["moved"] == [] and dry["warnings"] == [] and real["mapped"] == []
    _cli(ctx, capsys, "rotations", "remove", "1")
    dry, real = dry_then_real("--accept-suggestions")
    assert [a["on_accept"] for a in dry["accepting"]] == ["new rotation over 05 Mar–15 Mar 2027 (10 occurrences)"]
    assert [(m["kind"], m["id"]) for m in real["mapped"]] == [("rotation", 2)]
    set_profile(ctx, timezone="Europe/London")
    dry, real = dry_then_real()
    assert dry["moved"] == real["moved"] == [] and dry["warnings"] == real["warnings"] == [], (dry, real)
    path.write_text(_calendar(NIGHTS, ORIENTATION), encoding="utf-8", newline="")
    dry, real = dry_then_real()
    assert dry["moved"] == real["moved"] == []
    assert dry["warnings"] == real["warnings"] and len(real["warnings"]) == 1, (dry["warnings"], real["warnings"])
    assert "the event now covers 06 Mar–15 Mar 2027; rotation 2, made from it, keeps 05 Mar–15 Mar 2027" in \
        real["warnings"][0]["reason"]


# --- the app's Import screen: the same words, from the same report -------------------------------------------------


async def _preview(app: Any, pilot: Any, path: Path) -> Any:
    await preview_import(pilot, path)
    return app.screen.query_one("#import-table", DataTable)


def _said(app: Any, widget: str) -> str:
    return " ".join(str(app.screen.query_one(widget, Static).render()).split())


async def test_the_app_says_what_it_will_not_make(ctx: Context, cli_clock: FixedClock, tmp_path: Path) -> None:
    path = _refusing_file(ctx, tmp_path)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _preview(app, pilot, path)
        rows = {table.get_row_at(i)[1]: str(table.get_row_at(i)[3]) for i in range(table.row_count)}
        assert rows == {"Observership - Cardiology": "Rotation? not made", "Externship - Surgery": "Rotation? not made",
                        "Step 2 CK study block": "Study block? not made", "USMLE Step 2 CK exam": "Exam? not made",
                        "Observership - Pediatrics": "Rotation?"}, rows
        table.move_cursor(row=next(i for i in range(table.row_count) if table.get_row_at(i)[1] == "Externship - Surgery"))
        await settle(pilot)
        why = _said(app, "#import-why")
        assert (f"not made a rotation: {REFUSED['rotation-7@imgcoach'][1]}; it stays a calendar event (line "
                in why), why
        await press(pilot, "ctrl+a")
        message = _said(app, "#confirm-message")
    assert message.startswith("Accept 5 suggestions: 1 exam not made, 1 new rotation, 2 rotations not made, 1 study "
                              "block not made"), message


async def test_the_app_says_the_moves_and_follows_a_change_of_kind(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                                   cli_clock: FixedClock, tmp_path: Path) -> None:
    path = _moved_file(ctx, capsys, tmp_path)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        table = await _preview(app, pilot, path)
        notes = _said(app, "#import-notes")
        move = ('would move rotation 1 to 2027-02-08..2027-03-05 (was 2027-02-01..2027-02-26) with "Observership - '
                'Cardiology"')
        assert move in notes and "would move study block 1" in notes, notes
        table.move_cursor(row=next(i for i in range(table.row_count) if table.get_row_at(i)[1] == CARDIOLOGY_TITLE))
        await press(pilot, "k")  # Rotation -> the next kind: the import removes rotation 1 instead of moving it
        await settle(pilot)
        notes = _said(app, "#import-notes")
        assert move not in notes and "would move study block 1" in notes, notes
        assert "removes rotation 1, made from it before" in _said(app, "#import-why")


CARDIOLOGY_TITLE = "Observership - Cardiology"
