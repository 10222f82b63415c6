"""rotation.country as ISO 3166 codes: names typed before the closed list ("USA", "United States") converted

A rotation stored as "USA" silently dropped out of the host-country readiness check, which compares codes.
Values no name matches are left as typed (nothing is guessed); the app shows them and refuses them on the
next edit with suggestions.

Revision ID: 0003_rotation_country_codes
Revises: 0002_us_citizen
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_rotation_country_codes"
down_revision: str | Sequence[str] | None = "0002_us_citizen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from imgcoach.core.errors import FieldError
    from imgcoach.core.vocab.countries import parse_country

    bind = op.get_bind()
    values = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT country FROM rotation"))]
    for value in values:
        if not value:
            continue
        try:
            code = parse_country(value)
        except FieldError:
            continue
        if code != value:
            bind.execute(sa.text("UPDATE rotation SET country = :code WHERE country = :value"),
                         {"code": code, "value": value})


def downgrade() -> None:
    """Codes are valid names too: nothing to undo."""
