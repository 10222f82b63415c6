"""The rows a list command prints, read without SQLAlchemy (storage.quicklist): the CLI's quick read commands.

Its own module, apart from plan.quick (the app's first paint), so that a list command imports only the
reader it uses (issue 17: every millisecond of import counts against 5x `python -c pass`).
"""

from __future__ import annotations

from imgcoach.storage.quicklist import Listing, RotationRows, read_listing, read_rotation

__all__ = ["read_listing_quickly", "read_rotation_quickly"]


def read_listing_quickly(url: str, what: str, *, applicant: str | None, status: str | None = None,
                         columns: tuple[str, ...] = ()) -> Listing | None:
    """The rows `imgcoach <what> list` prints (every column, or only `columns`, in the model's field order), or
    None when only the full path can answer. Raises the full path's UserError for an unknown applicant or none
    at all."""
    return read_listing(url, what, applicant=applicant, status=status, columns=columns)


def read_rotation_quickly(url: str, rotation_id: int, *, applicant: str | None) -> RotationRows | None:
    """What rotation_detail reads for `rotations show` (every column, in the model's field order), or None when
    only the full path can answer. Raises the full path's UserError (no applicant, not their rotation)."""
    return read_rotation(url, rotation_id, applicant=applicant)
