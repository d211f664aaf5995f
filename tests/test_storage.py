"""Storage: migrations, and the job store never waiting on the bot's own write transactions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, update

from storage.database import create_sync_db_engine, jobstore_url
from storage.migrate import pending, upgrade
from storage.models import Base, Patient
from tests.harness import Harness


async def test_arming_a_wake_up_during_an_open_write_transaction_does_not_lock(bot: Harness) -> None:
    chat = bot.chat()
    await chat.send("/start")  # creates nothing yet, but exercises the database
    await bot.services.repo.patients.ensure_patient(4242, bot.now())
    async with bot.services.repo.sessions.begin() as session:
        await session.execute(update(Patient).values(blocked_at=None))  # holds SQLite's write lock
        at = bot.now() + timedelta(hours=1)
        bot.services.timer.arm([at])  # a job-store write, in its own thread
        await bot.services.timer.armed()
        assert bot.services.timer.has_job(at)


def test_migrations_create_the_schema_and_run_twice(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert pending(url) == ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009"]
    upgrade(url)
    upgrade(url)  # idempotent: nothing pending
    assert pending(url) == []
    engine = create_sync_db_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"patient", "plan", "dose", "reminder", "draft", "alembic_version"} <= tables


def test_the_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """A model changed without a migration (or the other way round) fails here."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'drift.sqlite3'}"
    upgrade(url)
    engine = create_sync_db_engine(url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_sqlite_job_store_is_a_sibling_file_postgres_shares_the_database() -> None:
    sqlite = jobstore_url("sqlite+aiosqlite:////srv/b12/b12bot.sqlite3")
    assert sqlite.database == "/srv/b12/b12bot.jobs.sqlite3"
    pg = jobstore_url("postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    assert pg.drivername == "postgresql+psycopg" and pg.database == "test"


def test_two_instances_migrating_one_postgresql_at_once_both_succeed() -> None:
    """12.20: start-up migrations run under an advisory lock; without it the second instance's
    CREATE TABLE fails because the first one's is not committed yet."""
    import threading

    from tests.pg import fresh_postgres_database

    with fresh_postgres_database() as url:
        errors: list[BaseException] = []
        start = threading.Barrier(2)

        def migrate() -> None:
            start.wait()
            try:
                upgrade(url)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=migrate) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        assert pending(url) == []
