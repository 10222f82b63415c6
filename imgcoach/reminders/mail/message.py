"""Assemble one reminder message (text + HTML alternative + text/calendar) right before sending it.

Built with the email package's compat32 classes (``Message``, ``email.mime.multipart``), whose headers are
plain strings: about 10x cheaper than ``EmailMessage``, whose every header goes through the
``headerregistry`` parser. Header
values still come only from the email package's encoders (``formataddr``, ``Header``), never from string
concatenation, and every value is first cleaned of CR/LF (and compat32 itself refuses a value that
would start a new header), so no name or subject can add a header.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import quoprimime
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.policy import Compat32
from email.utils import format_datetime, formataddr
from functools import lru_cache
from io import BytesIO
from typing import Any

from imgcoach.reminders.mail.errors import InvalidAddressError
from imgcoach.reminders.mail.headers import check_address, check_message_id, clean_header_text


class ReminderPolicy(Compat32):
    """compat32, except that a short printable-ASCII header value is written as is.

    compat32 re-encodes every header through ``email.header.Header`` when the message is flattened, which
    returns such a value unchanged (a test checks the bytes are identical); skipping it saves about a third
    of the flattening. Anything else (long, non-ASCII, control characters) takes compat32's own path.
    """

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if isinstance(value, str) and (line := _unfolded(name, value, self.linesep, self.max_line_length)):
            return line
        # EmailPolicy._fold is CPython's private folding routine; typeshed leaves private methods out.
        return super()._fold(name, value, sanitize)  # type: ignore[misc]

    def fold_binary(self, name: str, value: Any) -> bytes:
        # Most header lines of a reminder (the parts' Content-Type and encoding, From, To, MIME-Version...) are
        # the same in every message: each is checked and encoded once, not once a message.
        if isinstance(value, str) and (line := _unfolded_bytes(name, value, self.linesep, self.max_line_length)):
            return line
        return super().fold_binary(name, value)


def _unfolded(name: str, value: str, linesep: str, max_line_length: int | None) -> str | None:
    """The header line as is, when compat32 would write it unchanged (short printable ASCII); else None."""
    if (value.isascii() and value.isprintable() and value == value.strip() and "  " not in value
            and len(name) + 2 + len(value) <= (max_line_length or 78)):
        return f"{name}: {value}{linesep}"
    return None


@lru_cache(maxsize=1024)  # the constant lines stay: every message uses them, a unique Message-ID once
def _unfolded_bytes(name: str, value: str, linesep: str, max_line_length: int | None) -> bytes | None:
    line = _unfolded(name, value, linesep, max_line_length)
    return line.encode("ascii") if line is not None else None


POLICY = ReminderPolicy()
SMTP_POLICY = POLICY.clone(linesep="\r\n")
_NLCRE = re.compile(r"\r\n|\r|\n")  # email.generator.NLCRE: the line ends the generator splits a payload at


class _Generator(BytesGenerator):
    """The email package's BytesGenerator, writing a text part's lines in one piece."""

    def flatten(self, msg: Message, unixfrom: bool = False, linesep: str | None = None) -> None:
        if linesep is not None and self.policy is not None and linesep == self.policy.linesep:
            linesep = None  # a subpart gets its parent's linesep: the same policy, not a clone per part
        super().flatten(msg, unixfrom, linesep)

    def _write_lines(self, lines: str) -> None:
        # Generator._write_lines writes each line and each line end on its own (220 writes a message); the
        # same lines joined by the same line end are the same bytes in one write (str.replace when there is
        # no CR: the same as splitting at every line end, at a fraction of the regex's cost).
        if lines:
            nl = self._NL  # type: ignore[attr-defined]
            self.write(lines.replace("\n", nl) if "\r" not in lines else nl.join(_NLCRE.split(lines)))


def message_bytes(msg: Message) -> bytes:
    """The message as sent over SMTP (CRLF line ends), by the email package's generator."""
    out = BytesIO()
    policy = SMTP_POLICY if msg.policy is POLICY else msg.policy.clone(linesep="\r\n")
    _Generator(out, mangle_from_=False, policy=policy).flatten(msg)
    return out.getvalue()


_MAX_7BIT_LINE = 900  # RFC 5321 allows 998 octets per line; stay well below


