"""A rotation's hours that nobody gave are assumed, and every view says so (migration 0009_rotation_hours_assumed).

Found by a new user's sequence: `rotations add` without `--hours`, an accepted outreach offer without `--hours`
and a rotation made from a hospital calendar's event all stored 40 hours a week. The CV, which goes to programs,
then printed "40 hours/week" as the applicant's own figure, so did the letter packet, and `rotations show` and the
app showed the 40 like any figure typed. Giving the hours (40 too) ends the assumption.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from imgcoach.coach import outreach_actions as outreach
from imgcoach.coach import render_cv
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import add_rotation
from imgcoach.plan.rotations import get_rotation, list_rotations
from imgcoach.storage.db import Database
from tests.cli_helpers import run_cli
from tests.migration_helpers import migrate_file
from tests.tui_helpers import SIZE, app_for, fill, press, record_toasts

DATA = Path(__file__).parent / "data" / "ics"
NOTE = "hours a week assumed (the weekly load counts them; the CV leaves them out)"


def _cv(ctx: Context) -> str:
    return str(render_cv(ctx, "md"))


def test_rotations_add_without_hours_is_assumed_until_they_are_given(ctx: Context, db_url: str,
                                                                    capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    start = ctx.clock.now().date() - timedelta(weeks=1)  # started: the CV lists it
    added = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "observership", "--specialty",
                    "Internal Medicine", "--institution", "Hill Clinic (fictional)", "--start", str(start), "--json")
    assert added.code == 0, added.err
    row = json.loads(added.out)
    assert (row["hours_per_week"], row["hours_assumed"]) == (40, True)
    assert f"note: 40 {NOTE}; set the real figure with `imgcoach rotations edit {row['id']} --hours N`" in added.err
    cv = _cv(ctx)
    assert "Hill Clinic" in cv and "hours/week" not in cv, "the CV sent to programs leaves out a figure nobody gave"

    shown = run_cli(capsys, "rotations", "show", str(row["id"]), "--db", db_url)
    assert "40 h/week (assumed): give them with `imgcoach rotations edit" in shown.out, shown.out
    listed = run_cli(capsys, "rotations", "list", "--db", db_url)
    assert "40 assumed" in listed.out, listed.out

    # The person's sequence: an unrelated edit keeps the assumption; giving 40 (the same figure) ends it.
    run_cli(capsys, "rotations", "edit", str(row["id"]), "--learned", "Ward rounds", "--db", db_url)
    assert get_rotation(ctx, row["id"]).hours_assumed
    run_cli(capsys, "rotations", "edit", str(row["id"]), "--hours", "40", "--db", db_url)
    rotation = get_rotation(ctx, row["id"])
    assert (rotation.hours_per_week, rotation.hours_assumed) == (40, False)
    assert "40 hours/week" in _cv(ctx)
    shown = run_cli(capsys, "rotations", "show", str(row["id"]), "--db", db_url)
    assert "40 h/week" in shown.out and "assumed" not in shown.out


def test_hours_given_at_add_are_not_assumed(ctx: Context) -> None:
    start = ctx.clock.now().date() - timedelta(weeks=1)  # started: the CV lists it
    rotation = add_rotation(ctx, kind="externship", specialty="Family Medicine", institution="Dale Clinic (fictional)",
                            start_date=start, end_date=start + timedelta(days=25), hours_per_week=24)
    assert not rotation.hours_assumed
    assert "24 hours/week" in _cv(ctx)


def test_an_accepted_offer_without_hours_is_assumed_and_says_so(ctx: Context, db_url: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    ids = []
    for name in ("North Hospital (fictional)", "South Hospital (fictional)"):
        row = outreach.add_outreach(ctx, name, specialty="Internal Medicine", kind="observership", status="sent")
        outreach.set_outreach_status(ctx, row.id, "offered")
        ids.append(row.id)
    res = run_cli(capsys, "outreach", "accept", str(ids[0]), "--start", "2027-03-01", "--end", "2027-03-26",
                  "--db", db_url)
    assert res.code == 0, res.err
    assumed = next(r for r in list_rotations(ctx) if r.institution.startswith("North"))
    assert (assumed.hours_per_week, assumed.hours_assumed, assumed.setting) == (40, True, "")
    assert f"note: 40 {NOTE}; set the real figure with `imgcoach rotations edit {assumed.id} --hours N`" in res.err
    res = run_cli(capsys, "outreach", "accept", str(ids[1]), "--start", "2027-04-05", "--end", "2027-04-30",
                  "--hours", "30", "--db", db_url)
    # No hours note; the offer's own checks (unverified, cost unknown ...) follow the acceptance, as the app lists them.
    assert res.code == 0 and NOTE not in res.err
    assert all(line.startswith("imgcoach: warning: check: ") for line in res.err.splitlines()), res.err
    given = next(r for r in list_rotations(ctx) if r.institution.startswith("South"))
    assert (given.hours_per_week, given.hours_assumed) == (30, False)
    # An entry with only a free-text department (no specialty) is accepted as before: the offer's rotation is
    # not re-parsed against the specialty list, which "Department of Medicine" is not on.
    row = outreach.add_outreach(ctx, "West Hospital (fictional)", department="Department of Medicine", status="sent")
    outreach.set_outreach_status(ctx, row.id, "offered")
    res = run_cli(capsys, "outreach", "accept", str(row.id), "--start", "2027-05-03", "--end", "2027-05-28",
                  "--db", db_url)
    assert res.code == 0, res.err


def test_a_rotation_made_from_a_calendar_event_has_its_hours_assumed(ctx: Context, db_url: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    res = run_cli(capsys, "import", str(DATA / "allday_multiday.ics"), "--accept-suggestions",
                  "--as", "allday-2@test=event", "--db", db_url)
    assert res.code == 0, res.err
    [rotation] = list_rotations(ctx)
    assert (rotation.hours_per_week, rotation.hours_assumed) == (40, True)
    assert (f"made rotation {rotation.id} from \"Externship - Cardiology\" (40 h/week assumed: the event is all-day and "
            f"gives no hours; give them with `imgcoach rotations edit {rotation.id} --hours N`)") in res.out, res.out


# Triggers a migration after 0009 adds (0012_event_clock_times: imported events edited in place are counted).
LATER_TRIGGERS = {"calendar_event_edits_counted"}


@pytest.mark.sqlite_only  # SQLite files, triggers and sqlite_sequence
def test_the_upgrade_keeps_rows_triggers_and_id_sequences(tmp_path: Path) -> None:
    """Rows stored before 0009 keep their hours, not assumed (a typed 40 and a defaulted one look alike);
    the ADD COLUMN leaves 0005's owner triggers and 0008's AUTOINCREMENT in place, and the downgrade too."""
    from alembic import command

    path = tmp_path / "old.sqlite"
    migrate_file(path, command.upgrade, "0008_ids_never_reused")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO applicant (name, email, timezone, school, school_country, visa, target_specialties,"
                    " target_countries, target_states, cv_path, personal_statement_path, synthetic, us_citizen)"
                    " VALUES ('Old User', 'old@example.com', 'Asia/Karachi', '', '', 'none', '[]', '[]', '[]', '', '',"
                    " 0, 0)")
        raw.execute("INSERT INTO rotation (applicant_id, kind, specialty, institution, department, city, state, country,"
                    " start_date, end_date, setting, hours_per_week, hands_on, responsibilities, learned, version)"
                    " VALUES (1, 'observership', 'Internal Medicine', 'Old Hospital', '', '', '', 'US', '2027-01-04',"
                    " '2027-01-29', 'inpatient', 36, 0, '', '', 1)")
        triggers = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
        table_sql = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'rotation'").fetchone()[0]
    Database(f"sqlite:///{path}").close()  # upgrades to the head
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT institution, hours_per_week, hours_assumed FROM rotation").fetchall() == [
            ("Old Hospital", 36, 0)]
        # every trigger kept as it was; the head adds only 0012's counter of imported events edited in place
        after = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
        assert [t for t in after if t[0] not in LATER_TRIGGERS] == triggers
        assert {t[0] for t in after} - {t[0] for t in triggers} == LATER_TRIGGERS
        assert "AUTOINCREMENT" in raw.execute("SELECT sql FROM sqlite_master WHERE name = 'rotation'").fetchone()[0]
    migrate_file(path, command.downgrade, "0008_ids_never_reused")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT sql FROM sqlite_master WHERE name = 'rotation'").fetchone()[0] == table_sql
        assert raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() \
            == triggers
        assert raw.execute("SELECT institution, hours_per_week FROM rotation").fetchall() == [("Old Hospital", 36)]


async def test_the_app_shows_assumed_hours_as_such_and_a_typed_figure_ends_it(demo_ctx: Context) -> None:
    """The edit form shows an assumed figure blank (saved back unchanged it would pass for the applicant's
    own): left blank the rotation keeps it assumed; typing 40, the same figure, gives it."""
    start = demo_ctx.clock.now().date() + timedelta(days=700)  # after the demo's rotations: the last row
    rotation = add_rotation(demo_ctx, kind="observership", specialty="Internal Medicine",
                            institution="Hill Clinic (fictional)", start_date=start, end_date=start + timedelta(days=25))
    assert rotation.hours_assumed and rotation.id is not None
    key = str(rotation.id)
    async with app_for(demo_ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        table = pilot.app.screen.query_one(DataTable)
        hours_column = len(table.columns) - 1
        assert table.get_cell_at((table.get_row_index(key), hours_column)) == "40?"
        table.move_cursor(row=table.get_row_index(key))
        await press(pilot, "e")
        form = pilot.app.screen
        assert form.query_one("#field-hours_per_week", Input).value == "", "the assumed 40 is not offered as a value"
        fill(form, learned="Ward rounds")
        await press(pilot, "ctrl+s")
        assert get_rotation(demo_ctx, rotation.id).hours_assumed, "left blank, the hours stay assumed"
        assert get_rotation(demo_ctx, rotation.id).learned == "Ward rounds"
        table = pilot.app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(key))
        await press(pilot, "e")
        fill(pilot.app.screen, hours_per_week="40")
        await press(pilot, "ctrl+s")
        table = pilot.app.screen.query_one(DataTable)
        assert table.get_cell_at((table.get_row_index(key), hours_column)) == "40"
    saved = get_rotation(demo_ctx, rotation.id)
    assert (saved.hours_per_week, saved.hours_assumed, saved.learned) == (40, False, "Ward rounds")


def test_an_overlap_made_by_assumed_hours_says_so(ctx: Context, db_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """"overlaps full-time ... (80 h/week together)" was said of two rotations with no hours given at all."""
    from imgcoach.plan import load_plan

    args = ("rotations", "add", "--db", db_url, "--kind", "observership", "--specialty", "Internal Medicine",
            "--start", "2027-03-01", "--end", "2027-03-26")
    run_cli(capsys, *args, "--institution", "First Clinic (fictional)", "--hours", "40")
    second = run_cli(capsys, *args, "--institution", "Second Clinic (fictional)")
    assert second.code == 0
    assert "(80 h/week together, 40 of them assumed)" in second.err, second.err
    [conflict] = [c for c in load_plan(ctx).conflicts or [] if c.kind == "rotation_overlap"]
    assert conflict.message.endswith("(80 h/week together, 40 of them assumed)"), conflict.message
    third = run_cli(capsys, *args, "--institution", "Third Clinic (fictional)", "--hours", "20")
    with_first, with_second = third.err.splitlines()
    assert "full-time First Clinic" in with_first and with_first.endswith("(60 h/week together)"), third.err
    assert with_second.endswith("(60 h/week together, 40 of them assumed)"), third.err


def test_an_exported_plan_imported_elsewhere_keeps_the_hours_assumed(ctx: Context, db_url: str, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The export carries a rotation's fields for the round trip (X-IMGCOACH-FIELDS); an assumed 40 in it came
    back as a given 40 in the other database (an adviser's, a new laptop's)."""
    start = ctx.clock.now().date() + timedelta(weeks=2)
    for name, hours in (("Assumed Clinic (fictional)", None), ("Given Clinic (fictional)", 40)):
        add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution=name, start_date=start,
                     end_date=start + timedelta(days=25), **({"hours_per_week": hours} if hours else {}))
    exported = tmp_path / "plan.ics"
    assert run_cli(capsys, "export", "-o", str(exported), "--db", db_url).code == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    assert run_cli(capsys, "applicants", "add", "--name", "Same Person", "--email", "same@example.com",
                   "--timezone", "UTC", "--db", other).code == 0
    res = run_cli(capsys, "import", str(exported), "--accept-suggestions", "--db", other)
    assert res.code == 0, res.err
    listed = json.loads(run_cli(capsys, "rotations", "list", "--json", "--db", other).out)
    assert {r["institution"]: r["hours_assumed"] for r in listed} == {"Assumed Clinic (fictional)": True,
                                                                       "Given Clinic (fictional)": False}


