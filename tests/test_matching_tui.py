"""The Shortlist screen shows the demo applicant's list, the match chance and the disclaimer."""

from __future__ import annotations

from imgcoach.core.context import Context
from imgcoach.tui.app import make_app
from tests.tui_helpers import press, settle


async def test_shortlist_screen_shows_the_list(demo_ctx: Context) -> None:
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "m")  # the list loads in a worker
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert "Estimated chance of at least one match" in screen_text
        assert "synthetic" in screen_text  # the sample programs say what they are
        assert "interview" in screen_text
        from textual.widgets import Static

        summary = " ".join(str(app.screen.query_one("#shortlist-summary", Static).render()).split())
        assert "chance of at least one match: about" in summary and "model ceiling 93%" in summary
        assert "100%" not in screen_text.replace("100% of residents are IMGs", "")  # a program fact may say 100%


async def test_without_program_data_the_screen_says_so_once(ctx: Context) -> None:
    """A profile but no programs: one clear message in place, no repeated toasts, no 'set up your profile'."""
    app = make_app(context=ctx)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        await pilot.pause(0.2)  # time for a repeated message to show, if there were one
        await app.workers.wait_for_complete()
        screen_text = app.export_screenshot().replace("&#160;", " ")
        assert screen_text.count("No program data yet") == 1
        assert "imgcoach programs import" in screen_text
        assert "separate demo database" in screen_text.replace("\n", " ")  # not `imgcoach demo` into this one
        assert "set up your profile" not in screen_text
        assert not list(app._notifications)  # no toast at all: the message is on the screen


async def _shortlist_text(ctx: Context, size: tuple[int, int] = (120, 48)) -> str:
    app = make_app(context=ctx)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "m")  # the list loads in a worker
        text = app.export_screenshot().replace("&#160;", " ")
        from textual.widgets import Static

        parts = [str(w.render()) for w in app.screen.query(Static)
                 if w.id in ("shortlist-summary", "shortlist-provenance")]
        return text + "\n" + "\n".join(parts)


def _cli_words(ctx: Context) -> tuple[str, list[str], str]:
    """What `imgcoach shortlist` prints for the same applicant (the same functions the screen must use)."""
    from imgcoach import matching as service
    from imgcoach.matching import provenance_note, shortlist_sentence, specialty_note_lines

    result, _, _, _ = service.compute(ctx)
    return shortlist_sentence(result), specialty_note_lines(result.specialty_notes), provenance_note()


async def test_the_screen_says_what_the_cli_says_range_figures_and_assumptions(demo_ctx: Context) -> None:
    """Before: the screen showed 'about N%' without the range, no cited/assumed words, and cut names
    before '(synthetic)'."""
    sentence, notes, provenance = _cli_words(demo_ctx)
    assert "range" in sentence  # the demo's programs have unknown facts
    text = await _shortlist_text(demo_ctx)
    flat = " ".join(text.split())
    assert " ".join((sentence[:1].upper() + sentence[1:]).split()) in flat
    for line in notes:
        assert " ".join(line.split()) in flat
    assert " ".join(provenance.split()) in flat
    rows = [line for line in text.splitlines() if "│" in line or "Regional" in line or "Medical" in line]
    assert rows and "(synthetic)" in text


async def test_a_specialty_without_a_figure_is_a_range_from_assumptions_on_the_screen(demo_ctx: Context) -> None:
    from imgcoach.plan.profile import set_profile

    set_profile(demo_ctx, target_specialties=["Dermatology"])
    sentence, notes, _ = _cli_words(demo_ctx)
    assert "assumption-based range, not a point estimate" in sentence
    text = " ".join((await _shortlist_text(demo_ctx)).split())
    assert "assumption-based range, not a point estimate" in text and "no public IMG figure found for Dermatology" in text
    assert "ASSUMPTION, no public figure found" in text


async def test_one_program_is_added_and_edited_in_the_app(ctx: Context) -> None:
    """`imgcoach programs add` / `programs edit` had no counterpart in the app (issue 14: "and the same in the
    app"): a on the Shortlist adds one program, e edits the selected one; a bad cell is shown beside its field and
    nothing is stored; an edit records only the changed facts, with "edited by hand" as their source."""
    from textual.widgets import Static

    from imgcoach.matching import add_program, list_programs, program_values
    from imgcoach.matching import programs as programs_service
    from imgcoach.tui.widgets.form import FormScreen
    from tests.cli_helpers import database_state
    from tests.tui_helpers import SIZE, app_for, error_of, fill, press, until

    add_program(ctx, {"program_id": "P1", "name": "First Program", "specialty": "Internal Medicine", "state": "NY",
                      "visa_j1": "yes"})
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        await until(pilot, lambda: "P1" in str(app.screen.query_one("#shortlist-detail", Static).content))
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        fill(form, program_id="P2", name="Second Program", specialty="Family Medicine", state="NJ",
             positions="many", img_share_pct="40%")
        before = database_state(ctx.db.url)
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: bool(error_of(form, "positions")))
        assert "'many' is not a whole number" in error_of(form, "positions")
        assert database_state(ctx.db.url) == before
        fill(form, positions="8")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, FormScreen))
        assert {p.program_id for p in list_programs(ctx, limit=None)} == {"P1", "P2"}
        added = program_values(ctx, "P2")
        assert (added["specialty"], added["positions"], added["img_share_pct"], added["source"]) == (
            "family_medicine", "8", "40", "entered by hand")
        assert added["visa_j1"] == "unknown" and added["interviews_last_year"] == "unknown"  # blank is unknown
        await until(pilot, lambda: "P2" in app.screen._ids)  # type: ignore[attr-defined]
        app.screen.query_one("#shortlist-table").move_cursor(  # type: ignore[attr-defined]
            row=app.screen.query_one("#shortlist-table").get_row_index("P1"))  # type: ignore[attr-defined]
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, FormScreen) and "P1" in form.form_title
        fill(form, interviews_last_year="120", non_us_img_pct="45")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, FormScreen))
    edited = program_values(ctx, "P1")
    assert (edited["interviews_last_year"], edited["non_us_img_pct"], edited["visa_j1"]) == ("120", "45", "yes")
    history = programs_service.program_history(ctx, "P1")
    assert {h.field for h in history} == {"interviews_last_year", "non_us_img_pct"}


