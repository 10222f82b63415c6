"""Per-specialty NRMP anchors: the issue's profiles on the shipped sample, the bound, checks, honest labels."""

from __future__ import annotations

import gzip
import math
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from statistics import median

import pytest

from imgcoach.matching.anchors import anchors, share_checks
from imgcoach.matching.calibrate import SHARE_TOLERANCE_PP, report
from imgcoach.matching.calibration import specialty_match_rate
from imgcoach.matching.csv_reader import read_programs
from imgcoach.matching.explain import explain
from imgcoach.matching.facts import ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.fees import load_schedule
from imgcoach.matching.generate import default_path
from imgcoach.matching.params import calibration, default_params
from imgcoach.matching.present import display_name
from imgcoach.matching.schema import UNKNOWN, Program
from imgcoach.matching.shortlist import Shortlist, build_shortlist
from imgcoach.matching.table import build_table
from tests.matching_support import TODAY, program

ISSUE_SPECIALTIES = (
    "internal_medicine", "family_medicine", "pediatrics", "psychiatry", "neurology", "child_neurology",
    "internal_medicine_pediatrics", "emergency_medicine", "general_surgery", "obstetrics_gynecology", "pathology",
    "anesthesiology", "physical_medicine_rehabilitation", "diagnostic_radiology", "dermatology",
    "orthopaedic_surgery", "ophthalmology", "urology", "otolaryngology", "neurological_surgery", "plastic_surgery",
    "radiation_oncology",
)


@cache
def sample() -> list[Program]:
    return read_programs(gzip.decompress(default_path().read_bytes()).decode()).programs


def hands_on(months: int) -> RotationFact:
    start = date(2026, 1, 5)
    return RotationFact("internal medicine externship", "externship", start,
                        start + timedelta(days=28 * months - 1), True, None)


def shortlist(programs: list[Program], specialties: tuple[str, ...], **facts: object) -> Shortlist:
    """The pure shortlist the CLI's `imgcoach shortlist` builds (services.shortlist.compute -> build_shortlist)."""
    base: dict[str, object] = {"match_year": 2028, "graduation_year": 2025, "img_group": "non_us_img",
                               "visa_need": "j1", "preferences": Preferences(specialties=specialties)}
    base.update(facts)
    return build_shortlist(build_table(programs), ApplicantFacts(**base), TODAY, load_schedule(),  # type: ignore[arg-type]
                           budget_programs=60)


STRONG_NON_US = {"step2_score": 268, "rotations": (hands_on(6),), "us_letters_received": 2}


def test_issue_profile_orthopaedics_alone_is_small_not_55_to_90_percent() -> None:
    """NRMP: 12 of 899 filled orthopaedic PGY-1 positions went to IMGs in 2023 (4 to non-U.S. IMGs)."""
    result = shortlist(sample(), ("orthopaedic_surgery",), **STRONG_NON_US)
    assert len(result.entries) == 60
    assert result.chance < 0.15 and result.chance_high < 0.40
    assert result.expected_interviews < 3  # was 32 expected interviews from 60 applications
    note = next(n for n in result.specialty_notes if n.code == "orthopaedic_surgery")
    assert note.openness.known and "4 of 899" in note.openness.basis


def test_issue_profile_sixty_orthopaedic_programs_with_no_imgs_is_close_to_nothing() -> None:
    programs = [program(program_id=f"O{i:02d}", specialty="orthopaedic_surgery", img_share_pct="0",
                        step2_typical="255", step2_min="none") for i in range(60)]
    result = shortlist(programs, ("orthopaedic_surgery",), **STRONG_NON_US)
    assert len(result.entries) == 60 and result.chance < 0.05  # was 55%


