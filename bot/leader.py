"""Only one process per database fires reminders, and a leader that stops answering loses the job.

PostgreSQL: a lease row (`leader_lease`) that expires unless renewed. The leader renews it every
few seconds; a standby takes it once it has expired (at once after a clean stop, which hands it
over). Every taking raises the lease's fencing token. Reminders are claimed under the token, and a claim
made under an older token is stale: the new leader takes it over at once instead of waiting out
its lease. A leader that was frozen (SIGSTOP, a stalled VM) and wakes up late finds, before it
sends anything, that its lease ran out by its own monotonic clock, and stops; its next renewal
fails on the token. SQLite: one process per file, always the leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable

import asyncpg
from sqlalchemy.engine import make_url

from storage.database import is_sqlite

log = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 3.0
LEASE_SECONDS = 15.0
MARGIN_SECONDS = 2.0  # the lease is trusted this much less than it lasts: clocks and round trips


class Leadership:
    def __init__(
        self,
        database_url: str,
        on_gain: Callable[[], Awaitable[None]],
        on_loss: Callable[[], Awaitable[None]],
        check_every: float = CHECK_EVERY_SECONDS,
        lease_seconds: float = LEASE_SECONDS,
    ) -> None:
        self.url = database_url
        self.sqlite = is_sqlite(database_url)  # one process per file: always the leader
        self.on_gain, self.on_loss = on_gain, on_loss
        self.check_every, self.lease_seconds = check_every, lease_seconds
        self.leader = False
        self.leading = asyncio.Event()  # set while this process leads
        self.token: int | None = None  # the fencing token while leading (None on SQLite)
        self.holder = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._valid_until = 0.0  # monotonic
        self._conn: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    def valid(self) -> bool:
        """May this process send reminders right now? (Its lease has not run out by its own
        clock: a process that was frozen past its lease must not send.)"""
        if self.sqlite:
            return self.leader
        return self.leader and time.monotonic() < self._valid_until

    async def start(self) -> None:
        """Try once now (so a lone process leads from the start), then keep trying."""
        if self.sqlite:
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
            await self._release()
            await self._lose()
        await self._close()

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.check_every)
            await self.check()

    async def check(self) -> None:
        """One round: renew the lease we hold, or take it when it is free."""
        if not self.sqlite:
            await self._attempt()

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None or self._conn.is_closed():
            dsn = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
            self._conn = await asyncpg.connect(dsn, timeout=self.check_every)
        return self._conn

    async def _attempt(self) -> None:
        if self.leader and not self.valid():  # woke up after the lease ran out: not the leader now
            log.warning("reminder lease ran out before it was renewed pid=%s", os.getpid())
            await self._lose()
        started = time.monotonic()
        try:
            conn = await self._connection()
            timeout = self.check_every
            if self.leader:
                renewed = await conn.fetchval(
                    "UPDATE leader_lease SET expires_at = now() + make_interval(secs => $2) "
                    "WHERE id = 1 AND token = $1 RETURNING token",
                    self.token, self.lease_seconds, timeout=timeout,
                )  # fmt: skip
                if renewed is None:
                    await self._lose()
                    return
                self._valid_until = started + self.lease_seconds - MARGIN_SECONDS
                return
            await conn.execute(
                "INSERT INTO leader_lease (id, holder, token, expires_at) VALUES (1, '', 0, now()) "
                "ON CONFLICT (id) DO NOTHING",
                timeout=timeout,
            )
            token = await conn.fetchval(
                "UPDATE leader_lease SET holder = $1, token = token + 1, "
                "expires_at = now() + make_interval(secs => $2) "
                "WHERE id = 1 AND expires_at < now() RETURNING token",
                self.holder, self.lease_seconds, timeout=timeout,
            )  # fmt: skip
            if token is not None:
                self.token = int(token)
                self._valid_until = started + self.lease_seconds - MARGIN_SECONDS
                await self._gain()
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("leadership check failed error=%s", type(exc).__name__)
            if self.leader and not self.valid():
                await self._lose()
            await self._close()

    async def _release(self) -> None:
        """A clean stop hands the lease over at once."""
        with contextlib.suppress(Exception):
            if self._conn is not None and not self._conn.is_closed():
                await self._conn.execute(
                    "UPDATE leader_lease SET expires_at = now() - interval '1 second' "
                    "WHERE id = 1 AND token = $1",
                    self.token, timeout=2,
                )  # fmt: skip

    async def _gain(self) -> None:
        self.leader = True
        self.leading.set()
        log.info("reminder leader acquired pid=%s token=%s", os.getpid(), self.token)
        await self.on_gain()

    async def _lose(self) -> None:
        self.leader = False
        self.leading.clear()
        self._valid_until = 0.0
        log.warning("reminder leadership lost pid=%s", os.getpid())
        await self.on_loss()

    async def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close(timeout=2)
        self._conn = None
