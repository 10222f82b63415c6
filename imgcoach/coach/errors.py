"""Input errors raised by the coach rules; a ``UserError`` so the CLI shows one line and exits 2."""

from __future__ import annotations

try:  # the foundation's error type, when present
    from imgcoach.core.errors import UserError
except ImportError:  # pragma: no cover - only before the foundation lands

    class UserError(Exception):  # type: ignore[no-redef]
        """Stand-in until imgcoach.core.errors exists."""


class CoachInputError(UserError):
    """Bad coach input (unknown status, date outside a rotation, unwritable folder...)."""
