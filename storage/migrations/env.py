"""Alembic environment: uses the connection handed over by storage.migrate, or DATABASE_URL."""

from __future__ import annotations

from typing import Any

from alembic import context

from storage.database import create_sync_db_engine
from storage.models import Base

config = context.config
APSCHEDULER_TABLE = "apscheduler_jobs"  # created and owned by APScheduler's job store


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (type_ == "table" and name == APSCHEDULER_TABLE)


def run_with(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    from bot.config import Settings

    url = config.attributes.get("database_url") or Settings().database_url
    engine = create_sync_db_engine(url)
    with engine.begin() as conn:
        run_with(conn)
    engine.dispose()
