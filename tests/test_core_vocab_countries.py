"""Countries as ISO 3166-1 alpha-2 codes, with the everyday names an IMG types."""

from __future__ import annotations

import pytest

from imgcoach.core.errors import FieldError
from imgcoach.core.vocab.countries import EXTRA_ALIASES, country_codes, country_name, parse_country


@pytest.mark.parametrize(("typed", "code"), [
    ("US", "US"), ("us", "US"), ("USA", "US"), ("U.S.", "US"), ("u.s.a.", "US"), ("United States", "US"),
    ("United States of America", "US"), ("America", "US"), ("  usa  ", "US"), ("the US", "US"),
    ("UK", "GB"), ("GB", "GB"), ("GBR", "GB"), ("Great Britain", "GB"), ("England", "GB"),
    ("United Kingdom", "GB"), ("Scotland", "GB"),
    ("India", "IN"), ("IND", "IN"), ("in", "IN"), ("Pakistan", "PK"), ("Nigeria", "NG"), ("Egypt", "EG"),
    ("Philippines", "PH"), ("Canada", "CA"), ("Australia", "AU"), ("Germany", "DE"), ("Deutschland", None),
    ("UAE", "AE"), ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("Iran", "IR"), ("Russia", "RU"),
    ("Vietnam", "VN"), ("Viet Nam", "VN"), ("Turkey", "TR"), ("Türkiye", "TR"), ("turkiye", "TR"),
    ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"), ("cote divoire", "CI"), ("DRC", "CD"),
    ("Holland", "NL"), ("Czechia", "CZ"),
])
def test_names_codes_and_aliases(typed: str, code: str | None) -> None:
    if code is None:
        with pytest.raises(FieldError):
            parse_country(typed)
    else:
        assert parse_country(typed) == code


def test_every_iso_code_parses_to_itself_and_has_a_name() -> None:
    codes = country_codes()
    assert len(codes) >= 249 and "US" in codes and "GB" in codes
    for code in codes:
        assert parse_country(code) == code
        assert parse_country(country_name(code)) == code


def test_every_extra_alias_names_a_real_code() -> None:
    codes = set(country_codes())
    assert set(EXTRA_ALIASES) <= codes


def test_display_names() -> None:
    assert country_name("US") == "United States"
    assert country_name("gb") == "United Kingdom"
    assert country_name("ZZ") == "ZZ"


@pytest.mark.parametrize(("typed", "suggested"), [
    ("Germny", "Germany"), ("Korea", "South Korea"), ("Korea", "North Korea"), ("Nigerai", "Nigeria"),
    ("Phillipines", "Philippines"),
])
def test_unknown_names_are_refused_with_suggestions(typed: str, suggested: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_country(typed, field="--country")
    assert caught.value.field == "--country"
    assert f"'{suggested}'" in str(caught.value)


@pytest.mark.parametrize("typed", ["", "   ", "XX", "Atlantis", "U", "USAA"])
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(FieldError, match="unknown country"):
        parse_country(typed)


def test_the_data_file_read_directly_is_what_pycountry_holds() -> None:
    """countries reads pycountry's ISO 3166-1 file without importing pycountry (issue 17: the import alone cost
    more than the rest of `rotations show`); every country, field and the order must be pycountry's own."""
    import subprocess
    import sys

    import pycountry

    from imgcoach.core.vocab.countries import _entries

    assert [dict(entry) for entry in _entries()] == [dict(c._fields) for c in pycountry.countries]
    shown = subprocess.run([sys.executable, "-c", "import sys; from imgcoach.core.vocab.countries import "
                            "country_name, parse_country; print(country_name('us'), parse_country('England'), "
                            "'pycountry' in sys.modules)"], capture_output=True, text=True, check=True)
    assert shown.stdout == "United States GB False\n"
