"""Matching benchmarks: rank 13,000 programs, choose 150 of them, nightly refresh of 1,000 applicants.

    .venv/bin/python -m bench.bench_matching [--applicants 1000]

Each figure is printed with its ratio to a baseline measured in the same run:
- ranking vs a plain Python loop that only reads the 13,000 rows' fields;
- the optimiser vs sorting the 13,000 interview log-odds;
- the nightly refresh vs only reading every applicant's plan (the facts queries).
Goals (issue 7): ranking < 100 ms, optimiser < 1 s, nightly refresh of 1,000 applicants < 2 minutes.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.timing import med, report, time_call
from imgcoach.matching.csv_reader import read_programs
from imgcoach.matching.facts import ApplicantFacts, Preferences, RotationFact
from imgcoach.matching.fees import load_schedule
from imgcoach.matching.generate import generate_rows, render_csv
from imgcoach.matching.optimiser import Candidate, choose
from imgcoach.matching.ranking import rank
from imgcoach.matching.schema import FACT_FIELDS
from imgcoach.matching.table import build_table

TODAY = date(2026, 11, 25)
N_PROGRAMS = 13_000


def applicant() -> ApplicantFacts:
    return ApplicantFacts(
        match_year=2028, step2_score=238, graduation_year=2022, visa_need="j1", us_letters_received=2,
        rotations=(RotationFact("im externship", "externship", date(2026, 6, 1), date(2026, 7, 26), True, "NY"),
                   RotationFact("cardiology observership", "observership", date(2027, 2, 27), date(2027, 3, 26),
                                False, "NJ")),
        preferences=Preferences(),  # every specialty and state: all 13,000 programs in scope
    )


def bench_pure() -> None:
    programs = read_programs(render_csv(generate_rows(N_PROGRAMS, 7))).programs
    table = build_table(programs)
    facts = applicant()

    def read_rows() -> None:
        for p in programs:
            for name in FACT_FIELDS:
                getattr(p, name)

    baseline = med(time_call(read_rows, repeat=7))
    report(f"baseline: read {N_PROGRAMS:,} rows' fields", [baseline])
    ranking = rank(table, facts, TODAY)
    report(f"rank {N_PROGRAMS:,} programs (eligibility + model)",
           time_call(lambda: rank(table, facts, TODAY), repeat=7), baseline)
    print(f"    kept {len(ranking.kept):,}, excluded {len(ranking.excluded):,}")

    cands = [Candidate(a.index, table.specialty[a.index], a.logodds) for a in ranking.kept]
    cands += [Candidate(i, table.specialty[i], random.Random(i).uniform(-6.0, 0.0))
              for i in range(len(cands), N_PROGRAMS)]  # pad to 13,000 candidates
    shared, fees = table.params.shared(), load_schedule()
    sort_base = med(time_call(lambda: sorted(c.logodds for c in cands), repeat=7))
    report(f"baseline: sort {len(cands):,} log-odds", [sort_base])
    report("optimiser: best 150 of 13,000 by count",
           time_call(lambda: choose(cands, shared, fees, budget_programs=150)), sort_base)
    sel = choose(cands, shared, fees, budget_usd=3930)
    report("optimiser: best list for $3,930 (150 in one specialty)",
           time_call(lambda: choose(cands, shared, fees, budget_usd=3930)), sort_base)
    print(f"    chose {len(sel.picks)}, fee ${sel.total_fee_usd:,.0f}, chance {sel.chance:.4f} "
          f"(ceiling {shared.ceiling:.2f}), certified gap <= {sel.max_gap * 100:.4f} points")


def _populate(ctx, n_applicants: int, programs_csv: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from imgcoach.matching.programs import import_programs
    from imgcoach.storage.models import Applicant, ExamResult, LetterRequest, Rotation
    from imgcoach.storage.models.core import Contact

    import_programs(ctx, programs_csv)
    rng = random.Random(1)
    specs = ["Internal Medicine", "Family Medicine", "Pediatrics", "Psychiatry", "Neurology", "Pathology"]
    now = datetime(2026, 11, 25, tzinfo=UTC)
    with ctx.db.transaction() as session:
        session.execute(insert(Applicant), [{
            "name": f"Synthetic applicant {i}", "email": f"a{i}@example.com", "timezone": "America/New_York",
            "graduation_year": rng.randint(2016, 2025), "visa": rng.choice(["j1", "h1b", "none"]),
            "target_specialties": rng.sample(specs, rng.randint(1, 2)), "target_countries": ["US"],
            "target_states": rng.sample(["NY", "NJ", "PA", "MI", "TX", "FL", "IL", "OH", "CA"], rng.randint(0, 4)),
            "application_budget_programs": rng.choice([40, 60, 80, 100]), "synthetic": True,
            "created_at": now, "updated_at": now} for i in range(n_applicants)])
        ids = list(range(1, n_applicants + 1))
        session.execute(insert(ExamResult), [{"applicant_id": i, "exam": "Step 2 CK", "taken_on": date(2026, 3, 1),
                                              "score": rng.randint(215, 262), "attempt": 1} for i in ids])
        rotations = []
        for i in ids:
            start = date(2026, 1, 5) + timedelta(days=rng.randint(0, 500))
            for k in range(rng.randint(1, 3)):
                s = start + timedelta(days=35 * k)
                rotations.append({"applicant_id": i, "kind": rng.choice(["observership", "externship"]),
                                  "specialty": "Internal Medicine", "institution": "Bench Hospital (synthetic)",
                                  "state": rng.choice(["NY", "NJ", "MI"]), "country": "US", "start_date": s,
                                  "end_date": s + timedelta(days=27), "hands_on": rng.random() < 0.5,
                                  "created_at": now, "updated_at": now})
        session.execute(insert(Rotation), rotations)
        session.execute(insert(Contact), [{"applicant_id": i, "name": f"Dr Writer {i}"} for i in ids])
        session.execute(insert(LetterRequest), [{"applicant_id": i, "writer_id": i, "rotation_id": None,
                                                 "status": "requested"} for i in ids])


def bench_nightly(n_applicants: int) -> None:
    from sqlmodel import select

    from imgcoach.core.clock import FixedClock
    from imgcoach.core.context import Context
    from imgcoach.core.settings import Settings
    from imgcoach.matching.runs import gather, local_today, refresh_all
    from imgcoach.storage.db import Database
    from imgcoach.storage.models import Applicant

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "programs.csv"
        csv_path.write_text(render_csv(generate_rows(N_PROGRAMS, 7)))
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        ctx = Context(db=db, clock=FixedClock(datetime(2026, 11, 25, 14, 0, tzinfo=UTC)), settings=Settings())
        start = time.perf_counter()
        _populate(ctx, n_applicants, csv_path)
        print(f"    setup: {N_PROGRAMS:,} programs imported + {n_applicants:,} applicants in "
              f"{time.perf_counter() - start:.1f} s")

        def read_plans() -> None:
            with ctx.db.read() as session:
                for a in session.exec(select(Applicant)).all():
                    gather(session, ctx, a, local_today(ctx, a))

        baseline = time_call(read_plans, repeat=1)
        report(f"baseline: read {n_applicants:,} applicants' plans", baseline, unit="s")
        refresh = time_call(lambda: refresh_all(ctx), repeat=1)
        report(f"nightly refresh of {n_applicants:,} applicants", refresh, med(baseline), unit="s")
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=1000)
    args = parser.parse_args()
    bench_pure()
    bench_nightly(args.applicants)


if __name__ == "__main__":
    main()
