"""Words for the model's estimates: rounded, never "100%", and the ceiling said out loud.

A model estimate is not precise to a tenth of a percent, and certainty is something it can never give:
the list chance is shown as "about N%", and a list at the model's ceiling says that more programs
cannot raise it. Shared by the CLI, the app's Shortlist screen and the JSON notes.
"""

from __future__ import annotations

NEAR_CEILING = 0.01  # within one point of the ceiling: "at the ceiling"


def pct(p: float) -> str:
    """A probability as a whole percent, never "0%" or "100%"."""
    if p >= 0.995:
        return ">99%"
    if p < 0.005:
        return "<1%"
    return f"{p:.0%}"


def at_ceiling(chance: float, ceiling: float) -> bool:
    return chance >= ceiling - NEAR_CEILING


def chance_text(chance: float) -> str:
    """'about 87%' (whole percent, never 100% or 0%)."""
    return f"about {pct(chance)}" if 0.005 <= chance < 0.995 else pct(chance)


def ceiling_text(ceiling: float) -> str:
    return (f"the model never goes above {ceiling:.0%}: it assumes a {1 - ceiling:.0%} chance that things your "
            f"profile does not record (interviews, communication, red flags, how programs rank) sink the "
            f"whole season, however many programs you apply to")


def chance_sentence(chance: float, ceiling: float) -> str:
    """One line for people: the rounded estimate, and the ceiling when the list has reached it."""
    text = f"estimated chance of at least one match: {chance_text(chance)}"
    if at_ceiling(chance, ceiling):
        return f"{text}, at the model's ceiling ({ceiling_text(ceiling)}; more programs cannot raise it)"
    return f"{text} (model ceiling {ceiling:.0%})"


def chance_note(ceiling: float) -> str:
    """The JSON note next to the float: what the ceiling is and that it is an assumption."""
    return (f"Estimate from a documented model, not a promise. The list chance is capped at {ceiling:.0%}: the "
            f"model assumes a {1 - ceiling:.0%} chance (season_failure, an assumption with no public source, "
            f"see docs/matching-model.md) that unmeasured applicant-level factors sink the season, and it shares "
            f"the applicant's unmeasured standing across all programs rather than treating them as independent.")
