"""What `imgcoach shortlist` prints (text and --json), from a ranked shortlist: one definition for the click
command (cli.matching_cmds) and the quick read of the first look after a write (cli.quick), which must print
the same bytes without importing click. No click here.
"""

from __future__ import annotations

from typing import Any

from imgcoach.cli.quick import table_lines
from imgcoach.core.words import counted


def shortlist_data(result: Any, what_if: Any, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """`shortlist --json`'s data: the shortlist, the changes since last seen, the what-if, the budget curve."""
    from imgcoach.matching import budget_curve

    data: dict[str, Any] = result.to_dict()
    data["changes_since_last_seen"] = changes
    if what_if is not None:
        data["what_if"] = what_if.to_dict()
    # The app's chance-by-budget picture as data (issue 15), from the same function the app draws.
    data["curve"] = budget_curve(result).to_dict()
    return data


def shortlist_lines(result: Any, what_if: Any, changes: list[dict[str, Any]]) -> list[str]:
    """What `shortlist` prints without --json or --csv, line by line."""
    from imgcoach.matching import (
        chosen_words,
        display_name,
        entry_note,
        exclusion_line,
        fee_words,
        match_year_words,
        one_time_fee_block,
        pct,
        provenance_note,
        shortlist_sentence,
        specialty_note_lines,
    )

    lines = table_lines(["#", "id", "program", "state", "tier", "interview", "fee", "note"],
                        [[n, e.program_id, display_name(e.name, e.synthetic, 44), e.state, e.tier, pct(e.probability),
                          f"${e.fee_usd:g}", entry_note(e)]
                         for n, e in enumerate(result.entries, start=1)])
    lines.append("")
    lines.append(chosen_words(result, hint=True))
    lines.append(match_year_words(result))
    lines.append(fee_words(result))
    lines.append(shortlist_sentence(result))
    for warning in result.warnings:
        lines.append(f"WARNING {warning}")
    for line in specialty_note_lines(result.specialty_notes):
        lines.append(line)
    if result.pgy1 is not None:
        lines.extend(result.pgy1.lines())
    lines.extend(one_time_fee_block(result))
    lines.append(f"expected interviews: about {result.expected_interviews:.0f}")
    why = result.why_nothing_eligible()
    excluded = exclusion_line(result)
    if why:
        lines.append(why)
    elif excluded:
        lines.append(excluded)
    if result.entries:
        tail = result.entries[-3:]
        lines.append(f"last program{'s' if len(tail) > 1 else ''} added gained: " + ", ".join(f"{e.program_id} +{e.gain * 100:.2f} pts" for e in tail))
    if result.stop is not None:
        lines.append(result.stop.text(len(result.entries)))
    if result.entries:
        from imgcoach.matching import SIGNAL_CHANCES_BASIS, SIGNAL_PLACEMENT_BASIS
        from imgcoach.matching import advise_signals as advise

        lines.append("ERAS program signals:")
        for advice in advise(result.entries):
            lines.extend(advice.lines())
        lines.append(f"  {SIGNAL_PLACEMENT_BASIS}")
        lines.append(f"  {SIGNAL_CHANCES_BASIS}")
    if what_if is not None:
        lines.append(what_if.summary())
    if changes:
        lines.append(f"{counted(len(changes), 'change')} since you last looked:")
        for c in changes[:10]:
            lines.append(f"  {c['kind']:<8} {c['program_id']}: {c['why']}")
    lines.append(provenance_note())
    lines.append(result.disclaimer)
    return lines
