"""Bytes -> text for iCalendar files: BOM, UTF-8, and a stated Windows-1252 fallback."""

from __future__ import annotations

from dataclasses import dataclass

FALLBACK_ENCODING = "cp1252"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "cp1252", "utf-16" (with a byte-order mark), "utf-16-le" or "utf-16-be"
    warning: str = ""  # set when the fallback was used
    error: str = ""  # set when the bytes cannot be text at all


def decode_ics(data: bytes) -> Decoded:
    """Decode the way real exports need: UTF-8 (with or without BOM), else Windows-1252 with a warning.

    Outlook and older tools write Windows-1252; reading it as Latin-1 would silently garble
    curly quotes and dashes, so we name the fallback. Bytes that Windows-1252 leaves undefined,
    or NUL bytes, mean the file is not text: refuse rather than guess.
    """
    utf16 = _utf16(data)
    if utf16 is not None:
        # Windows tools (PowerShell's Out-File, Notepad's "Unicode") write UTF-16: text, whose every other byte is
        # NUL. It was refused as "a binary file, not iCalendar text", which it is not.
        try:
            return Decoded(data.decode(utf16).removeprefix("\ufeff"), utf16,
                           warning="is UTF-16 text, not the UTF-8 iCalendar requires; read as UTF-16")
        except UnicodeDecodeError as exc:
            return Decoded("", "", error=f"starts as UTF-16 text but is not (undecodable bytes at offset {exc.start})")
    if b"\x00" in data[:4096]:
        return Decoded("", "", error="contains NUL bytes: this is a binary file, not iCalendar text")
    if data.startswith(b"\xef\xbb\xbf"):
        enc, data = "utf-8-sig", data[3:]
    else:
        enc = "utf-8"
    try:
        return Decoded(data.decode("utf-8"), enc)
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError as exc:
        return Decoded(
            "", "", error=f"is neither UTF-8 nor Windows-1252 text (undecodable byte at offset {exc.start})"
        )
    line = data.count(b"\n", 0, bad) + 1
    return Decoded(
        text,
        FALLBACK_ENCODING,
        warning=f"is not valid UTF-8 (first bad byte on line {line}); read as Windows-1252 instead",
    )


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec of `data` when it is UTF-16 text: a byte-order mark, or "BEGIN" with a NUL beside each
    letter (no mark); else None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:10].upper()
    for codec in ("utf-16-le", "utf-16-be"):
        if head == "BEGIN".encode(codec):
            return codec
    return None
