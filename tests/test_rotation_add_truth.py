"""A rotation says what it is: an externship added without --hands-on is hands-on, and one rotation typed twice
is one rotation.

Found by a new user's sequence on 3 December: `rotations add --kind externship ...` listed the externship as
"observing" (the stored flag defaulted to False), so readiness counted it as observing while the shortlist, which
reads the kind, counted it as hands-on. The same `rotations add` run twice stored two rotations with a warning
"(100 h/week together)" and two sets of reminder e-mails.
"""

from __future__ import annotations

from datetime import date

import pytest

from imgcoach.coach import check_readiness
from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from imgcoach.core.errors import FieldError
from imgcoach.plan import add_rotation, list_rotations, remove_rotation
from tests.cli_helpers import database_state, run_cli

RUSH = {"kind": "externship", "specialty": "Internal Medicine", "institution": "Rush (fictional)",
        "start_date": date(2026, 9, 7), "end_date": date(2026, 10, 30), "hours_per_week": 50}


def test_an_externship_is_hands_on_unless_it_says_otherwise(ctx: Context) -> None:
    assert add_rotation(ctx, **RUSH).hands_on is True
    assert add_rotation(ctx, **{**RUSH, "institution": "Lakeside (fictional)", "hands_on": False}).hands_on is False
    observing = add_rotation(ctx, **{**RUSH, "kind": "observership", "institution": "Hilltop (fictional)"})
    assert observing.hands_on is False
    job = add_rotation(ctx, **{**RUSH, "kind": "clinical_job", "institution": "Clinic (fictional)"})
    assert job.hands_on is True


