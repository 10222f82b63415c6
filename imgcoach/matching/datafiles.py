"""The matching feature's data files (data/*.toml): read beside this module, parsed once per process, and the
parsed values handed to matching.kept, which keeps them in the database between looks.

Path(__file__), not importlib.resources.files(): the package is installed as files (a wheel or an editable
install), where both name the same file, and importlib.resources' readers and zipfile cost a few ms of the first
`shortlist` after a write (issue 17), as coach.thresholds found for readiness.toml.

Parsing the four TOML files in pure Python (tomllib) was several ms of every first look after a write, for values
that depend on these files alone: matching.kept keeps the parsed values with the model's other worked-out values,
under a key that covers every file of the package (storage.readcache.code_version: an edited or recalibrated
file changes it), and gives them back here before anything reads a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data")

_PARSED: dict[str, dict[str, Any]] = {}  # file name -> its parsed TOML, this process's or restored


def data_text(name: str) -> str:
    """The text of data/`name` (UTF-8)."""
    return (DATA / name).read_text("utf-8")


def data_file(name: str) -> dict[str, Any]:
    """data/`name` parsed as TOML, once per process (the same dict on every call: callers only read it)."""
    found = _PARSED.get(name)
    if found is None:
        import tomllib  # here: a look that restored the parsed values parses nothing

        found = _PARSED[name] = tomllib.loads(data_text(name))
    return found


def parsed_files() -> dict[str, dict[str, Any]]:
    """The files parsed (or restored) in this process, by name: what matching.kept keeps."""
    return dict(_PARSED)


def add_parsed_files(values: dict[str, dict[str, Any]]) -> None:
    """Parsed files parsed_files gave (in another process of this code): data_file returns them as they are."""
    if not all(isinstance(name, str) and isinstance(value, dict) for name, value in values.items()):
        raise TypeError("not parsed data files")
    for name, value in values.items():
        _PARSED.setdefault(name, value)
