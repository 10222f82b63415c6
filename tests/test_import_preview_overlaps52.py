"""`imgcoach import FILE --dry-run --accept-suggestions` (and the list a real run shows before it asks "Import with
these?") said nothing of what a rotation it makes collides with; the import itself, once done, said it in its made
line ("made rotation 2 from ...; Lakeside ... overlaps full-time Mercy Hospital ...", `--json`: the made rotation's
`overlaps`), so a person who previewed saw no clash, imported, and only then learnt the new rotation sits on a
full-time one and on their Step 2 CK study block. The preview now says the same sentences, from the same rule
(plan.rotation_overlaps, which plan.overlap_warnings reads the plan for), beside the plan as the import would leave
it, and writes nothing; `--json`'s `accepting` carries each item's `overlaps`, the list the real run's made rotation
carries. The app's Import screen says them too: under the row's why and in ctrl+a's list.

Real ICS files: the hospital's schedule under tests/data/ics, and small ones written here."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, add_study_block, set_profile
from tests.cli_helpers import database_state, run_cli

HOSPITAL = str(Path(__file__).resolve().parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics")
OBSERVERSHIP = "lakeside-obs-2027-im@hospital.example"  # all-day, 04-29 Jan 2027, Lakeside General Hospital


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return res.out


def _busy_january(ctx: Context) -> None:
    """A full-time rotation at Mercy Hospital on the hospital file's days, and a Step 2 CK study block in their
    second half."""
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital", state="IL",
                 start_date=date(2027, 1, 4), end_date=date(2027, 1, 29), hours_per_week=40)
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 1, 18), end_date=date(2027, 1, 31), hours_per_week=20)


def _made_rotations(real: dict) -> dict[str, list[str]]:
    """The real import's words for each rotation it made, by the UID of its event."""
    return {m["uid"]: m["overlaps"] for m in real["mapped"] if m["kind"] == "rotation" and not m.get("linked")}


def _previewed(dry: dict) -> dict[str, list[str]]:
    return {a["uid"]: a["overlaps"] for a in dry["accepting"] if a["on_accept"].startswith("new rotation")}


def test_the_dry_run_says_what_the_import_then_says(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                    cli_clock: FixedClock) -> None:
    _busy_january(ctx)
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", HOSPITAL, "--dry-run", "--accept-suggestions", "--json"))
    text = _cli(ctx, capsys, "import", HOSPITAL, "--dry-run", "--accept-suggestions")
    assert database_state(ctx.db.url) == before  # byte for byte on SQLite, every row on PostgreSQL
    said = _previewed(dry)[OBSERVERSHIP]
    assert len(said) == 2 and "overlaps full-time Mercy Hospital" in said[0] and said[1].startswith(
        "study block Step 2 CK overlaps full-time rotation at Lakeside General Hospital"), said
    lines = text.splitlines()
    item = next(i for i, line in enumerate(lines) if f"[UID {OBSERVERSHIP}]" in line)
    assert [line.strip() for line in lines[item + 1:item + 3]] == said, text  # under the item it is about
    real = json.loads(_cli(ctx, capsys, "import", HOSPITAL, "--accept-suggestions", "--json"))
    assert _made_rotations(real) == _previewed(dry)  # the import's own words, compared, not only written here
    assert real["accepting"] == dry["accepting"]


