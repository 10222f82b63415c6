"""Load the calibration file: cited figures, the model's stated assumptions and its fitted parameters."""

from __future__ import annotations

import math
from functools import cache
from typing import Any, NamedTuple

from imgcoach.matching.datafiles import data_file, data_text
from imgcoach.matching.shared import SharedFactor, shared_factor


class ModelParams(NamedTuple):
    """Everything the model needs, read from data/calibration.toml (a data change, not a code change)."""

    alpha: float  # log-odds of an interview for the reference non-U.S. IMG at a reference program
    spread: float  # s.d. of applicant standing (log-odds) in the calibration population
    q: float  # chance that one interview turns into the match
    us_img_offset: float  # extra log-odds for U.S.-citizen IMGs
    a: dict[str, float]  # the [assumptions] table
    version: str
    disclaimer: str

    def group_offset(self, img_group: str) -> float:
        return self.us_img_offset if img_group == "us_img" else 0.0

    @property
    def season_failure(self) -> float:
        """Chance that unmeasured applicant-level factors sink the whole season (an assumption)."""
        return self.a.get("season_failure", 0.0)

    @property
    def unmeasured_sd(self) -> float:
        """S.d. of the standing the profile does not measure: the assumed share of the fitted spread."""
        return self.spread * math.sqrt(self.a.get("unmeasured_variance_share", 0.0))

    def shared(self) -> SharedFactor:
        return shared_factor(round(self.unmeasured_sd, 9), self.q, self.season_failure)


def read_calibration_text() -> str:
    return data_text("calibration.toml")


@cache
def calibration() -> dict[str, Any]:
    return data_file("calibration.toml")


def params_from(data: dict[str, Any]) -> ModelParams:
    fitted = data.get("params") or {}
    missing = {"alpha", "spread", "q", "us_img_offset"} - set(fitted)
    if missing:
        raise RuntimeError(f"calibration.toml has no fitted {sorted(missing)}: run python -m imgcoach.matching.calibrate --write")
    return ModelParams(
        alpha=float(fitted["alpha"]),
        spread=float(fitted["spread"]),
        q=float(fitted["q"]),
        us_img_offset=float(fitted["us_img_offset"]),
        a={k: float(v) for k, v in data["assumptions"].items()},
        version=str(data["meta"]["model_version"]),
        disclaimer=" ".join(str(data["meta"]["disclaimer"]).split()),
    )


@cache
def default_params() -> ModelParams:
    return params_from(calibration())
