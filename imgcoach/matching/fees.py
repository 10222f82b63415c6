"""ERAS fee schedule from data/eras_fees.toml: cost of applying to n programs per specialty."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from imgcoach.core.errors import UserError


@dataclass(frozen=True, slots=True)
class Tier:
    up_to: int | None  # last program count this fee applies to; None = no upper bound
    fee_usd: float


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    season: str
    label: str
    source: str
    url: str
    per_specialty: bool
    tiers: tuple[Tier, ...]
    one_time: tuple[dict, ...] = ()

    def marginal_fee(self, k: int) -> float:
        """Fee of the k-th program (1-based) within one specialty."""
        for tier in self.tiers:
            if tier.up_to is None or k <= tier.up_to:
                return tier.fee_usd
        return self.tiers[-1].fee_usd

    def fee_for_count(self, n: int) -> float:
        return sum(self.marginal_fee(k) for k in range(1, n + 1))

    def total(self, specialties: Iterable[str]) -> float:
        """Total fee for a list of programs given by their specialty codes."""
        counts = Counter(specialties)
        if not self.per_specialty:
            return self.fee_for_count(sum(counts.values()))
        return sum(self.fee_for_count(n) for n in counts.values())


def _parse(season: str, raw: dict) -> FeeSchedule:
    tiers = tuple(Tier(t.get("up_to"), float(t["fee_usd"])) for t in raw["tiers"])
    if not tiers or tiers[-1].up_to is not None:
        raise ValueError(f"eras_fees.toml season {season}: the last tier must have no up_to")
    return FeeSchedule(season, raw["label"], raw["source"], raw["url"], bool(raw.get("per_specialty", True)),
                       tiers, tuple(raw.get("one_time", ())))


@cache
def fee_data() -> dict:
    text = resources.files("imgcoach.matching").joinpath("data/eras_fees.toml").read_text("utf-8")
    return tomllib.loads(text)


def load_schedule(season: str | None = None) -> FeeSchedule:
    data = fee_data()
    season = season or data["current"]
    if season not in data["season"]:
        raise UserError(f"no ERAS fee schedule for season {season}; known: {', '.join(sorted(data['season']))}")
    return _parse(season, data["season"][season])