def test_the_list_before_the_question_says_them_and_no_writes_nothing(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A real run at a terminal lists what it will accept and asks "Import with these?": the overlaps come before
    the question, where a "no" still changes nothing. Then a "yes" says the same words in its made line."""
    _busy_january(ctx)
    dry = json.loads(_cli(ctx, capsys, "import", HOSPITAL, "--dry-run", "--accept-suggestions", "--json"))
    said = _previewed(dry)[OBSERVERSHIP]
    before = database_state(ctx.db.url)
    _answer(monkeypatch, "n")
    out = _cli(ctx, capsys, "import", HOSPITAL, "--accept-suggestions")
    asked = out.index("Import with these?")
    assert all(sentence in out[:asked] for sentence in said), out
    assert "nothing imported" in out[asked:], out
    assert database_state(ctx.db.url) == before
    _answer(monkeypatch, "y")
    out = _cli(ctx, capsys, "import", HOSPITAL, "--accept-suggestions")
    asked = out.index("Import with these?")
    assert all(sentence in out[:asked] for sentence in said), out
    made = next(line for line in out[asked:].splitlines() if "made rotation" in line)
    assert made.endswith("; " + "; ".join(said)), made


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    """stdin a terminal that types `answer` (the CLI asks only at a terminal)."""
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(answer + "\n"))


def test_a_rotation_on_free_days_says_no_overlap(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                 cli_clock: FixedClock) -> None:
    """Nothing on those days: nothing more is said, in the preview as in the import."""
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital", state="IL",
                 start_date=date(2027, 2, 1), end_date=date(2027, 2, 26), hours_per_week=40)
    dry = json.loads(_cli(ctx, capsys, "import", HOSPITAL, "--dry-run", "--accept-suggestions", "--json"))
    text = _cli(ctx, capsys, "import", HOSPITAL, "--dry-run", "--accept-suggestions")
    assert _previewed(dry) == {OBSERVERSHIP: []}
    assert "overlap" not in text, text
    real = json.loads(_cli(ctx, capsys, "import", HOSPITAL, "--accept-suggestions", "--json"))
    assert _made_rotations(real) == _previewed(dry)


def _calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test hospital//EN\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def _all_day(uid: str, summary: str, location: str, first: str, after_last: str) -> str:
    return (f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nSUMMARY:{summary}\r\nLOCATION:{location}\r\n"
            f"DTSTART;VALUE=DATE:{first}\r\nDTEND;VALUE=DATE:{after_last}\r\nEND:VEVENT\r\n")


CARDIOLOGY = _all_day("mercy-cardio@example.org", "Observership - Cardiology", "Mercy Hospital", "20270201", "20270227")
SURGERY = _all_day("harbor-surgery@example.org", "Externship - Surgery", "Harbor Medical Center", "20270215",
                   "20270313")
PEDIATRICS = _all_day("lakeshore-peds@example.org", "Observership - Pediatrics", "Lakeshore Children's Hospital",
                      "20270301", "20270327")
UWORLD = _all_day("uworld-block@example.org", "Step 2 CK study block - UWorld", "Home", "20270308", "20270320")


def test_the_preview_reads_the_plan_as_the_import_leaves_it(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                           cli_clock: FixedClock, tmp_path: Path) -> None:
    """One import that makes two rotations on each other's days and a study block beside them, and removes the
    rotation an earlier import made (its event now a plain one): each new rotation is said beside the other and the
    new study block, not beside the rotation removed, as the import says it once done."""
    f = tmp_path / "spring.ics"
    f.write_text(_calendar(CARDIOLOGY), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(f), "--accept-suggestions")  # rotation 1, at Mercy Hospital
    f.write_text(_calendar(CARDIOLOGY, SURGERY, PEDIATRICS, UWORLD), encoding="utf-8", newline="")
    choice = ("--accept-suggestions", "--as", "mercy-cardio@example.org=event")
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", str(f), "--dry-run", "--json", *choice))
    assert database_state(ctx.db.url) == before
    said = _previewed(dry)
    assert set(said) == {"harbor-surgery@example.org", "lakeshore-peds@example.org"}, dry["accepting"]
    assert not any("Mercy Hospital" in s for words in said.values() for s in words), said
    assert any("overlaps full-time Lakeshore Children's Hospital" in s for s in said["harbor-surgery@example.org"])
    assert any("overlaps full-time Harbor Medical Center" in s for s in said["lakeshore-peds@example.org"])
    assert any(s.startswith("study block Step 2 CK") for s in said["lakeshore-peds@example.org"]), said
    real = json.loads(_cli(ctx, capsys, "import", str(f), "--json", *choice))
    assert _made_rotations(real) == said


def test_a_rotation_moved_by_the_same_import_is_read_on_its_new_days(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The hospital moved the cardiology observership (made into rotation 1 by an earlier import) to March, on the
    days of a new pediatrics one: the import moves rotation 1 with its event, then says the new rotation overlaps
    it in March; the preview says so too, not the February days rotation 1 has before the import."""
    f = tmp_path / "spring.ics"
    f.write_text(_calendar(CARDIOLOGY), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(f), "--accept-suggestions")
    in_march = CARDIOLOGY.replace("20270201", "20270301").replace("20270227", "20270327")
    f.write_text(_calendar(in_march, PEDIATRICS), encoding="utf-8", newline="")
    before = database_state(ctx.db.url)
    dry = json.loads(_cli(ctx, capsys, "import", str(f), "--dry-run", "--accept-suggestions", "--json"))
    assert database_state(ctx.db.url) == before
    said = _previewed(dry)
    assert len(said["lakeshore-peds@example.org"]) == 1 and (
        "overlaps full-time Mercy Hospital (01 Mar 2027 to 26 Mar 2027)" in said["lakeshore-peds@example.org"][0]), said
    real = json.loads(_cli(ctx, capsys, "import", str(f), "--accept-suggestions", "--json"))
    assert [m["id"] for m in real["moved"]] == [1], real["moved"]
    assert _made_rotations(real) == said


# Night float from Friday evening 5 March 2027, New York time: 21:00-05:00 EST until the clocks go forward on 14 March,
# then 22:00-06:00 EDT (the file gives UTC). In New York its first night begins on Friday 5 March, the last day of
# Mercy Hospital's rotation; in London on Saturday 6 March, a day no rotation works.
NIGHTS = ("BEGIN:VEVENT\r\nUID:harbor-night-float@example.org\r\nDTSTAMP:20261120T000000Z\r\n"
          "SUMMARY:Night float observership - Internal Medicine\r\nLOCATION:Harbor Medical Center\r\n"
          "DTSTART:20270306T020000Z\r\nDTEND:20270306T100000Z\r\nRRULE:FREQ=DAILY;COUNT=10\r\nEND:VEVENT\r\n")


@pytest.mark.parametrize(("zone", "clash"), [("America/New_York", True), ("Europe/London", False)])
def test_the_days_are_the_applicants_zone_days(ctx: Context, capsys: pytest.CaptureFixture[str],
                                               cli_clock: FixedClock, tmp_path: Path, zone: str, clash: bool) -> None:
    set_profile(ctx, timezone=zone)
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Mercy Hospital", state="IL",
                 start_date=date(2027, 2, 8), end_date=date(2027, 3, 5), hours_per_week=40)
    f = tmp_path / "nights.ics"
    f.write_text(_calendar(NIGHTS), encoding="utf-8", newline="")
    dry = json.loads(_cli(ctx, capsys, "import", str(f), "--dry-run", "--accept-suggestions", "--json"))
    said = _previewed(dry)["harbor-night-float@example.org"]
    if clash:
        assert len(said) == 1 and said[0].startswith("Harbor Medical Center (05 Mar 2027 to 15 Mar 2027) overlaps "
                                                     "full-time Mercy Hospital") and "for 05 Mar 2027 (96 h/week" in said[0], said
    else:
        assert said == []
    real = json.loads(_cli(ctx, capsys, "import", str(f), "--accept-suggestions", "--json"))
    assert _made_rotations(real) == {"harbor-night-float@example.org": said}


