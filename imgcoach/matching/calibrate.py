"""Refit the model to the cited NRMP figures and print what is fitted, what is checked, what is assumed.

    python -m imgcoach.matching.calibrate          # print the table (the same table is in docs/matching-model.md)
    python -m imgcoach.matching.calibrate --write  # also store the fitted parameters in calibration.toml

Fitted (season 2025 and the applicant survey): alpha, spread, q to the non-U.S. IMG 2025 match rate and the
two interview medians; the U.S. IMG offset to the U.S. IMG 2025 rate. Checked (not fitted, other seasons):
the 2023 and 2024 group rates and the 2025 all-IMG mix, each within 3 points. Per specialty: the shift that
holds the calibration population to what the specialty's NRMP figures give the group (an anchor, fitted by
construction, so not evidence), and every out-of-season IMG share against the anchor season.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from importlib import resources

from imgcoach.matching.anchors import anchors, share_checks
from imgcoach.matching.calibration import fit, reproduce, within_tolerance
from imgcoach.matching.params import ModelParams, default_params, read_calibration_text

SHARE_TOLERANCE_PP = 3.0


def figure_rows(data: dict, params: ModelParams) -> list[str]:
    lines = ["| figure | season | source | cited | model | use |", "|---|---|---|---|---|---|"]
    for figure in data["figure"]:
        if figure.get("use") not in ("fit", "check"):
            continue
        value = reproduce(figure, params)
        ok = within_tolerance(figure, value)
        rate = "tolerance_pp" in figure
        cited = f"{100 * float(figure['value']):.1f}%" if rate else f"{float(figure['value']):g}"
        model = f"{100 * value:.1f}%" if rate else f"{value:g}"
        use = figure["use"] if ok else f"{figure['use']} OFF"
        lines.append(f"| `{figure['id']}` | {figure['year']} | {figure['report']} [{figure['grade']}] | {cited} | "
                     f"{model} | {use} |")
    return lines


def specialty_rows(params: ModelParams) -> list[str]:
    """Per specialty and group: the implied rate, the bound on a profile's best-60 chance there (bound.py, an
    assumption: 'none' where the specialty is as open as the Match as a whole) and the interview shift."""
    from imgcoach.matching.bound import bound_rate

    data = anchors()
    lines = ["| specialty | system | entry | non-U.S. IMG implied rate (range) | shift | U.S. IMG implied rate (range) "
             "| shift | basis |", "|---|---|---|---|---|---|---|---|"]
    for code, a in data.specialties.items():
        cells = []
        for group in ("non_us_img", "us_img"):
            o = data.openness(code, group, params)
            mark = "" if o.known else " (assumed)"
            limit = bound_rate(o.rate_point, o.national_rate, params.a, params.shared().ceiling)
            held = "none" if limit is None else f"<= {100 * limit:.0f}%"
            cells += [f"{100 * o.rate_point:.1f}% ({100 * o.rate_low:.1f}-{100 * o.rate_high:.1f}){mark}; bound {held}",
                      f"{o.point:+.2f}"]
        entry = a.entry + (" + PGY-1 year" if a.needs_pgy1 else "")
        basis = data.openness(code, "non_us_img", params).basis
        lines.append(f"| {code} | {a.system} | {entry} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {basis} |")
    return lines


def share_rows() -> list[str]:
    lines = ["| specialty | anchor season share | other season | cited share | moved | status |",
             "|---|---|---|---|---|---|"]
    for c in share_checks():
        if abs(c["moved"]) <= SHARE_TOLERANCE_PP:
            status = "ok (within 3 points)"
        elif c["known_drift"] is not None:
            status = "DRIFT (known, recorded; the range covers both seasons)"
        else:
            status = "OFF"
        lines.append(f"| {c['specialty']} | {c['anchor_year']}: {c['anchor_share']:.1f}% | {c['year']} | "
                     f"{c['cited_share']:.1f}% | {c['moved']:+.1f} | {status} |")
    return lines


def report(data: dict, params: ModelParams) -> list[str]:
    head = (f"alpha={params.alpha:.4f} spread={params.spread:.4f} q={params.q:.4f} "
            f"us_img_offset={params.us_img_offset:.4f} (assumed: season_failure={params.season_failure:g}, "
            f"unmeasured s.d.={params.unmeasured_sd:.3f}, IMG-share reference "
            f"{params.a['img_share_reference_pct']:g}%)")
    return ([head, "", "Group match rates: fitted on 2025 (+ survey medians), checked on other seasons", ""]
            + figure_rows(data, params)
            + ["", "Per specialty: implied chance for the calibration population (60 applications, everyone who "
                   "applies) and the interview log-odds shift that holds it there", ""]
            + specialty_rows(params)
            + ["", "Per specialty IMG shares: other seasons against the anchor season", ""]
            + share_rows())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="store the fitted parameters in calibration.toml")
    args = parser.parse_args()
    text = read_calibration_text()
    data = tomllib.loads(text)
    if not args.write:
        print("\n".join(report(data, default_params())))
        return
    current = default_params()
    params = fit(data, current)
    print("\n".join(report(data, params)))
    block = (
        "[params]\n"
        f"alpha = {params.alpha:.6f}\n"
        f"spread = {params.spread:.6f}\n"
        f"q = {params.q:.6f}\n"
        f"us_img_offset = {params.us_img_offset:.6f}\n"
    )
    new_text = re.sub(r"\[params\]\n(?:[^\[]*)\Z", block, text)
    path = resources.files("imgcoach.matching").joinpath("data/calibration.toml")
    with resources.as_file(path) as real:
        real.write_text(new_text, encoding="utf-8")
    print(f"written to {path}")


if __name__ == "__main__":
    main()
