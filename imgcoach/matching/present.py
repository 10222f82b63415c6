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


def chance_sentence(chance: float, ceiling: float, low: float | None = None, high: float | None = None) -> str:
    """One line for people: the rounded estimate (with its range when inputs are unknown), and the ceiling
    when the list has reached it."""
    shown = chance_text(chance) if low is None or high is None else chance_range_text(chance, low, high)
    text = f"estimated chance of at least one match: {shown}"
    if at_ceiling(chance, ceiling):
        return f"{text}, at the model's ceiling ({ceiling_text(ceiling)}; more programs cannot raise it)"
    return f"{text} (model ceiling {ceiling:.0%})"


def chance_note(ceiling: float) -> str:
    """The JSON note next to the float: what the ceiling is and that it is an assumption."""
    return (f"Estimate from a documented model, not a promise. The list chance is capped at {ceiling:.0%}: the "
            f"model assumes a {1 - ceiling:.0%} chance (season_failure, an assumption with no public source, "
            f"see docs/matching-model.md) that unmeasured applicant-level factors sink the season, and it shares "
            f"the applicant's unmeasured standing across all programs rather than treating them as independent.")


def chance_range_text(chance: float, low: float, high: float) -> str:
    """'about 12%' when the inputs are known, 'about 12% (range 4%-31%)' when some are not."""
    text = chance_text(chance)
    if high - low >= 0.01:
        return f"{text} (range {pct(low)}-{pct(high)}: some inputs are unknown)"
    return text


def provenance_note() -> str:
    """Which numbers are cited figures and which are assumptions: shown with every shortlist."""
    return ("Cited figures: NRMP match rates of U.S. and non-U.S. IMGs (2023-2025), the NRMP applicant-survey "
            "interview medians, and each specialty's share of filled PGY-1 positions going to IMGs (NRMP 2022/2023, "
            "SF Match for ophthalmology), all from public copies (see docs/matching-model.md). Fitted to them: "
            "four model parameters. Assumptions (no public source): the weight of every factor (score, IMG "
            "share, experience, letters, research, ties, attempts, years since graduation, visa), how a "
            "specialty's IMG share scales the chance, the 7% season-failure ceiling, and the ranges used for "
            "unknown program facts.")


def display_name(name: str, synthetic: bool, width: int) -> str:
    """A program name cut to `width` characters that always keeps the word 'synthetic' on synthetic rows."""
    base = name
    if synthetic:
        base = name.replace("(synthetic)", "").replace("(Synthetic)", "").rstrip()
        tag = " (synthetic)"
        return (base if len(base) + len(tag) <= width else base[: width - len(tag) - 1] + "…") + tag
    return name if len(name) <= width else name[: width - 1] + "…"


def one_time_fee_lines(one_time: tuple[dict, ...]) -> list[str]:
    """One-time application fees beside the per-specialty ERAS tiers, each with its season and source;
    figures we could not confirm for the current season say UNVERIFIED."""
    lines = []
    for fee in one_time:
        flag = "" if fee.get("verified", False) else " UNVERIFIED for the current season"
        lines.append(f"  ${float(fee['usd']):g}  {fee['what']} ({fee.get('season', 'season unknown')}, "
                     f"{fee['url']}){flag}")
    return lines