@dataclass(frozen=True)
class Mailbox:
    """A (display name, address) pair as typed by the user; validated only when a message is built."""

    name: str
    email: str


class _Part(Message):
    """A compat32 Message that knows its own Content-Type and boundary, set when it is built.

    The generator asks every part for its content type (three times) and every multipart for its boundary,
    and compat32 answers each question by parsing the Content-Type header again: a fifth of building and
    flattening a reminder. The answers are kept here; any change to the Content-Type header (or the
    boundary) forgets them, so a part changed after it was built answers as a plain Message would.
    """

    _ctype: str | None = None
    _boundary: str | None = None

    def _known(self, ctype: str, boundary: str | None = None) -> _Part:
        self._ctype, self._boundary = ctype, boundary
        return self

    def _forget(self, name: str = "content-type") -> None:
        if name.lower() == "content-type":  # the one header both answers come from
            self._ctype = self._boundary = None

    def get_content_type(self) -> str:
        return self._ctype or super().get_content_type()

    def get_boundary(self, failobj: Any = None) -> Any:
        if self._ctype is not None:
            return self._boundary if self._boundary is not None else failobj
        return super().get_boundary(failobj)

    # Everything that changes a header goes through one of these (set_param and del_param through
    # __setitem__, __delitem__ or replace_header; set_boundary replaces the header list itself).
    def __setitem__(self, name: str, val: Any) -> None:
        self._forget(name)
        super().__setitem__(name, val)

    def __delitem__(self, name: str) -> None:
        self._forget(name)
        super().__delitem__(name)

    def add_header(self, _name: str, _value: str, **_params: Any) -> None:
        self._forget(_name)
        super().add_header(_name, _value, **_params)

    def replace_header(self, _name: str, _value: Any) -> None:
        self._forget(_name)
        super().replace_header(_name, _value)

    def set_raw(self, name: str, value: Any) -> None:
        self._forget(name)
        super().set_raw(name, value)

    def set_boundary(self, boundary: str) -> None:
        self._forget()
        super().set_boundary(boundary)


def _text_part(text: str, subtype: str, **params: str) -> Message:
    """One text part: 7bit when the text is plain ASCII with short lines, else UTF-8 quoted-printable.

    Built as a bare compat32 Message with ``add_header`` (which formats and quotes the parameters) rather
    than ``MIMEText``, whose charset handling parses its own Content-Type header again for every part.
    """
    part = _Part(policy=POLICY)
    plain = text.isascii() and max(map(len, text.splitlines()), default=0) <= _MAX_7BIT_LINE
    # add_header's own formatting and quoting, done once per kind of part (it was a fifth of building a message)
    part.set_raw("Content-Type", _formatted("Content-Type", f"text/{subtype}",
                                            (("charset", "us-ascii" if plain else "utf-8"), *params.items())))
    part.set_raw("Content-Transfer-Encoding", "7bit" if plain else "quoted-printable")
    part.set_payload(text if plain else quoprimime.body_encode(text.encode("utf-8").decode("latin-1")))
    return part._known(f"text/{subtype}")


@lru_cache(maxsize=64)
def _formatted(name: str, value: str, params: tuple[tuple[str, str], ...]) -> str:
    """The value ``add_header(name, value, **params)`` writes, formatted by the email package once."""
    probe = Message(policy=POLICY)
    probe.add_header(name, value, **dict(params))
    return str(next(probe.raw_items())[1])


# A boundary must only be absent from the texts (checked), not secret: a PRNG seeded once from the OS, not a
# getrandom() call per boundary (a system call that gave the GIL away to another lane twice a message).
_BOUNDARY_RANDOM = random.Random(secrets.randbits(64))
_BOUNDARY_STANDIN = "=_imgcoach_" + "0" * 16


