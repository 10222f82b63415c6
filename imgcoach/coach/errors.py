"""Input errors raised by the coach rules; a ``UserError`` so the CLI shows one line and exits 2."""

from __future__ import annotations

from imgcoach.core.errors import FieldError, UserError


class CoachInputError(UserError):
    """Bad coach input (unknown status, date outside a rotation, unwritable folder...)."""


class CoachFieldError(FieldError, CoachInputError):
    """Bad coach input in one field: the CLI names it by the option typed (`--week`, not "week"; cli's
    fields_as_options) and a form places it at its field (``week_of``), as the plan's field errors are."""