def test_issue_profile_dermatology_orthopaedics_ophthalmology_is_far_below_90_percent() -> None:
    result = shortlist(sample(), ("dermatology", "orthopaedic_surgery", "ophthalmology"), **STRONG_NON_US)
    assert result.chance < 0.75  # was "about 90%"
    assert result.chance_low < result.chance <= result.chance_high  # unknown inputs give a range
    assert result.expected_interviews < 15  # was 32
    derm = shortlist(sample(), ("dermatology",), **STRONG_NON_US)
    assert derm.chance < 0.15
    notes = {n.code: n for n in result.specialty_notes}
    assert not notes["dermatology"].openness.known and "no public figure" in notes["dermatology"].openness.basis
    assert notes["ophthalmology"].system == "SF Match" and notes["ophthalmology"].needs_pgy1
    assert notes["dermatology"].needs_pgy1
    from imgcoach.matching import specialty_note_lines

    lines = specialty_note_lines(result.specialty_notes)  # the CLI's and the app's words: names, not codes
    assert any(line.startswith("  Ophthalmology: what it gives") for line in lines), lines
    assert not any(line.startswith(("  ophthalmology:", "  dermatology:", "  orthopaedic_surgery:")) for line in lines)
    data = result.to_dict()
    assert "range" in data["chance_display"]
    assert "assumption" in data["what_is_cited_and_what_is_assumed"].lower()


def test_calibration_applicant_gets_about_the_rate_it_was_fitted_to_not_71_to_78_percent() -> None:
    """Step 2 CK at the specialty's median, 3 months of U.S. experience, 2 U.S. letters, J-1, 60 programs."""
    progs = sample()
    typical = median(p.step2_typical for p in progs
                     if p.specialty == "internal_medicine" and p.step2_typical is not UNKNOWN)
    result = shortlist(progs, ("internal_medicine",), step2_score=int(typical), rotations=(hands_on(3),),
                       us_letters_received=2)
    assert 0.50 <= result.chance <= 0.66, result.chance  # fitted to 58.0%
    assert 5 <= result.expected_interviews <= 12  # the survey's matched IMGs: median 8 interviews


@pytest.mark.parametrize("group", ["non_us_img", "us_img"])
def test_each_specialty_holds_the_calibration_population_to_what_it_gives_the_group(group: str) -> None:
    params = default_params()
    a = params.a
    data = anchors()
    for code, anchor in data.specialties.items():
        o = data.openness(code, group, params)
        share = anchor.total_img_share()
        share = data.smallest_img_share() if share is None else share
        term = a["img_share_weight"] * math.log((share + 2) / (a["img_share_reference_pct"] + 2))
        rate = specialty_match_rate(params, group, 60, term + o.point, 1.0)
        assert rate <= o.rate_point + 0.005, code
        if o.point < 0:
            assert rate == pytest.approx(o.rate_point, abs=0.005), code
        assert o.low <= o.point <= o.high <= 0.0


def test_a_program_with_unknown_img_share_takes_its_specialty_share_and_says_so() -> None:
    known = program(program_id="K1", specialty="orthopaedic_surgery", img_share_pct="1")
    unknown = program(program_id="U1", specialty="orthopaedic_surgery", img_share_pct="unknown")
    table = build_table([known, unknown])
    assert table.img_basis == ["program", "specialty"]
    assert table.img_term[1] == pytest.approx(table.img_term[0], abs=0.35)  # NRMP 2023 share 1.3%
    result = shortlist([known, unknown], ("orthopaedic_surgery",), **STRONG_NON_US)
    entry = next(e for e in result.entries if e.program_id == "U1")
    assert entry.img_share_basis == "specialty"
    texts = [f["text"] for f in explain(result.ranking, "U1")["top_factors"]]
    assert any("specialty's NRMP share is used" in t for t in texts)


def test_no_made_up_typical_score_when_nobody_states_one() -> None:
    progs = [program(program_id=f"T{i}", step2_typical="unknown") for i in range(5)]
    table = build_table(progs)
    assert all(b == "unknown" for b in table.typical_basis) and all(math.isnan(t) for t in table.typical)
    result = shortlist(progs, ("internal_medicine",), step2_score=240)
    assert result.chance_low < result.chance < result.chance_high
    text = explain(result.ranking, "T0")["top_factors"]
    assert all("230" not in f["text"] for f in text)


def test_likely_means_more_likely_than_not() -> None:
    result = shortlist(sample(), ("internal_medicine", "family_medicine"), **STRONG_NON_US)
    assert default_params().a["tier_likely"] == 0.5
    for e in result.entries:
        assert (e.tier == "likely") == (e.probability >= 0.5)


