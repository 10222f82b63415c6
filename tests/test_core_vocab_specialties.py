"""The specialty vocabulary: NRMP codes, aliases, match systems, PGY-1 needs, and refusal of the unknown."""

from __future__ import annotations

import re

import pytest

from imgcoach.core.errors import FieldError
from imgcoach.core.vocab.specialties import (
    BY_CODE,
    ENTRY_BASIS,
    PGY1_CODES,
    SPECIALTY_LIST,
    Entry,
    MatchSystem,
    parse_specialties,
    parse_specialty,
    pgy1_partners,
    specialty_names,
)

# The codes imgcoach.matching.vocab used before this vocabulary existed: program files carry them.
LEGACY = {
    "internal_medicine": "Internal Medicine", "family_medicine": "Family Medicine", "pediatrics": "Pediatrics",
    "psychiatry": "Psychiatry", "neurology": "Neurology", "general_surgery": "General Surgery",
    "obstetrics_gynecology": "Obstetrics and Gynecology", "emergency_medicine": "Emergency Medicine",
    "anesthesiology": "Anesthesiology", "diagnostic_radiology": "Diagnostic Radiology", "pathology": "Pathology",
    "physical_medicine_rehabilitation": "Physical Medicine and Rehabilitation",
    "transitional_year": "Transitional Year", "preliminary_medicine": "Internal Medicine (Preliminary)",
    "preliminary_surgery": "Surgery (Preliminary)", "dermatology": "Dermatology",
    "orthopaedic_surgery": "Orthopaedic Surgery", "ophthalmology": "Ophthalmology",
}


def test_legacy_codes_and_names_are_unchanged() -> None:
    names = specialty_names()
    for code, name in LEGACY.items():
        assert names[code] == name


@pytest.mark.parametrize(("typed", "code"), [
    ("IM", "internal_medicine"), ("FM", "family_medicine"), ("Peds", "pediatrics"),
    ("Ob/Gyn", "obstetrics_gynecology"), ("OBGYN", "obstetrics_gynecology"), ("ob-gyn", "obstetrics_gynecology"),
    ("Orthopedic Surgery", "orthopaedic_surgery"), ("Ortho", "orthopaedic_surgery"), ("EM", "emergency_medicine"),
    ("Psych", "psychiatry"), ("Neuro", "neurology"), ("Gen Surg", "general_surgery"),
    ("Rads", "diagnostic_radiology"), ("Derm", "dermatology"), ("Ophtho", "ophthalmology"),
    ("ENT", "otolaryngology"), ("Uro", "urology"), ("Urology", "urology"), ("Neurosurgery", "neurological_surgery"),
    ("Med-Peds", "internal_medicine_pediatrics"), ("PM&R", "physical_medicine_rehabilitation"),
    ("Path", "pathology"), ("Anesthesia", "anesthesiology"), ("Child Neuro", "child_neurology"),
    ("Plastics", "plastic_surgery"), ("Rad Onc", "radiation_oncology"), ("TY", "transitional_year"),
    ("Prelim Medicine", "preliminary_medicine"), ("Prelim Surgery", "preliminary_surgery"),
    ("Obstetrics and Gynecology", "obstetrics_gynecology"), ("obstetrics_gynecology", "obstetrics_gynecology"),
    ("  internal   medicine ", "internal_medicine"), ("INTERNAL MEDICINE", "internal_medicine"),
    ("Physical Medicine & Rehabilitation", "physical_medicine_rehabilitation"),
    ("Paediatrics", "pediatrics"), ("Anaesthesia", "anesthesiology"),
])
def test_aliases_display_names_and_codes(typed: str, code: str) -> None:
    assert parse_specialty(typed) == code


