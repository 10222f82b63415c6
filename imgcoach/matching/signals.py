"""ERAS program signals: how many the applicant's specialties allow (cited per season) and where to place them.

No per-specialty figure for the effect of a signal was found (data/signals.toml), so a signal never changes a
chance here. The placement rule is arithmetic, not data: whatever the size of a signal's lift on the interview
log-odds, a small lift moves the chance most where it is near 50% (the slope of the logistic curve is p(1-p)),
so the suggestion is the chosen programs of the specialty with the largest p(1-p). Said as an assumption.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from imgcoach.core.vocab.specialties import BY_CODE

PLACEMENT_BASIS = ("[assumption] placement: the programs where your interview chance is closest to 50%, since any "
                   "lift a signal gives moves a chance most there (slope p(1-p)); the size of the lift is unknown")


@cache
def signal_data() -> dict:
    text = resources.files("imgcoach.matching").joinpath("data/signals.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True, slots=True)
class SignalAdvice:
    specialty: str
    signals: int | None  # None: the number for the season was not found
    season: str
    source: str
    detail: str
    suggested: tuple[str, ...]  # program ids, best placement first

    def to_dict(self) -> dict[str, Any]:
        return {"specialty": self.specialty, "signals": self.signals, "season": self.season, "source": self.source,
                "detail": self.detail, "effect_on_interview_chance": "unknown (no per-specialty figure found)",
                "effect_source": signal_data()["effect_source"], "suggested_programs": list(self.suggested),
                "placement_basis": PLACEMENT_BASIS}

    def text(self) -> str:
        name = BY_CODE[self.specialty].name if self.specialty in BY_CODE else self.specialty
        if self.signals is None:
            return f"  {name}: number of program signals for this season unknown (not found); effect unknown"
        detail = f" ({self.detail})" if self.detail else ""
        where = ", ".join(self.suggested) or "none of your chosen programs"
        return (f"  {name}: {self.signals} signals{detail}, {self.season} [{self.source}]; effect on the interview "
                f"chance unknown; place them at: {where}")


def advise(entries: list[Any]) -> list[SignalAdvice]:
    """Per specialty on the list: its signal count and the chosen programs to signal (entries need
    program_id, specialty, probability)."""
    data = signal_data()["specialty"]
    out = []
    for spec in sorted({e.specialty for e in entries}):
        row = data.get(spec)
        count = None if row is None else int(row["signals"])
        mine = sorted((e for e in entries if e.specialty == spec),
                      key=lambda e: (-(e.probability * (1 - e.probability)), e.program_id))
        out.append(SignalAdvice(spec, count, row["season"] if row else "unknown", row["source"] if row else "not found",
                                row.get("detail", "") if row else "",
                                tuple(e.program_id for e in mine[:count]) if count else ()))
    return out
