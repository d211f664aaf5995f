"""Only one process per database fires reminders.

PostgreSQL: a session-level advisory lock (keyed by the database name) held on a dedicated
connection. Each process tries to take it every few seconds; the holder checks its connection on
the same beat and stops firing as soon as it cannot, and the server releases the lock when that
session ends, so a standby takes over. SQLite: one process per file, always the leader.

Claims on the reminder table (pending -> claimed) keep delivery exactly-once even in the moment
two processes both believe they lead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import zlib
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy.engine import make_url

from storage.database import is_sqlite

log = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 5.0


def lock_key(database_url: str) -> int:
    """A stable 63-bit advisory-lock key for this database."""
    name = make_url(database_url).database or ""
    return zlib.crc32(f"b12bot-reminders:{name}".encode())


class Leadership:
    def __init__(
        self,
        database_url: str,
        on_gain: Callable[[], Awaitable[None]],
        on_loss: Callable[[], Awaitable[None]],
        check_every: float = CHECK_EVERY_SECONDS,
    ) -> None:
        self.url = database_url
        self.on_gain, self.on_loss = on_gain, on_loss
        self.check_every = check_every
        self.leader = False
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Try once now (so a lone process leads from the start), then keep trying."""
        if is_sqlite(self.url):
            await self._gain()
            return
        await self._attempt()
        self._task = asyncio.create_task(self._loop(), name="b12bot-leadership")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.leader:
            await self._lose()
        await self._close()

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.check_every)
            await self.check()

    async def check(self) -> None:
        """One round: take the lock if it is free, or confirm we still hold it."""
        if not is_sqlite(self.url):
            await self._attempt()

    async def _attempt(self) -> None:
        try:
            if self._conn is None or self._conn.is_closed():
                dsn = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
                self._conn = await asyncpg.connect(dsn, timeout=self.check_every)
            if self.leader:
                await self._conn.fetchval("SELECT 1", timeout=self.check_every)  # still holding
            elif await self._conn.fetchval(
                "SELECT pg_try_advisory_lock($1)", lock_key(self.url), timeout=self.check_every
            ):
                await self._gain()
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("leadership check failed error=%s", type(exc).__name__)
            if self.leader:
                await self._lose()
            await self._close()

    async def _gain(self) -> None:
        self.leader = True
        log.info("reminder leader acquired pid=%s", os.getpid())
        await self.on_gain()

    async def _lose(self) -> None:
        self.leader = False
        log.warning("reminder leadership lost pid=%s", os.getpid())
        await self.on_loss()

    async def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close(timeout=2)
        self._conn = None