def _multipart(subtype: str, parts: list[Message], texts: tuple[str, ...]) -> Message:
    """A multipart with a random boundary chosen here: the generator would otherwise compile a regex per
    message to check its own. 64 random bits that do not occur in any source text cannot occur in the
    encoded parts either (quoted-printable only breaks hex runs, never creates them). 64, not 128: the
    Content-Type line then fits in 78 columns and takes the policy's cheap unfolded path (with 128 bits
    compat32 folded it through email.header.Header twice per message).

    The headers are those ``MIMEMultipart(subtype, boundary=...)`` writes (Content-Type with the boundary,
    then MIME-Version), added once: MIMEMultipart adds the boundary and then parses the header again to set
    it a second time (a test compares the bytes)."""
    while True:
        token = f"{_BOUNDARY_RANDOM.getrandbits(64):016x}"
        if not any(token in t for t in texts):
            break
    boundary = f"=_imgcoach_{token}"
    msg = _Part(policy=POLICY)
    # add_header's value for this boundary: it quotes every boundary of these characters alike, so the value
    # is formatted once per subtype with a stand-in of the same characters and the token put in its place
    before, after = _formatted("Content-Type", f"multipart/{subtype}", (("boundary", _BOUNDARY_STANDIN),)).split(
        _BOUNDARY_STANDIN)
    msg.set_raw("Content-Type", f"{before}{boundary}{after}")
    msg["MIME-Version"] = "1.0"
    msg.set_payload(list(parts))
    return msg._known(f"multipart/{subtype}", boundary)


def encode_text_header(value: str, name: str) -> str:
    """One-line header text: ASCII stays as is; anything else (or text looking like an encoded word) is
    RFC 2047 encoded by ``email.header.Header``."""
    value = clean_header_text(value)
    if value.isascii() and "=?" not in value:
        return value
    return Header(value, "utf-8", header_name=name).encode()


def format_mailbox(box: Mailbox, *, field: str) -> str:
    """``Name <addr>`` via ``email.utils.formataddr`` (quotes or RFC 2047 as needed); the address is checked."""
    return _format_mailbox(box, field)


@lru_cache(maxsize=256)  # the same sender and applicant on every message (an invalid one raises, not kept)
def _format_mailbox(box: Mailbox, field: str) -> str:
    address = check_address(box.email, field=field)
    try:
        return formataddr((clean_header_text(box.name), address), charset="utf-8")
    except UnicodeEncodeError as exc:  # a non-ASCII address needs SMTPUTF8, which we do not use
        raise InvalidAddressError(f"{field}: e-mail address {box.email!r} is not ASCII") from exc


def build_message(
    *,
    sender: Mailbox,
    recipient: Mailbox,
    subject: str,
    text: str,
    html: str | None,
    message_id: str,
    date: datetime,
    calendar: bytes | None = None,
    calendar_method: str = "PUBLISH",
    reply_to: Mailbox | None = None,
    extra_headers: Mapping[str, str] | None = None,
    auto_submitted: bool = True,
) -> Message:
    """Build the message. Names and subject are cleaned of CR/LF; addresses and Message-ID must be valid."""
    # Validate everything first, so a bad value costs no MIME work.
    from_value = format_mailbox(sender, field="sender")
    to_value = format_mailbox(recipient, field="recipient")
    reply_value = format_mailbox(reply_to, field="reply-to") if reply_to is not None else None
    message_id = check_message_id(message_id)

    ics = calendar.decode("utf-8") if calendar is not None else ""
    texts = (text, html or "", ics)
    body: Message = _text_part(text, "plain")
    if html is not None:
        body = _multipart("alternative", [body, _text_part(html, "html")], texts)
    if calendar is not None:
        part = _text_part(ics, "calendar", method=calendar_method)
        part.set_raw("Content-Disposition", _formatted("Content-Disposition", "attachment",
                                                       (("filename", "reminder.ics"),)))
        msg: Message = _multipart("mixed", [body, part], texts)
    else:
        msg = body
    if "MIME-Version" in msg:
        del msg["MIME-Version"]
    msg["MIME-Version"] = "1.0"
    msg["From"] = from_value
    msg["To"] = to_value
    if reply_value is not None:
        msg["Reply-To"] = reply_value
    msg["Subject"] = encode_text_header(subject, "Subject")
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if auto_submitted:  # RFC 3834: no vacation auto-replies to reminders; a draft to a person is not one
        msg["Auto-Submitted"] = "auto-generated"
    for key, value in (extra_headers or {}).items():
        name = clean_header_text(key)
        if not name or not all(33 <= ord(c) <= 126 and c != ":" for c in name):
            raise InvalidAddressError(f"invalid header name {key!r}")
        msg[name] = encode_text_header(value, name)
    return msg
