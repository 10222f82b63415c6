"""`imgcoach db check` on a SQLite file with sqlite3 alone (issue 17: a read command within 5x `python -c pass`).

The file's own check is the one function both paths run (`file_problems`, which storage.db.quick_check calls);
the rows linking two applicants are found with storage.ownership's queries, generated as SQLite text
(storage.cross_link_sql). `sound_quickly` answers only the common case, a sound file at this code's schema with no
such row; anything found, and any doubt, is left to the full path, which names what it found. Stdlib only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from imgcoach.storage.cross_link_sql import CROSS_LINK_PROBES
from imgcoach.storage.quickconn import BUSY_TIMEOUT_MS, rows_at_current_schema, sqlite_file


def file_problems(path: Path, *, full: bool, timeout: float = BUSY_TIMEOUT_MS / 1000) -> list[str]:
    """The problems SQLite finds in the file (PRAGMA quick_check, or integrity_check with ``full``, then its
    foreign keys); [] if sound. Opened read-only on its own connection, so a damaged pool or a busy writer does
    not hide the answer."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = [line.strip() for r in conn.execute(f"PRAGMA {pragma}").fetchall() for line in str(r[0]).splitlines()]
        rows = [line for line in rows if line and not line.startswith("***")]
        if rows != ["ok"]:
            return rows
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        return [f"foreign key broken: table {t} row {r} -> {p}" for t, r, p, _ in broken[:20]]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def sound_quickly(url: str, *, full: bool) -> Path | None:
    """The SQLite file behind `url` when it is certainly sound: the file's check finds nothing, its schema is this
    code's and no row links two applicants. None for anything else (a server database, a missing file, damage,
    an older schema, a cross link): then the full path checks and says what it found."""
    path = sqlite_file(url)
    if path is None or not path.is_file() or file_problems(path, full=full):
        return None
    return path if no_cross_links_quickly(url) else None


def no_cross_links_quickly(url: str) -> bool:
    """True when the database (a SQLite file, or PostgreSQL through libpq: the probes are plain SQL both run)
    is at this code's schema and no row links two applicants; False for anything else, and any doubt."""
    found = rows_at_current_schema(url, CROSS_LINK_PROBES)
    return found is not None and not any(found)
