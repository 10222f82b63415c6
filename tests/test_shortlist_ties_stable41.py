"""Two programs tied at one chance in two specialties were chosen by the optimiser's queue order, which followed
whichever specialty's better program had been picked first: editing a third program (its chance moved, but not
past either twin) swapped the twins, and "since you last looked" said one entered and one left though neither
had changed. Ties are now broken by the program id, so nothing is reported that did not change."""

from __future__ import annotations

from pathlib import Path

from imgcoach.core.context import Context
from imgcoach.matching import edit_program, import_programs
from imgcoach.matching import runs as service
from imgcoach.plan.profile import set_profile
from tests.matching_support import csv_text, row

# The twins: the same figures in two specialties, each held to 5% by its own interview rate last season (50
# interviews of 1000 applications), so their chances are equal to the last digit whatever else changes.
OPEN = {"step2_min": "none", "yog_cutoff_years": "none"}  # the applicant (graduated 2022) is excluded by none
TWIN = {**OPEN, "img_share_pct": "10", "step2_typical": "250"}


def _programs(tmp_path: Path, w_share: str) -> Path:
    path = tmp_path / f"programs-{w_share}.csv"
    path.write_text(csv_text(
        row(program_id="IM-W", name="IM strong", img_share_pct=w_share, step2_typical="200", **OPEN),
        row(program_id="FM-Z", name="FM strong", specialty="family_medicine", img_share_pct="60",
            step2_typical="200", **OPEN),
        row(program_id="IM-X", name="IM twin", **TWIN),
        row(program_id="FM-Y", name="FM twin", specialty="family_medicine", **TWIN),
    ))
    return path


def test_tied_programs_do_not_swap_on_an_unrelated_edit(ctx: Context, tmp_path: Path) -> None:
    set_profile(ctx, target_specialties=["Internal Medicine", "Family Medicine"], application_budget_usd=33.0)
    import_programs(ctx, _programs(tmp_path, "20"))
    first = service.recompute(ctx, trigger="test").shortlist
    chosen = [e.program_id for e in first.entries]
    assert len(chosen) == 3 and {"IM-W", "FM-Z"} <= set(chosen), chosen  # room for one twin only
    twins = {e.program_id: e.probability for e in first.entries if e.program_id in ("IM-X", "FM-Y")}
    assert twins == {"FM-Y": twins["FM-Y"]}  # the id breaks the tie: FM-Y before IM-X
    service.mark_seen(ctx)

    # An unrelated edit: IM-W's IMG share rises, which changes which strong program is picked first.
    edit_program(ctx, "IM-W", {"img_share_pct": "90"})
    second = service.recompute(ctx, trigger="test").shortlist
    assert [e.program_id for e in second.entries if e.program_id in ("IM-X", "FM-Y")] == ["FM-Y"]
    assert service.changes_since_seen(ctx) == []
