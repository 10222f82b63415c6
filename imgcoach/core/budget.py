"""The words for an applicant's application budget, and what the shortlist uses when the profile sets none.

Here, below every feature and face, because two paths say them: the app's profile screen and `profile set` (through
matching) and `profile show`'s quick path, which may not load matching (it pulls in SQLAlchemy and the model; the
quick path's test forbids that). `profile show` said "Programs: not set" while the app said the list then uses a
default of 60 programs. Pure: no database, no UI.
"""

from __future__ import annotations

from imgcoach.core.words import counted

# Used when the applicant has set no budget: the median number of applications of matched IMGs in the
# NRMP applicant survey figure IM-4 quoted in matching/data/calibration.toml (a default, changeable any time).
DEFAULT_BUDGET_PROGRAMS = 60
# Said wherever the default budget is shown: the profile says "Programs: not set" while the list said
# "budget: 60 programs" as if the applicant had chosen it.
DEFAULT_BUDGET_NOTE = "a default: no budget in your profile"
DEFAULT_BUDGET_HINT = "`imgcoach profile set --budget-programs N` or `--budget-usd X` sets yours"
# What the list uses when the profile sets no budget, as the profile's budget line says it.
DEFAULT_BUDGET_USED = f"the shortlist uses a default of {DEFAULT_BUDGET_PROGRAMS} programs"


def profile_budget_words(programs: int | None, usd: float | None) -> str:
    """The profile's budget as the app's profile screen shows it, with what the list uses when none is set (the
    screen had no budget at all, so a budget removed in its form left nothing saying what the list then uses)."""
    if programs is None and usd is None:
        return f"not set: {DEFAULT_BUDGET_USED}"
    parts = [counted(programs, "program") if programs is not None else "",
             f"${usd:,.0f} in application fees" if usd is not None else ""]
    both = " (the list keeps within each)" if programs is not None and usd is not None else ""
    return " and ".join(p for p in parts if p) + both


def no_budget_words() -> str:
    """What a profile without a budget means for the list, said where a budget is cleared (`profile set
    --budget-programs none`, the app's profile form): the list then uses the default, which must not read as
    the applicant's own choice."""
    return f"no application budget in your profile: {DEFAULT_BUDGET_USED} ({DEFAULT_BUDGET_HINT})"
