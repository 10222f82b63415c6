"""What `imgcoach shortlist` prints (text and --json), from a ranked shortlist: one definition for the click
command (cli.matching_cmds) and the quick read of the first look after a write (cli.quick), which must print
the same bytes without importing click. No click here.
"""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any

from imgcoach.cli.quick import json_text, table_lines
from imgcoach.core.words import counted

CSV_HEADER = ["id", "name", "specialty", "state", "tier", "probability", "fee_usd", "status", "unknown_fields",
              "reasons", "synthetic", "img_share_basis", "typical_step2_basis", "specialty_logodds_shift",
              "what_is_assumed", "list", "probability_low", "probability_high"]


def shortlist_view(result: Any, table: Any, inputs: Any, today: date, changes: list[dict[str, Any]], zone: tzinfo, *,
                   as_json: bool, as_csv: bool, explain_id: str | None, what_if_step2: int | None,
                   completed_only: bool) -> str:
    """What `shortlist` prints for its options, from the list worked out for them (`result`, ranked from `table`
    for `inputs` on `today`): one definition for the click command and the quick read of a first look after a
    write, which calls it inside the read transaction its kept table reads programs in. `--json` moments in
    `zone`. A UserError for an --explain id that is no program."""
    from imgcoach.core.errors import UserError

    if explain_id is not None:
        from imgcoach.matching import explain_program, explain_text

        if explain_id not in table.index:
            raise UserError(explain_refusal(explain_id))
        ranking, listed = result.ranking_for(explain_id), result.listed(explain_id)
        if as_json:
            return json_text(explain_program(ranking, explain_id, listed), zone) + "\n"
        return explain_text(ranking, explain_id, listed) + "\n"
    what_if = _what_if(result, table, inputs, today, what_if_step2, completed_only)
    if as_csv:
        return _csv_text(result)
    if as_json:
        return json_text(shortlist_data(result, what_if, changes), zone) + "\n"
    return "".join(f"{line}\n" for line in shortlist_lines(result, what_if, changes))


def explain_refusal(explain_id: str) -> str:
    """The refusal of `--explain ID` for an id that is no program. A small number is most likely the list's row
    number (its `#` column), which a person reads first: say which column --explain takes, since rows renumber
    whenever the plan or the program data change and could not name a program from one run to the next."""
    words = f"no program with id {explain_id!r}"
    if explain_id.strip().isdigit() and len(explain_id.strip()) <= 3:
        return f"{words}: --explain takes a program's id (the list's id column), not its row number (#)"
    return words


def _what_if(result: Any, table: Any, inputs: Any, today: date, what_if_step2: int | None,
             completed_only: bool) -> Any:
    """The what-if beside the list (a Step 2 CK score, or the completed rotations only), or None."""
    if what_if_step2 is None and not completed_only:
        return None
    from imgcoach.matching import load_schedule, planned_vs_completed, with_step2

    # The profile's two budgets are held by build_shortlist itself (None, None): the count it kept for this list
    # is no budget for another score's list.
    budget: dict[str, Any] = ({"budget_programs": None, "budget_usd": None} if result.profile_budgets is not None
                              else {"budget_programs": result.budget_programs, "budget_usd": result.budget_usd})
    fees = load_schedule()
    if what_if_step2 is not None:
        return with_step2(table, inputs.facts, today, fees, what_if_step2, include_planned=not completed_only,
                          **budget)
    return planned_vs_completed(table, inputs.facts, today, fees, **budget)


def _csv_text(result: Any) -> str:
    """`shortlist --csv`: a row per program chosen; the PGY-1 year planned beside a PGY-2 specialty follows,
    marked in `list` (its own budget)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    pgy1 = result.pgy1.shortlist.entries if result.pgy1 else []
    for e, which in [(e, "main") for e in result.entries] + [(e, "pgy1_year") for e in pgy1]:
        writer.writerow([e.program_id, e.name, e.specialty, e.state, e.tier, f"{e.probability:.4f}", e.fee_usd,
                         e.status, ";".join(e.unknown_fields), " | ".join(r.text for r in e.reasons),
                         "yes" if e.synthetic else "no", e.img_share_basis, e.typical_basis,
                         f"{e.specialty_shift:.3f}", " | ".join(e.assumptions), which,
                         *(f"{x:.4f}" for x in e.probability_range)])
    return out.getvalue()


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
