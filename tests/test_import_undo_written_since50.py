"""`import --undo` of an import that removed a rotation (`--prune` of its event gone from the file) wrote back what
the database's cascade took with it (its supervisor links, cases and logged weeks) whole, as the journal kept them,
whatever the person did since. A supervisor deleted since made the undo fail with an internal error (the link named
a contact no longer there); a week logged since on the rotation added in its place came back a second time beside
it, and a case written there again came back twice. The undo keeps what the person did since: a contact still
there is linked again as it is now (edited since: the edit stays, no second contact), a link to one deleted since
is not made, a logged week comes back only where no day of it was logged since on another rotation, a case only
where it was not written again since; the rotation itself is not brought back beside the same rotation added
again since (a refusal, as the app's undo of a delete refuses it). The undo says what it brought back with the
rotation and what it could not. The real CLI on both engines, the test's clock on 25 November 2026."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli

EVENT = ("BEGIN:VEVENT\r\nUID:lakeside-obs-2026@hospital.example\r\nDTSTAMP:20260901T000000Z\r\n"
         "SUMMARY:Observership - Internal Medicine\r\nLOCATION:Lakeside General\r\nDTSTART;VALUE=DATE:20261005\r\n"
         "DTEND;VALUE=DATE:20261031\r\nEND:VEVENT\r\n")
CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Lakeside General//Observer Schedule//EN\r\n{}END:VCALENDAR\r\n"


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == code, (args, res.out, res.err)
    return res.out + res.err


def _json(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    return json.loads(_cli(ctx, capsys, *args, "--json"))


def _pruned(ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """Rotation 1, made from the hospital's event, with Dr. Okafor as its supervisor, one case and two weeks logged;
    then the file again without the event, with --prune: the rotation goes, and what is recorded on it with it."""
    schedule = tmp_path / "schedule.ics"
    schedule.write_bytes(CALENDAR.format(EVENT).encode())
    assert "made rotation 1 " in _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    _cli(ctx, capsys, "contacts", "add", "--name", "Dr. Okafor", "--email", "okafor@hospital.example",
         "--rotation", "1")
    _cli(ctx, capsys, "cases", "add", "1", "Anemia in pregnancy", "--on", "2026-10-07")
    for week, did in (("2026-10-05", "ward rounds"), ("2026-10-12", "clinic")):
        _cli(ctx, capsys, "log", "add", "1", "--week", week, "--hours", "40", "--did", did)
    schedule.write_bytes(CALENDAR.format("").encode())
    assert "also removed rotation 1" in _cli(ctx, capsys, "import", str(schedule), "--prune")
    assert _json(ctx, capsys, "rotations", "list") == []
    return schedule


def _supervisors(ctx: Context, capsys: pytest.CaptureFixture[str], rotation: int) -> list[tuple[str, str, str]]:
    shown = json.loads(_cli(ctx, capsys, "rotations", "show", str(rotation), "--json"))
    return [(s["contact"]["name"], s["contact"]["email"], s["role"]) for s in shown["supervisors"]]


def _log(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str, str]]:
    return [(e["rotation_id"], e["week_of"], e["activities"]) for e in _json(ctx, capsys, "log", "list")]


def _cases(ctx: Context, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str]]:
    return [(c["rotation_id"], c["title"]) for c in _json(ctx, capsys, "cases", "list")]


def test_the_undo_brings_back_what_was_recorded_on_the_rotation_and_says_so(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    _pruned(ctx, capsys, tmp_path)
    out = _cli(ctx, capsys, "import", "--undo")
    assert ("brought back 1 rotation it removed, with 1 link to a person, 1 case and 2 logged weeks recorded on "
            "it") in out, out
    assert _supervisors(ctx, capsys, 1) == [("Dr. Okafor", "okafor@hospital.example", "supervisor")]
    assert _cases(ctx, capsys) == [(1, "Anemia in pregnancy")]
    assert _log(ctx, capsys) == [(1, "2026-10-05", "ward rounds"), (1, "2026-10-12", "clinic")]


def test_a_supervisor_edited_since_is_linked_again_as_edited(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """A guard: the contact is the person's own row, not the journal's; the link alone comes back."""
    from imgcoach.plan import edit_contact

    _pruned(ctx, capsys, tmp_path)
    edit_contact(ctx, 1, email="n.okafor@lakeside.example")  # the app's contact form
    _cli(ctx, capsys, "import", "--undo")
    assert _supervisors(ctx, capsys, 1) == [("Dr. Okafor", "n.okafor@lakeside.example", "supervisor")]
    assert [c["name"] for c in _json(ctx, capsys, "contacts", "list")] == ["Dr. Okafor"]


def _as_before_stop_50(ctx: Context) -> None:
    """The prune's journal as imgcoach wrote it before stop 50: no highest ids, no names of the contacts unlinked."""
    from sqlalchemy import text

    with ctx.db.transaction() as session:
        journal = json.loads(session.execute(text("SELECT journal FROM calendar_import WHERE id = 2")).scalar_one())
        assert journal.pop("$contact_names") == {"1": "Dr. Okafor"}, journal
        assert journal.pop("$high")["case_note"] == 1, journal
        session.execute(text("UPDATE calendar_import SET journal = :j WHERE id = 2"), {"j": json.dumps(journal)})


