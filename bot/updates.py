"""Updates from many chats at once, each chat's in order.

python-telegram-bot handles updates one at a time by default, so one chat's flood (and each reply
waiting on that chat's send limit) made every other patient wait: a second patient's /next took
94 s during 100 × /start from one user. Here each chat has its own queue: chats run side by side
(up to MAX_RUNNING updates at once), a chat's own updates run in the order they came. A chat that
floods (more than FLOOD_QUEUE updates waiting) has the rest dropped with one polite notice, and an
emergency typed in a busy chat never waits behind that chat's queue.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

MAX_RUNNING = 64  # updates being handled at once, over all chats
FLOOD_QUEUE = 12  # a chat's updates waiting their turn before more are dropped
NO_CHAT = 0

Notify = Callable[[int], Awaitable[None]]
Urgent = Callable[[Update], bool]


def chat_of(update: object) -> int:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return NO_CHAT


class ChatQueues(BaseUpdateProcessor):
    """Per-chat order, chats concurrent, floods dropped with one notice, emergencies first."""

    def __init__(self, max_running: int = MAX_RUNNING, flood_queue: int = FLOOD_QUEUE) -> None:
        # PTB's own semaphore must never be what holds a patient back: the bound is ours, below
        super().__init__(max_concurrent_updates=1_000_000)
        self.flood_queue = flood_queue
        self._running = asyncio.Semaphore(max_running)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = defaultdict(int)
        self._told: set[int] = set()
        self.urgent: Urgent = lambda _update: False
        self.on_flood: Notify | None = None
        self._notices: set[asyncio.Task[None]] = set()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        if self._notices:
            await asyncio.gather(*self._notices, return_exceptions=True)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = chat_of(update)
        lock = self._locks.setdefault(chat, asyncio.Lock())
        if chat != NO_CHAT and lock.locked() and isinstance(update, Update) and self.urgent(update):
            await coroutine  # an emergency in a busy chat goes ahead of that chat's queue
            return
        if chat != NO_CHAT and self._waiting[chat] >= self.flood_queue:
            _discard(coroutine)
            self._flooded(chat)
            return
        self._waiting[chat] += 1
        try:
            async with lock:
                self._waiting[chat] -= 1
                async with self._running:
                    await coroutine
        finally:
            if not lock.locked() and self._waiting[chat] <= 0:
                self._locks.pop(chat, None)
                self._waiting.pop(chat, None)
                self._told.discard(chat)

    def _flooded(self, chat: int) -> None:
        log.warning("flood: update dropped chat_waiting=%s", self._waiting[chat])
        if chat in self._told or self.on_flood is None:
            return
        self._told.add(chat)
        task = asyncio.create_task(self._notify(chat))
        self._notices.add(task)
        task.add_done_callback(self._notices.discard)

    async def _notify(self, chat: int) -> None:
        assert self.on_flood is not None
        try:
            await self.on_flood(chat)
        except Exception as exc:
            log.warning("flood notice not sent error=%s", type(exc).__name__)


def _discard(coroutine: Awaitable[Any]) -> None:
    if inspect.iscoroutine(coroutine):
        coroutine.close()  # never started: nothing to undo
