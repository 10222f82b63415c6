"""`import FILE --dry-run --as UID=KIND` (or with --separate) printed the counts and nothing else: the list of
suggestions is left out when the command chooses (a real run lists what it will accept before it asks), so the
dry run never said what the real run would make, link or change, and its `--json` listed an event chosen with
--as only when the rules suggested a plan item for it. The dry run now lists exactly what the real run accepts, the
same lines (ImportReport.accepting), and `--json`'s `accepting` is the same in both runs; the real run's `mapped`
agrees with it. A hospital's schedule (synthetic, tests/data/ics) for a rotation already planned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import run_cli

SCHEDULE = str(Path(__file__).resolve().parent / "data" / "ics" / "hospital_schedule_for_planned_rotation.ics")
OBSERVERSHIP = "lakeside-obs-2027-im@hospital.example"
EVALUATION = "lakeside-eval-okafor@hospital.example"


def _cli(ctx: Context, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    res = run_cli(capsys, *args, "--db", ctx.db.url)
    assert res.code == 0, (res.out, res.err)
    return res.out


def _planned(ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    _cli(ctx, capsys, "rotations", "add", "--kind", "observership", "--specialty", "Internal Medicine",
         "--institution", "Lakeside General Hospital", "--city", "Chicago", "--state", "IL", "--country", "US",
         "--start", "2027-01-04", "--end", "2027-01-29", "--hours", "40")


@pytest.mark.parametrize("choice", [
    ("--as", f"{EVALUATION}=exam"),  # an event the rules suggest nothing for
    ("--as", f"{OBSERVERSHIP}=rotation"),  # linked to the rotation planned
    ("--as", f"{OBSERVERSHIP}=rotation", "--separate", OBSERVERSHIP),  # a new rotation beside it
    ("--accept-suggestions", "--separate", OBSERVERSHIP),
])
def test_the_dry_run_lists_what_the_real_run_accepts(ctx: Context, capsys: pytest.CaptureFixture[str],
                                                     cli_clock: FixedClock, choice: tuple[str, ...]) -> None:
    _planned(ctx, capsys)
    dry = json.loads(_cli(ctx, capsys, "import", SCHEDULE, "--dry-run", "--json", *choice))
    text = _cli(ctx, capsys, "import", SCHEDULE, "--dry-run", *choice)
    assert dry["accepting"], dry
    assert "would accept" in text, text
    for item in dry["accepting"]:
        assert f"-> {item['on_accept']}  [UID {item['uid']}]" in text, text
    real = json.loads(_cli(ctx, capsys, "import", SCHEDULE, "--json", *choice))
    assert real["accepting"] == dry["accepting"]
    assert [(m["uid"], m["kind"], bool(m.get("linked"))) for m in real["mapped"]] == [
        (a["uid"], a["kind"], a["on_accept"].startswith("link")) for a in dry["accepting"]], (dry, real)


def test_the_dry_run_with_prune_lists_the_events_the_real_run_removes(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock, tmp_path: Path) -> None:
    """`--dry-run --prune` said the events gone from the file were kept ("--prune to remove them"), --prune given."""
    from tests.test_import_gone_kept49 import EVENTS, _calendar

    f = tmp_path / "hospital.ics"
    f.write_text(_calendar(*EVENTS), encoding="utf-8", newline="")
    _cli(ctx, capsys, "import", str(f))
    f.write_text(_calendar(*EVENTS[:1]), encoding="utf-8", newline="")
    text = _cli(ctx, capsys, "import", str(f), "--dry-run", "--prune")
    assert "1 removed" in text and "would be removed (gone from the file): Journal club" in text, text
    assert "no longer in the file" not in text, text
    dry = json.loads(_cli(ctx, capsys, "import", str(f), "--dry-run", "--prune", "--json"))
    real = json.loads(_cli(ctx, capsys, "import", str(f), "--prune", "--json"))
    assert dry["gone"] == real["gone"] == [] and dry["removed"] == real["removed"] != [], (dry, real)


def test_a_choice_of_another_kind_says_the_plan_item_it_removes(
        ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`--as UID=event` of an event an earlier import made a rotation from deletes the rotation (and what is
    recorded on it); the list before it, the dry run, the import and its undo said nothing of the rotation."""
    _cli(ctx, capsys, "import", SCHEDULE, "--as", f"{OBSERVERSHIP}=rotation")
    choice = ("--as", f"{OBSERVERSHIP}=event")
    dry = _cli(ctx, capsys, "import", SCHEDULE, "--dry-run", *choice)
    assert ("-> calendar event; removes rotation 1, made from it before (with what is recorded on it: logged weeks, "
            "cases, links to people)  [UID") in dry, dry
    out = _cli(ctx, capsys, "import", SCHEDULE, *choice)
    assert ('removed rotation 1, made from "Observership - Internal Medicine" before: it is now a calendar event'
            in out), out
    assert _cli(ctx, capsys, "rotations", "list", "--json") == "[]\n"
    undone = _cli(ctx, capsys, "import", "--undo")
    assert "brought back 1 rotation it removed" in undone, undone
    assert [r["id"] for r in json.loads(_cli(ctx, capsys, "rotations", "list", "--json"))] == [1]


async def test_the_import_screen_says_the_plan_item_a_kind_chosen_removes(ctx: Context, tmp_path: Path) -> None:
    """k on the row of an event a rotation was made from, to another kind: the row's why said "You chose Study
    block (k changes it)." and the import deleted the rotation; it says so before (and the notes after)."""
    from textual.widgets import Static

    from imgcoach import calendar
    from tests.tui_helpers import app_for, press, preview_import, settle

    calendar.apply_import(ctx, Path(SCHEDULE), kinds={OBSERVERSHIP: "rotation"})
    app = app_for(ctx)
    async with app.run_test(size=(120, 30)) as pilot:
        await preview_import(pilot, SCHEDULE, "home", "k")
        why = " ".join(str(app.screen.query_one("#import-why", Static).render()).split())
        assert ("You chose Study block (k changes it): new study block; removes rotation 1, made from it before (with "
                "what is recorded on it: logged weeks, cases, links to people).") in why, why
        await press(pilot, "ctrl+s")
        await settle(pilot)
        notes = " ".join(str(app.screen.query_one("#import-notes", Static).render()).split())
        assert ('removed rotation 1, made from "Observership - Internal Medicine" before: it is now a study block'
                in notes), notes
