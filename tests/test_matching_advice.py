"""Why nothing is eligible (counts per failed requirement) and where more money stops helping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from imgcoach.core.context import Context
from imgcoach.matching import programs as programs_service
from imgcoach.matching import runs as service
from imgcoach.matching.advice import STOP_POINTS_PER_100_USD, points_per_100, stop_advice
from imgcoach.plan import exams
from tests.cli_helpers import run_cli
from tests.matching_support import csv_text, row


def test_nothing_eligible_says_why_with_counts(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    exams.add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=230)
    path = tmp_path / "p.csv"
    path.write_text(csv_text(
        row(program_id="A", step2_min="250", yog_cutoff_years="none"),
        row(program_id="B", step2_min="250", visa_j1="no", yog_cutoff_years="none"),
        row(program_id="C", visa_j1="no", yog_cutoff_years="none"),
        row(program_id="D", specialty="psychiatry"),  # outside the profile's Internal Medicine
    ))
    programs_service.import_programs(ctx, path)
    shortlist, _, _, _ = service.compute(ctx)
    assert shortlist.entries == []
    assert [(c.code, c.programs) for c in shortlist.exclusions] == [("step2_below", 2), ("visa", 2)]
    why = shortlist.why_nothing_eligible()
    assert why == ("no eligible program: all 3 programs in your preferences fail a requirement (1 more are outside "
                   "your preferences): Step 2 CK minimum above your score: 2; does not sponsor the visa you need: 2 "
                   "(some of the 3 programs fail more than one, so these add up to more)")
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert data["why_nothing_eligible"] == why and data["exclusions"][0] == {
        "reason": "step2_below", "label": "Step 2 CK minimum above your score", "programs": 2}
    assert why in run_cli(capsys, "shortlist", "--db", db_url).out


@dataclass
class _Pick:
    gain: float
    fee_usd: float


def test_stop_here_is_where_the_marginal_gain_per_100_usd_falls_under_the_threshold() -> None:
    # 0.5 points for $11 -> 4.5 pts/$100; 0.02 points for $30 -> 0.067 pts/$100
    picks = [_Pick(0.005, 11)] * 3 + [_Pick(0.0002, 30)] * 4
    advice = stop_advice(picks)
    assert advice is not None and advice.programs == 3 and advice.fee_usd == 33
    assert advice.points_per_100_usd_after == pytest.approx(points_per_100(0.0002, 30))
    assert advice.points_per_100_usd_after < STOP_POINTS_PER_100_USD
    assert advice.text(7).startswith("stop here: after 3 programs ($33) each further $100 adds at most 0.07 points")
    still = stop_advice([_Pick(0.005, 11)] * 3)
    assert still is not None and "more money can still help" in still.text(3)
    assert stop_advice([]) is None


def test_sf_match_and_aua_are_priced_with_their_own_fees(
    ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from imgcoach.matching.fees import load_schedule
    from imgcoach.plan.profile import set_profile

    fees = load_schedule()
    # SF Match CAS (2015-2016): the $60 base fee buys the first 10 (charged with the first), then $10, $15, ...
    # never ERAS's $11
    assert fees.total(["ophthalmology"] * 12) == 60 + 20 and fees.total(["urology"] * 3) == 33
    assert fees.total(["internal_medicine"] * 12) == 132
    one_time = {f["what"]: f for f in fees.one_time_for(["ophthalmology", "urology"])}
    assert "SF Match CAS base distribution fee (covers the first 10 ophthalmology programs)" not in one_time
    assert one_time["AUA Urology Match registration (non-refundable)"]["season"] == "2019 Match"
    path = tmp_path / "p.csv"
    path.write_text(csv_text(*[row(program_id=f"OP{i:02d}", specialty="Ophthalmology", yog_cutoff_years="none")
                               for i in range(12)],
                             *[row(program_id=f"UR{i}", specialty="Urology", yog_cutoff_years="none")
                               for i in range(3)]))
    programs_service.import_programs(ctx, path)
    set_profile(ctx, target_specialties=["Ophthalmology", "Urology"])
    data = run_cli(capsys, "shortlist", "--json", "--budget", "15", "--db", db_url).json()
    assert data["total_fee_usd"] == 60 + 20 + 33
    assert "SF Match Central Application Service" in data["fee_schedule"] and "2015-2016" in data["fee_schedule"]
    whats = [f["what"] for f in data["one_time_fees"]]
    assert "AUA Urology Match registration (non-refundable)" in whats and "ECFMG ERAS token (IMGs)" in whats
    assert all(f["season"] for f in data["one_time_fees"])


def test_interview_capacity_caps_the_interview_chance(ctx: Context, tmp_path: Path) -> None:
    """A strong applicant at an IMG-friendly program: the model alone gives over 10%, but the program
    interviewed 50 of 1,000 applicants last season, so nobody's chance there is above 5%."""
    from datetime import date

    exams.add_exam(ctx, "Step 2 CK", date(2026, 5, 1), score=265)
    path = tmp_path / "p.csv"
    base = dict(img_share_pct="80", step2_min="none", yog_cutoff_years="none", step2_typical="230")
    path.write_text(csv_text(row(program_id="OPEN", **base),
                             row(program_id="FULL", interviews_last_year="50", applications_last_year="1000", **base),
                             row(program_id="HALF", interviews_last_year="100", **base),
                             row(program_id="FULLU", interviews_last_year="50", applications_last_year="1000",
                                 **{**base, "img_share_pct": "unknown"})))
    programs_service.import_programs(ctx, path)
    shortlist, _, _, _ = service.compute(ctx)
    p = {e.program_id: e.probability for e in shortlist.entries}
    assert p["OPEN"] > 0.1 and p["HALF"] == pytest.approx(p["OPEN"])  # applications unknown: no cap
    assert p["FULL"] == pytest.approx(0.05, abs=1e-3)
    # an unknown input widens the chance into a range, but its high end stays under the program's own rate
    fullu = next(e for e in shortlist.entries if e.program_id == "FULLU")
    assert fullu.probability_low is not None and fullu.probability_high is not None
    assert fullu.probability_low < fullu.probability <= fullu.probability_high <= 0.05 + 1e-6
    table = shortlist.ranking.table
    capped = next(a for a in shortlist.ranking.kept if table.programs[a.index].program_id == "FULL")
    assert table.params.shared().probability(capped.logodds) == pytest.approx(0.05, abs=1e-3)


