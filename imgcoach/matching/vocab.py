"""Fixed vocabularies of program data: specialties, states with their Census regions, program types."""

from __future__ import annotations

from imgcoach.core.vocab.specialties import specialty_names
from imgcoach.core.vocab.us_states import REGION_OF as REGION_OF
from imgcoach.core.vocab.us_states import REGIONS as REGIONS
from imgcoach.core.vocab.us_states import STATES as STATES
from imgcoach.plan import HANDS_ON_KINDS as PLAN_HANDS_ON_KINDS

# Code -> display name. Codes are what the CSV carries; names are what people read. Derived from the shared
# specialty vocabulary (imgcoach.core.vocab.specialties), which also holds the aliases people type.
SPECIALTIES: dict[str, str] = specialty_names()


PROGRAM_TYPES: tuple[str, ...] = ("university", "community", "community_based_university")

# Rotation kinds (imgcoach.plan.rules.vocab) split the way programs count US clinical experience.
HANDS_ON_KINDS = PLAN_HANDS_ON_KINDS
OBSERVING_KINDS = frozenset({"observership"})


def specialty_name(code: str) -> str:
    return SPECIALTIES.get(code, code.replace("_", " ").title())
