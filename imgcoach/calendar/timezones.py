"""Resolve a TZID string to a real zone, saying how, or refuse: never a silent floating time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from imgcoach.calendar.windows_zones import WINDOWS_TO_IANA

_VARIANT = re.compile(r"^(.*?)[ \t]*(?:\d+|:)$")  # Outlook "Eastern Standard Time 1", "Pacific Standard Time:"


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
    # Mozilla-style globally unique ids: /mozilla.org/20050126_1/Europe/Berlin
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts)):
            cand = "/".join(parts[i:])
            if "/" in cand and (zone := iana_zone(cand)) is not None:
                return Resolved(zone, cand, note=f'time zone "{tzid}" read as {cand}')
    return Resolved(None)
