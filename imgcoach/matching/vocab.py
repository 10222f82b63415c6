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


# Full names as exports write them ("New York"), for the state column.
STATE_NAMES: dict[str, str] = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI",
    "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "puerto rico": "PR", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN",
    "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY",
}
assert set(STATE_NAMES.values()) == set(REGION_OF), "every state has its name"

PROGRAM_TYPES: tuple[str, ...] = ("university", "community", "community_based_university")

# Rotation kinds (imgcoach.plan.rules.vocab) split the way programs count US clinical experience.
HANDS_ON_KINDS = PLAN_HANDS_ON_KINDS
OBSERVING_KINDS = frozenset({"observership"})


def specialty_name(code: str) -> str:
    return SPECIALTIES.get(code, code.replace("_", " ").title())
