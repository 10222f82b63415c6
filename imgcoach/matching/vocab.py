"""Fixed vocabularies of program data: specialties, states with their Census regions, program types."""

from __future__ import annotations

# Code -> display name. Codes are what the CSV carries; names are what people read.
SPECIALTIES: dict[str, str] = {
    "internal_medicine": "Internal Medicine",
    "family_medicine": "Family Medicine",
    "pediatrics": "Pediatrics",
    "psychiatry": "Psychiatry",
    "neurology": "Neurology",
    "general_surgery": "General Surgery",
    "obstetrics_gynecology": "Obstetrics and Gynecology",
    "emergency_medicine": "Emergency Medicine",
    "anesthesiology": "Anesthesiology",
    "diagnostic_radiology": "Diagnostic Radiology",
    "pathology": "Pathology",
    "physical_medicine_rehabilitation": "Physical Medicine and Rehabilitation",
    "transitional_year": "Transitional Year",
    "preliminary_medicine": "Internal Medicine (Preliminary)",
    "preliminary_surgery": "Surgery (Preliminary)",
    "dermatology": "Dermatology",
    "orthopaedic_surgery": "Orthopaedic Surgery",
    "ophthalmology": "Ophthalmology",
    "child_neurology": "Child Neurology",
    "internal_medicine_pediatrics": "Internal Medicine-Pediatrics",
    "plastic_surgery": "Plastic Surgery (Integrated)",
    "neurological_surgery": "Neurological Surgery",
    "otolaryngology": "Otolaryngology",
    "urology": "Urology",
    "radiation_oncology": "Radiation Oncology",
}

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

PROGRAM_TYPES: tuple[str, ...] = ("university", "community", "community_based_university")

# Rotation kinds (imgcoach.rules.vocab) split the way programs count US clinical experience.
HANDS_ON_KINDS = frozenset({"externship", "clinical_job"})
OBSERVING_KINDS = frozenset({"observership"})


def specialty_name(code: str) -> str:
    return SPECIALTIES.get(code, code.replace("_", " ").title())
