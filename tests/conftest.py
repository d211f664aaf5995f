"""Fixtures: a fake Telegram, a frozen clock moved by the test, a database, the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from tests.fake_telegram import BotApiFake, serve_http
from tests.harness import Harness, sqlite_url
from tests.pg import fresh_postgres_database

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


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test gets its own database: an SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def bot(api: BotApiFake, db_url: str, clock: time_machine.Coordinates) -> AsyncIterator[Harness]:
    harness = Harness(api, db_url, clock)
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
def http_api() -> Iterator[tuple[BotApiFake, str]]:
    """The fake Bot API served over HTTP on 127.0.0.1 (for tests that run the bot as a process)."""
    api = BotApiFake()
    server, base_url = serve_http(api)
    yield api, base_url
    server.shutdown()
    server.server_close()
    assert not api.unknown, api.unknown
