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


def _display_name(name: str) -> Resolved | None:
    """An Outlook display name: CLDR's table first, else a list of cities that all keep one zone's offsets."""
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
    pair = offset_pair(iana_zone(first))  # type: ignore[arg-type]
    if any(offset_pair(iana_zone(z)) != pair for z in zones[1:]):  # type: ignore[arg-type]
        return None  # cities in different zones: no single reading is right
    if prefix_offset is not None and prefix_offset not in pair:
        return None
    return Resolved(iana_zone(first), first,
                    note=f'time zone "{name}" read as {first} (every city it names keeps the same offsets)')


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


def offset_pair(zone: tzinfo, year: int = 2026) -> frozenset[timedelta]:
    """The UTC offsets a zone uses in mid-January and mid-July of a year (one value when it keeps no DST)."""
    out = set()
    for month in (1, 7):
        local = datetime(year, month, 15, 12, tzinfo=UTC).astimezone(zone)
        out.add(local.utcoffset() or timedelta(0))
    return frozenset(out)


def parse_offset_name(name: str) -> frozenset[timedelta] | None:
    """{standard, daylight} offsets of a name like "GMT-05.00/-04.00", or None when it is not one."""
    m = _OFFSET_NAME.match(name.strip().strip('"').strip())
    if m is None:
        return None
    first = _offset(m.group(1)[0], m.group(1)[1:], m.group(2) or "0")
    if m.group(3) is None:
        return frozenset({first})
    return frozenset({first, _offset(m.group(3)[0], m.group(3)[1:], m.group(4) or "0")})


def fixed_offset_zone(offset: timedelta) -> tzinfo:
    """A zone for a name that states a single offset and no daylight time: exact, whatever the date."""
    return timezone(offset)
