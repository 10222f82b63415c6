"""Words for the model's estimates: rounded, never "100%", and the ceiling said out loud.

A model estimate is not precise to a tenth of a percent, and certainty is something it can never give:
the list chance is shown as "about N%", and a list at the model's ceiling says that more programs
cannot raise it. Shared by the CLI, the app's Shortlist screen and the JSON notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from imgcoach.core.words import counted

if TYPE_CHECKING:
    from imgcoach.matching.shortlist import Entry, Shortlist, SpecialtyNote

NEAR_CEILING = 0.01  # within one point of the ceiling: "at the ceiling"


def pct(p: float) -> str:
    """A probability as a whole percent, never "0%" or "100%" (callers round shares to 4 decimals, so a 0 here
    may be a small chance; a list with no program says its 0% itself: shortlist_sentence)."""
    if p >= 0.995:
        return ">99%"
    if p < 0.005:
        return "<1%"
    return f"{p:.0%}"


def pct_span(low: float, high: float, between: str = "-") -> str:
    """'46%-50%', or '50%' where both ends round alike (it printed '50%-50%')."""
    return pct(low) if pct(low) == pct(high) else f"{pct(low)}{between}{pct(high)}"


def at_ceiling(chance: float, ceiling: float) -> bool:
    return chance >= ceiling - NEAR_CEILING


def chance_text(chance: float) -> str:
    """'about 87%' (whole percent, never 100% or 0%)."""
    return f"about {pct(chance)}" if 0.005 <= chance < 0.995 else pct(chance)


def ceiling_text(ceiling: float) -> str:
    return (f"the model never goes above {ceiling:.0%}: it assumes a {1 - ceiling:.0%} chance that things your "
            f"profile does not record (interviews, communication, red flags, how programs rank) sink the "
            f"whole season, however many programs you apply to")


def chance_sentence(chance: float, ceiling: float, low: float | None = None, high: float | None = None,
                    assumed: Sequence[str] = ()) -> str:
    """One line for people: the rounded estimate (with its range when inputs are unknown, and only the range
    when a chosen specialty has no public IMG figure), and the ceiling when the list has reached it."""
    shown = chance_text(chance) if low is None or high is None else chance_range_text(chance, low, high, assumed)
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


def chance_range_text(chance: float, low: float, high: float, assumed: Sequence[str] = ()) -> str:
    """'about 12%' when the inputs are known, 'about 12% (range 4%-31%)' when some are not, and only the
    range, said to be an assumption, when a chosen specialty (`assumed`: display names) has no public IMG
    figure: a point there would be a number we made up."""
    if assumed and high - low >= 0.01:
        return (f"between {pct(low)} and {pct(high)}, an assumption-based range, not a point estimate (no public "
                f"IMG figure found for {', '.join(assumed)})")
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
            "specialty's IMG share scales the chance, the bound that keeps a strong profile within 4 times the "
            "odds of its group's figure in a specialty that gives the group little, the 7% season-failure "
            "ceiling, and the ranges used for unknown program facts.")


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


def one_time_fee_block(result: Shortlist) -> list[str]:
    """The one-time fees with their heading, as `imgcoach shortlist` and the app's Shortlist say them (the app
    left them out: its list's fees read as all the applying would cost); [] when the schedule has none."""
    if not result.one_time_fees:
        return []
    # With nothing chosen there is no application for them to be part of: said as what applying would add.
    heading = ("one-time fees, not in the program budget:" if result.entries else
               "one-time fees you would also pay if you apply (none now: no program is chosen):")
    return [heading, *one_time_fee_lines(result.one_time_fees)]


def exclusion_line(result: Shortlist) -> str | None:
    """How many programs each requirement excluded, when the list is not empty (an empty list says why instead,
    `why_nothing_eligible`): the CLI's line, which the app's Shortlist did not show."""
    from imgcoach.matching.advice import exclusion_words

    if result.why_nothing_eligible() or not result.exclusions:
        return None
    return "excluded by requirements: " + exclusion_words(result.exclusions, result.excluded_count)


def assumed_specialties(result: Shortlist) -> list[str]:
    """Display names of the chosen specialties with no public IMG figure (their chance is an assumption)."""
    from imgcoach.matching.vocab import specialty_name

    return [specialty_name(n.code) for n in result.specialty_notes if n.programs and not n.openness.known]