async def test_the_import_screen_says_them_before_the_import(ctx: Context) -> None:
    """The row's why (undecided, then accepted) and ctrl+a's list say the sentences the import's notes say after
    ctrl+s; nothing is written before it."""
    from textual.widgets import Static

    from tests.tui_helpers import app_for, press, preview_import, settle

    _busy_january(ctx)
    before = database_state(ctx.db.url)
    app = app_for(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await preview_import(pilot, HOSPITAL, "home")

        def why() -> str:
            return " ".join(str(app.screen.query_one("#import-why", Static).render()).split())

        undecided = why()
        assert "Accepting it (ctrl+a, with every suggestion): new rotation." in undecided, undecided
        await press(pilot, "ctrl+a")
        await settle(pilot)
        listed = " ".join(str(app.screen.query_one("#confirm-message", Static).render()).split())
        await press(pilot, "y")
        await settle(pilot)
        accepted = why()
        assert database_state(ctx.db.url) == before
        await press(pilot, "ctrl+s")
        await settle(pilot)
        notes = str(app.screen.query_one("#import-notes", Static).render())
    made = next(line for line in notes.splitlines() if line.startswith("made rotation"))
    said = [part for part in made.split("; ") if "overlaps full-time" in part]  # the import's words, after the fact
    assert len(said) == 2, notes
    for sentence in said:
        assert f" {sentence}." in undecided, (sentence, undecided)
        assert sentence in listed, (sentence, listed)
        assert f" {sentence}." in accepted, (sentence, accepted)
