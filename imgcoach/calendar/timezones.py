"""Resolve a TZID string to a real zone, saying how, or refuse: never a silent floating time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from imgcoach.calendar.windows_zones import DISPLAY_TO_WINDOWS, WINDOWS_TO_IANA

_VARIANT = re.compile(r"^(.*?)[ \t]*(?:\d+|:)$")  # Outlook "Eastern Standard Time 1", "Pacific Standard Time:"
# Outlook display-name prefix: "(UTC-05:00) ", "(GMT+10:00) ", "(UTC) "
_DISPLAY_PREFIX = re.compile(r"^\((?:UTC|GMT)[ ]*(?:([+-])(\d{1,2})[:.](\d{2}))?\)[ ]*(.*)$", re.IGNORECASE)
# Offset names of older Outlook/Lotus exports: "GMT-05.00/-04.00", "GMT+01:00/+02:00", "UTC+05.30"
_OFFSET_NAME = re.compile(
    r"^(?:GMT|UTC)[ ]*([+-]\d{1,2})[:.]?(\d{2})?(?:[ ]*/[ ]*(?:GMT|UTC)?[ ]*([+-]\d{1,2})[:.]?(\d{2})?)?$",
    re.IGNORECASE,
)


_MAX_OFFSET = timedelta(hours=14)

# The year whose rules name a zone by its offsets when no time says otherwise (a display name's city list).
CURRENT_RULES_YEAR = 2026
# The tz database vouches for clocks only since 1970 (zones that agree since then share one entry), and its
# zone files end in one rule repeated every year from 2038 at the latest: years outside are matched as these.
RULES_FIRST_YEAR, RULES_LAST_YEAR = 1970, 2037


@dataclass(frozen=True)
class Resolved:
    zone: tzinfo | None
    iana: str = ""
    note: str = ""  # set when the name was mapped by a rule the user should hear about


def iana_zone(name: str) -> ZoneInfo | None:
    """ZoneInfo for an IANA name, or None (never raises)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


@lru_cache(maxsize=512)
def resolve_tzid(tzid: str) -> Resolved:
    """IANA name, else CLDR Windows name, else a known variant of one (with a note), else unknown."""
    name = tzid.strip().strip('"').strip()
    zone = iana_zone(name) if name else None
    if zone is not None:
        return Resolved(zone, name)
    if name in WINDOWS_TO_IANA:
        iana = WINDOWS_TO_IANA[name]
        return Resolved(iana_zone(iana), iana)
    m = _VARIANT.match(name)
    if m and m.group(1) in WINDOWS_TO_IANA:
        iana = WINDOWS_TO_IANA[m.group(1)]
        return Resolved(
            iana_zone(iana), iana, note=f'time zone "{tzid}" read as Windows zone "{m.group(1)}" = {iana}'
        )
    display = _display_name(name)
    if display is not None:
        return display
    # Mozilla-style globally unique ids: /mozilla.org/20050126_1/Europe/Berlin
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts)):
            cand = "/".join(parts[i:])
            if "/" in cand and (zone := iana_zone(cand)) is not None:
                return Resolved(zone, cand, note=f'time zone "{tzid}" read as {cand}')
    return Resolved(None)


def _offset(sign: str, hours: str, minutes: str) -> timedelta:
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return -delta if sign == "-" else delta


@lru_cache(maxsize=512)
def resolve_display_name(tzid: str, year: int) -> Resolved | None:
    """An Outlook display name whose cities keep one zone's offsets in `year` (a `rules_year`), or None.

    `resolve_tzid` knows no year and checks a city list by today's rules. Old exports carry old Windows
    names: "(GMT+02:00) Athens, Istanbul, Minsk" (Windows XP's GTB Standard Time) was one zone's clock until
    Minsk and Istanbul dropped +02:00/+03:00 (2011, 2016), so a 2006 time in it reads right in Athens and a
    2026 one has no single reading. The reader asks this only when the name alone resolved nothing."""
    return _display_name(tzid.strip().strip('"').strip(), year)


