"""Countries as ISO 3166-1 alpha-2 codes, from pycountry (the ISO 3166 data Debian's iso-codes project keeps),
plus the everyday names people type ("USA", "UK", "England") that ISO does not list."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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
def _entries() -> tuple[dict[str, str], ...]:
    """ISO 3166-1 as pycountry ships it, in its order: its own data file, read directly. Importing pycountry costs
    more than the rest of `rotations show` (it asks importlib.metadata for its own version, scanning every
    installed distribution: 60 ms or more, issue 17), and its objects are made from this file's entries."""
    import importlib.util
    import json

    spec = importlib.util.find_spec("pycountry")  # where it is, without running its __init__
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            with (Path(folder) / "databases" / "iso3166-1.json").open(encoding="utf-8") as fh:
                return tuple(json.load(fh)["3166-1"])
        except (OSError, KeyError, ValueError):
            break
    import pycountry  # a layout this does not know: pycountry's own reading of the same data

    return tuple(dict(getattr(country, "_fields")) for country in pycountry.countries)  # noqa: B009


@cache
def _names() -> dict[str, str]:
    """Alpha-2 code -> the name shown: the common name where ISO gives one ("Bolivia"), else its name."""
    return {country["alpha_2"]: country.get("common_name") or country["name"] for country in _entries()}


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    entries: list[tuple[str, tuple[str, ...]]] = []
    for country in _entries():
        own = (country["alpha_2"], country["alpha_3"], country["name"], country.get("official_name", ""),
               country.get("common_name", ""))
        entries.append((country["alpha_2"], tuple(n for n in own if n)))
    entries.extend(EXTRA_ALIASES.items())
    return _names(), build_index(entries)


def country_name(code: str) -> str:
    """The display name of an alpha-2 code ("US" -> "United States"); the code itself when unknown."""
    return _names().get(code.upper(), code)


def country_codes() -> tuple[str, ...]:
    return tuple(sorted(_names()))


def parse_country(text: str, field: str = "country") -> str:
    """The ISO 3166-1 alpha-2 code ``text`` names (code, alpha-3, name, official name or alias, any case),
    or a FieldError with the closest names."""
    names, index = _tables()
    code = index.get(key(text))
    if code is not None:
        return code
    near = suggestions(text, index, names)
    raise FieldError(field, text, f"unknown country{did_you_mean(near)} (use a name or an ISO 3166 code such as US)")
