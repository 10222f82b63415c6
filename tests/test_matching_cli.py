"""`imgcoach programs ...` and `imgcoach shortlist`: output for people and scripts, exit 2 on bad input."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from imgcoach.core.clock import FixedClock
from imgcoach.core.context import Context
from tests.cli_helpers import database_state, run_cli, run_subprocess
from tests.matching_support import HEADER, csv_text, row


def _rows(n: int) -> list[dict[str, str]]:
    return [row(program_id=f"C{i:02d}", name=f"Program {i}", yog_cutoff_years="none", state=["NY", "NJ"][i % 2],
                step2_typical=str(225 + i)) for i in range(n)]


@pytest.fixture
def db(ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*_rows(12)))
    result = run_cli(capsys, "programs", "import", str(path), "--db", db_url)
    assert result.code == 0, result.err
    assert "12 added, 0 updated, 0 unchanged, 0 skipped" in result.out
    return db_url


def test_shortlist_json_has_the_contract(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "shortlist", "--json", "--budget", "5", "--db", db)
    assert result.code == 0, result.err
    data = result.json()
    assert "not a promise" in data["disclaimer"]
    assert 0 < data["chance_of_at_least_one_match"] <= 1 and data["total_fee_usd"] == 55
    assert len(data["programs"]) == 5
    first = data["programs"][0]
    assert {"id", "tier", "probability", "reasons", "unknown_fields"} <= set(first)
    assert first["tier"] in ("reach", "target", "likely")


def test_shortlist_budget_usd_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "shortlist", "--csv", "--budget-usd", "33", "--db", db)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 3 and {r["fee_usd"] for r in rows} == {"11.0"}


def test_shortlist_csv_says_on_every_row_what_is_assumed(ctx: Context, db_url: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A spreadsheet row travels without the text output's notes, so each row says which of its numbers rest on
    assumptions (issue 14: honest words in --csv too); it said nothing before."""
    rows = [row(program_id="K1", name="Known facts", yog_cutoff_years="none"),
            row(program_id="U1", name="Unknown facts", yog_cutoff_years="none", img_share_pct="unknown",
                step2_typical="unknown")]
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*rows))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    # With a score: the typical-score lines describe a range around it (without one, see the next test).
    assert run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", "2026-08-14", "--score", "240",
                   "--db", db_url).code == 0
    result = run_cli(capsys, "shortlist", "--csv", "--db", db_url)
    assert result.code == 0, result.err
    by_id = {r["id"]: r["what_is_assumed"] for r in csv.DictReader(io.StringIO(result.out))}
    assert set(by_id) == {"K1", "U1"}
    for text in by_id.values():
        assert "model estimate, not a promise (factor weights are assumptions" in text
        assert "Internal Medicine: held to what its cited figures give your group (2022: " in text
    assert "IMG share unknown" not in by_id["K1"] and "typical Step 2 CK" not in by_id["K1"]
    assert "program's IMG share unknown: its specialty's NRMP share used" in by_id["U1"]
    assert "program's typical Step 2 CK unknown: the median of imported programs of its specialty used" in by_id["U1"]
    as_json = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert {p["id"]: " | ".join(p["what_is_assumed"]) for p in as_json["programs"]} == by_id
    # and the chance is a range where the program's inputs are unknown, a point where they are all known
    ranges = {p["id"]: (p["probability_range"], p["probability"]) for p in as_json["programs"]}
    (k_low, k_high), k = ranges["K1"]
    assert k_low == k == k_high
    (u_low, u_high), u = ranges["U1"]
    assert u_low < u < u_high
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.out))}
    assert float(rows["U1"]["probability_low"]) == pytest.approx(u_low, abs=1e-4)
    assert float(rows["U1"]["probability_high"]) == pytest.approx(u_high, abs=1e-4)


