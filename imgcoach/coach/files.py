"""Write exported files atomically, turning OS errors into one clear user message."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from imgcoach.coach.errors import CoachInputError
from imgcoach.core.locations import refuse_missing_folder


def check_writable_dir(folder: Path) -> None:
    """Refuse early (before any work or database change) when ``folder`` cannot receive files."""
    if folder.exists() and not folder.is_dir():
        raise CoachInputError(f"{folder}: not a folder")
    probe = folder
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise CoachInputError(f"{folder}: folder cannot be written")


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write via a temporary file and rename, so a failed export never leaves half a file. A missing folder is
    refused (core.locations.missing_folder): it was made without a word, so a typo wrote somewhere unexpected."""
    path = Path(path)
    refuse_missing_folder(path)
    check_writable_dir(path.parent if str(path.parent) else Path("."))
    if path.is_dir():
        raise CoachInputError(f"{path}: is a folder, not a file name")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError as exc:
        raise CoachInputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return path
