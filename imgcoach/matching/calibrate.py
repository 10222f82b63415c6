"""Refit the model to the cited figures and print (or --write) the parameters and the reproduction table."""

from __future__ import annotations

import argparse
import re
import tomllib
from importlib import resources

from imgcoach.matching.calibration import fit, reproduce, within_tolerance
from imgcoach.matching.params import ModelParams, read_calibration_text


def report(data: dict, params: ModelParams) -> list[str]:
    lines = [f"alpha={params.alpha:.4f} spread={params.spread:.4f} q={params.q:.4f} "
             f"us_img_offset={params.us_img_offset:.4f} (assumed: season_failure={params.season_failure:g}, "
             f"unmeasured s.d.={params.unmeasured_sd:.3f})"]
    for figure in data["figure"]:
        if figure.get("use") not in ("fit", "check"):
            continue
        value = reproduce(figure, params)
        ok = "ok " if within_tolerance(figure, value) else "OFF"
        lines.append(f"  {ok} {figure['id']:<48} cited {float(figure['value']):>7.3f}  model {value:>7.3f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="store the fitted parameters in calibration.toml")
    args = parser.parse_args()
    text = read_calibration_text()
    data = tomllib.loads(text)
    start = ModelParams(alpha=-3.2, spread=1.9, q=0.21, us_img_offset=0.9,
                        a={k: float(v) for k, v in data["assumptions"].items()},
                        version=str(data["meta"]["model_version"]), disclaimer="")
    params = fit(data, start)
    print("\n".join(report(data, params)))
    if args.write:
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