async def test_the_app_add_form_leaves_the_hours_blank_and_assumes_them_aloud(ctx: Context) -> None:
    """The add form (and the set-up's and the outreach accept's) filled in 40, which was saved as the
    applicant's own figure. Blank now: saved so, 40 is assumed and the toast says so; the live overlap warning
    counts the 40 it will assume, and says it is assumed."""
    from textual.widgets import Static

    from imgcoach.tui.forms import ASSUMED_NOTE
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import settle

    start = date(2027, 1, 4)
    add_rotation(ctx, kind="externship", specialty="IM", institution="Lakeside Hospital (fictional)",
                 start_date=start, end_date=start + timedelta(days=25), hours_per_week=50)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-hours_per_week", Input).value == ""
        fill(form, specialty="Family Medicine", institution="Hilltop Clinic (fictional)", start_date="2027-01-25",
             end_date="2027-02-19")
        await settle(pilot)
        warning = form.query_one("#form-warning", Static)
        assert "(90 h/week together, 40 of them assumed)" in str(warning.render())
        # Every toast as it is posted: one read from the app after the save may have timed out and gone already
        # (a fresh clone's parallel run under load lost the save's toast and kept only the overlap warning's).
        said = record_toasts(pilot.app)
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
        messages = " ".join(said)
        assert ASSUMED_NOTE in messages, messages
    saved = next(r for r in list_rotations(ctx) if r.institution.startswith("Hilltop"))
    assert (saved.hours_per_week, saved.hours_assumed) == (40, True)


