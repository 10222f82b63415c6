"""Countries as ISO 3166-1 alpha-2 codes, from pycountry (the ISO 3166 data Debian's iso-codes project keeps),
plus the everyday names people type ("USA", "UK", "England") that ISO does not list."""

from __future__ import annotations

from functools import cache

import pycountry

from imgcoach.core.errors import FieldError
from imgcoach.core.vocab._lookup import build_index, did_you_mean, key, suggestions

# Everyday names and abbreviations ISO 3166 does not carry. Each names one country only: "Korea" (north or
# south) is deliberately absent, so it is refused with both as suggestions. ("Congo" is ISO's own name for CG.)
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("USA", "U.S.", "U.S.A.", "United States", "United States of America", "America", "the US", "the USA"),
    "GB": ("UK", "U.K.", "United Kingdom", "Great Britain", "Britain", "England", "Scotland", "Wales",
           "Northern Ireland", "the UK"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "KR": ("South Korea", "Republic of Korea"),
    "KP": ("North Korea",),
    "RU": ("Russia",),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "VE": ("Venezuela",),
    "BO": ("Bolivia",),
    "TZ": ("Tanzania",),
    "VN": ("Vietnam", "Viet Nam"),
    "LA": ("Laos",),
    "MD": ("Moldova",),
    "CZ": ("Czech Republic", "Czechia"),
    "TR": ("Turkey", "Turkiye", "Türkiye"),
    "CD": ("DR Congo", "DRC", "Democratic Republic of the Congo"),
    "CG": ("Republic of the Congo",),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "NL": ("Holland", "The Netherlands"),
    "PS": ("Palestine",),
    "TW": ("Taiwan",),
    "MK": ("Macedonia", "North Macedonia"),
    "SZ": ("Swaziland", "Eswatini"),
    "CV": ("Cape Verde",),
    "MM": ("Burma",),
    "VA": ("Vatican", "Vatican City"),
    "BN": ("Brunei",),
    "FM": ("Micronesia",),
    "KN": ("St Kitts and Nevis", "St. Kitts"),
    "LC": ("St Lucia", "St. Lucia"),
    "VC": ("St Vincent", "St. Vincent and the Grenadines"),
}


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    entries: list[tuple[str, tuple[str, ...]]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        common = getattr(country, "common_name", None)
        names[code] = common or country.name
        own = (code, country.alpha_3, country.name, getattr(country, "official_name", ""), common or "")
        entries.append((code, tuple(n for n in own if n)))
    entries.extend(EXTRA_ALIASES.items())
    return names, build_index(entries)


def country_name(code: str) -> str:
    """The display name of an alpha-2 code ("US" -> "United States"); the code itself when unknown."""
    return _tables()[0].get(code.upper(), code)


def country_codes() -> tuple[str, ...]:
    return tuple(sorted(_tables()[0]))


def parse_country(text: str, field: str = "country") -> str:
    """The ISO 3166-1 alpha-2 code ``text`` names (code, alpha-3, name, official name or alias, any case),
    or a FieldError with the closest names."""
    names, index = _tables()
    code = index.get(key(text))
    if code is not None:
        return code
    near = suggestions(text, index, names)
    raise FieldError(field, text, f"unknown country{did_you_mean(near)} (use a name or an ISO 3166 code such as US)")