def test_readiness_and_the_list_agree_on_hands_on(ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    add_rotation(ctx, **RUSH)  # ended before the fixed clock's today (25 Nov 2026): completed experience
    listed = run_cli(capsys, "rotations", "list", "--db", ctx.db.url)
    assert "hands-on" in listed.out and "observing" not in listed.out
    usce = next(c for c in check_readiness(ctx).checks if c.key == "usce_months")
    assert "(2 hands-on, 0 observing)" in usce.evidence[0], usce.evidence  # 8 weeks


def test_the_same_rotation_twice_is_refused_and_after_a_delete_it_can_be_added_again(ctx: Context) -> None:
    first = add_rotation(ctx, **RUSH)
    with pytest.raises(FieldError, match=rf"already in the plan \(rotation {first.id},"):
        add_rotation(ctx, **{**RUSH, "institution": "  rush (FICTIONAL) "})
    assert [r.id for r in list_rotations(ctx)] == [first.id]
    # A different rotation at the same place (the next block) is not a copy.
    add_rotation(ctx, **{**RUSH, "start_date": date(2026, 11, 2), "end_date": date(2026, 11, 27)})
    assert first.id is not None
    remove_rotation(ctx, first.id)
    again = add_rotation(ctx, **RUSH)  # add, delete, add again: never blocked by the deleted row
    assert again.id is not None and again.hands_on is True


def test_cli_refusal_exits_2_and_changes_nothing(capsys: pytest.CaptureFixture[str], ctx: Context,
                                                  db_url: str) -> None:
    args = ("rotations", "add", "--db", db_url, "--kind", "externship", "--specialty", "IM", "--institution",
            "Rush (fictional)", "--start", "2027-03-01", "--end", "2027-03-26")
    assert run_cli(capsys, *args).code == 0
    before = database_state(db_url)
    refused = run_cli(capsys, *args)
    assert refused.code == 2 and "already in the plan" in refused.err, refused
    assert database_state(db_url) == before


@pytest.mark.parametrize(("stepped", "expected"), [(0, True), (1, False), (2, True)],
                         ids=["left-by-kind", "said-no", "said-yes"])
async def test_an_externship_added_in_the_app_follows_the_same_rule(ctx: Context, stepped: int,
                                                                    expected: bool) -> None:
    """The app's add form showed Hands-on "no" and saved it, so an externship added there was observing while
    the same externship from `rotations add` was hands-on. Left alone, the field now reads "by kind"."""
    from textual.widgets import Input

    from imgcoach.tui.widgets.choice import ChoiceField
    from imgcoach.tui.widgets.form import FormScreen
    from tests.tui_helpers import SIZE, app_for, fill, press

    async with app_for(ctx).run_test(size=SIZE) as pilot:
        await press(pilot, "r", "a")
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-kind", ChoiceField).value = "externship"
        hands_on = form.query_one("#field-hands_on", ChoiceField)
        assert hands_on.value is None and "by kind" in str(hands_on.render())
        hands_on.focus()
        for _ in range(stepped):
            await pilot.press("right")
        form.query_one("#field-specialty", Input).value = "Internal Medicine"
        fill(form, institution="Rush (fictional)", start_date="2027-01-04", end_date="2027-02-26")
        await press(pilot, "ctrl+s")
        assert not isinstance(pilot.app.screen, FormScreen)
    (rotation,) = list_rotations(ctx)
    assert (rotation.kind, rotation.hands_on) == ("externship", expected)


def _shortlist_facts(ctx: Context):  # type: ignore[no-untyped-def]
    from imgcoach.matching.runs import gather, local_today
    from imgcoach.storage.applicants import current_applicant

    with ctx.db.transaction(ctx.applicant_id) as session:
        applicant = current_applicant(session, ctx)
        return gather(session, ctx, applicant, local_today(ctx, applicant)).facts


def test_an_externship_marked_observing_is_observing_for_the_shortlist_too(ctx: Context) -> None:
    """The shortlist counted every externship as hands-on by its kind, whatever the rotation said, while readiness
    and `rotations list` read the stored flag: one rotation, two answers."""
    from imgcoach.matching.model import applicant_factors
    from imgcoach.matching.params import default_params

    add_rotation(ctx, **{**RUSH, "hands_on": False})
    standing = _shortlist_facts(ctx).standing()
    assert standing.hands_on_months == 0 and standing.observing_months > 1.5
    usce = next(c for c in check_readiness(ctx).checks if c.key == "usce_months")
    assert "(0 hands-on, 2 observing)" in usce.evidence[0], usce.evidence
    words = next(f.text for f in applicant_factors(standing, default_params()) if f.key == "usce")
    assert words.startswith("US clinical experience 0 mo hands-on, 2 mo observing"), words


def test_experience_not_yet_done_is_called_planned_in_the_shortlist_factors(ctx: Context) -> None:
    """"US clinical experience 1.25 mo hands-on" read as done, beside a requirement line saying "you have 1"."""
    from imgcoach.matching.model import applicant_factors
    from imgcoach.matching.params import default_params

    add_rotation(ctx, **RUSH)  # done before the fixed clock's 25 Nov 2026
    add_rotation(ctx, **{**RUSH, "institution": "Lakeside (fictional)", "start_date": date(2027, 1, 4),
                         "end_date": date(2027, 1, 29)})
    facts = _shortlist_facts(ctx)
    with_plan = next(f.text for f in applicant_factors(facts.standing(), default_params()) if f.key == "usce")
    done_only = next(f.text for f in applicant_factors(facts.standing(include_planned=False), default_params())
                     if f.key == "usce")
    assert with_plan.endswith("with your planned rotations") and "3 mo hands-on" in with_plan, with_plan
    assert done_only == "US clinical experience 2 mo hands-on, 0 mo observing", done_only


def test_the_history_of_a_deleted_rotation_names_it_when_its_id_comes_back(
        ctx: Context, capsys: pytest.CaptureFixture[str]) -> None:
    """Add, delete, add again on SQLite: the new rotation takes the freed id, and the cancelled reminders read
    "rotation 1 was deleted" beside a live rotation 1. They now say which rotation that was."""
    later = {**RUSH, "start_date": date(2027, 1, 4), "end_date": date(2027, 1, 29)}  # after the fixed today
    first = add_rotation(ctx, **later)
    assert first.id is not None
    remove_rotation(ctx, first.id)
    add_rotation(ctx, **{**later, "institution": "Mercy (fictional)"})
    cancelled = run_cli(capsys, "reminders", "list", "--status", "cancelled", "--db", ctx.db.url, "--json").json()
    assert cancelled and {r["note"] for r in cancelled} == {
        f"rotation {first.id} (Rush (fictional), 2027-01-04..2027-01-29) was deleted"}