async def test_the_weekly_load_marks_the_hours_it_assumed(ctx: Context) -> None:
    """The Study screen's hours table counted an assumed 40 as clinical hours like any other ("70"), with nothing
    to say most of it was a guess; the rotations table beside it said "40?"."""
    from imgcoach.core.ids import saved_id
    from imgcoach.plan import add_study_block, load_plan, monday_of
    from imgcoach.tui import dates
    from imgcoach.tui.details import bar_details

    monday = monday_of(ctx.clock.now().date()) + timedelta(weeks=2)
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", hours_per_week=30,
                 institution="Given Clinic (fictional)", start_date=monday, end_date=monday + timedelta(days=4))
    week = next(w for w in load_plan(ctx).load if w.week_start == monday)
    assert (week.clinical_hours, week.assumed_hours) == (30, 0)
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Hill Clinic (fictional)",
                 start_date=monday, end_date=monday + timedelta(days=4))
    week = next(w for w in load_plan(ctx).load if w.week_start == monday)
    assert (week.clinical_hours, week.assumed_hours) == (70, 40), week
    block = add_study_block(ctx, exam="Step 3", start_date=monday, end_date=monday + timedelta(days=6),
                            hours_per_week=14)
    _, details = bar_details(ctx, "study", saved_id(block.id))
    assert f"{dates.day(monday)}  this block  14  all study  14  clinical 70?  total  84" in details.plain, \
        details.plain
    assert "? = some hours assumed" in details.plain

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s")
        screen = pilot.app.screen
        title = str(screen.query_one("#load-title").render())
        assert title.endswith("; ? = some hours assumed"), title
        load = screen.query_one("#load-table", DataTable)
        clinical = {str(load.get_row_at(i)[0]): str(load.get_row_at(i)[1]) for i in range(load.row_count)}
        assert clinical[dates.day(monday)] == "70?"
        assert clinical[dates.day(monday - timedelta(weeks=1))] == "0", "a week with no assumed hours has no mark"


def test_a_study_proposal_marks_the_weeks_with_assumed_clinical_hours(ctx: Context) -> None:
    """The proposal dialog's weeks counted the assumed 40 as clinical hours like any other."""
    from imgcoach.plan import monday_of, propose_plan
    from imgcoach.tui.widgets.proposal import ProposalScreen

    monday = monday_of(ctx.clock.now().date()) + timedelta(weeks=2)
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="Hill Clinic (fictional)",
                 start_date=monday, end_date=monday + timedelta(days=4))
    proposal = propose_plan(ctx, exam="Step 3", exam_date=monday + timedelta(weeks=6), hours_per_day=3)
    week = next(w for w in proposal.weeks if w.week_start == monday)
    assert (week.clinical, week.clinical_assumed) == (40, 40)
    assert all(w.clinical_assumed == 0 for w in proposal.weeks if w.week_start != monday)
    assert ProposalScreen(proposal)._load_title().plain.endswith(" · ? = some hours assumed")
