"""One validator for every e-mail address the user types (profile, contacts, outreach), so an address that is
accepted on entry is one the mail builder can send to later.

Accepted: a bare ``local@domain`` (RFC 5321 mailbox) with a dot-atom local part and a domain name. Refused, with
a one-line error naming the field and the value: display-name forms (``Evil <x@y>``), two addresses, CR, LF or any
other control character, a ``mailto:`` prefix, quoted local parts, IP-literal domains, leading, trailing or double
dots, a domain without a dot. An internationalised domain is encoded to its IDNA 2008 ASCII form (punycode) with
the ``idna`` package: the standard library's codec implements IDNA 2003, which maps "ß" to "ss" and so would
address a different domain. A non-ASCII local part is accepted but flagged ``needs_smtputf8``: only a server that
offers SMTPUTF8 (RFC 6531) can deliver to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from imgcoach.core.errors import FieldError

# RFC 5322 atext (ASCII); any non-ASCII character is allowed too (RFC 6531 UTF8-non-ascii) but flags SMTPUTF8.
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_MAX_LOCAL_OCTETS = 64  # RFC 5321 4.5.3.1.1
_MAX_DOMAIN_OCTETS = 253  # RFC 1035, without the root dot
_MAX_PATH_OCTETS = 254  # RFC 5321 forward-path limit less the angle brackets


@dataclass(frozen=True, slots=True)
class EmailAddress:
    """A validated address: ``address`` is what to store and send to (domain in ASCII, lower case)."""

    address: str
    local_part: str
    domain: str
    needs_smtputf8: bool

    def __str__(self) -> str:
        return self.address


def _refuse(field: str, value: object, why: str) -> FieldError:
    return FieldError(field, value, f"not a valid e-mail address: {why}")


def _check_local(field: str, value: str, local: str) -> bool:
    """Validate the local part; True when it needs SMTPUTF8."""
    if not local:
        raise _refuse(field, value, "nothing before the @")
    if local.startswith(".") or local.endswith("."):
        raise _refuse(field, value, "the part before the @ starts or ends with a dot")
    if ".." in local:
        raise _refuse(field, value, "two dots in a row before the @")
    non_ascii = False
    for char in local:
        if char == ".":
            continue
        if ord(char) > 127:
            if unicodedata.category(char).startswith(("C", "Z")):
                raise _refuse(field, value, f"character {char!r} is not allowed")
            non_ascii = True
        elif not _ATEXT.match(char):
            raise _refuse(field, value, f"character {char!r} is not allowed before the @")
    if len(local.encode("utf-8")) > _MAX_LOCAL_OCTETS:
        raise _refuse(field, value, f"the part before the @ is longer than {_MAX_LOCAL_OCTETS} bytes")
    return non_ascii


def _ascii_domain(field: str, value: str, domain: str) -> str:
    if not domain:
        raise _refuse(field, value, "nothing after the @")
    if domain.startswith("[") or ":" in domain:
        raise _refuse(field, value, "give a domain name, not an IP address")
    if domain.startswith(".") or domain.endswith(".") or ".." in domain:
        raise _refuse(field, value, "the domain starts or ends with a dot, or has two in a row")
    if "." not in domain:
        raise _refuse(field, value, "the domain has no dot (like example.com)")
    if domain.isascii():
        ascii_domain = domain.lower()
    else:
        import idna  # here: only an internationalised domain needs it, and every quick read imported it

        try:
            ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise _refuse(field, value, f"the domain is not a valid internationalised name ({exc})") from exc
    labels = ascii_domain.split(".")
    if not all(_LABEL.match(label) for label in labels):
        raise _refuse(field, value, "the domain may hold only letters, digits, hyphens and dots")
    if any(label.startswith("xn--") for label in labels):
        import idna

        try:
            idna.decode(ascii_domain)
        except (idna.IDNAError, UnicodeError) as exc:
            raise _refuse(field, value, "the domain holds a broken xn-- (punycode) label") from exc
    if labels[-1].isdigit():
        raise _refuse(field, value, "the domain ends in a number, not a name")
    if len(ascii_domain) > _MAX_DOMAIN_OCTETS:
        raise _refuse(field, value, f"the domain is longer than {_MAX_DOMAIN_OCTETS} characters")
    return ascii_domain


def validate_email(value: object, field: str = "e-mail") -> EmailAddress:
    """The one check for an e-mail address typed anywhere; ``field`` names it in the error ("--email",
    "contact e-mail"). Surrounding spaces are dropped; everything else must be exactly one bare address."""
    if not isinstance(value, str):
        raise _refuse(field, value, "expected text")
    if _CONTROL.search(value):
        raise _refuse(field, value, "it contains a line break or another control character")
    text = unicodedata.normalize("NFC", value.strip())
    if not text:
        raise _refuse(field, value, "it is empty")
    if text.lower().startswith("mailto:"):
        raise _refuse(field, value, "drop the 'mailto:' prefix")
    if any(c in text for c in ",;"):
        raise _refuse(field, value, "give one address, not a list")
    if any(c in text for c in "<>"):
        raise _refuse(field, value, "give the bare address, without a name or <angle brackets>")
    if any(c in text for c in '"()\\') or any(c.isspace() for c in text):
        raise _refuse(field, value, "spaces, quotes, parentheses and backslashes are not allowed")
    if text.count("@") != 1:
        raise _refuse(field, value, "an address has exactly one @" if "@" in text else "it has no @")
    local, _, domain = text.partition("@")
    needs_smtputf8 = _check_local(field, value, local)
    ascii_domain = _ascii_domain(field, value, domain)
    address = f"{local}@{ascii_domain}"
    if len(address.encode("utf-8")) > _MAX_PATH_OCTETS:
        raise _refuse(field, value, f"longer than {_MAX_PATH_OCTETS} bytes")
    return EmailAddress(address, local, ascii_domain, needs_smtputf8)
