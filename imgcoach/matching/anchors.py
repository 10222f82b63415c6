"""Per-specialty anchors: what each specialty actually gives U.S. IMGs and non-U.S. IMGs (NRMP figures).

data/specialty_anchors.toml holds, per specialty and season, PGY-1 positions filled and the U.S. IMGs and
non-U.S. IMGs matched (NRMP Results and Data / Advance Data Tables, read from public transcriptions), or an
IMG match rate where that is what was published (ophthalmology, SF Match).

The model turns them into a specialty's *openness* to a group, a factor c in (0, 1]:

    c = min(1, share of the specialty's filled positions that went to the group
               / the group's share of all filled PGY-1 positions that season)

or, where only an IMG match rate is known, c = min(1, that rate / the group's national match rate).
c = 1 means the specialty takes the group at least as readily as the Match as a whole; orthopaedic surgery
gave non-U.S. IMGs 0.4-1.3% of its positions against 13-14% nationally, so c is about 0.03-0.09 there.
How c enters the chance (it scales the chance that an interview in that specialty becomes the match) is an
assumption, documented in docs/matching-model.md. Seasons disagree (emergency medicine's non-U.S. IMG
share changed a lot between 2022 and 2023), so c is a range over the seasons found; the point is the most
recent season. A specialty with no usable figure has an unknown c: its range runs from the smallest c
known for any specialty to 1, and its point is that smallest c (we assume it is as closed as the most
closed specialty we have figures for, and say so).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any, NamedTuple

from imgcoach.matching.datafiles import data_file
from imgcoach.matching.params import ModelParams, calibration, default_params

GROUPS = ("us_img", "non_us_img")


class Openness(NamedTuple):
    """The specialty's log-odds shift (<= 0) on every interview for one group, point and range, and the
    group's implied match rate in the specialty that the shift reproduces for the calibration population."""

    point: float
    low: float
    high: float
    known: bool
    basis: str  # one line: where the figure comes from, or that it is unknown
    rate_point: float = 0.0  # the group's implied match rate in the specialty (what c is fitted to)
    rate_low: float = 0.0
    rate_high: float = 0.0
    national_rate: float = 0.0  # the group's chance for the same population nationally (c = rate / this)
    # The selective-specialty bound (bound.py) for one applicant: the most its best programs here may give
    # (point, low, high; None = no bound) and the part of point/low/high that the bound added (<= 0).
    bound: float | None = None
    bound_low: float | None = None
    bound_high: float | None = None
    bound_shift: float = 0.0

    @property
    def bound_binds(self) -> bool:
        return self.bound_shift < 0.0


class SpecialtyAnchor(NamedTuple):
    code: str
    system: str  # NRMP | SF Match | AUA
    entry: str  # PGY-1 | PGY-2
    needs_pgy1: bool
    note: str
    seasons: tuple[dict[str, Any], ...]
    img_share_pct: tuple[dict[str, Any], ...]
    img_match_rate: tuple[dict[str, Any], ...]

    def usable_seasons(self) -> list[dict[str, Any]]:
        """Seasons that describe the specialty itself (not only its few categorical PGY-1 tracks)."""
        return [s for s in self.seasons if not s.get("pgy1_tracks_only")]

    def total_img_share(self) -> float | None:
        """IMG share (both groups) of filled positions in the most recent usable season, 0-100."""
        seasons = self.usable_seasons()
        if not seasons:
            stated = [r for r in self.img_share_pct if r.get("only_source")]
            return float(max(stated, key=lambda r: r["year"])["value"]) if stated else None
        s = max(seasons, key=lambda r: r["year"])
        return 100.0 * (s["us_img"] + s["non_us_img"]) / s["filled"]


class Anchors(NamedTuple):
    specialties: dict[str, SpecialtyAnchor]
    national: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    national_rate: dict[str, float]  # the group's national match rate the model is fitted to

    def anchor(self, code: str) -> SpecialtyAnchor | None:
        return self.specialties.get(code)

    def smallest_img_share(self) -> float:
        """The smallest total IMG share of any specialty with a figure: used, and labelled, where unknown."""
        return min(s for s in (a.total_img_share() for a in self.specialties.values()) if s is not None)

    def implied_rates(self, code: str, group: str, national_rate: float) -> tuple[float, float, float, str] | None:
        """(point, low, high, basis) of the group's implied chance of matching in the specialty for the
        calibration population (everyone who applies, not only those with an interview), or None if unknown.

        From shares: `national_rate` (the model's chance for the same population applying to reference
        programs) times min(1, the specialty's share of filled positions going to the group / the group's
        share of all filled PGY-1 positions, same season). From an IMG match rate among registrants (SF
        Match): that rate, at most the national one. Range over the seasons found; point = the most recent."""
        a = self.specialties.get(code)
        if a is None:
            return None
        values: list[tuple[int, float, str]] = []
        for s in a.usable_seasons():
            nat = self.national.get(str(s["year"]))
            if nat is None:
                continue
            share = s[group] / s["filled"]
            national_share = nat[group] / nat["filled"]
            values.append((s["year"], national_rate * min(1.0, share / national_share),
                           f"{s['year']}: {s[group]} of {s['filled']} filled PGY-1 positions ({100 * share:.1f}%) "
                           f"against {100 * national_share:.1f}% nationally"))
        latest_split = max(a.usable_seasons(), key=lambda r: r["year"], default=None)
        for r in a.img_share_pct:
            nat = self.national.get(str(r["year"]))
            if r.get("only_source") or latest_split is None or nat is None:
                continue
            total = (latest_split["us_img"] + latest_split["non_us_img"]) / latest_split["filled"]
            share = latest_split[group] / latest_split["filled"] * (float(r["value"]) / 100.0) / total
            national_share = nat[group] / nat["filled"]
            values.append((r["year"], national_rate * min(1.0, share / national_share),
                           f"{r['year']}: IMGs {float(r['value']):g}% of filled positions (group split of "
                           f"{latest_split['year']} applied)"))
        not_used: list[str] = []
        for r in a.img_match_rate:
            rate = float(r["value"])
            if r.get("denominator") == "participants":
                # Only those who submitted a rank list (had an interview): not the model's basis (everyone who
                # applies), so it would overstate the group's chance. Named, not used.
                not_used.append(f"{r['year']}: {100 * rate:.0f}% of IMGs who submitted a rank list")
                continue
            values.append((r["year"], min(rate, national_rate),
                           f"{r['year']}: {100 * rate:.1f}% of IMG registrants matched ({a.system})"))
        if not values:
            return None
        tail = f"; not used (other denominator): {', '.join(not_used)}" if not_used else ""
        # The point is the most recent season with the group split (or a rate); total-only rows only widen.
        with_split = [v for v in values if "group split of" not in v[2]] or values
        latest = max(with_split, key=lambda v: v[0])
        rates = [v[1] for v in values]
        return latest[1], min(rates), max(rates), "; ".join(v[2] for v in sorted(values)) + tail

    def openness(self, code: str, group: str, params: ModelParams | None = None) -> Openness:
        params = params or default_params()
        key = (code, group, params.alpha, params.spread, params.q, params.us_img_offset, params.season_failure,
               params.a["img_share_weight"], params.a["img_share_reference_pct"])
        found = _OPENNESS_CACHE.get(key)
        if found is None:
            found = _OPENNESS_CACHE[key] = _openness(self, code, group, params)
        return found