@pytest.mark.parametrize("old_journal", [False, True], ids=["journal", "journal-before-50"])
def test_a_supervisor_deleted_since_is_not_linked_and_the_undo_says_so(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path,
        old_journal: bool) -> None:
    """It failed with an internal error (a foreign key to the contact deleted since), the import not undone."""
    _pruned(ctx, capsys, tmp_path)
    _cli(ctx, capsys, "contacts", "remove", "1")
    if old_journal:
        _as_before_stop_50(ctx)
    out = _cli(ctx, capsys, "import", "--undo")
    who = "contact 1" if old_journal else "Dr. Okafor (contact 1)"
    assert (f"brought back 1 rotation it removed, with 1 case and 2 logged weeks recorded on it and could not link "
            f"{who} to rotation 1 again as its supervisor: the contact was deleted since") in out, out
    assert _supervisors(ctx, capsys, 1) == []
    assert _json(ctx, capsys, "contacts", "list") == []
    assert _log(ctx, capsys) == [(1, "2026-10-05", "ward rounds"), (1, "2026-10-12", "clinic")]


def test_a_week_logged_since_on_another_rotation_is_not_logged_twice(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The person planned the weeks at another hospital in its place and logged the first one there: brought back
    too, the week of 5 October counted 80 hours. The second week, logged nowhere since, comes back."""
    _pruned(ctx, capsys, tmp_path)
    _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
         "--institution", "Mercy Hospital", "--start", "2026-10-05", "--end", "2026-10-31", "--hours", "40")
    _cli(ctx, capsys, "log", "add", "2", "--week", "2026-10-05", "--hours", "40", "--did", "ward rounds at Mercy")
    _cli(ctx, capsys, "cases", "add", "2", "anemia in pregnancy ", "--on", "2026-10-07")
    out = _cli(ctx, capsys, "import", "--undo")
    assert ("brought back 1 rotation it removed, with 1 link to a person and 1 logged week recorded on it, did not "
            "bring back case 1 (Anemia in pregnancy) of rotation 1 (written again on rotation 2 since, as case 2) and "
            "did not bring back the week of 2026-10-05 logged on rotation 1 (its days were logged on rotation 2 "
            "since)") in out, out
    assert _log(ctx, capsys) == [(1, "2026-10-12", "clinic"), (2, "2026-10-05", "ward rounds at Mercy")]
    assert _cases(ctx, capsys) == [(2, "anemia in pregnancy ")]  # as typed: a title is kept as it is


def test_the_undo_refuses_to_bring_back_a_rotation_added_again_since(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The same rotation typed again by hand after the prune (same kind, place and days): the undo made it twice,
    which `rotations add` refuses. Refused, naming it, nothing changed."""
    _pruned(ctx, capsys, tmp_path)
    _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
         "--institution", "Lakeside General", "--start", "2026-10-05", "--end", "2026-10-30", "--hours", "40")
    before = database_state(ctx.db.url)
    out = _cli(ctx, capsys, "import", "--undo", code=2)
    assert ("cannot undo import 2 of") in out and (
        "rotation 1 (Internal Medicine at Lakeside General, 2026-10-05 to 2026-10-30), removed by it, is in the plan "
        "again as rotation 2, added since: the undo would make it twice (to undo the import anyway, remove rotation "
        "2 first: `imgcoach rotations remove 2`); nothing was changed") in out, out
    assert database_state(ctx.db.url) == before


