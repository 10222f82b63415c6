"""Program data, eligibility, the interview/match model and the shortlist optimiser (pure domain code).

Nothing here imports a UI or the database: the services layer feeds plain values in and stores the results.


The public API below is what faces and other features may import (import-linter checks it). It is
lazy (PEP 562, see imgcoach.core.lazy) so that importing a light name does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from imgcoach.core.lazy import lazy_api

if TYPE_CHECKING:
    from imgcoach.matching.advice import exclusion_words
    from imgcoach.matching.curve import BudgetCurve, TierBar, budget_curve, tier_bars, tier_text
    from imgcoach.matching.demo_data import extend_demo
    from imgcoach.matching.explain import explain as explain_program
    from imgcoach.matching.explain import explain_text
    from imgcoach.matching.fees import load_schedule
    from imgcoach.matching.inputs import check_budget, check_step2
    from imgcoach.matching.mapping import built_in_mapping_file, load_mapping
    from imgcoach.matching.present import (
        chance_sentence,
        chosen_words,
        display_name,
        entry_note,
        exclusion_line,
        fee_words,
        interview_chance_text,
        match_year_words,
        one_time_fee_block,
        one_time_fee_lines,
        pct,
        pct_span,
        provenance_note,
        shortlist_sentence,
        specialty_note_lines,
    )
    from imgcoach.matching.programs import (
        add_program,
        clear_override,
        edit_program,
        get_program,
        import_programs,
        list_programs,
        program_listing,
        program_values,
        set_override,
        warm_program_cache,
    )
    from imgcoach.matching.quick import mark_seen_quickly, one_checkpoint, shortlist_quickly, view_quickly
    from imgcoach.matching.runs import (
        NoProgramData,
        RunResult,
        changes_since_seen,
        compute,
        current,
        mark_seen,
        nightly_task,
        recompute,
        refresh_all,
        refresh_if_stale,
    )
    from imgcoach.matching.schema import COLUMNS as PROGRAM_COLUMNS
    from imgcoach.matching.signals import CHANCES_BASIS as SIGNAL_CHANCES_BASIS
    from imgcoach.matching.signals import PLACEMENT_BASIS as SIGNAL_PLACEMENT_BASIS
    from imgcoach.matching.signals import advise as advise_signals
    from imgcoach.matching.stored import StoredProgramError
    from imgcoach.matching.whatif import planned_vs_completed, with_step2

_HOMES = {
    "BudgetCurve": ("curve", "BudgetCurve"),
    "TierBar": ("curve", "TierBar"),
    "budget_curve": ("curve", "budget_curve"),
    "tier_bars": ("curve", "tier_bars"),
    "tier_text": ("curve", "tier_text"),
    "check_step2": ("inputs", "check_step2"),
    "check_budget": ("inputs", "check_budget"),
    "advise_signals": ("signals", "advise"),
    "SIGNAL_PLACEMENT_BASIS": ("signals", "PLACEMENT_BASIS"),
    "SIGNAL_CHANCES_BASIS": ("signals", "CHANCES_BASIS"),
    "edit_program": ("programs", "edit_program"),
    "add_program": ("programs", "add_program"),
    "program_values": ("programs", "program_values"),
    "warm_program_cache": ("programs", "warm_program_cache"),
    "PROGRAM_COLUMNS": ("schema", "COLUMNS"),
    "load_mapping": ("mapping", "load_mapping"),
    "built_in_mapping_file": ("mapping", "built_in_mapping_file"),
    "import_programs": ("programs", "import_programs"),
    "list_programs": ("programs", "list_programs"),
    "program_listing": ("programs", "program_listing"),
    "get_program": ("programs", "get_program"),
    "set_override": ("programs", "set_override"),
    "clear_override": ("programs", "clear_override"),
    "NoProgramData": ("runs", "NoProgramData"),
    "StoredProgramError": ("stored", "StoredProgramError"),
    "RunResult": ("runs", "RunResult"),
    "compute": ("runs", "compute"),
    "current": ("runs", "current"),
    "recompute": ("runs", "recompute"),
    "refresh_if_stale": ("runs", "refresh_if_stale"),
    "refresh_all": ("runs", "refresh_all"),
    "changes_since_seen": ("runs", "changes_since_seen"),
    "mark_seen": ("runs", "mark_seen"),
    "shortlist_quickly": ("quick", "shortlist_quickly"),
    "view_quickly": ("quick", "view_quickly"),
    "mark_seen_quickly": ("quick", "mark_seen_quickly"),
    "one_checkpoint": ("quick", "one_checkpoint"),
    "nightly_task": ("runs", "nightly_task"),
    "explain_program": ("explain", "explain"),
    "explain_text": ("explain", "explain_text"),
    "load_schedule": ("fees", "load_schedule"),
    "planned_vs_completed": ("whatif", "planned_vs_completed"),
    "with_step2": ("whatif", "with_step2"),
    "chance_sentence": ("present", "chance_sentence"),
    "chosen_words": ("present", "chosen_words"),
    "match_year_words": ("present", "match_year_words"),
    "exclusion_words": ("advice", "exclusion_words"),
    "pct": ("present", "pct"),
    "pct_span": ("present", "pct_span"),
    "display_name": ("present", "display_name"),
    "entry_note": ("present", "entry_note"),
    "fee_words": ("present", "fee_words"),
    "interview_chance_text": ("present", "interview_chance_text"),
    "one_time_fee_lines": ("present", "one_time_fee_lines"),
    "one_time_fee_block": ("present", "one_time_fee_block"),
    "exclusion_line": ("present", "exclusion_line"),
    "provenance_note": ("present", "provenance_note"),
    "shortlist_sentence": ("present", "shortlist_sentence"),
    "specialty_note_lines": ("present", "specialty_note_lines"),
    "extend_demo": ("demo_data", "extend_demo"),
}

__all__ = [
    "get_program",
    "BudgetCurve",
    "TierBar",
    "budget_curve",
    "tier_bars",
    "tier_text",
    "check_step2",
    "check_budget",
    "advise_signals",
    "SIGNAL_PLACEMENT_BASIS",
    "SIGNAL_CHANCES_BASIS",
    "edit_program",
    "add_program",
    "program_values",
    "warm_program_cache",
    "PROGRAM_COLUMNS",
    "load_mapping",
    "built_in_mapping_file",
    "import_programs",
    "list_programs",
    "program_listing",
    "set_override",
    "clear_override",
    "NoProgramData",
    "StoredProgramError",
    "RunResult",
    "compute",
    "current",
    "recompute",
    "refresh_if_stale",
    "refresh_all",
    "changes_since_seen",
    "mark_seen",
    "shortlist_quickly",
    "view_quickly",
    "mark_seen_quickly",
    "one_checkpoint",
    "nightly_task",
    "explain_program",
    "explain_text",
    "load_schedule",
    "planned_vs_completed",
    "with_step2",
    "chance_sentence",
    "chosen_words",
    "match_year_words",
    "exclusion_words",
    "pct",
    "pct_span",
    "display_name",
    "entry_note",
    "fee_words",
    "interview_chance_text",
    "one_time_fee_lines",
    "one_time_fee_block",
    "exclusion_line",
    "provenance_note",
    "shortlist_sentence",
    "specialty_note_lines",
    "extend_demo",
]

__getattr__, __dir__ = lazy_api(__name__, _HOMES)
