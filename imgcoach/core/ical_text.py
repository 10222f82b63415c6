"""RFC 5545 TEXT escaping, one rule for every calendar imgcoach writes (the plan export and the reminders' events).

icalendar's own escaper (``vText``) first turns a literal backslash-N into a newline (it takes it for an already
escaped one), so a description such as "C:\\New folder" would come back changed; this escapes the text as
RFC 5545 §3.3.11 says, and nothing more.
"""

from __future__ import annotations

import re

# RFC 5545 3.3.11 allows no CONTROL in TEXT but HTAB, and a client that splits its input at each line-breaking
# one (Python's splitlines does; the `ics` library refused the whole calendar) reads half a property. Word's
# pasted line break is a vertical tab: those that break a line are a line break, the others are left out.
_CONTROLS: dict[int, str | None] = {c: None for c in (*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F)} | {
    c: "\\n" for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E)}
_ANY_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(value: str) -> str:
    """The TEXT value's escaped form: backslash first, then ``;``, ``,`` and each line break as ``\\n``."""
    text = (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))
    # translate() costs five times the escaping above: only for the rare text that needs it
    return text.translate(_CONTROLS) if _ANY_CONTROL.search(text) else text
