"""Fixtures: a fake Telegram, a frozen clock moved by the test, a database, the running bot."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

# The suite writes nothing into the checkout: no bytecode (also from the bot processes it starts),
# and hypothesis keeps what it stores in the temporary folder. First, before anything is imported.
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
HYPOTHESIS_HOME = Path(tempfile.gettempdir()) / "b12bot-hypothesis"

from collections.abc import AsyncIterator, Iterator  # noqa: E402 - after the lines above, on purpose
from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402
import time_machine  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from tests.fake_telegram import BotApiFake, serve_http  # noqa: E402
from tests.harness import Harness, sqlite_url  # noqa: E402
from tests.pg import fresh_postgres_database  # noqa: E402

set_hypothesis_home_dir(str(HYPOTHESIS_HOME))
settings.register_profile("b12bot", database=DirectoryBasedExampleDatabase(str(HYPOTHESIS_HOME / "examples")))
settings.load_profile("b12bot")

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
    """Each test gets its own database: an SQLite file, and a fresh PostgreSQL database (a copy of
    one migrated once per process)."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_postgres_database(migrated=True) as url:
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


# --- running in parallel: `pytest -n 4` (the README's command) ------------------------------------

# Modules whose tests share a costly session fixture: kept on one worker (the triage corpus is read
# through the bot once, in about a minute).
TOGETHER = frozenset({"tests/test_triage_corpus.py"})
# The longest first, so the suite's tail is not one of them started last.
SLOW_FIRST = ("tests/test_e2e_process.py", "tests/test_process_faults.py", "tests/test_triage_corpus.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def slow(item: pytest.Item) -> int:
        module = item.nodeid.split("::", 1)[0]
        return SLOW_FIRST.index(module) if module in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=slow)  # stable: the order within each group is kept


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Each test is its own unit of work, but a module in TOGETHER stays on one worker. (xdist's
    own `--dist loadgroup` does this by marks, but it reads node ids the way pytest 9 no longer
    keeps them.)"""
    from xdist.scheduler import LoadScopeScheduling

    class TestsApartModulesTogether(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in TOGETHER else nodeid

    return TestsApartModulesTogether(config, log)