def test_every_specialty_parses_from_its_code_name_and_aliases() -> None:
    for s in SPECIALTY_LIST:
        for name in (s.code, s.name, *s.aliases):
            assert parse_specialty(name) == s.code, name


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Urolgy", "Urology"), ("dermatolgy", "Dermatology"), ("orth", "Orthopaedic Surgery"),
    ("Pediatrcs", "Pediatrics"), ("Psychiatri", "Psychiatry"),
])
def test_unknown_names_are_refused_with_suggestions(typed: str, suggested: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_specialty(typed, field="--specialties")
    assert caught.value.field == "--specialties"
    assert f"'{suggested}'" in str(caught.value)


@pytest.mark.parametrize("typed", ["", "   ", "Cardiology", "xyz", "Everything"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(FieldError, match="unknown specialty"):
        parse_specialty(typed)


def test_lists_keep_order_drop_repeats_and_refuse_any_unknown() -> None:
    assert parse_specialties("IM,FM") == ["internal_medicine", "family_medicine"]
    assert parse_specialties(" IM ; Peds, internal medicine, ") == ["internal_medicine", "pediatrics"]
    with pytest.raises(FieldError, match="Urolgy"):
        parse_specialties("IM, Urolgy")
    for empty in ("", " , ", ";"):
        with pytest.raises(FieldError, match="at least one"):
            parse_specialties(empty)


def test_match_systems() -> None:
    assert BY_CODE["ophthalmology"].system is MatchSystem.SF_MATCH
    assert BY_CODE["urology"].system is MatchSystem.AUA
    others = {s.system for s in SPECIALTY_LIST if s.code not in ("ophthalmology", "urology")}
    assert others == {MatchSystem.NRMP}


def test_pgy2_specialties_plan_a_pgy1_year_beside_them() -> None:
    assert BY_CODE["radiation_oncology"].needs_pgy1_year is True
    assert BY_CODE["dermatology"].needs_pgy1_year is None  # depends on the program: both kinds exist
    assert BY_CODE["internal_medicine"].needs_pgy1_year is False
    assert set(pgy1_partners("radiation_oncology")) == {"transitional_year", "preliminary_medicine",
                                                       "preliminary_surgery"}
    assert pgy1_partners("dermatology") == PGY1_CODES
    assert pgy1_partners("family_medicine") == ()
    assert all(BY_CODE[c].entry is Entry.PGY1_ONLY for c in PGY1_CODES)
    assert "[assumption]" in ENTRY_BASIS


def test_new_codes_follow_the_snake_case_style() -> None:
    for code in BY_CODE:
        assert code == code.lower() and " " not in code and "-" not in code
    for code in ("urology", "otolaryngology", "neurological_surgery", "child_neurology",
                 "internal_medicine_pediatrics"):
        assert code in BY_CODE


def test_the_program_schema_uses_the_same_list() -> None:
    from imgcoach.matching.vocab import SPECIALTIES, specialty_name

    assert specialty_names() == SPECIALTIES
    assert specialty_name("urology") == "Urology"
    assert specialty_name("obstetrics_gynecology") == "Obstetrics and Gynecology"


@pytest.mark.parametrize(("typed", "base"), [("Cardiology", "Internal Medicine"), ("GI", "Internal Medicine"),
                                             ("neonatology", "Pediatrics"), ("Heme/Onc", "Internal Medicine")])
def test_a_fellowship_is_refused_naming_the_residency_that_leads_to_it(typed: str, base: str) -> None:
    with pytest.raises(FieldError, match=f"fellowship after residency.*'{base}'"):
        parse_specialty(typed)


@pytest.mark.parametrize("typed", ["Foo", "Banana", "xyz"])
def test_an_unrelated_word_gets_no_far_off_suggestion_but_the_choices(typed: str) -> None:
    """"Foo" was asked "did you mean 'Otolaryngology'?" (difflib passed its key against the alias "oto" at 0.67):
    a suggestion must be close; with none close the message says so and lists the specialties."""
    with pytest.raises(FieldError) as caught:
        parse_specialty(typed)
    message = caught.value.message
    assert "did you mean" not in message
    assert message.startswith("unknown specialty; no specialty's name is close (the specialties: Internal Medicine, ")
    assert all(name in message for name in specialty_names().values())


@pytest.mark.parametrize(("typed", "meant"), [("emm", "Emergency Medicine"), ("pdes", "Pediatrics"),
                                              ("Urologyy", "Urology"), ("obgy", "Obstetrics and Gynecology")])
def test_a_close_typo_still_gets_its_suggestion(typed: str, meant: str) -> None:
    with pytest.raises(FieldError, match=f"did you mean '{re.escape(meant)}'"):
        parse_specialty(typed)
