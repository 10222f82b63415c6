"""One line of text: what a name, a place, a title or a header holds.

Why one module: the e-mail headers cleaned control characters with one pattern while names, institutions and
titles stored them as typed ("Dr. Ann\\r\\nBcc: x@y" as a contact's name broke every table listing it), and a
rotation made from a calendar event took its LOCATION's text as it came.
"""

from __future__ import annotations

import re

# A line break, tab, escape or other control character: C0, DEL, C1 (NEL among them), the Unicode separators.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_RUNS = re.compile(r"\s{2,}")
NOT_ONE_LINE = "must be one line: it contains a line break or another control character"  # said after the field


def is_one_line(text: str) -> bool:
    return CONTROL.search(text) is None


def one_line(text: str) -> str:
    """`text` with each control character made a space, runs of spaces made one, and no space at the ends."""
    return _RUNS.sub(" ", CONTROL.sub(" ", text)).strip()