def shortlist_sentence(result: Shortlist) -> str:
    """The list's chance as the CLI and the app say it: range where inputs are unknown, assumption named.
    With no program on the list it is none: "<1%" read as a small chance of a match from no application."""
    if not result.entries:
        return "estimated chance of at least one match: 0% (no program on the list)"
    return chance_sentence(result.chance, result.ceiling, result.chance_low, result.chance_high,
                           assumed_specialties(result))


def entry_note(entry: Entry) -> str:
    """A listed program's note, in `imgcoach shortlist` and the app's Shortlist alike: the app said "unknowns"
    where the CLI counts them ("10 unknown"), and the count is how far the row's chance can be trusted."""
    note = ("needs your plan" if entry.status == "conditional"
            else f"{len(entry.unknown_fields)} unknown" if entry.status == "uncertain" else "")
    if entry.base_fee_usd:
        # the row's fee is mostly the system's base fee: said where the fee is, or $60 for one program looks false
        note = "; ".join(n for n in (note, f"fee incl. ${entry.base_fee_usd:g} base") if n)
    return note


def chosen_words(result: Shortlist, *, hint: bool = False) -> str:
    """The budget, what was chosen and its per-program fees, as the CLI and the app both say them. The app said
    "ERAS fees" of every list, though an ophthalmology list's fees are the SF Match's, not ERAS's."""
    return (f"budget: {result.budget_words(hint=hint)}; chosen {len(result.entries)} of "
            f"{counted(result.eligible_count, 'eligible program')} ({result.excluded_count} excluded by requirements); "
            f"application fees "
            f"${result.total_fee_usd:,.0f}")


def fee_words(result: Shortlist) -> str:
    """Which fee schedule priced the list, with its season and source, and, when that season is not the Match
    year's, that its fees are assumed for it: the CLI's `fees:` line and the app's Shortlist say it alike (the
    app showed the list's fees with no source or season at all)."""
    return f"fees: {result.fee_season}" + (f"; {result.fee_note}" if result.fee_note else "")


def match_year_words(result: Shortlist) -> str:
    """The Match the list is counted for (years since graduation, the H-1B warning), and why: readiness names the
    same year for the same reason (plan.rules.season)."""
    facts = result.ranking.standing.facts
    why = f" ({facts.match_year_reason})" if facts.match_year_reason else ""
    return f"for the {facts.match_year} Match{why}"


def interview_chance_text(result: Shortlist, entry: Entry) -> str:
    """A listed program's interview chance in words, from the range `shortlist --json` and `--csv` carry
    (probability_range): the point, its range where the program's inputs are unknown, and only the range, said
    to be an assumption, where its specialty has no public IMG figure (the list sentence's rule). The app's
    Shortlist pane says it so, rather than a bare point the JSON qualifies."""
    from imgcoach.matching.shortlist import entry_dict
    from imgcoach.matching.vocab import specialty_name

    low, high = entry_dict(entry)["probability_range"]
    own = specialty_name(entry.specialty)
    return chance_range_text(entry.probability, low, high, [n for n in assumed_specialties(result) if n == own])


def specialty_note_lines(notes: Sequence[SpecialtyNote]) -> list[str]:
    """Per chosen specialty: what its figures give the applicant's group (cited, with season) or that no
    figure exists (assumption), the bound where it holds the chance down (assumption), system and PGY-1."""
    from imgcoach.core.vocab.specialties import specialty_names

    lines = []
    for note in notes:
        if not note.programs:
            continue
        o = note.openness
        kind = f"cited {note.system} figures" if o.known else "ASSUMPTION, no public figure found"
        extra = f"; applies through {note.system}" if note.system != "NRMP" else ""
        extra += "; plan a PGY-1 (preliminary or transitional) year beside it" if note.needs_pgy1 else ""
        name = specialty_names().get(note.code, note.code)  # "Family Medicine", as the signals lines say it
        lines.append(f"  {name}: what it gives your group ({kind}): {o.basis}{extra}")
        if o.bound_binds and o.bound is not None:
            lines.append(f"    held to at most {pct(o.bound)} from your best programs here (ASSUMPTION: within a few "
                         f"times the odds of your group's {pct(o.rate_point)}; a specialty that gives your group "
                         f"little draws its stronger applicants)")
    return lines