def test_checked_figures_stay_within_3_points_of_their_source() -> None:
    """Fails when a checked figure (other season than the fit) moves more than 3 points from its source,
    and when a specialty share drifts from its anchor season without being recorded as known drift."""
    params = default_params()
    from imgcoach.matching.calibration import reproduce

    for figure in calibration()["figure"]:
        if figure.get("use") == "check" and "tolerance_pp" in figure:
            assert abs(reproduce(figure, params) - float(figure["value"])) * 100 <= 3.0, figure["id"]
    for c in share_checks():
        if c["known_drift"] is None:
            assert abs(c["moved"]) <= SHARE_TOLERANCE_PP, c
        else:
            assert c["known_drift"] == pytest.approx(c["moved"], abs=0.1), c
    lines = report(calibration(), params)
    assert any("| check |" in line for line in lines) and any("| fit |" in line for line in lines)
    assert not any(" OFF |" in line for line in lines)


def test_anchor_file_covers_the_issue_specialties_and_cites_every_row() -> None:
    data = anchors()
    assert set(ISSUE_SPECIALTIES) <= set(data.specialties)
    assert data.specialties["ophthalmology"].system == "SF Match"
    assert data.specialties["urology"].system == "AUA"
    for code in ("dermatology", "diagnostic_radiology", "radiation_oncology", "ophthalmology"):
        assert data.specialties[code].needs_pgy1, code
    for anchor in data.specialties.values():
        for row in (*anchor.seasons, *anchor.img_share_pct, *anchor.img_match_rate):
            assert row["source"] in data.sources and data.sources[row["source"]]["season"]
        for row in anchor.seasons:
            assert row["us_img"] + row["non_us_img"] <= row["filled"]


def test_synthetic_rows_keep_the_word_synthetic_when_cut() -> None:
    name = "Northfield Regional Medical Center Physical Medicine and Rehabilitation Program (synthetic)"
    shown = display_name(name, True, 44)
    assert len(shown) <= 44 and shown.endswith("(synthetic)")
    assert display_name("Short name", False, 44) == "Short name"
    result = shortlist(sample(), ("internal_medicine",), **STRONG_NON_US)
    assert all(e.synthetic for e in result.entries)


def test_unknown_img_share_in_the_sample_is_a_range_not_a_hidden_30_percent() -> None:
    progs = [replace(p, img_share_pct=UNKNOWN) for p in sample() if p.specialty == "internal_medicine"][:80]
    result = shortlist(progs, ("internal_medicine",), **STRONG_NON_US)
    assert all(e.img_share_basis == "specialty" for e in result.entries)
    assert result.chance_low < result.chance


def test_explanation_names_the_specialty_shift_with_its_figures() -> None:
    result = shortlist(sample(), ("orthopaedic_surgery",), **STRONG_NON_US)
    pid = result.entries[0].program_id
    factors = explain(result.ranking, pid)["top_factors"]
    specialty = next(f for f in factors if f["factor"] == "specialty")
    assert specialty["logodds"] < -2 and "NRMP figures" in specialty["text"] and "899" in specialty["text"]


# --- the selective-specialty bound (bound.py) -----------------------------------------------------------

# The stated margin: in a specialty that gives the applicant's group less than the Match as a whole, the
# chance from the applicant's best 60 programs stays within M(c) times the odds of the group's figure there
# (M = 4 where the specialty gives the group almost nothing, 4.4 at c = 0.5; calibration.toml [assumptions]).
MARGIN_SLACK = 0.005  # bisection and display rounding
OPEN_TO_US_IMGS = {("psychiatry", "us_img"), ("emergency_medicine", "us_img")}  # NRMP 2022/2023 shares


def sixty_at_specialty_share(code: str) -> list[Program]:
    """60 programs stating the specialty's own NRMP/SF Match IMG share, for specialties the sample lacks."""
    data = anchors()
    anchor = data.anchor(code)
    share = anchor.total_img_share() if anchor else None
    share = data.smallest_img_share() if share is None else share
    return [program(program_id=f"S{i:02d}", specialty=code, img_share_pct=f"{share:.1f}", step2_typical="250",
                    step2_min="none") for i in range(60)]


def programs_for(code: str) -> list[Program]:
    found = [p for p in sample() if p.specialty == code]
    return found if len(found) >= 60 else sixty_at_specialty_share(code)


def odds(p: float) -> float:
    return p / (1.0 - p)


@pytest.mark.parametrize("code", ["ophthalmology", "dermatology", "orthopaedic_surgery", "neurological_surgery",
                                  "otolaryngology", "urology", "psychiatry", "general_surgery",
                                  "emergency_medicine"])