_OPENNESS_CACHE: dict[tuple[Any, ...], Openness] = {}
_OPENNESS_FIELDS = Openness._fields


def openness_values() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The openness worked out in this process, as plain values: matching.kept keeps them in the database between
    processes, since the fits (bisections over the calibration population) were a tenth of every first look
    after a write, for the same specialties and group (issue 17)."""
    return {key: tuple(getattr(o, name) for name in _OPENNESS_FIELDS) for key, o in _OPENNESS_CACHE.items()}


def add_openness_values(values: dict[tuple[Any, ...], tuple[Any, ...]]) -> None:
    """Openness openness_values gave (in another process of this code): Anchors.openness returns it as it is."""
    built = {key: Openness(*value) for key, value in values.items()}  # all or none (a TypeError adds none)
    for key, found in built.items():
        _OPENNESS_CACHE.setdefault(key, found)


def _openness(data: Anchors, code: str, group: str, params: ModelParams) -> Openness:
    from imgcoach.matching.calibration import fit_specialty_shift, specialty_match_rate

    a = params.a
    national = specialty_match_rate(params, group, 60, 0.0, 1.0)
    anchor = data.anchor(code)
    share = None if anchor is None else anchor.total_img_share()
    if share is None:
        share = data.smallest_img_share()
    shift = a["img_share_weight"] * math.log((share + 2) / (a["img_share_reference_pct"] + 2))
    rates = data.implied_rates(code, group, national)
    known = rates is not None
    if rates is None:
        floor = min(r[1] for r in (data.implied_rates(c, group, national) for c in data.specialties) if r is not None)
        rates = (floor, floor, national,
                 f"no public figure found for this specialty: assumed as closed as the most closed specialty "
                 f"with figures ({100 * floor:.1f}% implied rate), up to the national rate")
    point, low, high, basis = rates

    def fit(rate: float) -> float:
        return fit_specialty_shift(params, group, rate, shift)

    return Openness(fit(point), fit(low), fit(high), known, basis, point, low, high, national)


def share_checks() -> list[dict[str, Any]]:
    """Every out-of-season total IMG share set against the anchor season's share (percentage points)."""
    out = []
    data = anchors()
    for code, a in data.specialties.items():
        seasons = a.usable_seasons()
        if not seasons:
            continue
        anchor_season = max(seasons, key=lambda r: r["year"])
        anchor_share = 100.0 * (anchor_season["us_img"] + anchor_season["non_us_img"]) / anchor_season["filled"]
        others = [(s["year"], 100.0 * (s["us_img"] + s["non_us_img"]) / s["filled"], s["source"], s.get("known_drift"))
                  for s in seasons if s is not anchor_season]
        others += [(r["year"], float(r["value"]), r["source"], r.get("known_drift"))
                   for r in a.img_share_pct if not r.get("only_source")]
        for year, value, source, drift in others:
            out.append({"specialty": code, "anchor_year": anchor_season["year"], "anchor_share": anchor_share,
                        "year": year, "cited_share": value, "source": source, "known_drift": drift,
                        "moved": value - anchor_share})
    return out


@cache
def anchors() -> Anchors:
    data = data_file("specialty_anchors.toml")
    rates = {f["group"]: float(f["value"]) for f in calibration()["figure"]
             if f.get("use") == "fit" and f.get("kind") == "match_rate_active"}
    specs = {}
    for code, raw in data["specialty"].items():
        specs[code] = SpecialtyAnchor(
            code=code, system=raw["system"], entry=raw["entry"], needs_pgy1=bool(raw.get("needs_pgy1", False)),
            note=raw.get("note", ""), seasons=tuple(raw.get("season", ())),
            img_share_pct=tuple(raw.get("img_share_pct", ())), img_match_rate=tuple(raw.get("img_match_rate", ())),
        )
    return Anchors(specs, data["national"], data["sources"], rates)


