"""The study side as a new applicant walks it: what the conflicts, the study-plan proposal and the exam dates say
must be true (study35).

Found by a walk on a fresh database: a generated plan for a Step 2 CK booked on 15 April, the booking then moved
to 19 March, kept its blocks to 14 April (a "Final review" among them, all after the exam) and no screen, list
or command said so. A study block over an observership whose hours nobody gave read
"(60 h/week combined)" on the timeline, the 40 of them assumed unsaid (the rotation clash beside it says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from textual.widgets import Static

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.plan import accept_plan, add_exam, add_rotation, add_study_block, propose_plan
from tests.cli_helpers import run_cli
from tests.tui_helpers import SIZE, app_for, press, settle


async def test_a_study_clash_with_a_rotation_of_assumed_hours_says_they_are_assumed(ctx: Context) -> None:
    add_rotation(ctx, kind="observership", specialty="Internal Medicine", institution="St Luke (fictional)",
                 start_date=date(2027, 2, 1), end_date=date(2027, 2, 26))  # no hours: 40 assumed
    add_study_block(ctx, exam="Step 2 CK", start_date=date(2027, 2, 15), end_date=date(2027, 2, 21),
                    hours_per_week=20, weekly_goal="")
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = " ".join(str(pilot.app.screen.query_one("#conflicts", Static).render()).split())
    assert "study block Step 2 CK overlaps full-time rotation at St Luke (fictional)" in shown, shown
    assert "(60 h/week combined, 40 of them assumed)" in shown, shown


def test_a_proposed_block_neither_starts_nor_ends_on_a_rest_day(ctx: Context) -> None:
    """A block began on the Saturday after a 65-hour job ended on Friday, with Saturday and Sunday rest days: the
    proposal counted 2/7 of a study week (+9 h) in the job's last week, which read "OVERLOAD" (74 h) for a week
    with no study in it at all. Study days are the plan's; a rest day at either end of a block is left out."""
    from imgcoach.plan import propose_plan

    add_rotation(ctx, kind="clinical_job", specialty="Internal Medicine", institution="Hill Hospital (fictional)",
                 start_date=date(2026, 11, 30), end_date=date(2026, 12, 11), hours_per_week=65)
    # Today is Wednesday 25 November 2026 (the ctx clock); Saturday 28 and Sunday 29 are rest days.
    proposal = propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 1, 15), hours_per_day=6,
                            rest_days="sat, sun")
    assert proposal.blocks
    for block in proposal.blocks:
        assert block.start_date.weekday() < 5 and block.end_date.weekday() < 5, block
    assert proposal.blocks[0].start_date == date(2026, 11, 25)
    assert proposal.blocks[0].end_date == date(2026, 11, 27), "Friday: the weekend after it is rest"
    assert proposal.blocks[1].start_date == date(2026, 12, 14), "the Monday after the job, not its Saturday"
    weeks = {w.week_start: w for w in proposal.weeks}
    assert (weeks[date(2026, 12, 7)].added, weeks[date(2026, 12, 7)].total) == (0, 65)
    assert proposal.overloaded_weeks == 0



def _plan_then_move_the_exam(ctx: Context) -> None:
    """A Step 2 CK booked for 15 April 2027, a generated plan accepted whole, then the booking moved earlier."""
    exam = add_exam(ctx, "Step 2 CK", date(2027, 4, 15))
    proposal = propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 4, 15), hours_per_day=4, rest_days="sun")
    accept_plan(ctx, proposal)
    assert exam.id is not None


def test_moving_a_booked_exam_earlier_names_the_blocks_left_after_it(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    _plan_then_move_the_exam(ctx)
    blocks = run_cli(capsys, "study", "list", "--db", db_url, "--json").json()
    assert blocks[-1]["end_date"] == "2027-04-14", "the plan stops the day before the exam"
    moved = run_cli(capsys, "exams", "edit", "1", "--date", "2027-03-19", "--db", db_url)
    assert (moved.code, moved.out) == (0, "exam 1 saved\n"), moved.err
    after = [b for b in blocks if date.fromisoformat(b["end_date"]) > date(2027, 3, 19)]
    assert after, "some blocks now end after the exam"
    warned = [line for line in moved.err.splitlines() if "booked for 19 Mar 2027" in line]
    assert len(warned) == len(after), moved.err
    for block, line in zip(after, warned, strict=True):
        assert line.startswith("imgcoach: warning: study block Step 2 CK ("), line
        assert f"`imgcoach study remove {block['id']}`" in line
    # Moved later, no block ends after it; the final review ending 14 April is said (tests/test_study_fit_truth.py).
    later = run_cli(capsys, "exams", "edit", "1", "--date", "2027-05-20", "--db", db_url)
    assert later.code == 0 and "ends after" not in later.err, later.err


async def test_the_study_screen_says_which_blocks_end_after_the_booked_exam(ctx: Context) -> None:
    from imgcoach.plan import edit_exam

    _plan_then_move_the_exam(ctx)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s")
        box = pilot.app.screen.query_one("#study-past", Static)
        assert not box.has_class("shown"), "the plan as generated ends the day before the exam"
        edit_exam(ctx, 1, "Step 2 CK", date(2027, 3, 19))
        await press(pilot, "t", "s")  # leave and come back: the screen reloads
        shown = " ".join(str(box.render()).split())
        assert box.has_class("shown"), shown
        assert "ends after the Step 2 CK booked for 19 Mar 2027" in shown, shown
        assert "14 Apr 2027" in shown or "more blocks after their exam" in shown, shown


@dataclass
class _Block:
    id: int
    exam: str
    start_date: date
    end_date: date


@dataclass
class _Exam:
    exam: str
    taken_on: date
    score: int | None = None
    result: str | None = None


def test_blocks_past_exam_reads_bookings_only() -> None:
    """A block up to the exam day, one for a retake not booked yet, and free text are not after their exam."""
    from imgcoach.plan import blocks_past_exam

    exams = [_Exam("Step 2 CK", date(2027, 1, 10), result="fail"), _Exam("Step 3", date(2027, 6, 1))]
    blocks = [_Block(1, "Step 2 CK", date(2027, 2, 1), date(2027, 3, 1)),  # the retake, not booked yet
              _Block(2, "Step 3", date(2027, 5, 1), date(2027, 6, 1)),  # up to the exam day itself
              _Block(3, "Anatomy review", date(2027, 5, 1), date(2027, 7, 1)),  # names no exam
              _Block(4, "step3", date(2027, 5, 20), date(2027, 6, 3))]  # the same exam, another spelling
    assert [p.block_id for p in blocks_past_exam(blocks, exams, today=date(2026, 11, 25))] == [4]


async def test_the_profiles_exam_form_says_which_blocks_a_moved_booking_leaves_after_it(ctx: Context) -> None:
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import fill

    _plan_then_move_the_exam(ctx)  # booked for 15 April, the plan up to 14 April
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "p", "tab", "e")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, taken_on="2027-03-19")
        await press(pilot, "ctrl+s")
        said = [str(n.message) for n in pilot.app._notifications]
    assert "Saved Step 2 CK on 19 Mar 2027" in said, said
    warned = " ".join(m for m in said if "booked for 19 Mar 2027" in m)
    assert "study block Step 2 CK (" in warned and "– 14 Apr 2027) ends after the Step 2 CK" in warned, said


