"""One rule for the hours a rotation takes in a week (plan.rules.clinical: a fifth of its weekly hours per
weekday it covers), read by the weekly load, the conflicts and the study-plan generator.

Before: the generator charged a part-time rotation's whole weekly hours to a week it touched on one Tuesday
(30 h, so 40 h of study) while the load beside it, in the same preview, showed 12 clinical hours; and a study
block or a rotation meeting a rotation only on its Saturday and Sunday was a "conflict" on days the load
counts no clinical hour. Now the generator leaves room for the 12 hours the load shows (58 h of study), a
weekend-only overlap is none, and a conflict names the shared weekdays."""

from __future__ import annotations

from datetime import date, timedelta

from imgcoach.core.context import Context
from imgcoach.plan import add_rotation, add_study_block, load_plan, propose_plan
from imgcoach.plan.rules.load import OVERLOAD_HOURS, monday_of


def _rotation(ctx: Context, place: str, start: date, end: date, hours: int) -> None:
    add_rotation(ctx, institution=place, specialty="Internal Medicine", kind="observership", start_date=start,
                 end_date=end, hours_per_week=hours)


def test_the_generator_leaves_room_for_the_hours_the_load_shows_in_an_edge_week(ctx: Context) -> None:
    _rotation(ctx, "Part-time Clinic (fictional)", date(2026, 11, 30), date(2026, 12, 8), 30)  # Mon to Tue
    proposal = propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 1, 20), hours_per_day=10, rest_days="")
    load = {w.week_start: w for w in load_plan(ctx, reminders=False).load}
    assert load[date(2026, 12, 7)].clinical_hours == 12  # Monday and Tuesday: two fifths of 30
    [edge] = [b for b in proposal.blocks if b.start_date <= date(2026, 12, 9) <= b.end_date]
    assert edge.hours_per_week == OVERLOAD_HOURS - 12, edge  # was 40: 70 less all 30 hours
    for block in proposal.blocks:  # every block by the load's own clinical hours, week by week
        day = block.start_date
        while day <= block.end_date:
            clinical = load[monday_of(day)].clinical_hours if monday_of(day) in load else 0
            assert block.hours_per_week == min(70, OVERLOAD_HOURS - clinical), (block, day)
            day += timedelta(days=1)
    assert {w.week_start: w.clinical for w in proposal.weeks} == {
        w.week_start: load[w.week_start].clinical_hours if w.week_start in load else 0 for w in proposal.weeks}
    assert proposal.overloaded_weeks == 0


def test_a_weekend_only_overlap_is_no_conflict(ctx: Context) -> None:
    _rotation(ctx, "Mercy Hospital (fictional)", date(2027, 1, 4), date(2027, 1, 31), 40)  # Mon to Sun
    _rotation(ctx, "Lakeview Clinic (fictional)", date(2027, 1, 30), date(2027, 2, 26), 40)  # Sat to Fri
    block = add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 1, 30), end_date=date(2027, 1, 31),
                            hours_per_week=20)  # the weekend both rotations' dates hold
    from imgcoach.plan import block_overlap_warnings, overlap_warnings

    assert load_plan(ctx, reminders=False).conflicts == []
    assert block_overlap_warnings(ctx, block) == []
    rotations = {r.institution: r for r in load_plan(ctx, reminders=False).rotations}
    assert overlap_warnings(ctx, rotations["Lakeview Clinic (fictional)"]) == []


def test_a_conflict_names_the_shared_weekdays(ctx: Context) -> None:
    _rotation(ctx, "Mercy Hospital (fictional)", date(2027, 1, 4), date(2027, 1, 31), 40)  # Mon to Sun
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 1, 23), end_date=date(2027, 2, 20),
                    hours_per_week=30)  # Sat to Sat
    [conflict] = load_plan(ctx, reminders=False).conflicts or []
    assert (conflict.start, conflict.end) == (date(2027, 1, 25), date(2027, 1, 29))
    assert conflict.message.endswith("for 25 Jan 2027 to 29 Jan 2027 (70 h/week combined)"), conflict.message


async def test_the_apps_proposal_shows_the_edge_week_by_the_same_rule(ctx: Context) -> None:
    """The Study screen's `g`: the proposed block beside the rotation's last Monday and Tuesday offers the hours
    the weeks table under it leaves (12 clinical), not 70 less the rotation's whole 30."""
    from textual.widgets import DataTable, Input

    from imgcoach.tui import dates
    from tests.tui_helpers import app_for, press, settle

    _rotation(ctx, "Part-time Clinic (fictional)", date(2026, 11, 30), date(2026, 12, 8), 30)
    async with app_for(ctx).run_test(size=(120, 40)) as pilot:
        await press(pilot, "s")
        await press(pilot, "g")
        values = {"exam": "Step 2 CK", "exam_date": "2027-01-20", "hours_per_day": "10", "rest_days": ""}
        for name, value in values.items():
            pilot.app.screen.query_one(f"#field-{name}", Input).value = value
        await press(pilot, "ctrl+s")
        await settle(pilot)
        blocks = pilot.app.screen.query_one("#proposal-table", DataTable)
        weeks = pilot.app.screen.query_one("#proposal-weeks", DataTable)
        block_rows = [[str(c) for c in blocks.get_row_at(i)] for i in range(blocks.row_count)]
        week_rows = {str(weeks.get_row_at(i)[0]): [str(c) for c in weeks.get_row_at(i)] for i in range(weeks.row_count)}
    edge = week_rows[dates.day(date(2026, 12, 7))]
    assert edge[1:4] == ["12", "0", "+58"], edge
    assert [dates.day(date(2026, 12, 7)), dates.day(date(2026, 12, 13)), "58"] == block_rows[2][:3], block_rows
