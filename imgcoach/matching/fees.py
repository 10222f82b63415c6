"""Application fee schedules from data/eras_fees.toml: cost of applying to n programs per specialty.

ERAS's tiers price every specialty except those whose application system has its own per-program fees
(ophthalmology: the SF Match CAS). A system's base fee (SF Match's, which buys its first 10 applications) is the
price of its first application, so it is charged with the first program and counted in the budget; the other
one-time fees (ECFMG token, transcript, match registrations) are shown beside the budget.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from imgcoach.core.errors import UserError
from imgcoach.matching.datafiles import data_file


class Tier(NamedTuple):
    up_to: int | None  # last program count this fee applies to; None = no upper bound
    fee_usd: float


class SystemFees(NamedTuple):
    """Another application or match system's fees: its own per-program tiers (or ERAS's when empty)."""

    code: str  # imgcoach.core.vocab.specialties.MatchSystem value
    label: str
    season: str
    source: str
    url: str
    tiers: tuple[Tier, ...]
    one_time: tuple[dict, ...] = ()
    # The fee paid with the first application through this system (SF Match CAS base fee, covering its first
    # `covers` programs): part of the per-program price, so the budget counts it; None when there is none.
    base: dict | None = None

    @property
    def base_usd(self) -> float:
        return float(self.base["usd"]) if self.base else 0.0

    def amortized(self, k: int, available: int | None = None) -> float:
        """The k-th program's fee with the base fee spread over the programs it covers (or the `available`
        ones, when fewer): never above what any list of k programs really pays, so the optimiser's bound stays
        an upper bound and its greedy does not shun the first program for carrying the whole base fee."""
        covers = int(self.base.get("covers", 1)) if self.base else 0
        spread = min(covers, available) if available else covers
        return _marginal(self.tiers, k) + (self.base_usd / spread if k <= spread else 0.0)


@cache
def _system_code(specialty: str) -> str | None:
    """The application system of a specialty other than NRMP/ERAS (sf_match, aua), else None."""
    from imgcoach.core.vocab.specialties import BY_CODE, MatchSystem

    spec = BY_CODE.get(specialty)
    return None if spec is None or spec.system is MatchSystem.NRMP else spec.system.value


def _marginal(tiers: tuple[Tier, ...], k: int) -> float:
    for tier in tiers:
        if tier.up_to is None or k <= tier.up_to:
            return tier.fee_usd
    return tiers[-1].fee_usd


class FeeSchedule(NamedTuple):
    season: str
    label: str
    source: str
    url: str
    per_specialty: bool
    tiers: tuple[Tier, ...]
    one_time: tuple[dict, ...] = ()
    systems: tuple[SystemFees, ...] = ()

    def marginal_fee(self, k: int) -> float:
        """Fee of the k-th program (1-based) within one specialty, on ERAS."""
        return _marginal(self.tiers, k)

    def system_of(self, specialty: str) -> SystemFees | None:
        code = _system_code(specialty)
        if code is None:
            return None
        return next((s for s in self.systems if s.code == code), None)

    def marginal_fee_for(self, specialty: str, k: int) -> float:
        """Fee of the k-th program of ``specialty``: its own system's tiers where it has them, else ERAS's; the
        first program also pays the system's base fee (the applicant cannot send one application without it).
        (Called for every step of the optimiser: the common NRMP case returns without a search.)
        A system's base fee is charged once per specialty: each system with a base fee has one specialty
        (SF Match: ophthalmology), checked by tests."""
        if _system_code(specialty) is not None:
            system = self.system_of(specialty)
            if system is not None and system.tiers:
                return _marginal(system.tiers, k) + (system.base_usd if k == 1 else 0.0)
        return _marginal(self.tiers, k)

    def amortized_fee_for(self, specialty: str, k: int, available: int | None = None) -> float:
        """marginal_fee_for with a base fee spread over the programs it covers (SystemFees.amortized): never
        falls within a specialty, which the optimiser's greedy and its bound need."""
        if _system_code(specialty) is not None:
            system = self.system_of(specialty)
            if system is not None and system.tiers:
                return system.amortized(k, available)
        return _marginal(self.tiers, k)

    def base_fee_of(self, specialty: str) -> dict | None:
        """The base fee charged with the specialty's first program, if its system has one."""
        system = self.system_of(specialty)
        return system.base if system is not None and system.tiers else None

    def fee_for_count(self, n: int, specialty: str | None = None) -> float:
        if specialty is None:
            return sum(self.marginal_fee(k) for k in range(1, n + 1))
        return sum(self.marginal_fee_for(specialty, k) for k in range(1, n + 1))

    def total(self, specialties: Iterable[str]) -> float:
        """Total per-program fee for a list of programs given by their specialty codes."""
        counts = Counter(specialties)
        if not self.per_specialty:
            return self.fee_for_count(sum(counts.values()))
        return sum(self.fee_for_count(n, spec) for spec, n in counts.items())

    def one_time_for(self, specialties: Iterable[str]) -> tuple[dict, ...]:
        """ERAS's one-time fees, then those of each other system the chosen specialties go through."""
        extra: list[dict] = []
        seen: set[str] = set()
        for spec in specialties:
            system = self.system_of(spec)
            if system is not None and system.code not in seen:
                seen.add(system.code)
                extra += list(system.one_time)
        return (*self.one_time, *extra)


def _tiers(where: str, raw: list[dict]) -> tuple[Tier, ...]:
    tiers = tuple(Tier(t.get("up_to"), float(t["fee_usd"])) for t in raw)
    if tiers and tiers[-1].up_to is not None:
        raise ValueError(f"eras_fees.toml {where}: the last tier must have no up_to")
    if any(b.fee_usd < a.fee_usd for a, b in zip(tiers, tiers[1:], strict=False)):
        # the optimiser relies on fees never falling within a specialty
        raise ValueError(f"eras_fees.toml {where}: per-program fees must not fall from one tier to the next")
    return tiers


def _parse(season: str, raw: dict, systems: dict) -> FeeSchedule:
    tiers = _tiers(f"season {season}", raw["tiers"])
    if not tiers:
        raise ValueError(f"eras_fees.toml season {season}: no tiers")
    parsed = tuple(SystemFees(code, s["label"], s["season"], s["source"], s["url"],
                              _tiers(f"systems.{code}", s.get("tiers", [])), tuple(s.get("one_time", ())),
                              s.get("base"))
                   for code, s in systems.items())
    for system in parsed:
        last = max([t.up_to for t in system.tiers if t.up_to is not None], default=0) + 1
        amortized = [system.amortized(k) for k in range(1, last + 1)] if system.tiers else []
        if any(b < a for a, b in zip(amortized, amortized[1:], strict=False)):
            raise ValueError(f"eras_fees.toml systems.{system.code}: the base fee spread over the programs it "
                             "covers must not exceed the next tier's fee")
    return FeeSchedule(season, raw["label"], raw["source"], raw["url"], bool(raw.get("per_specialty", True)),
                       tiers, tuple(raw.get("one_time", ())), parsed)


@cache
def fee_data() -> dict:
    return data_file("eras_fees.toml")


def load_schedule(season: str | None = None) -> FeeSchedule:
    data = fee_data()
    season = season or data["current"]
    if season not in data["season"]:
        raise UserError(f"no ERAS fee schedule for season {season}; known: {', '.join(sorted(data['season']))}")
    return _parse(season, data["season"][season], data.get("systems", {}))
