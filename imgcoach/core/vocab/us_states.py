"""U.S. states and territories with ACGME programs, grouped by Census Bureau region (a definition, not a statistic).

Shared by the profile (home states) and the shortlist (geographic ties), so both accept the same codes.
"""

from __future__ import annotations

# US Census Bureau regions (a definition, not a statistic). PR is included: it hosts ACGME programs.
_REGIONS: dict[str, tuple[str, ...]] = {
    "northeast": ("CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"),
    "midwest": ("IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"),
    "south": (
        "DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV", "AL", "KY", "MS", "TN", "AR", "LA", "OK", "TX",
        "PR",
    ),
    "west": ("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"),
}
REGION_OF: dict[str, str] = {state: region for region, states in _REGIONS.items() for state in states}
STATES: tuple[str, ...] = tuple(sorted(REGION_OF))
REGIONS: tuple[str, ...] = tuple(_REGIONS)
