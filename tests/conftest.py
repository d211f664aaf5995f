"""Fixtures: a fake Telegram, a frozen clock moved by the test, a database, the running bot."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import time_machine
from sqlalchemy.engine import make_url

from tests.fake_telegram import BotApiFake
from tests.harness import Harness, sqlite_url

# Monday 2 March 2026, 06:00 UTC (07:00 in Berlin): four weeks before Europe's DST switch.
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


@pytest.fixture
def api() -> Iterator[BotApiFake]:
    fake = BotApiFake()
    yield fake
    assert not fake.unknown, f"the bot called Bot API methods the fake does not know: {fake.unknown}"


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


# The machine's PostgreSQL (trust auth). Override with TEST_POSTGRES_URL (a database to connect
# to for creating one fresh database per test).
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can."""
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({type(exc).__name__})"
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test gets its own database: an SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"b12test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    admin = make_url(POSTGRES_ADMIN_URL)
    yield admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(hide_password=False)
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def bot(api: BotApiFake, db_url: str, clock: time_machine.Coordinates) -> AsyncIterator[Harness]:
    harness = Harness(api, db_url, clock)
    await harness.start()
    yield harness
    await harness.stop()
