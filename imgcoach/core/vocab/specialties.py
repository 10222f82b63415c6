"""Residency specialties: the codes program files carry, their display names, the aliases applicants use, the
match each one goes through, and whether its positions start at PGY-1 or need a separate PGY-1 year first.

The codes are the snake_case ones imgcoach.matching.vocab has always used; display names of those codes are
unchanged so existing files, outputs and snapshots still read the same.
"""

from __future__ import annotations

from enum import StrEnum

from imgcoach.core.errors import FieldError
from imgcoach.core.record import Record
from imgcoach.core.vocab._lookup import build_index, did_you_mean, key, suggestions


class MatchSystem(StrEnum):
    NRMP = "nrmp"  # NRMP Main Residency Match (applications through ERAS)
    SF_MATCH = "sf_match"  # San Francisco Match (ophthalmology, with its own application and fees)
    AUA = "aua"  # American Urological Association Urology Residency Match (applications through ERAS)


MATCH_SYSTEM_NAMES: dict[MatchSystem, str] = {
    MatchSystem.NRMP: "NRMP Main Residency Match",
    MatchSystem.SF_MATCH: "SF Match",
    MatchSystem.AUA: "AUA Urology Match",
}


class Entry(StrEnum):
    """Which first-year positions a specialty's programs offer."""

    CATEGORICAL = "categorical"  # start at PGY-1, the first year included
    ADVANCED = "advanced"  # start at PGY-2: a preliminary or transitional PGY-1 year must be matched beside it
    BOTH = "both"  # programs differ: some include the PGY-1 year, some start at PGY-2
    PGY1_ONLY = "pgy1_only"  # the one-year preliminary and transitional positions themselves


ENTRY_BASIS = (
    "[assumption] position types (categorical / advanced) follow the kinds NRMP lists per specialty in its Main "
    "Residency Match Results and Data tables, from general knowledge; not checked against one season's table"
)


class Specialty(Record):
    code: str
    name: str
    aliases: tuple[str, ...]
    system: MatchSystem = MatchSystem.NRMP
    entry: Entry = Entry.CATEGORICAL

    @property
    def needs_pgy1_year(self) -> bool | None:
        """True when a separate PGY-1 year must be planned, None when it depends on the program."""
        if self.entry is Entry.ADVANCED:
            return True
        if self.entry is Entry.BOTH:
            return None
        return False

    def __str__(self) -> str:
        return self.name