def test_signals_are_counted_per_specialty_with_their_source_and_placed_near_50_percent() -> None:
    from imgcoach.matching.signals import advise

    @dataclass
    class E:
        program_id: str
        specialty: str
        probability: float

    entries = [E(f"IM{i}", "internal_medicine", p) for i, p in enumerate([0.95, 0.5, 0.45, 0.3, 0.2, 0.1, 0.05,
                                                                         0.04, 0.6])]
    entries += [E("UR1", "urology", 0.3)]
    by_spec = {a.specialty: a for a in advise(entries)}
    im = by_spec["internal_medicine"]
    # 15 in two tiers since 2024-2025 (AAIM); the data said 7 (ERAS 2024), stale for every later season
    assert im.signals == 15 and im.detail == "3 gold and 12 silver" and "im.org/resources/tiered-signaling" in im.source
    assert im.season.startswith("2025-2026 cycle")
    assert im.suggested == ("IM1", "IM2", "IM8", "IM3", "IM4", "IM5", "IM0", "IM6", "IM7")  # closest to 50% first
    assert by_spec["urology"].signals is None and by_spec["urology"].suggested == ()
    data = im.to_dict()
    assert data["effect_on_interview_chance"]["measure"] == "odds ratio" and "J Grad Med Educ 2023" in data["effect_source"]
    assert by_spec["urology"].to_dict()["effect_on_interview_chance"].startswith("unknown")