@pytest.mark.parametrize("group", ["non_us_img", "us_img"])
def test_strong_profile_stays_within_the_stated_margin_of_its_group_figure(code: str, group: str) -> None:
    """Before 2026.4 the strong non-U.S. IMG got 65% in ophthalmology (figure: 14% of IMG registrants matched
    in 2018), 63% in neurological surgery, 90% in psychiatry, 83% in general surgery."""
    from imgcoach.matching.bound import odds_margin

    result = shortlist(programs_for(code), (code,), img_group=group, **STRONG_NON_US)
    assert len(result.entries) == 60
    o = next(n for n in result.specialty_notes if n.code == code).openness
    margin = odds_margin(o.rate_point, o.national_rate, default_params().a)
    if margin is None:  # the specialty gives U.S. IMGs at least their national share: open, nothing to bound
        assert (code, group) in OPEN_TO_US_IMGS and o.rate_point >= o.national_rate
        assert o.bound is None and not o.bound_binds
        return
    assert margin <= 4.5, (code, o.rate_point, o.national_rate)
    assert odds(result.chance) <= margin * odds(o.rate_point) * (1 + MARGIN_SLACK), (code, result.chance, o.rate_point)
    assert result.chance <= o.bound + MARGIN_SLACK  # type: ignore[operator]
    if o.bound_high is not None:  # unknown program facts at their best do not break the bound of that scenario
        assert result.chance_high <= o.bound_high + MARGIN_SLACK


def test_ophthalmology_strong_non_us_img_is_near_its_sf_match_figure_not_65_percent() -> None:
    result = shortlist(sample(), ("ophthalmology",), **STRONG_NON_US)
    note = next(n for n in result.specialty_notes if n.code == "ophthalmology")
    assert note.openness.rate_point == pytest.approx(0.144)  # 17 of 118 international registrants, 2018
    assert note.openness.bound_binds
    assert 0.25 <= result.chance <= 0.45, result.chance  # was 0.655
    assert result.chance_high <= 0.55  # was 0.74
    assert result.expected_interviews < 6  # was 10
    lines = [f["text"] for f in explain(result.ranking, result.entries[0].program_id)["top_factors"]]
    assert any("SF Match figures" in t and "ASSUMPTION" in t for t in lines)


def test_rank_list_denominators_are_not_used_as_registrant_rates() -> None:
    """SF Match's 28% (2020) and 33% (2022) count only IMGs who submitted a rank list; the model's implied
    rate counts everyone who applies, as the registrants' 10-20% (2013-2018) do."""
    o = anchors().openness("ophthalmology", "non_us_img")
    assert (o.rate_low, o.rate_point, o.rate_high) == pytest.approx((0.099, 0.144, 0.20))
    assert "not used (other denominator)" in o.basis and "28%" in o.basis


def test_the_bound_leaves_open_specialties_alone() -> None:
    """Internal medicine gives non-U.S. IMGs more than their national share: no bound, the fit applies."""
    result = shortlist(sample(), ("internal_medicine",), **STRONG_NON_US)
    note = next(n for n in result.specialty_notes if n.code == "internal_medicine")
    assert note.openness.bound is None and not note.openness.bound_binds
    assert result.chance > 0.85


def test_a_higher_score_never_lowers_the_chance_where_the_bound_holds() -> None:
    progs = [p for p in sample() if p.specialty == "ophthalmology"]
    chances = [shortlist(progs, ("ophthalmology",), step2_score=s, rotations=(hands_on(6),),
                         us_letters_received=2).chance for s in (230, 245, 255, 262, 268, 280)]
    assert all(a <= b + 1e-9 for a, b in zip(chances, chances[1:], strict=False)), chances


def test_a_specialty_without_a_figure_shows_a_range_from_assumptions_not_a_point() -> None:
    result = shortlist(sample(), ("dermatology",), **STRONG_NON_US)
    text = result.to_dict()["chance_display"]
    assert text.startswith("between ") and "assumption-based range, not a point estimate" in text
    assert "Dermatology" in text and "about" not in text
    assert result.to_dict()["chance_is_assumption_range"] is True
    known = shortlist(sample(), ("orthopaedic_surgery",), **STRONG_NON_US).to_dict()
    assert known["chance_display"].startswith("about ") and known["chance_is_assumption_range"] is False