_S = Specialty
SPECIALTY_LIST: tuple[Specialty, ...] = (
    _S("internal_medicine", "Internal Medicine", ("IM", "Medicine", "Internal Med", "Categorical Medicine",
                                                   "Internal Medicine Categorical")),
    _S("family_medicine", "Family Medicine", ("FM", "Family Practice", "FP", "Fam Med")),
    _S("pediatrics", "Pediatrics", ("Peds", "Paeds", "Paediatrics", "Pediatric", "Paediatric")),
    _S("psychiatry", "Psychiatry", ("Psych", "Psy")),
    _S("neurology", "Neurology", ("Neuro", "Adult Neurology"), entry=Entry.BOTH),
    _S("general_surgery", "General Surgery", ("Gen Surg", "GS", "Surgery", "Surgery Categorical",
                                              "Categorical Surgery")),
    _S("obstetrics_gynecology", "Obstetrics and Gynecology",
       ("Ob/Gyn", "OBGYN", "OB GYN", "OB-GYN", "Obstetrics & Gynecology", "Obstetrics and Gynaecology",
        "Obstetrics Gynecology", "Obs and Gynae", "O&G")),
    _S("emergency_medicine", "Emergency Medicine", ("EM", "Emergency", "ER")),
    _S("anesthesiology", "Anesthesiology", ("Anesthesia", "Anaesthesia", "Anaesthesiology", "Anes"),
       entry=Entry.BOTH),
    _S("diagnostic_radiology", "Diagnostic Radiology", ("Rads", "Radiology", "DR", "Diagnostic Rad"),
       entry=Entry.BOTH),
    _S("pathology", "Pathology", ("Path", "Pathology AP/CP", "AP/CP", "Anatomic and Clinical Pathology")),
    _S("physical_medicine_rehabilitation", "Physical Medicine and Rehabilitation",
       ("PM&R", "PMR", "PM and R", "Physiatry", "Rehab", "Physical Medicine & Rehabilitation"), entry=Entry.BOTH),
    _S("transitional_year", "Transitional Year", ("TY", "Transitional"), entry=Entry.PGY1_ONLY),
    _S("preliminary_medicine", "Internal Medicine (Preliminary)",
       ("Prelim Medicine", "Preliminary Medicine", "Prelim IM", "Preliminary Internal Medicine",
        "Internal Medicine Preliminary", "Medicine Prelim"), entry=Entry.PGY1_ONLY),
    _S("preliminary_surgery", "Surgery (Preliminary)",
       ("Prelim Surgery", "Preliminary Surgery", "Surgery Preliminary", "Prelim Surg", "Surgery Prelim"),
       entry=Entry.PGY1_ONLY),
    _S("dermatology", "Dermatology", ("Derm", "Derma"), entry=Entry.BOTH),
    _S("orthopaedic_surgery", "Orthopaedic Surgery",
       ("Orthopedic Surgery", "Ortho", "Orthopedics", "Orthopaedics", "Ortho Surg", "Orthopaedic", "Orthopedic")),
    _S("ophthalmology", "Ophthalmology", ("Ophtho", "Ophth", "Eye"), system=MatchSystem.SF_MATCH, entry=Entry.BOTH),
    _S("urology", "Urology", ("Uro", "Urologic Surgery"), system=MatchSystem.AUA),
    _S("otolaryngology", "Otolaryngology", ("ENT", "Otolaryngology - Head and Neck Surgery", "Otolaryngology HNS",
                                            "OHNS", "Oto", "Ear Nose and Throat")),
    _S("neurological_surgery", "Neurological Surgery", ("Neurosurgery", "NSGY", "Neurosurg")),
    _S("child_neurology", "Child Neurology", ("Child Neuro", "Pediatric Neurology", "Peds Neuro"),
       entry=Entry.BOTH),
    _S("internal_medicine_pediatrics", "Internal Medicine-Pediatrics",
       ("Med-Peds", "Med Peds", "Medicine-Pediatrics", "IM-Peds", "IM/Peds", "Internal Medicine/Pediatrics")),
    _S("plastic_surgery", "Plastic Surgery (Integrated)", ("Plastics", "Plastic Surgery", "Integrated Plastics",
                                                           "PRS")),
    _S("radiation_oncology", "Radiation Oncology", ("Rad Onc", "RadOnc", "Radiation Onc"), entry=Entry.ADVANCED),
    _S("interventional_radiology", "Interventional Radiology (Integrated)",
       ("IR", "Interventional Radiology", "Integrated IR"), entry=Entry.BOTH),
    _S("vascular_surgery", "Vascular Surgery (Integrated)", ("Vascular", "Vascular Surgery", "Vasc Surg")),
    _S("thoracic_surgery", "Thoracic Surgery (Integrated)", ("Thoracic", "Thoracic Surgery", "CT Surgery",
                                                             "Cardiothoracic Surgery")),
    _S("medical_genetics", "Medical Genetics and Genomics", ("Medical Genetics", "Genetics"), entry=Entry.BOTH),
    _S("nuclear_medicine", "Nuclear Medicine", ("Nuc Med", "NM"), entry=Entry.ADVANCED),
    _S("preventive_medicine", "Preventive Medicine", ("Prev Med", "Public Health and General Preventive Medicine",
                                                      "Occupational Medicine", "Aerospace Medicine"),
       entry=Entry.BOTH),
)

BY_CODE: dict[str, Specialty] = {s.code: s for s in SPECIALTY_LIST}
_DISPLAY = {s.code: s.name for s in SPECIALTY_LIST}
_INDEX = build_index((s.code, (s.code, s.name, *s.aliases)) for s in SPECIALTY_LIST)
PGY1_CODES: tuple[str, ...] = tuple(s.code for s in SPECIALTY_LIST if s.entry is Entry.PGY1_ONLY)