def test_without_a_step2_score_every_chance_says_what_it_assumes(ctx: Context, db_url: str, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A new applicant with no Step 2 CK score: each chance counts the score as 10 points below the typical one,
    yet the list said nothing of it, and a program with no typical score said "no score effect assumed, +/- 15
    points" (explain: "-0.90 ... no score effect assumed") beside a negative term and no range at all."""
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(row(program_id="N1", name="No typical", yog_cutoff_years="none",
                                 step2_typical="unknown", step2_min="unknown")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    note = ("no Step 2 CK score recorded: counted as 10 points below each program's typical score (an assumption); "
            "record yours with `imgcoach exams add`")
    assert note in data["warnings"]
    (program,) = data["programs"]
    assert note in program["what_is_assumed"]
    assert not [x for x in program["what_is_assumed"] if "no score effect" in x or "+/-" in x]
    text = run_cli(capsys, "shortlist", "--db", db_url).out
    assert f"WARNING {note}" in text
    explained = run_cli(capsys, "shortlist", "--explain", "N1", "--json", "--db", db_url).json()
    (score,) = [f for f in explained["top_factors"] if f["factor"] == "score"]
    assert score["logodds"] < 0 and "no score effect" not in score["text"]
    assert score["text"] == ("no Step 2 CK score yet (assumed 10 below the typical score, which is unknown for this "
                             "program and its specialty)")
    # With a score recorded the note goes, and the unknown typical score is the range it says
    assert run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", "2026-08-14", "--score", "240",
                   "--db", db_url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--db", db_url).json()
    assert not [w for w in data["warnings"] if "Step 2 CK" in w]
    (program,) = data["programs"]
    assert note not in program["what_is_assumed"]
    assert ("no typical Step 2 CK known for the program or its specialty: no score effect assumed, +/- 15 points"
            in program["what_is_assumed"])


def test_the_default_budget_is_said_to_be_one(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`profile show` said "Programs: not set" while `shortlist` said "budget: 60 programs" as if it were the
    applicant's: the default is now named as one wherever the budget is shown, and only when it is used."""
    data = run_cli(capsys, "shortlist", "--json", "--db", db).json()
    assert data["budget"]["programs"] == 60 and data["budget"]["default"] is True
    assert data["budget"]["text"].startswith("60 programs (a default: no budget in your profile; ")
    assert data["curve"]["budget"].startswith("60 programs (a default: no budget in your profile)")
    text = run_cli(capsys, "shortlist", "--db", db).out
    assert "budget: 60 programs (a default: no budget in your profile; `imgcoach profile set --budget-programs N`" \
           in text
    for args in (("--budget", "5"), ("--budget-usd", "33")):
        data = run_cli(capsys, "shortlist", "--json", *args, "--db", db).json()
        assert data["budget"]["default"] is False and "default" not in data["budget"]["text"]
    assert run_cli(capsys, "profile", "set", "--budget-programs", "10", "--db", db).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--db", db).json()
    assert data["budget"] == {"programs": 10, "usd": None, "default": False, "text": "10 programs", "profile_both": None}
    assert "budget: 10 programs; chosen 10 of 12" in run_cli(capsys, "shortlist", "--db", db).out


def test_a_pgy2_specialty_comes_with_a_pgy1_list_planned_beside_it(ctx: Context, db_url: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Dermatology's programs start at PGY-2: the shortlist only said "plan a PGY-1 year beside it" and listed no
    preliminary or transitional program (issue 14). Now a list of its own, outside the main budget, in text,
    JSON and CSV, with its size said to be an assumption; a categorical target gets none."""
    rows = [row(program_id=f"D{i}", name=f"Derm {i}", specialty="Dermatology", yog_cutoff_years="none")
            for i in range(3)]
    rows += [row(program_id=f"T{i}", name=f"TY {i}", specialty="Transitional Year", yog_cutoff_years="none")
             for i in range(25)]
    rows += [row(program_id="PM", name="Prelim", specialty="Internal Medicine (Preliminary)",
                 yog_cutoff_years="none"),
             row(program_id="IM", name="Categorical", specialty="Internal Medicine", yog_cutoff_years="none")]
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(*rows))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    assert run_cli(capsys, "profile", "set", "--specialties", "Dermatology", "--db", db_url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--budget", "2", "--db", db_url).json()
    assert {p["id"] for p in data["programs"]} <= {"D0", "D1", "D2"} and len(data["programs"]) == 2
    plan = data["pgy1_year"]
    assert plan["for_specialties"] == ["dermatology"] and plan["in_main_budget"] is False
    chosen = {p["id"] for p in plan["programs"]}
    assert len(chosen) == 20 and chosen <= {f"T{i}" for i in range(25)} | {"PM"}  # never the categorical IM
    assert plan["counts"]["eligible"] == 26 and plan["total_fee_usd"] == sum(p["fee_usd"] for p in plan["programs"])
    assert "[assumption] 20 programs" in plan["list_size_basis"]
    assert data["total_fee_usd"] == 22  # the main budget holds the two dermatology programs only
    text = run_cli(capsys, "shortlist", "--budget", "2", "--db", db_url).out
    assert "PGY-1 year beside Dermatology (for programs that start at PGY-2), a list of its own, not in the budget " \
           "above: the best 20 of 26 eligible preliminary and transitional programs" in text
    assert "[assumption] 20 programs" in text
    listed = list(csv.DictReader(io.StringIO(run_cli(capsys, "shortlist", "--csv", "--budget", "2",
                                                     "--db", db_url).out)))
    assert [r["list"] for r in listed] == ["main"] * 2 + ["pgy1_year"] * 20
    assert {r["id"] for r in listed if r["list"] == "pgy1_year"} == chosen
    # --explain on a listed PGY-1 program explains it as that list assessed it, not "outside your preferences"
    first = plan["programs"][0]
    explained = run_cli(capsys, "shortlist", "--explain", first["id"], "--json", "--budget", "2", "--db", db_url).json()
    assert explained["status"] == first["status"] and explained["probability"] == first["probability"]
    assert run_cli(capsys, "profile", "set", "--specialties", "Internal Medicine", "--db", db_url).code == 0
    assert run_cli(capsys, "shortlist", "--json", "--db", db_url).json()["pgy1_year"] is None
    # a PGY-2 target with no program on the list (none in the data) plans no PGY-1 year
    assert run_cli(capsys, "profile", "set", "--specialties", "Internal Medicine,Ophthalmology", "--db", db_url).code == 0
    assert run_cli(capsys, "shortlist", "--json", "--db", db_url).json()["pgy1_year"] is None


def test_shortlist_text_explain_and_what_ifs(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = run_cli(capsys, "shortlist", "--db", db)
    assert text.code == 0 and "estimated chance of at least one match" in text.out and "not a promise" in text.out
    explained = run_cli(capsys, "shortlist", "--explain", "C03", "--db", db)
    assert "interview chance" in explained.out and "top factors" in explained.out
    assert "source: test fixture" in explained.out
    what_if = run_cli(capsys, "shortlist", "--json", "--what-if-step2", "200", "--db", db)
    assert what_if.json()["what_if"]["alternative"]["label"] == "if your Step 2 CK were 200"
    completed = run_cli(capsys, "shortlist", "--completed-only", "--db", db)
    assert completed.code == 0 and "with the rotations you have planned" in completed.out


def test_override_and_list(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli(capsys, "programs", "override", "C01", "visa_h1b", "yes", "--note", "called", "--db", db)
    assert result.code == 0 and "(your override)" in result.out
    listed = run_cli(capsys, "programs", "list", "--json", "--db", db)
    c01 = next(p for p in listed.json() if p["program_id"] == "C01")
    assert c01["overridden_fields"] == ["visa_h1b"] and c01["visa_h1b"] == "yes"
    bad = run_cli(capsys, "programs", "override", "C01", "visa_h1b", "maybe", "--db", db)
    assert bad.code == 2 and "visa_h1b" in bad.err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (csv_text(row(), header=HEADER.replace(",source", "")), "line 1, column source: missing column"),
        (csv_text(row(), row(program_id="Z2", positions="many")), "line 3, column 8 (positions)"),
        (csv_text(row(), row()), "duplicate id 'P1'"),
        (csv_text(row(state="ZZ")), "line 2, column 6 (state): unknown state 'ZZ'"),
        (csv_text(row(specialty="cardiac_magic")), "unknown specialty; no specialty's name is close (the specialties: "),
    ],
    ids=["missing_column", "wrong_type", "duplicate_id", "unknown_state", "unknown_specialty"],
)
def test_bad_csv_exits_2_and_leaves_the_database_unchanged(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, needle: str
) -> None:
    before = _dump(db)
    path = tmp_path / "bad.csv"
    path.write_text(text)
    result = run_cli(capsys, "programs", "import", str(path), "--db", db)
    assert result.code == 2 and needle in result.err and "Traceback" not in result.err
    assert _dump(db) == before


def _dump(db: str) -> list[tuple]:
    state = database_state(db)
    return state if isinstance(state, str) else state["program"] + state["program_import"]


def test_subprocess_error_has_no_traceback(db: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(row(positions="x")))
    result = run_subprocess("programs", "import", str(path), "--db", db)
    assert result.code == 2 and "line 2, column 8 (positions)" in result.err and "Traceback" not in result.err


def test_a_long_strong_list_is_shown_at_the_ceiling_never_as_100_percent(
    ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock
) -> None:
    """Independence used to print 99.9% here; the shared component caps it, and the words say so."""
    from datetime import date

    from imgcoach.plan.exams import add_exam
    from imgcoach.plan.rotations import add_rotation

    add_exam(ctx, "Step 2 CK", date(2026, 6, 1), score=265)
    add_rotation(ctx, kind="externship", specialty="Internal Medicine", institution="Test Hospital", state="NY",
                 country="US", start_date=date(2026, 1, 5), end_date=date(2026, 6, 28), hands_on=True)
    path = tmp_path / "easy.csv"
    path.write_text(csv_text(*[row(program_id=f"E{i:03d}", step2_typical="215", img_share_pct="90", step2_min="200",
                                   yog_cutoff_years="none", state=["NY", "NJ", "PA"][i % 3]) for i in range(150)]))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--budget", "150", "--db", db_url).json()
    assert data["chance_of_at_least_one_match"] < data["chance_ceiling"] == 0.93
    # Within a point of the ceiling (the IMG-share reference is the 62% of IMG-heavy programs since 2026.3).
    assert data["at_ceiling"] and data["chance_display"] in ("about 92%", "about 93%")
    assert "assumption" in data["chance_note"] and "93%" in data["chance_note"]
    text = run_cli(capsys, "shortlist", "--budget", "150", "--db", db_url).out
    assert re.search(r"estimated chance of at least one match: about 9[23]%, at the model's ceiling", text)
    assert "more programs cannot raise it" in text
    assert "100%" not in text and "99." not in text


def test_a_list_with_no_program_has_no_chance_not_a_small_one(ctx: Context, db_url: str, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Every program failing a requirement left an empty list whose chance read "<1%", a small chance of a match
    from no application at all."""
    path = tmp_path / "no-visa.csv"
    path.write_text(csv_text(row(program_id="NV1", name="No Visa Program", visa_j1="no", visa_h1b="no")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    assert run_cli(capsys, "profile", "set", "--visa", "j1", "--db", db_url).code == 0
    result = run_cli(capsys, "shortlist", "--db", db_url)
    assert result.code == 0, result.err
    assert "estimated chance of at least one match: 0% (no program on the list)" in result.out
    assert "no eligible program" in result.out


def test_present_rounds_and_never_says_certain() -> None:
    from imgcoach.matching.present import chance_sentence, chance_text, pct

    assert chance_text(0.8705) == "about 87%" and chance_text(0.9999) == ">99%" and pct(0.001) == "<1%"
    assert pct(0.996) == ">99%" and pct(0.5) == "50%"
    assert chance_sentence(0.87, 0.93).endswith("(model ceiling 93%)")
    assert "at the model's ceiling" in chance_sentence(0.925, 0.93)


def _forget_facts(ctx: Context, program_id: str) -> None:
    """The row as a database from before program facts were stored keeps it (matching_0001 added `facts`
    as {}): name, specialty and the other required facts read as unknown."""
    from sqlalchemy import update

    from imgcoach.storage.models import Program as ProgramRow

    with ctx.db.transaction() as session:
        session.execute(update(ProgramRow).where(ProgramRow.id == program_id).values(facts={}))


def test_a_stored_program_the_code_cannot_read_is_named_not_an_internal_error(db: str, ctx: Context) -> None:
    _forget_facts(ctx, "C03")
    result = run_subprocess("shortlist", "--db", db)  # a fresh process, as after an upgrade (no program cache)
    assert result.code == 2, result.err
    assert "internal error" not in result.err and "ValueError" not in result.err
    assert "program C03: the stored name 'unknown' is required and cannot be 'unknown'" in result.err
    assert "imgcoach programs import" in result.err


def test_explain_gives_the_listed_range_and_what_is_assumed(demo_ctx: Context,
                                                            capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """`shortlist --explain ID` said "interview chance: 24% (target)" for a program the list itself gave as
    4%-32% with what in it is assumed: the explanation was the one output with a bare point."""
    url = demo_ctx.db.url
    listed = run_cli(capsys, "shortlist", "--json", "--db", url).json()["programs"]
    wide = next(p for p in listed if p["probability_range"][0] < p["probability"] - 0.05)
    explained = run_cli(capsys, "shortlist", "--explain", wide["id"], "--json", "--db", url).json()
    assert explained["probability_range"] == wide["probability_range"]
    assert explained["what_is_assumed"] == wide["what_is_assumed"] and explained["what_is_assumed"]
    low, high = (round(100 * x) for x in wide["probability_range"])
    text = run_cli(capsys, "shortlist", "--explain", wide["id"], "--db", url).out
    assert f"(range {low}%-{high}%" in text
    assert "assumed:\n  - " + wide["what_is_assumed"][0] in text
    # A program assessed but not chosen (on the default list, not on a list of 2): its point, and why no range
    two = {p["id"] for p in run_cli(capsys, "shortlist", "--json", "--budget", "2", "--db", url).json()["programs"]}
    other = next(p for p in listed if p["id"] not in two)
    alone = run_cli(capsys, "shortlist", "--explain", other["id"], "--budget", "2", "--db", url).out
    assert f"{round(100 * other['probability'])}% (not on your list" in alone


def test_explain_says_a_tiny_match_chance_without_about(ctx: Context, db_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """--explain said "chance this program becomes your match: about <1%": "about" before a bound is nonsense.
    It now says it as every other chance is said (present.chance_text): "<1%" alone, "about N%" otherwise."""
    path = tmp_path / "programs.csv"
    path.write_text(csv_text(row(program_id="T1", name="Tiny", yog_cutoff_years="none", step2_min="unknown",
                                 step2_typical="290", img_share_pct="0"),
                             row(program_id="T2", name="Open", yog_cutoff_years="none", step2_min="unknown",
                                 step2_typical="210", img_share_pct="90")))
    assert run_cli(capsys, "programs", "import", str(path), "--db", db_url).code == 0
    assert run_cli(capsys, "exams", "add", "--exam", "Step 2 CK", "--date", "2026-06-01", "--score", "250",
                   "--db", db_url).code == 0
    tiny = run_cli(capsys, "shortlist", "--explain", "T1", "--db", db_url)
    assert run_cli(capsys, "shortlist", "--explain", "T1", "--json", "--db", db_url).json()["match_share"] < 0.005
    assert "chance this program becomes your match: <1%\n" in tiny.out and "about <" not in tiny.out
    share = run_cli(capsys, "shortlist", "--explain", "T2", "--json", "--db", db_url).json()["match_share"]
    assert share >= 0.005
    open_one = run_cli(capsys, "shortlist", "--explain", "T2", "--db", db_url)
    assert f"chance this program becomes your match: about {round(share * 100)}%\n" in open_one.out


def test_a_us_citizen_who_says_they_need_a_visa_is_told_the_profile_contradicts_itself(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`profile set --us-citizen` beside a J-1 need was taken silently, and the list told a U.S. citizen that
    programs "do not sponsor the visa you need". The list keeps the stated need but says the contradiction."""
    assert run_cli(capsys, "profile", "set", "--us-citizen", "--db", db).code == 0
    data = run_cli(capsys, "shortlist", "--json", "--db", db).json()
    (said,) = [w for w in data["warnings"] if "U.S. citizen" in w]
    assert said.startswith("your profile says you are a U.S. citizen and need a J-1 visa, but a U.S. citizen needs "
                           "no visa to train in the U.S.")
    assert "imgcoach profile set --visa none" in said and "--not-us-citizen" in said
    assert f"WARNING {said}" in run_cli(capsys, "shortlist", "--db", db).out
    assert run_cli(capsys, "profile", "set", "--visa", "none", "--db", db).code == 0
    assert not [w for w in run_cli(capsys, "shortlist", "--json", "--db", db).json()["warnings"] if "citizen" in w]
    assert run_cli(capsys, "profile", "set", "--not-us-citizen", "--visa", "j1", "--db", db).code == 0
    assert not [w for w in run_cli(capsys, "shortlist", "--json", "--db", db).json()["warnings"] if "citizen" in w]


def test_a_budget_below_the_first_fee_says_the_budget_not_the_requirements(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    """$5 buys no application ($11 is ERAS's first fee): the list said "chosen 0 of 12 eligible programs" and then
    "none of the 12 programs is inside your preferences" (or, with some excluded, "no eligible program: all N
    programs in your preferences fail a requirement"): both contradict the 12 eligible programs."""
    data = run_cli(capsys, "shortlist", "--budget-usd", "5", "--json", "--db", db).json()
    assert data["counts"]["chosen"] == 0 and data["counts"]["eligible"] > 0
    why = data["why_nothing_eligible"]
    assert "fail a requirement" not in why and "outside your preferences" not in why
    assert why == (f"none of the {data['counts']['eligible']} eligible programs fits your budget of $5 in application "
                   "fees (the cheapest first application costs $11): raise it with --budget-usd or "
                   "`imgcoach profile set --budget-usd X`")
    assert why in run_cli(capsys, "shortlist", "--budget-usd", "5", "--db", db).out
    assert run_cli(capsys, "shortlist", "--budget-usd", "11", "--json", "--db", db).json()["counts"]["chosen"] == 1


def test_the_excluded_counts_say_why_they_add_up_to_more_than_the_excluded(
        demo_ctx: Context, capsys: pytest.CaptureFixture[str], cli_clock: FixedClock) -> None:
    """The demo said "(94 excluded by requirements)" and then "excluded by requirements: ...: 45; ...: 35; ...: 24"
    (104): a program can fail several requirements, and the line did not say so."""
    db = demo_ctx.db.url
    data = run_cli(capsys, "shortlist", "--json", "--db", db).json()
    excluded, per_reason = data["counts"]["excluded"], sum(c["programs"] for c in data["exclusions"])
    assert per_reason > excluded  # the demo applicant fails several requirements at some programs
    (line,) = [x for x in run_cli(capsys, "shortlist", "--db", db).out.splitlines()
               if x.startswith("excluded by requirements: ")]
    assert line.endswith(f" (some of the {excluded} programs fail more than one, so these add up to more)")
