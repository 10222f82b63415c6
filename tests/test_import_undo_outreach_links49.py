"""An import that removes a rotation (`--prune` of its event gone from the file) unlinks the outreach entry it came
from and the projects done on it (ON DELETE SET NULL). `import --undo` brought the rotation back, with its logged
weeks and cases (the journal keeps them), but the outreach entry and the projects stayed unlinked and the undo said
nothing of them. The journal keeps each link the import took; the undo puts it back and says so, and names a link
it cannot put back (the entry deleted since). The real CLI on both engines, with the plan's own export as the file
(an event of it is linked to the rotation the offer became). `import --history` said "no plan item" of the import
that removed the rotation: it says "removed 1 rotation"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == code, (res.out, res.err)
    return res.out + res.err


def _linked(ctx: Context, capsys: pytest.CaptureFixture[str]) -> tuple[int | None, list[int | None]]:
    outreach = json.loads(_cli(ctx, capsys, "outreach", "list", "--json"))
    projects = json.loads(_cli(ctx, capsys, "projects", "list", "--json"))
    return outreach[0]["rotation_id"] if outreach else None, [p["rotation_id"] for p in projects]


def _pruned(ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """An offer accepted as rotation 1 with a project on it; the plan's export imported (its rotation's event linked
    to rotation 1), then imported again without that event and --prune: rotation 1 goes."""
    _cli(ctx, capsys, "outreach", "add", "Lakeside General", "--specialty", "Internal Medicine", "--status", "sent",
         "--written-on", "2026-11-02")
    _cli(ctx, capsys, "outreach", "set-status", "1", "offered")
    assert "rotation 1 planned" in _cli(ctx, capsys, "outreach", "accept", "1", "--start", "2027-01-04", "--end",
                                        "2027-01-29", "--hours", "40")
    _cli(ctx, capsys, "projects", "add", "--kind", "case_report", "--title", "Anemia in pregnancy", "--rotation", "1")
    plan = tmp_path / "plan.ics"
    _cli(ctx, capsys, "export", "-o", str(plan))
    _cli(ctx, capsys, "import", str(plan))
    text = plan.read_bytes().decode("utf-8")
    events = re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, flags=re.S)
    rotation = next(e for e in events if "X-IMGCOACH-KIND:rotation" in e)
    plan.write_text(text.replace(rotation, ""), encoding="utf-8", newline="")
    out = _cli(ctx, capsys, "import", str(plan), "--prune")
    assert "also removed rotation 1" in out, out
    assert _linked(ctx, capsys) == (None, [None])


def test_the_undo_links_the_outreach_entry_and_the_project_to_the_rotation_again(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    _pruned(ctx, capsys, tmp_path)
    # the history said "1 removed; no plan item" of the import that removed rotation 1 with its event
    assert "0 created, 0 updated, 1 removed; removed 1 rotation\n" in _cli(ctx, capsys, "import", "--history")
    assert json.loads(_cli(ctx, capsys, "import", "--history", "--json"))[0]["removed_plan_items"] == {"rotation": 1}
    out = _cli(ctx, capsys, "import", "--undo")
    assert ("(0 created, 0 updated, 1 removed; brought back 1 rotation it removed and linked 1 outreach "
            "entry and 1 project to their rotation again)") in out, out
    assert _linked(ctx, capsys) == (1, [1])


def test_the_undo_names_a_link_it_cannot_put_back(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """The outreach entry deleted since (no command deletes one: a tool on the database, or an older imgcoach): the
    rotation and the project's link come back, and the undo says which link could not."""
    from sqlalchemy import text

    _pruned(ctx, capsys, tmp_path)
    with ctx.db.transaction() as session:
        session.execute(text("DELETE FROM coach_outreach WHERE id = 1"))
    out = _cli(ctx, capsys, "import", "--undo")
    assert ("linked 1 project to its rotation again and could not link outreach entry 1 to rotation 1 again: it was "
            "deleted since") in out, out
    assert _linked(ctx, capsys) == (None, [1])
    history = json.loads(_cli(ctx, capsys, "import", "--history", "--json"))
    assert history[0]["undone_at"] is not None


def _as_before_stop_49(ctx: Context) -> None:
    """The prune's journal as imgcoach wrote it before stop 49: the letter kept whole as it was before the import
    (planned, linked to rotation 1), not its link."""
    from sqlalchemy import text

    with ctx.db.transaction() as session:
        journal = json.loads(session.execute(text("SELECT journal FROM calendar_import WHERE id = 2")).scalar_one())
        assert journal.pop("$links") == {"letter_request": {"1": 1}}, journal
        row = dict(session.execute(text("SELECT * FROM letter_request WHERE id = 1")).mappings().one())
        row.update(rotation_id=1, status="planned", requested_on=None, updated_at=None)
        journal["letter_request"] = {"added": [], "before": [row]}
        session.execute(text("UPDATE calendar_import SET journal = :j WHERE id = 2"), {"j": json.dumps(journal)})


@pytest.mark.parametrize("old_journal", [False, True], ids=["journal", "journal-before-49"])
def test_the_undo_links_a_letter_again_and_keeps_what_was_done_with_it_since(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path,
        old_journal: bool) -> None:
    """A letter request loses its rotation with it too. The undo wrote the letter back whole as it was before the
    import: one marked requested since went back to planned, without a word. It links the letter again and keeps
    the rest, and the rotation's letter reminders, put back pending, stop again as the letter was requested."""
    schedule = tmp_path / "schedule.ics"
    event = ("BEGIN:VEVENT\r\nUID:lakeside-obs@hospital.example\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Observership - "
             "Internal Medicine\r\nLOCATION:Lakeside General\r\nDTSTART;VALUE=DATE:20270104\r\n"
             "DTEND;VALUE=DATE:20270130\r\nEND:VEVENT\r\n")
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//letters//EN\r\n{}END:VCALENDAR\r\n"
    schedule.write_bytes(calendar.format(event).encode())
    assert "made rotation 1 " in _cli(ctx, capsys, "import", str(schedule), "--accept-suggestions")
    _cli(ctx, capsys, "contacts", "add", "--name", "Dr. Okafor", "--email", "okafor@hospital.example",
         "--rotation", "1")
    _cli(ctx, capsys, "letters", "add", "--writer", "1", "--rotation", "1")
    schedule.write_bytes(calendar.format("").encode())
    assert "also removed rotation 1" in _cli(ctx, capsys, "import", str(schedule), "--prune")
    _cli(ctx, capsys, "letters", "set-status", "1", "requested", "--on", "2026-11-24")
    if old_journal:
        _as_before_stop_49(ctx)

    out = _cli(ctx, capsys, "import", "--undo")
    assert "linked 1 letter request to its rotation again" in out, out
    (letter,) = json.loads(_cli(ctx, capsys, "letters", "list", "--json"))
    assert (letter["rotation_id"], letter["status"], letter["requested_on"]) == (1, "requested", "2026-11-24"), letter
    reminders = json.loads(_cli(ctx, capsys, "reminders", "list", "--json"))
    letter_ones = [r for r in reminders if r["kind"].startswith("letter")]
    assert letter_ones and all(r["status"] == "cancelled" for r in letter_ones), letter_ones
