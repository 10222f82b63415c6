"""The text of a file a user saved by hand (a program CSV, config.toml): one rule for which encodings are read.

Editors save "UTF-8" in more than one way: Windows Notepad (before 2019) and Excel's "CSV UTF-8" put a byte-order
mark first, Notepad's "Unicode" and Excel's "Unicode Text" write UTF-16. Each of these says plainly what it is,
so it is read; anything else that is not UTF-8 is refused at its line, as counting bytes is not a user's job.
"""

from __future__ import annotations

from pathlib import Path

from imgcoach.core.errors import UserError


def file_bytes(path: Path, what: str, *, more: str = "") -> bytes:
    """The file's bytes, or a UserError "PATH: cannot read WHAT: <why>" (a folder, no permission, missing),
    then `more` (what else the user may mean)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read {what}: {exc.strerror}" + (f"; {more}" if more else "")) from None


def hand_saved_text(path: Path, what: str, remedy: str, *, more: str = "") -> str:
    """A file a user saved by hand, read and decoded by one rule (`file_bytes`, then `decoded_text`)."""
    return decoded_text(file_bytes(path, what, more=more), path, remedy)


def decoded_text(raw: bytes, path: Path | str, remedy: str) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, or UTF-16 with its mark. Otherwise a UserError
    naming the file and the line of the first byte that is not UTF-8, then `remedy` ("save it as UTF-8")."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"{path}: a UTF-16 file that does not decode: {remedy}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise UserError(f"{path}: line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02X}, perhaps Windows-1252 or "
                        f"Latin-1): {remedy}") from None
    if "\x00" in text.partition("\n")[0]:  # UTF-16 without its mark is valid UTF-8: a program file was read as
        # twelve "missing column" problems, every column being there with a NUL after each letter
        raise UserError(f"{path}: line 1: has NUL bytes: not a text file, or UTF-16 without its byte-order mark: "
                        f"{remedy}")
    return text
