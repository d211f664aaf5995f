"""Sending within Telegram's limits: about 30 messages a second overall, 1 a second per chat."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

JSONDict = dict[str, Any]

# aiolimiter is a leaky bucket: in any one second it lets through the bucket plus what leaks in
# that second. 5 per 0.2 s is 25/s sustained and never more than 30 in a second (PTB's default,
# 30 per 1 s, lets ~60 through in the first second of a burst).
OVERALL_BUCKET, OVERALL_PERIOD = 5, 0.2
# Per private chat: a burst of 3 (a reply often needs two messages), then 1 a second.
CHAT_BUCKET, CHAT_PERIOD = 3, 3.0
MAX_CHAT_LIMITERS = 1024


class PatientRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (overall and group limits, RetryAfter handling), plus a per-chat
    limit for private chats, which AIORateLimiter leaves out."""

    def __init__(self, max_retries: int = 3) -> None:
        super().__init__(
            overall_max_rate=OVERALL_BUCKET, overall_time_period=OVERALL_PERIOD, max_retries=max_retries
        )
        self._chat_limiters: dict[int, AsyncLimiter] = {}

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
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        if isinstance(chat_id, int) and chat_id > 0 and endpoint.startswith("send"):
            async with self._chat_limiter(chat_id):
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
