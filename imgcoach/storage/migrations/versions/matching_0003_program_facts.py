"""program.facts gains interviews_last_year, applications_last_year, us_img_pct, non_us_img_pct, h1b_evidence

Program facts live in the `facts` JSON (the CSV texts), so the new facts need no column: every stored program
gets the five keys with the text `unknown` (what nobody has stated yet). Nothing else is touched; the
applicant's overrides and the import history stay as they were. Downgrade removes the keys again.

Revision ID: matching_0003
Revises: matching_0002
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0003"
down_revision: str | Sequence[str] | None = "matching_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEW_FACTS = ("interviews_last_year", "applications_last_year", "us_img_pct", "non_us_img_pct", "h1b_evidence")


def _rewrite(change) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, facts FROM program")).fetchall()
    for program_id, raw in rows:
        facts = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        change(facts)
        conn.execute(sa.text("UPDATE program SET facts = :facts WHERE id = :id"),
                     {"facts": json.dumps(facts), "id": program_id})


def upgrade() -> None:
    _rewrite(lambda facts: [facts.setdefault(name, "unknown") for name in NEW_FACTS])


def downgrade() -> None:
    _rewrite(lambda facts: [facts.pop(name, None) for name in NEW_FACTS])
