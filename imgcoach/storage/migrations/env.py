"""Alembic environment: always run on the connection imgcoach hands over (see storage.db)."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel

from imgcoach.storage.models import register_all
from imgcoach.storage.types import UTCDateTime

register_all()  # every table on the metadata autogenerate compares


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations are frozen history: write our column type as the plain type it stores.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; batch mode does that for us
    compare_type=True,
    render_item=_render_item,
)
with context.begin_transaction():
    context.run_migrations()
