"""Shared matching for the vocabularies: one normal form for typed names, and close-match suggestions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def key(text: str) -> str:
    """The form two spellings must share to mean the same thing: case, accents, spaces and punctuation dropped.

    "Step 2CK", "step 2 ck" and "Step2-CK" all become "step2ck"; "PM&R" becomes "pmandr"; "U.S." becomes "us".
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", ascii_only.replace("&", "and"))


def build_index(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Map the key of every name to its code; a key claimed by two codes is a programming error."""
    index: dict[str, str] = {}
    for code, names in entries:
        for name in names:
            k = key(name)
            if not k:
                continue
            previous = index.setdefault(k, code)
            if previous != code:
                raise ValueError(f"vocabulary alias {name!r} names both {previous!r} and {code!r}")
    return index


SHORT, SHORT_CUTOFF = 5, 0.75  # "emm" for "em", "pdes" for "peds" still pass; "foo" for "oto" does not


def suggestions(text: str, index: Mapping[str, str], display: Mapping[str, str], limit: int = 3) -> list[str]:
    """Display names of the codes whose names look closest to ``text`` (difflib ratio), best first."""
    typed = key(text)
    if not typed:
        return []
    import difflib  # only for a name not found: not on every import of a vocabulary (issue 17)

    found: list[str] = []
    for near in difflib.get_close_matches(typed, list(index), n=limit * 4, cutoff=0.6):
        # Between short keys one shared pair of letters passes 0.6 ("foo" and the alias "oto": 0.67), and
        # "Foo" was asked "did you mean 'Otolaryngology'?": a key under SHORT characters must be closer.
        if min(len(typed), len(near)) < SHORT and difflib.SequenceMatcher(None, typed, near).ratio() < SHORT_CUTOFF:
            continue
        name = display[index[near]]
        if name not in found:
            found.append(name)
    # A prefix ("derm", "ortho") is a strong hint even when difflib's ratio is low.
    for k, code in index.items():
        if len(typed) >= 3 and k.startswith(typed) and display[code] not in found:
            found.append(display[code])
    return found[:limit]


def did_you_mean(names: list[str]) -> str:
    return f"; did you mean {' or '.join(repr(n) for n in names)}?" if names else ""
