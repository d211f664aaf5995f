"""Engines from DATABASE_URL: async for the bot, sync for alembic and APScheduler's job store."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from storage import sqlite_driver  # noqa: F401 - registers sqlite+b12aiosqlite

# sqlite+b12aiosqlite: SQLAlchemy's aiosqlite dialect, one thread trip per statement (sqlite_driver.py)
_ASYNC_DRIVERS = {"sqlite": "sqlite+b12aiosqlite", "postgresql": "postgresql+asyncpg"}
_SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}
SQLITE_BUSY_TIMEOUT_MS = 15_000
# A stalled database must not hang a reply for ever: a connection is given up after CONNECT_TIMEOUT,
# a statement after STATEMENT_TIMEOUT (server side, and client side for the bot's own driver).
CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT = 10
POOL_TIMEOUT = 10
# A failed statement's message would carry its parameters: patients' words, sites, symptoms.
PRIVATE = {"hide_parameters": True}
IDLE_PING_SECONDS = 10.0


def _with_driver(url: str | URL, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")
    return parsed.set(drivername=drivers[backend])


def async_url(url: str | URL) -> URL:
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_url(url: str | URL) -> URL:
    """The same database through a synchronous driver (alembic, APScheduler's job store)."""
    return _with_driver(url, _SYNC_DRIVERS)


def jobstore_url(url: str | URL) -> URL:
    """Where APScheduler keeps its jobs (through a synchronous driver).

    PostgreSQL: the same database. SQLite: a sibling file (`b12bot.jobs.sqlite3`). SQLite locks
    the whole file for a write, and the job store writes synchronously on the event loop; in the
    same file such a write could wait for an async transaction that cannot finish while the loop
    is blocked. The job store is only a timer cache (the reminder table is the truth), so keeping
    it apart costs nothing.
    """
    target = sync_url(url)
    if not is_sqlite(target) or not target.database or target.database == ":memory:":
        return target
    path = Path(target.database)
    return target.set(database=str(path.with_name(f"{path.stem}.jobs{path.suffix or '.sqlite3'}")))


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str | URL) -> Path | None:
    """The file of an SQLite database (None for PostgreSQL or an in-memory database)."""
    parsed = make_url(url)
    if not is_sqlite(parsed) or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def ensure_sqlite_directory(url: str | URL) -> None:
    """Create the folder of an SQLite file (the default `./data/b12bot.sqlite3`) on first run."""
    parsed = make_url(url)
    if is_sqlite(parsed) and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the job store read while the bot writes; the busy timeout makes writers queue
    # instead of failing; foreign keys make deleting a patient delete everything about them;
    # secure_delete overwrites what was deleted.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA secure_delete=ON")  # a deleted patient's words do not linger in free pages
    cursor.close()


def ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for IDLE_PING_SECONDS.

    `pool_pre_ping` checks every connection before every use: a round trip each time, about 0.4 ms
    here, four times in a "done". A connection in steady use needs no check: if the server went
    away under it, the error marks the whole pool invalid, so at most one request gets "please try
    again" and every later one reconnects. One that sat idle (a database restarted overnight) is
    checked, and replaced if it is dead, before a patient's message meets it."""

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("idle connection is gone") from exc
        if not alive:
            raise DisconnectionError("idle connection is gone")


def create_async_db_engine(url: str | URL) -> AsyncEngine:
    ensure_sqlite_directory(url)
    target = async_url(url)
    if is_sqlite(target):
        engine = create_async_engine(
            target, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **PRIVATE
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(
        target,
        pool_size=10,
        max_overflow=10,
        pool_timeout=POOL_TIMEOUT,
        connect_args={
            "timeout": CONNECT_TIMEOUT,
            "command_timeout": STATEMENT_TIMEOUT,
            "server_settings": {"statement_timeout": str(STATEMENT_TIMEOUT * 1000)},
        },
        **PRIVATE,
    )
    ping_when_idle(engine.sync_engine)
    return engine


def create_sync_db_engine(url: str | URL) -> Engine:
    """A synchronous engine for `url` (any driver given is replaced by the sync one)."""
    ensure_sqlite_directory(url)
    target = sync_url(url)
    if is_sqlite(target):
        engine = create_engine(target, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **PRIVATE)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        target,
        pool_size=2,
        max_overflow=2,
        pool_timeout=POOL_TIMEOUT,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT * 1000}",
        },
        **PRIVATE,
    )
    ping_when_idle(engine)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
