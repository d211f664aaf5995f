"""Sending within Telegram's limits: 30 messages in any second overall, 1 a second in a chat.

* **Overall**: sends are paced evenly, one every 1/`rate` seconds (29.5 a second by default: the
  half message a second under Telegram's 30 absorbs a network that delivers requests up to about
  15 ms sooner or later than they were sent). Evenly paced, never in bursts, so any second as
  Telegram counts it holds at most 30.
* **Two lanes** share that pace. Replies to a patient take the next free slot; reminder sends
  (`rate_limit_args=BULK`) take a slot only when no reply waits for one, and only one of them
  waits for a slot at a time, so a reply never queues behind a queue of reminders.
* **Per chat**: 1 message a second (`chat_rate`). A reminder waits until the chat's last message is
  a full second old (plus a margin for the same network jitter); a reply may come in a short burst
  of up to 3 (Telegram allows short bursts, and a reply is often two messages). The emergency
  instruction (`URGENT`) is not held by its chat's limit at all.
* **429**: the first Too Many Requests pauses every lane for the time Telegram asks and slows the
  pace by a fifth; each 10 s without another, the pace climbs back by one message a second, up to
  `rate`. A reply is then retried; a reminder is handed back to delivery, which re-plans it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
JSONDict = dict[str, Any]

RATE = 29.5  # messages a second overall (Telegram: 30)
TELEGRAM_PER_WINDOW, WINDOW = 30, 1.0  # and never more than this many in any second
CHAT_RATE = 1.0  # messages a second in one chat (Telegram: 1)
CHAT_BURST = 3  # replies in a row before a chat's pace applies (Telegram allows short bursts)
JITTER_MARGIN = 0.05  # seconds added to the per-chat gap: requests do not arrive as evenly as sent
SLOW_DOWN = 0.8  # the pace after a 429, as a share of what it was
CLIMB_EVERY, CLIMB_BY = 10.0, 1.0  # then: one message a second faster every 10 s without another
MIN_RATE = 1.0
MAX_CHATS = 4096  # per-chat pacing remembered for this many chats (the least recent forgotten)
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
    """The overall pace: one send every 1/rate seconds, replies before reminders, slower after a
    429 and back up step by step."""

    def __init__(self, rate: float = RATE, climb_every: float = CLIMB_EVERY) -> None:
        self.max_rate = rate
        self.climb_every = climb_every
        self._slowed_to, self._slowed_at = rate, -math.inf  # the pace a 429 left, and since when
        self._next = 0.0  # the loop time of the next free slot
        self._paused_until = 0.0
        self._replies_waiting = 0
        self._window: deque[float] = deque()  # when the sends of the last second went
        self._bulk_turn = asyncio.Lock()  # one reminder send waits for a slot at a time

    @property
    def rate(self) -> float:
        """Messages a second now: `max_rate`, or climbing back to it after a 429."""
        return self._rate_at(time.monotonic())  # the event loop's clock

    def _rate_at(self, now: float) -> float:
        steps = (now - self._slowed_at) // self.climb_every if now > self._slowed_at else 0
        return min(self.max_rate, self._slowed_to + CLIMB_BY * steps)

    async def acquire(self, bulk: bool) -> None:
        if bulk:
            async with self._bulk_turn:
                await self._take(bulk=True)
            return
        self._replies_waiting += 1
        try:
            await self._take(bulk=False)
        finally:
            self._replies_waiting -= 1

    async def _take(self, bulk: bool) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            slot = max(self._next, self._paused_until)
            while self._window and now - self._window[0] >= WINDOW:
                self._window.popleft()
            if len(self._window) >= TELEGRAM_PER_WINDOW:  # never more than Telegram's 30 in a second
                slot = max(slot, self._window[0] + WINDOW)
            if bulk and self._replies_waiting:
                wait = max(slot - now, 0.001)  # a reply takes this slot
            elif slot <= now:
                # the next slot counts from this one's, not from when the sleep happened to end (a
                # sleep overshoots by a millisecond or so: counted from `now`, 29.5 a second came
                # out as 28.6); after an idle spell it counts from now
                interval = 1.0 / self._rate_at(now)
                self._next = (slot if now - slot < interval else now) + interval
                self._window.append(now)
                return
            else:
                wait = slot - now
            await asyncio.sleep(wait)

    def too_many(self, seconds: float) -> None:
        """Telegram said 429: nothing goes out for `seconds`, and the pace slows down by a fifth,
        then climbs back by CLIMB_BY every `climb_every` seconds."""
        now = asyncio.get_running_loop().time()
        self._paused_until = max(self._paused_until, now + seconds)
        self._slowed_to = max(MIN_RATE, self._rate_at(now) * SLOW_DOWN)
        self._slowed_at = self._paused_until
        log.warning("telegram flood control retry_in=%ss pace=%.1f/s", seconds, self._slowed_to)


@dataclass
class _Chat:
    tokens: float
    counted_at: float
    last_at: float


class ChatPace:
    """Per chat: a reply may follow the last message at once, up to `burst` in a row (Telegram
    allows short bursts; a fast patient tapping through set-up should not wait a second for each
    answer), refilled at `rate` a second; a reminder waits until the chat's last message is a full
    1/`rate` seconds old. Bounded memory: chats idle long enough to be full again are forgotten."""

    def __init__(self, rate: float = CHAT_RATE, burst: int = CHAT_BURST) -> None:
        self.rate, self.burst = rate, burst
        self.gap = 1.0 / rate + JITTER_MARGIN
        self._chats: OrderedDict[int, _Chat] = OrderedDict()

    async def acquire(self, chat_id: int, bulk: bool) -> None:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            chat = self._chats.get(chat_id) or _Chat(float(self.burst), now, -math.inf)
            chat.tokens = min(self.burst, chat.tokens + (now - chat.counted_at) * self.rate)
            chat.counted_at = now
            wait = max(0.0, (1.0 - chat.tokens) / self.rate)
            if bulk:
                wait = max(wait, chat.last_at + self.gap - now)
            if wait <= 0:
                chat.tokens -= 1
                chat.last_at = now
                self._chats[chat_id] = chat
                self._chats.move_to_end(chat_id)
                self._forget(now)
                return
            await asyncio.sleep(wait)

    def _forget(self, now: float) -> None:
        while len(self._chats) > MAX_CHATS:
            oldest = next(iter(self._chats.values()))
            if now - oldest.last_at < self.burst / self.rate + self.gap:
                return  # still counting down
            self._chats.popitem(last=False)


class PatientRateLimiter(BaseRateLimiter[JSONDict]):
    """The overall pace with its two lanes, plus the per-chat pace for private chats."""

    def __init__(
        self,
        max_retries: int = 3,
        budget: SendBudget | None = None,
        limited: bool = True,
        chat_rate: float = CHAT_RATE,
        chat_burst: int = CHAT_BURST,
    ) -> None:
        """`limited=False` passes every request straight through (RATE_LIMIT=false: tests, or a
        Bot API server without Telegram's limits); the lanes then mean nothing."""
        self.max_retries, self.limited = max_retries, limited
        self.budget = budget or SendBudget()
        self.chats = ChatPace(chat_rate, chat_burst)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

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
                await self.chats.acquire(chat_id, bulk)
            await self.budget.acquire(bulk)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                self.budget.too_many(seconds)
                if bulk or attempt >= self.max_retries:
                    raise
                attempt += 1
                await asyncio.sleep(seconds)
