"""JSON with indentation, exactly as `json.dumps(..., indent=N, ensure_ascii=False[, sort_keys=True])` writes it,
about three times faster. Stdlib only.

Why: with `indent` the standard library encodes in pure Python, one generator step per token: a third of
`reminders list --json`'s run at 1,000 reminders and a sixth of `applicants export`'s (issue 17). This writes
the same text for the values the CLI's shapes and exports hold (str, int, float, bool, None, dicts with text
keys, lists, tuples) and hands anything else to json.dumps itself, so its output and its errors are the
standard library's. tests/test_cli_json.py compares both on generated values.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import itemgetter
from typing import Any

_INF = float("inf")
_first = itemgetter(0)
_string = json.encoder.encode_basestring  # json.dumps's own string encoder with ensure_ascii=False (C)


class _NotPlain(Exception):
    """A value left to json.dumps (a key that is not text, a type this does not write)."""


def indented_json(data: Any, *, indent: int, sort_keys: bool = False,
                  convert: Callable[[Any], Any] | None = None) -> str:
    """`json.dumps(walk(data), indent=indent, ensure_ascii=False, sort_keys=sort_keys)`, where walk applies
    `convert` to every value that is not a str, int, float, bool, None, dict, list or tuple (the CLI's
    to_jsonable: moments and days as text); `convert` must then return text."""
    out: list[str] = []
    try:
        _write(data, convert, "\n", " " * indent, sort_keys, out)
    except _NotPlain:
        return json.dumps(_walk(data, convert), indent=indent, ensure_ascii=False, sort_keys=sort_keys)
    return "".join(out)


def _walk(value: Any, convert: Callable[[Any], Any] | None) -> Any:
    """`data` as json.dumps receives it when this module leaves it to it: containers walked, `convert` applied."""
    if convert is None:
        return value
    kind = type(value)
    if kind is dict:
        return {key: _walk(item, convert) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_walk(item, convert) for item in value]
    return value if _scalar(value) is not None else convert(value)


def _scalar(value: Any) -> str | None:
    """json.dumps's text of a str, int, float, bool or None (exact types); None for anything else."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value in (_INF, -_INF):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    return None


def _write(value: Any, convert: Callable[[Any], Any] | None, newline: str, step: str, sort_keys: bool,
           out: list[str]) -> None:
    """Append `value` as json.dumps writes it at the depth `newline` ("\\n" and its indentation)."""
    text = _scalar(value)
    if text is not None:
        out.append(text)
        return
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + step
        separator = "{" + inner
        items: Any = value.items()
        if sort_keys:
            try:  # keys of mixed types do not sort; keys that sort but are not text are refused below
                items = sorted(items, key=_first)
            except TypeError:
                raise _NotPlain from None
        for key, item in items:
            if type(key) is not str:
                raise _NotPlain
            # Text and null inline: most values of a shape (a call per value was half this function's time).
            text = _string(item) if type(item) is str else "null" if item is None else _scalar(item)
            if text is None:
                out.append(f"{separator}{_string(key)}: ")
                _write(item, convert, inner, step, sort_keys, out)
            else:
                out.append(f"{separator}{_string(key)}: {text}")
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, convert, inner, step, sort_keys, out)
            separator = "," + inner
        out.append(newline + "]")
    else:  # e.g. a moment or a day (the CLI's to_jsonable), or something json.dumps must say what to do with
        converted = convert(value) if convert is not None else None
        if type(converted) is not str:
            raise _NotPlain
        out.append(_string(converted))