def test_a_signal_effect_is_the_cited_figure_for_the_specialty_and_never_raises_a_chance() -> None:
    """The studies are observational and the model is fitted to a season whose applicants signalled, so the
    figure is shown as what the program's chance would be if it held, and the list's chance stays as it was."""
    from imgcoach.matching.signals import advise, effects

    @dataclass
    class E:
        program_id: str
        specialty: str
        probability: float

    entries = [E("IM1", "internal_medicine", 0.5), E("ENT1", "otolaryngology", 0.5), E("UR1", "urology", 0.5)]
    by_spec = {a.specialty: a for a in advise(entries)}
    im = by_spec["internal_medicine"]
    assert im.effect is effects()["internal_medicine"] and "JGME-D-24-00215.1" in im.effect.source
    (placed,) = im.placements
    # odds 1:1 times 2.71 and 9.07 -> 2.71/3.71 and 9.07/10.07
    assert placed.probability == 0.5 and placed.if_signalled == pytest.approx((2.71 / 3.71, 9.07 / 10.07))
    lines = im.lines()
    assert "2.71 to 9.07 times the odds of an interview invitation" in lines[1] and "observational" in lines[1]
    assert lines[2] == "    place them at (interview chance now -> if the cited odds ratio held for you): IM1 50% -> 73%-90%"
    ent = by_spec["otolaryngology"]
    assert ent.signals == 25 and ent.effect is not None and ent.effect.measure == "relative likelihood"
    assert ent.placements[0].if_signalled is None and ent.placements[0].text() == "ENT1"  # a rate ratio is not applied
    assert "a signalled application was 2.6 times as likely to bring an interview invitation" in ent.lines()[1]
    assert by_spec["urology"].effect is None and "unknown" in by_spec["urology"].lines()[1]
    assert entries[0].probability == 0.5  # nothing on the list moved


def test_emergency_medicine_has_its_own_cited_signal_figure_and_count() -> None:
    """Emergency medicine is not among the nine specialties of Romanoski et al.: its effect was "unknown" and its
    count "not found", though a Texas STAR analysis (odds ratios 4.40 and 3.79) and ACEP Now (7 signals, ERAS
    2024) give both."""
    from imgcoach.matching.signals import advise

    @dataclass
    class E:
        program_id: str
        specialty: str
        probability: float

    (em,) = advise([E("EM1", "emergency_medicine", 0.5)])
    assert em.signals == 7 and em.season == "ERAS 2024 (2023-2024 cycle)" and "acepnow.com" in em.source
    assert em.effect is not None and (em.effect.low, em.effect.high) == (3.79, 4.40)
    assert "no IMGs" in em.effect.scope and "arxivlens.com" in em.effect.source
    (placed,) = em.placements
    assert placed.if_signalled == pytest.approx((3.79 / 4.79, 4.40 / 5.40))
    assert "3.79 to 4.4 times the odds of an interview invitation" in em.lines()[1]


