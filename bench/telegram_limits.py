"""A Bot API that enforces Telegram's sending limits the way Telegram does, in process.

* at most 30 messages in any sliding second per bot, and 1 a second per chat, counted when a
  request *arrives*;
* a request beyond either limit is answered HTTP 429 `{"ok": false, "error_code": 429,
  "description": "Too Many Requests: retry after N", "parameters": {"retry_after": N}}` with N in
  whole seconds (at least 1), and is not delivered;
* each request travels for a while each way (by default 5-15 ms, from a seeded random source), so
  the arrival order and spacing are not exactly the sending order and spacing: a limiter with no
  margin at all gets caught out, as it would be by the real network.

`LimitedRequest` plugs it in at python-telegram-bot's HTTP layer, like `tests.fake_telegram`.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
from collections import deque
from typing import Any

from telegram.request import BaseRequest, RequestData

from tests.fake_telegram import BotApiFake

WINDOW, PER_WINDOW, CHAT_GAP = 1.0, 30, 1.0
SENDS = ("sendMessage", "sendPhoto", "sendDocument", "copyMessage", "forwardMessage")


def _too_many(retry_after: int) -> dict[str, Any]:
    return {
        "ok": False,
        "error_code": 429,
        "description": f"Too Many Requests: retry after {retry_after}",
        "parameters": {"retry_after": retry_after},
    }


class LimitedBotApi(BotApiFake):
    """`BotApiFake` plus Telegram's limits; records every refusal and every accepted arrival."""

    def __init__(self) -> None:
        super().__init__()
        self.window: deque[float] = deque()  # arrival times of accepted sends in the last second
        self.last_in_chat: dict[int, float] = {}
        self.accepted: list[tuple[float, int]] = []  # (arrival, chat id)
        self.refused: list[tuple[float, int, str]] = []  # (arrival, chat id, which limit)
        self.forced: list[int] = []

    def too_many_next(self, retry_after: int) -> None:
        """The next send is answered 429 whatever the counts (as when other bots of the same owner,
        or Telegram's own load, used the budget)."""
        self.forced.append(retry_after)

    def arrive(self, method: str, params: dict[str, Any], now: float) -> tuple[int, dict[str, Any]]:
        """A request arrives at `now` (the event loop's clock)."""
        if method in SENDS:
            chat_id = int(params.get("chat_id", 0))
            if self.forced:
                self.refused.append((now, chat_id, "forced"))
                return 429, _too_many(self.forced.pop(0))
            while self.window and now - self.window[0] >= WINDOW:
                self.window.popleft()
            wait = 0.0
            if len(self.window) >= PER_WINDOW:
                wait = self.window[0] + WINDOW - now
                which = "bot"
            elif now - self.last_in_chat.get(chat_id, -math.inf) < CHAT_GAP:
                wait = self.last_in_chat[chat_id] + CHAT_GAP - now
                which = "chat"
            if wait > 0:
                self.refused.append((now, chat_id, which))
                return 429, _too_many(max(1, math.ceil(wait)))
            self.window.append(now)
            self.last_in_chat[chat_id] = now
            self.accepted.append((now, chat_id))
        return self.handle(method, params)

    def sustained_rate(self) -> float:
        """Messages a second, as the least-squares slope of messages sent so far against arrival
        time: fair to a sender that paces evenly and to one that sends in bursts of 30 (whose
        first burst would flatter a first-to-last average)."""
        times = [at for at, _ in self.accepted]
        if len(times) < 2:
            return 0.0
        mean_t, mean_i = sum(times) / len(times), (len(times) - 1) / 2
        spread = sum((t - mean_t) ** 2 for t in times)
        return sum((t - mean_t) * (i - mean_i) for i, t in enumerate(times)) / spread if spread else 0.0


class LimitedRequest(BaseRequest):
    """python-telegram-bot's HTTP layer, answered by a LimitedBotApi after a network delay."""

    def __init__(
        self, api: LimitedBotApi, delay: tuple[float, float] = (0.005, 0.015), seed: int = 7
    ) -> None:
        self.api, self.delay = api, delay
        self.random = random.Random(seed)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        await asyncio.sleep(self.random.uniform(*self.delay))  # on the way to Telegram
        status, body = self.api.arrive(api_method, params, asyncio.get_running_loop().time())
        await asyncio.sleep(self.random.uniform(*self.delay))  # and back
        return status, json.dumps(body).encode()