def _display_name(name: str, year: int = CURRENT_RULES_YEAR) -> Resolved | None:
    """An Outlook display name: CLDR's table first, else a list of cities that all keep one zone's offsets
    in `year`. CLDR's names map to IANA zones whose history zoneinfo applies, so they need no year."""
    m = _DISPLAY_PREFIX.match(name)
    prefix_offset = _offset(m.group(1), m.group(2), m.group(3)) if m and m.group(1) else None
    rest = (m.group(4) if m else name).strip()
    if not rest and m:  # "(UTC)"
        return Resolved(iana_zone("Etc/UTC"), "Etc/UTC", note=f'time zone "{name}" read as UTC')
    windows = DISPLAY_TO_WINDOWS.get(rest)
    if windows is not None:
        iana = WINDOWS_TO_IANA[windows]
        return Resolved(iana_zone(iana), iana,
                        note=f'time zone "{name}" read as Windows zone "{windows}" = {iana} (CLDR windowsZones)')
    if "," not in rest and m is None:
        return None
    zones = [z for city in rest.split(",") if (z := _city_zone(city.strip())) is not None]
    if not zones:
        return None
    first = zones[0]
    pair = offset_pair(iana_zone(first), year)  # type: ignore[arg-type]
    if any(offset_pair(iana_zone(z), year) != pair for z in zones[1:]):  # type: ignore[arg-type]
        return None  # cities in different zones: no single reading is right
    if prefix_offset is not None and prefix_offset not in pair:
        return None
    how = "keeps the same offsets" if year == CURRENT_RULES_YEAR else f"kept the same offsets in {rules_label(year)}"
    return Resolved(iana_zone(first), first, note=f'time zone "{name}" read as {first} (every city it names {how})')


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Last component of every IANA name ("New_York" -> "America/New_York"), Etc/ and legacy names left out."""
    out: dict[str, str] = {}
    for key in sorted(available_timezones()):
        if "/" not in key or key.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")):
            continue
        out.setdefault(key.rsplit("/", 1)[1].lower(), key)
    return out


def _city_zone(city: str) -> str | None:
    return _cities().get(city.replace(" ", "_").lower()) if city else None


def rules_year(year: int) -> int:
    """The year whose rules match offsets to zones for a time in `year`.

    Clamped to the years the tz database tells apart (see RULES_FIRST_YEAR): it says nothing reliable about
    earlier ones and nothing new about later ones. This also bounds the distinct years, hence the zone scans
    (`zone_for_offsets`), a file full of fuzzed dates can ask for, and keeps the daily scan off year 9999."""
    return min(max(year, RULES_FIRST_YEAR), RULES_LAST_YEAR)


def rules_label(year: int) -> str:
    """How a note names a rules year: a clamped year stands for every year beyond it."""
    if year <= RULES_FIRST_YEAR:
        return f"{RULES_FIRST_YEAR} (or earlier)"
    if year >= RULES_LAST_YEAR:
        return f"{RULES_LAST_YEAR} (or later)"
    return str(year)


def offset_pair(zone: tzinfo, year: int) -> frozenset[timedelta]:
    """The UTC offsets a zone uses in mid-January and mid-July of a year (one value when it keeps no DST).

    The year is the caller's: zones gain, drop and move their daylight time (Moscow kept +03:00/+04:00
    until 2011, Indianapolis kept no DST until 2006), so which zones share a pair depends on it."""
    out = set()
    for month in (1, 7):
        local = datetime(year, month, 15, 12, tzinfo=UTC).astimezone(zone)
        out.add(local.utcoffset() or timedelta(0))
    return frozenset(out)


@dataclass(frozen=True)
class OffsetMatch:
    """The zone an offset-pair name is read in, and whether every zone with those offsets agrees with it."""

    iana: str
    rivals: tuple[str, ...]  # zones with the same two offsets that change clocks on other dates


@lru_cache(maxsize=256)
def zone_for_offsets(pair: frozenset[timedelta], year: int) -> OffsetMatch | None:
    """The IANA zone to read an offset-pair name ("GMT-05.00/-04.00") in for a year, or None when no zone
    keeps both offsets that year.

    Zones with the same two offsets can still change clocks on different dates (New York and Havana
    both keep -05:00/-04:00). The zones are grouped by their offset on every day of the year; the
    largest group is the most common rule, read as CLDR's main zone of that rule when it has one.
    One call scans every zone (3-70 ms): callers pass `rules_year(...)`, so the cache holds at most
    68 years per pair, and the reader caps the scans one file may ask for."""
    groups: dict[tuple[timedelta, ...], list[str]] = {}
    for key, zone in _region_zones():
        if offset_pair(zone, year) != pair:
            continue
        groups.setdefault(_daily_offsets(zone, year), []).append(key)
    if not groups:
        return None
    ranked = sorted(groups.values(), key=lambda names: -len(names))
    return OffsetMatch(_label(ranked[0]), tuple(_label(group) for group in ranked[1:]))


@lru_cache(maxsize=1)
def _region_zones() -> tuple[tuple[str, ZoneInfo], ...]:
    """Every region zone (Etc/ and SystemV/ left out), loaded once and held: ZoneInfo keeps only a few
    zones alive by itself, so each scan used to re-read about 600 zone files (two thirds of its time)."""
    out = []
    for key in sorted(available_timezones()):
        if "/" not in key or key.startswith(("Etc/", "SystemV/")):
            continue
        zone = iana_zone(key)
        if zone is not None:
            out.append((key, zone))
    return tuple(out)


# Zones whose names most readers recognise, used only to *name* a group of zones that keep identical
# clocks all the year matched (its times read the same whichever member is named): "America/New_York" says more
# than "America/Grand_Turk", which comes first alphabetically in the same group.
_FAMILIAR = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage",
             "America/Halifax", "America/Sao_Paulo", "Europe/London", "Europe/Berlin", "Europe/Athens",
             "Europe/Moscow", "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland")


def _label(group: list[str]) -> str:
    main = set(WINDOWS_TO_IANA.values())
    return next((n for n in _FAMILIAR if n in group), None) or next((n for n in group if n in main), group[0])


def _daily_offsets(zone: tzinfo, year: int) -> tuple[timedelta, ...]:
    start = datetime(year, 1, 1, 12, tzinfo=UTC)
    return tuple(((start + timedelta(days=d)).astimezone(zone).utcoffset() or timedelta(0)) for d in range(366))


def parse_offset_name(name: str) -> frozenset[timedelta] | None:
    """{standard, daylight} offsets of a name like "GMT-05.00/-04.00", or None when it is not one."""
    m = _OFFSET_NAME.match(name.strip().strip('"').strip())
    if m is None:
        return None
    offsets = {_offset(m.group(1)[0], m.group(1)[1:], m.group(2) or "0")}
    if m.group(3) is not None:
        offsets.add(_offset(m.group(3)[0], m.group(3)[1:], m.group(4) or "0"))
    # Real offsets run from -12:00 to +14:00; "GMT+99.00" is no offset (and timezone() refuses it).
    if any(abs(o) > _MAX_OFFSET or o % timedelta(minutes=15) for o in offsets):
        return None
    return frozenset(offsets)


def fixed_offset_zone(offset: timedelta) -> tzinfo:
    """A zone for a name that states a single offset and no daylight time: exact, whatever the date."""
    return timezone(offset)
