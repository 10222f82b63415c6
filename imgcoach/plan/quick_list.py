"""The rows a list command prints, read without SQLAlchemy (storage.quicklist): the CLI's quick read commands.

Its own module, apart from plan.quick (the app's first paint), so that a list command imports only the
reader it uses (issue 17: every millisecond of import counts against 5x `python -c pass`).
"""

from __future__ import annotations

from imgcoach.storage.quicklist import Listing, read_listing

__all__ = ["read_listing_quickly"]


def read_listing_quickly(url: str, what: str, *, applicant: str | None, status: str | None = None) -> Listing | None:
    """The rows `imgcoach <what> list` prints (every column, in the model's field order), or None when only
    the full path can answer. Raises the full path's UserError for an unknown applicant or none at all."""
    return read_listing(url, what, applicant=applicant, status=status)
