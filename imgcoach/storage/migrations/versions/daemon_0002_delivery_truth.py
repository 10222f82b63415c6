"""delivery you can see: how a reminder was delivered, unknown outcomes, the daemon's last error and pause

Revision ID: daemon_0002
Revises: daemon_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "daemon_0002"
down_revision: str | Sequence[str] | None = "daemon_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        # "email" (accepted by an SMTP server) or "local_mailbox" (written to the Maildir, no SMTP host)
        batch.add_column(sa.Column("delivered_via", sa.String(), nullable=False, server_default=""))
        # sends whose final reply never came (the message may have arrived); 2 -> held as "unconfirmed"
        batch.add_column(sa.Column("unknown_outcomes", sa.Integer(), nullable=False, server_default="0"))
    # Rows sent before this migration went wherever the daemon's settings pointed then; we cannot know.
    with op.batch_alter_table("daemon_state") as batch:
        batch.add_column(sa.Column("last_error", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("last_error_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("paused_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("delivers_to", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("daemon_state") as batch:
        for name in ("delivers_to", "paused_until", "last_error_at", "last_error"):
            batch.drop_column(name)
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("unknown_outcomes")
        batch.drop_column("delivered_via")