async def test_the_app_shows_the_pgy1_list_beside_a_pgy2_specialty(ctx: Context) -> None:
    """`imgcoach shortlist` plans a PGY-1 list beside dermatology; the app's Shortlist said nothing of it."""
    from textual.widgets import Static

    from imgcoach.matching import add_program, compute
    from imgcoach.plan.profile import set_profile
    from tests.tui_helpers import SIZE, app_for, press, until

    set_profile(ctx, target_specialties=["Dermatology"])
    add_program(ctx, {"program_id": "D1", "name": "Derm", "specialty": "Dermatology", "state": "NY"})
    add_program(ctx, {"program_id": "T1", "name": "TY", "specialty": "Transitional Year", "state": "NY"})
    result, _, _, _ = compute(ctx)
    assert result.pgy1 is not None
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        pane = app.screen.query_one("#shortlist-provenance", Static)
        await until(pilot, lambda: "PGY-1 year beside" in str(pane.render()))
        shown = " ".join(str(pane.render()).split())
    assert " ".join(result.pgy1.lines()[0].split()) in shown and "T1 (Transitional Year)" in shown
    assert "[assumption] 20 programs" in shown


async def test_the_app_says_the_list_warnings_the_cli_prints(ctx: Context) -> None:
    """With no Step 2 CK score every chance assumes one; `imgcoach shortlist` prints that as a WARNING line, and the
    app's Shortlist showed none of its list warnings (H-1B without Step 3 neither)."""
    from textual.widgets import Static

    from imgcoach.matching import add_program, compute
    from tests.tui_helpers import SIZE, app_for, press, until

    add_program(ctx, {"program_id": "P1", "name": "First Program", "specialty": "Internal Medicine", "state": "NY"})
    result, _, _, _ = compute(ctx)
    (warning,) = [w for w in result.warnings if "no Step 2 CK score recorded" in w]
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        pane = app.screen.query_one("#shortlist-provenance", Static)
        await until(pilot, lambda: "Cited figures" in str(pane.render()))
        shown = " ".join(str(pane.render()).split())
    assert f"WARNING {warning}" in shown


async def test_the_app_says_the_default_budget_is_one(ctx: Context) -> None:
    """The Shortlist said "budget 60 programs" with the profile's budget not set, as `imgcoach shortlist` did."""
    from textual.widgets import Static

    from imgcoach.matching import add_program
    from tests.tui_helpers import SIZE, app_for, press, until

    add_program(ctx, {"program_id": "P1", "name": "First Program", "specialty": "Internal Medicine", "state": "NY"})
    app = app_for(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        summary = app.screen.query_one("#shortlist-summary", Static)
        await until(pilot, lambda: "budget" in str(summary.render()))
        shown = " ".join(str(summary.render()).split())
    assert "budget: 60 programs (a default: no budget in your profile)" in shown


async def test_a_stored_program_the_code_cannot_read_is_named_on_the_screen(demo_ctx: Context) -> None:
    """A program row kept from before program facts were stored (facts {}): the screen names the program and
    the field, in place, as the CLI does; not 'Unexpected error', not 'set up your profile'."""
    from datetime import timedelta

    from sqlalchemy import update

    from imgcoach.storage.models import Program as ProgramRow

    with demo_ctx.db.transaction() as session:
        first = session.execute(ProgramRow.__table__.select().order_by(ProgramRow.id).limit(1)).first()
        assert first is not None
        # A newer updated_at, as a database from another version reads in a fresh process: the process's program
        # cache (kept per data version) must not hand back the rows as the demo imported them.
        session.execute(update(ProgramRow).where(ProgramRow.id == first.id)
                        .values(facts={}, updated_at=demo_ctx.clock.now() + timedelta(days=1)))
    app = make_app(context=demo_ctx)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        from textual.widgets import Static

        text = " ".join(str(app.screen.query_one("#shortlist-detail", Static).content).split())
        assert f"Program {first.id}: the stored name 'unknown' is required and cannot be 'unknown'" in text
        assert "imgcoach programs import" in text
        assert "cannot be read" in str(app.screen.query_one("#shortlist-summary", Static).render())
        messages = [str(n.message) for n in app._notifications]
        assert not any("Something went wrong" in m or "profile" in m for m in messages), messages


async def test_an_sf_match_list_is_not_said_to_cost_eras_fees_in_the_app(demo_ctx: Context) -> None:
    """The app said "ERAS fees $50" of an ophthalmology list whose fees are the SF Match's; `imgcoach shortlist`
    said "application fees $50". Both now say the same line (matching.chosen_words)."""
    from imgcoach import matching as service
    from imgcoach.plan.profile import set_profile

    set_profile(demo_ctx, target_specialties=["Ophthalmology"], application_budget_programs=15)
    result, _, _, _ = service.compute(demo_ctx)
    assert result.entries and {e.specialty for e in result.entries} == {"ophthalmology"}
    assert "SF Match" in result.fee_season
    text = " ".join((await _shortlist_text(demo_ctx)).split())
    assert "ERAS fees" not in text
    assert f"application fees ${result.total_fee_usd:,.0f}" in text
    assert " ".join(service.chosen_words(result).split()) in text