async def test_the_import_screens_undo_says_the_supervisor_it_could_not_link_again(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The app's ctrl+z on the Import screen undoes the same way (calendar.undo_last_import) and says it alike."""
    from tests.tui_helpers import app_for, press, record_toasts, settle

    _pruned(ctx, capsys, tmp_path)
    _cli(ctx, capsys, "contacts", "remove", "1")
    app = app_for(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        said = record_toasts(app)
        await press(pilot, "i")
        await settle(pilot)
        await press(pilot, "ctrl+z", "y")
        await settle(pilot)
        assert said[-1] == ("Undid the import of schedule.ics (0 created, 0 updated, 1 removed; brought back 1 "
                            "rotation it removed, with 1 case and 2 logged weeks recorded on it and could not link "
                            "Dr. Okafor (contact 1) to rotation 1 again as its supervisor: the contact was deleted "
                            "since)"), said
    assert _log(ctx, capsys) == [(1, "2026-10-05", "ward rounds"), (1, "2026-10-12", "clinic")]


def test_the_undo_refuses_to_take_a_supervisor_and_a_letter_added_since_from_a_rotation_it_made(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The undo of the import that made rotation 1 deleted it with the supervisor linked since (the cascade) and left
    the letter request planned since without its rotation, saying only "removed 1 rotation"; weeks logged or cases
    written since were already refused (test_import_moves_log_weeks48). Refused alike, naming them, nothing changed."""
    schedule = tmp_path / "schedule.ics"
    schedule.write_bytes(CALENDAR.format(EVENT).encode())
    assert "made rotation 1 " in _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    _cli(ctx, capsys, "contacts", "add", "--name", "Dr. Okafor", "--email", "okafor@hospital.example",
         "--rotation", "1")
    _cli(ctx, capsys, "letters", "add", "--writer", "1", "--rotation", "1")
    before = database_state(ctx.db.url)
    out = _cli(ctx, capsys, "import", "--undo", code=2)
    assert ("rotation 1 (Internal Medicine at Lakeside General, 2026-10-05 to 2026-10-30), made by it, has 1 "
            "link to a person written since and 1 letter request linked to it since: the undo would delete the "
            "rotation and what was written on it and leave the letter request without its rotation (to undo the import anyway, remove "
            "the rotation first: `imgcoach rotations remove 1`); nothing was changed") in out, out
    assert database_state(ctx.db.url) == before


def test_the_json_undo_says_what_it_could_not_put_back(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """`import --undo --json` gave the import's id, file and time alone: a script never learnt that a supervisor
    could not be linked again. It gives the text's words and, apart, each thing not put back."""
    _pruned(ctx, capsys, tmp_path)
    _cli(ctx, capsys, "contacts", "remove", "1")
    said = json.loads(_cli(ctx, capsys, "import", "--undo", "--json"))
    assert said["undone"] == 2 and said["not_put_back"] == [
        "could not link Dr. Okafor (contact 1) to rotation 1 again as its supervisor: the contact was deleted since"]
    assert said["words"] == ("0 created, 0 updated, 1 removed; brought back 1 rotation it removed, with 1 case and 2 "
                             "logged weeks recorded on it and could not link Dr. Okafor (contact 1) to rotation 1 "
                             "again as its supervisor: the contact was deleted since"), said