def test_each_specialty_shows_its_own_signal_figure_where_one_was_read_and_says_when_it_is_the_range(
        ctx: Context, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """signals.toml gave nine specialties one range, 2.71 to 9.07 (Romanoski et al., abstract), worded as if it
    were each one's figure, and did not say the study left IMGs out. General surgery now shows its own figure
    (one program's odds ratio 8.3), orthopaedic surgery its own (26.5 times as likely, a rate ratio, not applied to
    a chance), and the eight left on the range say it is not their own and that IMGs were excluded: in the text
    and the JSON of `imgcoach shortlist`."""
    from imgcoach.matching.signals import effects

    measured = effects()
    gs, ortho, im = measured["general_surgery"], measured["orthopaedic_surgery"], measured["internal_medicine"]
    assert (gs.measure, gs.low, gs.high, gs.own) == ("odds ratio", 8.3, 8.3, True)
    assert "10.1016/j.jsurg.2025.103476" in gs.source and "8.3 times higher odds of interviewing" in gs.source
    assert "one academic general surgery program" in gs.scope and "IMGs not reported separately" in gs.scope
    assert (ortho.measure, ortho.low, ortho.own) == ("relative likelihood", 26.5, True)
    assert "26.5 times more likely to receive an interview" in ortho.source and ortho.with_signal(0.5) is None
    ranged = sorted(code for code, e in measured.items() if not e.own)
    assert ranged == ["anesthesiology", "dermatology", "internal_medicine", "neurological_surgery", "neurology",
                      "pediatrics", "physical_medicine_rehabilitation", "psychiatry"]
    assert (im.low, im.high) == (2.71, 9.07) and "each specialty's own figure was not read" in im.scope
    assert "IMGs were excluded" in im.scope and "excluded international medical graduates" in im.source
    assert all(e.own for code, e in measured.items() if code not in ranged)

    # Through the CLI: one program of each kind, both specialties targeted.
    path = tmp_path / "p.csv"
    path.write_text(csv_text(row(program_id="IM1", yog_cutoff_years="none"),
                             row(program_id="GS1", name="Test GS Program", specialty="general_surgery",
                                 yog_cutoff_years="none")))
    programs_service.import_programs(ctx, path)
    assert run_cli(capsys, "profile", "set", "--specialties", "Internal Medicine,General Surgery",
                   "--db", db_url).code == 0
    text = run_cli(capsys, "shortlist", "--db", db_url).out
    text = text[text.index("ERAS program signals:"):]
    gs_line = text[text.index("  General Surgery: "):].splitlines()[1]
    im_line = text[text.index("  Internal Medicine: "):].splitlines()[1]
    assert gs_line.startswith("    effect: this specialty's own figure: a signalled application had 8.3 times the odds")
    assert "[Murdock et al., J Surg Educ 2025" in gs_line
    assert im_line.startswith("    effect: not this specialty's own figure: a signalled application had 2.71 to 9.07")
    assert "IMGs were excluded from the study" in im_line
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    by_spec = {a["specialty"]: a["effect_on_interview_chance"] for a in data["signals"]}
    assert by_spec["general_surgery"]["specialty_own_figure"] is True and by_spec["general_surgery"]["low"] == 8.3
    assert by_spec["internal_medicine"]["specialty_own_figure"] is False


async def test_the_apps_shortlist_shows_the_same_signal_advice_on_a_placed_program(demo_ctx: Context) -> None:
    """`imgcoach shortlist` suggested where to signal; the app's Shortlist said nothing of signals."""
    from textual.widgets import DataTable, Static

    from imgcoach.matching import advise_signals, compute
    from tests.tui_helpers import SIZE, app_for, press, settle

    result, _, _, _ = compute(demo_ctx)
    advice = next(a for a in advise_signals(result.entries) if a.effect is not None and a.placements)
    placed = advice.placements[0]
    assert placed.if_signalled is not None
    unplaced = next(e.program_id for e in result.entries
                    if e.program_id not in {p.program_id for a in advise_signals(result.entries) for p in a.placements})
    app = app_for(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one(DataTable)
        details = {}
        for program_id in (placed.program_id, unplaced):
            table.move_cursor(row=table.get_row_index(program_id))
            await settle(pilot)
            details[program_id] = str(app.screen.query_one("#shortlist-detail", Static).content)
    low, high = placed.if_signalled
    shown = details[placed.program_id]
    assert f"one of your {advice.signals} " in shown and advice.effect.cite in shown
    assert f"{placed.probability * 100:.0f}% now; {low * 100:.0f}% to {high * 100:.0f}% if the cited odds" in shown
    # whether the figure is the specialty's own, and whom it covers, as the CLI says it (the pane gave its size only)
    assert f"effect: {advice.effect_text()}" in shown
    assert ("this specialty's own figure" if advice.effect.own else "not this specialty's own figure") in shown
    assert "[assumption] the chances above count no signal" in shown  # Rich markup ate the label
    assert "Signal:" not in details[unplaced]


def test_without_program_data_the_hint_never_sends_a_real_applicant_to_the_demo(
        ctx: Context, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The hint said "(or `imgcoach demo`)": in this database that refuses ("already exists; use --reset"), and
    --reset would replace the applicant's own data."""
    from tests.cli_helpers import database_state

    before = database_state(db_url)
    result = run_cli(capsys, "shortlist", "--db", db_url)
    assert result.code == 2 and "`imgcoach demo --db demo.sqlite` makes a separate demo database" in result.err
    assert "(or `imgcoach demo`)" not in result.err and "programs template" in result.err
    assert database_state(db_url) == before


def test_a_placement_whose_ends_round_alike_shows_one_figure() -> None:
    """A one-figure odds ratio (general surgery's 8.3) gave "SYN03819 11% -> 50%-50%"."""
    from imgcoach.matching.signals import Placement

    assert Placement("P1", 0.11, (0.5, 0.5)).text() == "P1 11% -> 50%"
    assert Placement("P1", 0.11, (0.46, 0.5)).text() == "P1 11% -> 46%-50%"
