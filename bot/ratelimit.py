"""Sending within Telegram's limits: about 30 messages a second overall, 1 a second per chat.

Two lanes share the overall budget. Replies to a patient (above all the emergency instruction) take
the next free slot; reminder sends (`rate_limit_args=BULK`) take only the slots no reply is waiting
for. So 10,000 reminders going out at full speed never hold up an answer by more than one slot.
A 429 (RetryAfter) pauses every lane for the time Telegram asks; a reply is then retried, a
reminder handed back to delivery, which re-plans it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
JSONDict = dict[str, Any]

# Telegram: "no more than 30 messages per second" per bot; its window slides, so keep a margin.
OVERALL_RATE, OVERALL_PERIOD = 30, 1.05
# Per private chat: a burst of 3 (a reply often needs two messages), then 1 a second.
CHAT_BUCKET, CHAT_PERIOD = 3, 3.0
MAX_CHAT_LIMITERS = 1024
LIMITED = ("send", "edit", "copy", "forward")  # the methods that post into a chat
BULK: JSONDict = {"lane": "bulk"}  # rate_limit_args of a reminder send
URGENT: JSONDict = {"lane": "urgent"}  # the emergency instruction: not held by the chat's own limit


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait (PTB 22 warns about int vs timedelta; either works)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class SendBudget:
    """`rate` sends in any sliding `period`; a waiting reply goes before any bulk send."""

    def __init__(self, rate: int = OVERALL_RATE, period: float = OVERALL_PERIOD) -> None:
        self.rate, self.period = rate, period
        self._sent: deque[float] = deque()
        self._replies_waiting = 0
        self._paused_until = 0.0

    async def acquire(self, bulk: bool) -> None:
        loop = asyncio.get_running_loop()
        if not bulk:
            self._replies_waiting += 1
        try:
            while True:
                now = loop.time()
                while self._sent and now - self._sent[0] >= self.period:
                    self._sent.popleft()
                if now < self._paused_until:
                    wait = self._paused_until - now
                elif len(self._sent) >= self.rate:
                    wait = self._sent[0] + self.period - now
                elif bulk and self._replies_waiting:
                    wait = 0.002  # a reply takes this slot
                else:
                    self._sent.append(now)
                    return
                await asyncio.sleep(max(wait, 0.001))
        finally:
            if not bulk:
                self._replies_waiting -= 1

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until = max(self._paused_until, until)


class PatientRateLimiter(BaseRateLimiter[JSONDict]):
    """The overall budget with its two lanes, plus a per-chat limit for private chats."""

    def __init__(self, max_retries: int = 3, budget: SendBudget | None = None, limited: bool = True) -> None:
        """`limited=False` passes every request straight through (RATE_LIMIT=false: tests, or a
        Bot API server without Telegram's limits); the lanes then mean nothing."""
        self.max_retries, self.limited = max_retries, limited
        self.budget = budget or SendBudget()
        self._chat_limiters: dict[int, AsyncLimiter] = {}

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chat_limiters) > MAX_CHAT_LIMITERS:
            idle = [k for k, v in self._chat_limiters.items() if v.has_capacity(CHAT_BUCKET)]
            for key in idle:
                del self._chat_limiters[key]
        if chat_id not in self._chat_limiters:
            self._chat_limiters[chat_id] = AsyncLimiter(CHAT_BUCKET, CHAT_PERIOD)
        return self._chat_limiters[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: JSONDict | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if not self.limited or not endpoint.startswith(LIMITED):
            return await callback(*args, **kwargs)
        bulk = rate_limit_args == BULK
        chat_id = data.get("chat_id")
        attempt = 0
        while True:
            if isinstance(chat_id, int) and chat_id > 0 and rate_limit_args != URGENT:
                async with self._chat_limiter(chat_id):
                    await self.budget.acquire(bulk)
            else:
                await self.budget.acquire(bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.budget.pause(seconds)
                log.warning("telegram flood control retry_in=%ss bulk=%s", seconds, bulk)
                if bulk or attempt >= self.max_retries:
                    raise
                attempt += 1
                await asyncio.sleep(seconds)
