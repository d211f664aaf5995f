"""Alembic migrations, run programmatically on start-up (and by `alembic` from the repo root)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from storage.database import create_sync_db_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


# Two instances starting together on one PostgreSQL would both try to create the tables: the
# upgrade runs under a transaction-level advisory lock, so the second waits and finds it done.
MIGRATION_LOCK = 0x6231325F6D6967  # "b12_mig"


class SchemaAhead(RuntimeError):
    """The database was migrated by a newer b12bot than this one (a rollback without a downgrade):
    this code must not touch it."""

    def __init__(self, revisions: set[str]) -> None:
        super().__init__(
            f"the database is at schema revision {', '.join(sorted(revisions))}, which this version of "
            "b12bot does not know (it was upgraded by a newer version): run that version again, or "
            "downgrade the database with it first"
        )


def _refuse_unknown(connection: Connection) -> None:
    known = set(all_revisions())
    current = set(MigrationContext.configure(connection).get_current_heads())
    if unknown := current - known:
        raise SchemaAhead(unknown)


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema (creates it on first run). A database at
    a revision this code does not know raises SchemaAhead and is left as it is."""
    engine = create_sync_db_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            _refuse_unknown(connection)
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def all_revisions() -> list[str]:
    """Every revision, oldest first (what a database that does not exist yet would need)."""
    script = ScriptDirectory.from_config(alembic_config(""))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def pending(url: str) -> list[str]:
    """Revisions not yet applied to the database at `url` (for `python -m bot check --dry-run`)."""
    script = ScriptDirectory.from_config(alembic_config(url))
    engine = create_sync_db_engine(url)
    try:
        with engine.connect() as connection:
            _refuse_unknown(connection)
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    revisions = []
    for rev in script.walk_revisions():
        if rev.revision in current:
            break
        revisions.append(rev.revision)
    return list(reversed(revisions))