# Fellowships people type as if they were residencies: refused with the residency that leads to them.
_FELLOWSHIPS: dict[str, str] = {
    key(name): base
    for base, names in {
        "internal_medicine": ("Cardiology", "Gastroenterology", "GI", "Nephrology", "Oncology", "Hematology",
                              "Hematology-Oncology", "Heme/Onc", "Pulmonology", "Pulmonary and Critical Care",
                              "Critical Care", "Endocrinology", "Rheumatology", "Infectious Disease",
                              "Geriatrics", "Allergy and Immunology"),
        "pediatrics": ("Neonatology", "Pediatric Cardiology", "Pediatric Oncology"),
        "general_surgery": ("Surgical Oncology", "Trauma Surgery", "Colorectal Surgery", "Pediatric Surgery"),
    }.items()
    for name in names
}


def specialty_names() -> dict[str, str]:
    """Code -> display name, in list order (what imgcoach.matching.vocab.SPECIALTIES is)."""
    return dict(_DISPLAY)


def parse_specialty(text: str, field: str = "specialty") -> str:
    """The code of the specialty ``text`` names (code, display name or alias; any case, spacing or punctuation),
    or a FieldError with the closest names."""
    typed = key(text)
    code = _INDEX.get(typed)
    if code is not None:
        return code
    if typed in _FELLOWSHIPS:
        base = _DISPLAY[_FELLOWSHIPS[typed]]
        raise FieldError(field, text, f"unknown specialty: this is a fellowship after residency; the residency "
                         f"that leads to it is {base!r}")
    near = suggestions(text, _INDEX, _DISPLAY)
    # Nothing close: say so and give the choices, rather than a far-off guess or nothing to go on.
    choices = f"; no specialty's name is close (the specialties: {', '.join(_DISPLAY.values())})"
    raise FieldError(field, text, f"unknown specialty{did_you_mean(near) or choices}")


def fellowship_base(text: str) -> str | None:
    """The code of the residency that leads to the fellowship ``text`` names ("Cardiology" -> internal_medicine),
    or None when ``text`` is not a fellowship."""
    return _FELLOWSHIPS.get(key(text))


# Aliases that, in free text such as an event's title, are more often something else: "Dr." and the state NM.
_NOT_IN_TEXT = frozenset({"dr", "nm"})


def specialty_in(text: str) -> str | None:
    """The specialty (its list name) or fellowship (as written: "Cardiology") that a free text names, such as a
    calendar event's title ("Cardiology Externship - Mount Sinai", "Observership: Internal Medicine at Lakeside
    General"); the longest mention wins, then the first. None when it names none. A short alias ("IM", "EM",
    "ENT") counts only in capitals, so "em" or "ent" inside a phrase is not taken for one.

    Why: the import took whatever followed " - " as the specialty, so a title naming the hospital there stored
    "Mount Sinai" as the specialty, and one naming it first stored "unspecified"."""
    import re

    words = re.findall(r"[^\W_]+|&", text)
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start:start + size])
            typed = key(phrase)
            if not typed or typed in _NOT_IN_TEXT or (len(typed) <= 3 and not phrase.isupper()):
                continue
            if typed in _INDEX:
                return _DISPLAY[_INDEX[typed]]
            if typed in _FELLOWSHIPS:
                return phrase.title() if phrase.islower() else phrase
    return None


def service_name(specialty: str, department: str) -> str:
    """The service a rotation was on, as its supervisor calls it: the department when it names a fellowship of
    the rotation's specialty ("Cardiology" in Internal Medicine: a Cardiology observership is stored so, and its
    e-mails read "your Internal Medicine service" to a cardiologist), else the specialty."""
    base = fellowship_base(department) if department else None
    if base is not None and specialty_names().get(base) == specialty:
        return department.strip()
    return specialty


def parse_specialties(text: str, field: str = "specialties") -> list[str]:
    """Codes for a comma- or semicolon-separated list ("IM, FM"), in order, without repeats; an empty item or any
    unknown name refuses the whole list (naming it), so a typo never widens a search to every specialty."""
    items = [part.strip() for part in text.replace(";", ",").split(",")]
    if not any(items):
        raise FieldError(field, text, "name at least one specialty")
    codes: list[str] = []
    for item in items:
        if not item:
            continue  # "IM, FM," : a trailing comma is harmless
        code = parse_specialty(item, field)
        if code not in codes:
            codes.append(code)
    return codes


def pgy1_partners(code: str) -> tuple[str, ...]:
    """The PGY-1 positions to plan beside ``code`` when its programs start at PGY-2 (all, or some)."""
    return PGY1_CODES if BY_CODE[code].needs_pgy1_year is not False else ()
