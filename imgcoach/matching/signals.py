"""ERAS program signals: how many the applicant's specialties allow, what a signal was measured to do, and where
to place them.

The measured effects (data/signals.toml) are observational: applicants chose where to signal, so a signalled
application may have been a likelier interview anyway. The model is fitted to the 2025 Match, whose applicants
already sent their signals, so raising a chance for a signal would count signalling twice: a signal never
changes a chance here. What the figure would mean for one program is shown beside the advice instead, as the
interview chance that program would have if the cited odds ratio held for this applicant.

The placement rule is arithmetic, not data: whatever the size of a signal's lift on the interview log-odds, a
small lift moves the chance most where it is near 50% (the slope of the logistic curve is p(1-p)), so the
suggestion is the chosen programs of the specialty with the largest p(1-p). Said as an assumption.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from imgcoach.core.vocab.specialties import BY_CODE
from imgcoach.matching.datafiles import data_file
from imgcoach.matching.present import pct, pct_span

PLACEMENT_BASIS = ("[assumption] placement: the programs where your interview chance is closest to 50%, since any "
                   "lift a signal gives moves a chance most there (slope p(1-p))")
CHANCES_BASIS = ("[assumption] the chances above count no signal: the model is fitted to the 2025 Match, whose "
                 "applicants sent their signals, so they assume you send yours as those applicants did")
ODDS_RATIO = "odds ratio"


@cache
def signal_data() -> dict:
    return data_file("signals.toml")


class SignalEffect(NamedTuple):
    """One cited measurement of what a signal did to the interview invitation, for the specialties it covers."""

    measure: str  # "odds ratio" or "relative likelihood"
    low: float
    high: float
    season: str
    scope: str
    source: str
    cite: str  # short form for text output
    own: bool  # measured in this specialty; False for a range across several, which says nothing of this one

    def size(self) -> str:
        return f"{self.low:g}" if self.low == self.high else f"{self.low:g} to {self.high:g}"

    def text(self) -> str:
        what = ("had {} times the odds of an interview invitation" if self.measure == ODDS_RATIO
                else "was {} times as likely to bring an interview invitation")
        whose = "this specialty's own figure" if self.own else "not this specialty's own figure"
        return (f"{whose}: a signalled application {what.format(self.size())} ({self.season}; {self.scope}) "
                f"[{self.cite}]; observational: applicants chose where to signal")

    def with_signal(self, p: float) -> tuple[float, float] | None:
        """The interview chance p would become if the odds ratio held; None for a rate ratio, which cannot be
        applied to a chance near 50% (2.6 x 50% is not a chance)."""
        if self.measure != ODDS_RATIO:
            return None
        return _odds_times(p, self.low), _odds_times(p, self.high)

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "low": self.low, "high": self.high, "season": self.season,
                "scope": self.scope, "source": self.source, "specialty_own_figure": self.own, "observational": True}


def _odds_times(p: float, ratio: float) -> float:
    return ratio * p / (1 - p + ratio * p)


@cache
def effects() -> dict[str, SignalEffect]:
    """Specialty code -> its cited effect; a specialty in no study is absent (effect unknown)."""
    out: dict[str, SignalEffect] = {}
    for row in signal_data().get("effect", []):
        effect = SignalEffect(row["measure"], float(row["low"]), float(row["high"]), row["season"], row["scope"],
                              row["source"], row["cite"], bool(row["own"]))
        for code in row["specialties"]:
            out[code] = effect
    return out


class Placement(NamedTuple):
    program_id: str
    probability: float  # the interview chance on the list, no signal counted
    if_signalled: tuple[float, float] | None  # if the cited odds ratio held; None where no odds ratio is cited

    def text(self) -> str:
        if self.if_signalled is None:
            return self.program_id
        low, high = self.if_signalled
        return f"{self.program_id} {pct(self.probability)} -> {pct_span(low, high)}"

    def to_dict(self) -> dict[str, Any]:
        return {"program_id": self.program_id, "interview_probability": round(self.probability, 4),
                "if_signalled": None if self.if_signalled is None
                else [round(self.if_signalled[0], 4), round(self.if_signalled[1], 4)]}


class SignalAdvice(NamedTuple):
    specialty: str
    signals: int | None  # None: the number for the season was not found
    season: str
    source: str
    detail: str
    placements: tuple[Placement, ...]  # best placement first
    effect: SignalEffect | None  # None: no study of this specialty was found

    @property
    def suggested(self) -> tuple[str, ...]:
        return tuple(p.program_id for p in self.placements)

    def to_dict(self) -> dict[str, Any]:
        return {"specialty": self.specialty, "signals": self.signals, "season": self.season, "source": self.source,
                "detail": self.detail,
                "effect_on_interview_chance": self.effect.to_dict() if self.effect else self.effect_text(),
                "effect_source": signal_data()["effect_source"], "suggested_programs": list(self.suggested),
                "placements": [p.to_dict() for p in self.placements],
                "placement_basis": PLACEMENT_BASIS, "chances_basis": CHANCES_BASIS}

    def effect_text(self) -> str:
        return self.effect.text() if self.effect else "unknown (no study of this specialty found)"

    def lines(self) -> list[str]:
        name = BY_CODE[self.specialty].name if self.specialty in BY_CODE else self.specialty
        effect = f"    effect: {self.effect_text()}"
        if self.signals is None:
            return [f"  {name}: number of program signals for this season unknown (not found)", effect]
        detail = f" ({self.detail})" if self.detail else ""
        where = ", ".join(p.text() for p in self.placements) or "none of your chosen programs"
        how = (" (interview chance now -> if the cited odds ratio held for you)"
               if any(p.if_signalled for p in self.placements) else "")
        return [f"  {name}: {self.signals} signals{detail}, {self.season} [{self.source}]", effect,
                f"    place them at{how}: {where}"]

    def text(self) -> str:
        return "\n".join(self.lines())


def advise(entries: list[Any]) -> list[SignalAdvice]:
    """Per specialty on the list: its signal count, the cited effect and the chosen programs to signal (entries
    need program_id, specialty, probability)."""
    data = signal_data()["specialty"]
    measured = effects()
    out = []
    for spec in sorted({e.specialty for e in entries}):
        row = data.get(spec)
        count = None if row is None else int(row["signals"])
        effect = measured.get(spec)
        mine = sorted((e for e in entries if e.specialty == spec),
                      key=lambda e: (-(e.probability * (1 - e.probability)), e.program_id))
        placements = tuple(Placement(e.program_id, e.probability, effect.with_signal(e.probability) if effect else None)
                           for e in mine[:count]) if count else ()
        out.append(SignalAdvice(spec, count, row["season"] if row else "unknown", row["source"] if row else "not found",
                                row.get("detail", "") if row else "", placements, effect))
    return out
