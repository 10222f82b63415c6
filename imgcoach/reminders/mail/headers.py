"""Header hygiene: a CR or LF in a name or subject must never start a new header."""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address
from functools import lru_cache

from imgcoach.core.oneline import is_one_line, one_line
from imgcoach.reminders.mail.errors import InvalidAddressError

_MESSAGE_ID = re.compile(r"^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+@[A-Za-z0-9.\-]+>$")


def clean_header_text(value: str) -> str:
    """Replace control characters (CR, LF, tabs, NUL...) by single spaces, so text stays on one header line."""
    return one_line(value)


def make_address(name: str, email: str, *, field: str = "address") -> Address:
    """Build an Address; the display name is cleaned, the address itself must be valid as given."""
    if not email or not is_one_line(email) or " " in email:
        raise InvalidAddressError(f"{field}: invalid e-mail address {email!r}")
    try:
        address = Address(display_name=clean_header_text(name), addr_spec=email)
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise InvalidAddressError(f"{field}: invalid e-mail address {email!r} ({exc})") from exc
    if not address.username or not address.domain:
        raise InvalidAddressError(f"{field}: invalid e-mail address {email!r}")
    return address


@lru_cache(maxsize=256)
def check_address(email: str, *, field: str = "address") -> str:
    """The address itself, if valid (parsed once by ``headerregistry``; the same few addresses repeat)."""
    return make_address("", email, field=field).addr_spec


def check_message_id(message_id: str) -> str:
    """Message-IDs are fixed at derivation time; refuse anything that is not a plain ``<left@right>``."""
    if not _MESSAGE_ID.match(message_id):
        raise InvalidAddressError(f"invalid Message-ID {message_id!r}")
    return message_id
