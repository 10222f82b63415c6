"""Generate the SYNTHETIC sample program dataset (fixed seed): not real programs, not real figures.

    python -m imgcoach.matching.generate [--count 6000] [--seed 20261125] [--out PATH]

The file is shaped by public aggregates, cited here, so the demo behaves like the real landscape:
- Programs per state follow state population, 2020 Census resident population (U.S. Census Bureau,
  released 2021-04-26; millions, rounded): used only as sampling weights. CA, TX, FL, NY, PA, UT, WY
  and PR were checked against the release as quoted in press coverage; the other values are rounded
  and were not re-checked against census.gov.
- IMG share by state is scaled by IMG matches per million residents for the states where a figure was
  found: 2024 IMGs matched NY 1,092, PA 455, MI 414, TX 384, FL 381, NJ 309 (NRMP 2024 Match Results by
  State, Specialty, and Applicant Type, quoted by matcharesident.com [S]); other states get factor 1.
- IMG share by program type: IMGs filled 55-70% of PGY-1 positions at community internal medicine
  programs and 22-30% at university programs (APDIM surveys 2007-2019, J Gen Intern Med 2020,
  doi 10.1007/s11606-020-06519-1 [P]); midpoints used, community-based university halfway between.
- Typical Step 2 CK by specialty from the 2013 Charting Outcomes IMG edition matched means (non-U.S. IMG:
  FM 219, Psychiatry 219, IM 236, General Surgery 240 [S, medclerkships.com]) moved up 5 points toward
  the 233-243 range quoted for matched IMGs in 2022 [S, elitemedicalprep.com].
- Share of programs not stating a field: about 25% omitted basics such as whether they consider visa
  applicants, over half gave no minimum exam score (Kirkendoll, Carmody, Rhone, Cureus 2021,
  doi 10.7759/cureus.13900 [P], pediatrics on FREIDA): visa 25% unknown, Step 2 minimum 55% unknown.
Everything else (specialty mix, cutoff choices, positions, names, deadlines) is an ASSUMPTION of this
generator, marked as such below. No row describes a real program.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import random
from datetime import date, timedelta
from pathlib import Path

from imgcoach.matching.schema import COLUMNS
from imgcoach.matching.vocab import SPECIALTIES, STATES

SEED = 20261125
DEFAULT_COUNT = 6000
MATCH_YEAR = 2028  # deadlines fall in the application season for the March 2028 Match (autumn 2027)
SOURCE = "SYNTHETIC sample data (imgcoach.matching.generate, seed {seed}); not a real program"

# 2020 Census resident population, millions (sampling weights only). PR: 3.29 (Census 2020).
POPULATION_M = {
    "AL": 5.02, "AK": 0.73, "AZ": 7.15, "AR": 3.01, "CA": 39.54, "CO": 5.77, "CT": 3.61, "DE": 0.99,
    "DC": 0.69, "FL": 21.54, "GA": 10.71, "HI": 1.46, "ID": 1.84, "IL": 12.81, "IN": 6.79, "IA": 3.19,
    "KS": 2.94, "KY": 4.51, "LA": 4.66, "ME": 1.36, "MD": 6.18, "MA": 7.03, "MI": 10.08, "MN": 5.71,
    "MS": 2.96, "MO": 6.15, "MT": 1.08, "NE": 1.96, "NV": 3.10, "NH": 1.38, "NJ": 9.29, "NM": 2.12,
    "NY": 20.20, "NC": 10.44, "ND": 0.78, "OH": 11.80, "OK": 3.96, "OR": 4.24, "PA": 13.00, "RI": 1.10,
    "SC": 5.12, "SD": 0.89, "TN": 6.91, "TX": 29.15, "UT": 3.27, "VT": 0.64, "VA": 8.63, "WA": 7.71,
    "WV": 1.79, "WI": 5.89, "WY": 0.58, "PR": 3.29,
}
IMG_MATCHED_2024 = {"NY": 1092, "PA": 455, "MI": 414, "TX": 384, "FL": 381, "NJ": 309}

# ASSUMPTION: relative number of programs per specialty (not a statistic).
SPECIALTY_WEIGHT = {
    "internal_medicine": 16, "family_medicine": 23, "pediatrics": 8, "psychiatry": 11, "neurology": 6,
    "general_surgery": 9, "obstetrics_gynecology": 8, "emergency_medicine": 9, "anesthesiology": 6,
    "diagnostic_radiology": 7, "pathology": 5, "physical_medicine_rehabilitation": 3, "transitional_year": 4,
    "preliminary_medicine": 4, "preliminary_surgery": 3, "dermatology": 4, "orthopaedic_surgery": 6,
    "ophthalmology": 4,
}
# Typical Step 2 CK before program-type shifts: cited 2013 means + 5 where cited, else ASSUMPTION.
STEP2_BASE = {
    "family_medicine": 224, "psychiatry": 224, "internal_medicine": 241, "general_surgery": 245,
    "pediatrics": 232, "neurology": 236, "obstetrics_gynecology": 240, "emergency_medicine": 244,
    "anesthesiology": 246, "diagnostic_radiology": 248, "pathology": 232, "physical_medicine_rehabilitation": 238,
    "transitional_year": 240, "preliminary_medicine": 232, "preliminary_surgery": 234, "dermatology": 255,
    "orthopaedic_surgery": 255, "ophthalmology": 252,
}
# ASSUMPTION: how IMG-friendly each specialty is relative to internal medicine.
IMG_FACTOR = {
    "internal_medicine": 1.0, "family_medicine": 0.8, "pediatrics": 0.7, "psychiatry": 0.8, "neurology": 0.8,
    "general_surgery": 0.35, "obstetrics_gynecology": 0.3, "emergency_medicine": 0.2, "anesthesiology": 0.35,
    "diagnostic_radiology": 0.35, "pathology": 0.9, "physical_medicine_rehabilitation": 0.4,
    "transitional_year": 0.4, "preliminary_medicine": 0.9, "preliminary_surgery": 0.6, "dermatology": 0.08,
    "orthopaedic_surgery": 0.08, "ophthalmology": 0.15,
}
IMG_SHARE_BY_TYPE = {"community": 62.5, "university": 26.0, "community_based_university": 44.25}
TYPE_WEIGHT = {"community": 0.4, "university": 0.3, "community_based_university": 0.3}  # ASSUMPTION

_PREFIX = ["North", "South", "East", "West", "Lake", "River", "Oak", "Pine", "Cedar", "Maple", "Grand",
           "Fair", "Clear", "Spring", "Stone", "Silver", "Green", "Red", "Bay", "Hill"]
_SUFFIX = ["field", "ton", "view", "brook", "wood", "ford", "dale", "port", "mont", "haven", "ridge",
           "burg", "crest", "side", "land", "vale"]
_KIND = ["Regional Medical Center", "University Hospital", "Community Hospital", "Health System",
         "Medical Center", "General Hospital", "Memorial Hospital", "Academic Health Center"]


def _state_factor() -> dict[str, float]:
    rates = {s: IMG_MATCHED_2024[s] / POPULATION_M[s] for s in IMG_MATCHED_2024}
    mean = sum(rates.values()) / len(rates)
    return {s: (rates[s] / mean if s in rates else 1.0) for s in STATES}


def _allocate(total: int, weights: dict[str, float], minimum: int) -> dict[str, int]:
    keys = list(weights)
    base = {k: minimum for k in keys}
    rest = total - minimum * len(keys)
    wsum = sum(weights.values())
    exact = {k: rest * weights[k] / wsum for k in keys}
    for k in keys:
        base[k] += int(exact[k])
    left = total - sum(base.values())
    for k in sorted(keys, key=lambda k: -(exact[k] - int(exact[k])))[:left]:
        base[k] += 1
    return base


def _maybe(rng: random.Random, p_unknown: float, value: object) -> object:
    return "unknown" if rng.random() < p_unknown else value


def generate_rows(count: int = DEFAULT_COUNT, seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    per_state = _allocate(count, POPULATION_M, minimum=8)
    state_factor = _state_factor()
    spec_codes = list(SPECIALTY_WEIGHT)
    spec_w = [SPECIALTY_WEIGHT[s] for s in spec_codes]
    types = list(TYPE_WEIGHT)
    type_w = [TYPE_WEIGHT[t] for t in types]
    source = SOURCE.format(seed=seed)
    season_start = date(MATCH_YEAR - 1, 9, 15)
    rows: list[dict[str, str]] = []
    serial = 0
    for state in STATES:
        for _ in range(per_state[state]):
            serial += 1
            spec = rng.choices(spec_codes, spec_w)[0]
            ptype = rng.choices(types, type_w)[0]
            share = IMG_SHARE_BY_TYPE[ptype] * IMG_FACTOR[spec] * state_factor[state] * math.exp(rng.gauss(0, 0.45))
            share = max(0.0, min(100.0, share))
            typical = STEP2_BASE[spec] + {"university": 6, "community": -3}.get(ptype, 0) + rng.gauss(0, 6)
            typical_i = int(round(min(max(typical, 205), 270)))
            visa_j1 = rng.random() < min(0.97, 0.3 + share / 60)  # ASSUMPTION
            visa_h1b = rng.random() < min(0.7, 0.05 + share / 150)  # ASSUMPTION
            step2_min = rng.choice(["none", str(5 * round((typical_i - rng.uniform(10, 25)) / 5))])
            yog = rng.choices(["3", "5", "7", "none"], [3, 4, 1, 2])[0]  # ASSUMPTION (notes: commonly <=5, many <=3)
            usce = rng.choices(["0", "1", "2", "3", "6"], [3, 3, 2, 2, 1])[0]  # ASSUMPTION
            attempts = rng.choices(["1", "2", "none"], [4, 3, 3])[0]  # ASSUMPTION
            size = rng.randint(8, 40) if ptype == "university" else rng.randint(4, 20)  # ASSUMPTION
            deadline = season_start + timedelta(days=rng.randint(0, 80))
            city = rng.choice(_PREFIX) + rng.choice(_SUFFIX)
            institution = f"{rng.choice(_PREFIX)}{rng.choice(_SUFFIX)} {rng.choice(_KIND)}"
            checked = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
            rows.append({
                "program_id": f"SYN{serial:05d}",
                "name": f"{institution} {SPECIALTIES[spec]} Program (synthetic)",
                "specialty": spec,
                "institution": institution,
                "city": city,
                "state": state,
                "program_type": str(_maybe(rng, 0.05, ptype)),
                "positions": str(_maybe(rng, 0.10, size)),
                "visa_j1": str(_maybe(rng, 0.25, "yes" if visa_j1 else "no")),
                "visa_h1b": str(_maybe(rng, 0.25, "yes" if visa_h1b else "no")),
                "img_share_pct": str(_maybe(rng, 0.20, f"{share:.0f}")),
                "step2_min": str(_maybe(rng, 0.55, step2_min)),
                "step2_typical": str(_maybe(rng, 0.35, typical_i)),
                "yog_cutoff_years": str(_maybe(rng, 0.50, yog)),
                "usce_months_required": str(_maybe(rng, 0.40, usce)),
                "usce_hands_on_only": str(_maybe(rng, 0.50, rng.choice(["yes", "no"]))),
                "attempts_allowed": str(_maybe(rng, 0.50, attempts)),
                "application_deadline": str(_maybe(rng, 0.30, deadline.isoformat())),
                "source": source,
                "checked_on": checked.isoformat(),
            })
    return rows


def render_csv(rows: list[dict[str, str]], seed: int = SEED) -> str:
    out = io.StringIO()
    out.write(f"# SYNTHETIC DATA: {len(rows)} made-up residency programs generated by imgcoach.matching.generate "
              f"(seed {seed}).\n")
    out.write("# Not real programs. Shaped by cited public aggregates; see the generator's docstring.\n")
    writer = csv.DictWriter(out, fieldnames=[c.name for c in COLUMNS], lineterminator="\n", restval="unknown")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def default_path() -> Path:
    return Path(__file__).with_name("data") / "sample_programs.csv.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=default_path())
    args = parser.parse_args()
    text = render_csv(generate_rows(args.count, args.seed), args.seed)
    data = text.encode("utf-8")
    if args.out.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    args.out.write_bytes(data)
    print(f"wrote {args.count} synthetic programs to {args.out} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