def test_a_full_time_rotation_over_an_accepted_plan_is_said_where_it_is_saved(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The timeline showed a study block over a full-time rotation, but `rotations add` (a rotation added again
    after a plan was made around its gap) and `study add` said nothing: the CLI had no word for that conflict."""
    accept_plan(ctx, propose_plan(ctx, exam="Step 2 CK", exam_date=date(2027, 2, 26), hours_per_day=4,
                                  rest_days="sun"))
    blocks = run_cli(capsys, "study", "list", "--db", db_url, "--json").json()
    under = [b for b in blocks if b["start_date"] <= "2027-01-01" and b["end_date"] >= "2026-12-07"]
    added = run_cli(capsys, "rotations", "add", "--db", db_url, "--kind", "externship", "--specialty",
                    "Internal Medicine", "--institution", "Cedar Hospital (fictional)", "--start", "2026-12-07",
                    "--end", "2027-01-01", "--hours", "50")
    assert added.code == 0, added.err
    said = [line for line in added.err.splitlines() if line.startswith("imgcoach: warning: study block Step 2 CK overlaps "
                                                                         "full-time rotation at Cedar Hospital")]
    assert under and len(said) == len(under), added.err
    assert "(74 h/week combined)" in said[0], said  # 4 h x 6 days beside 50
    block = run_cli(capsys, "study", "add", "--db", db_url, "--exam", "Step 3", "--start", "2026-12-28",
                    "--end", "2027-01-03", "--hours", "10")
    assert block.code == 0, block.err
    assert block.err.splitlines() == [
        "imgcoach: warning: study block Step 3 overlaps full-time rotation at Cedar Hospital (fictional) (07 Dec 2026 to "
        "01 Jan 2027) for 28 Dec 2026 to 01 Jan 2027 (60 h/week combined)"], block.err


async def test_the_study_screen_warns_when_a_block_is_saved_over_a_full_time_rotation(ctx: Context) -> None:
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import fill

    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Cedar Hospital (fictional)",
                 start_date=date(2026, 12, 7), end_date=date(2027, 1, 1), hours_per_week=50)
    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "s", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        fill(form, exam="Step 3", start_date="2026-12-28", end_date="2027-01-03", hours_per_week="10")
        await press(pilot, "ctrl+s")
        said = [(str(n.title), str(n.message)) for n in pilot.app._notifications]
    assert any(message == "Study block added" for _, message in said), said
    assert ("Over a full-time rotation", "study block Step 3 overlaps full-time rotation at Cedar Hospital "
            "(fictional) (07 Dec 2026 – 01 Jan 2027) for 28 Dec 2026 – 01 Jan 2027 (60 h/week combined)") in said, said


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["table", "json"])
def test_study_list_names_the_blocks_after_the_booked_exam_on_both_paths(ctx: Context,
                                                                          json_flag: tuple[str, ...]) -> None:
    """`study list` (answered before click, and on the full path) says what the Study screen says; stdout,
    which scripts read, is unchanged."""
    from imgcoach.plan import edit_exam
    from tests.test_cli_quickread import same_both_ways

    _plan_then_move_the_exam(ctx)
    url = ctx.db.url
    before = same_both_ways("--db", url, "study", "list", *json_flag, quick=True)
    assert before.err == b"", "the plan as generated ends the day before the exam"
    edit_exam(ctx, 1, "Step 2 CK", date(2027, 3, 19))
    ctx.db.close()
    after = same_both_ways("--db", url, "study", "list", *json_flag, quick=True)
    assert after.out == before.out
    lines = after.err.decode().splitlines()
    assert lines and all(line.startswith("imgcoach: warning: study block Step 2 CK (") and
                         "ends after the Step 2 CK booked for 19 Mar 2027: remove it with `imgcoach study remove "
                         in line for line in lines), lines
    assert any("to 14 Apr 2027)" in line for line in lines), lines
