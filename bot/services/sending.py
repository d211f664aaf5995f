"""Sending text without python-telegram-bot's objects, and marking what Telegram took as sent,
many at a time, as soon as it took them.

`send_text` posts `sendMessage` with the keyboard as the plain JSON the Bot API takes and does not
parse the answer into a `Message`: building and parsing those objects was half of what 10,000
reminders cost, and a tenth of a reply to a "done". It still goes through the bot's rate limiter
(its lane in `lane`) and raises the same `TelegramError`s. It uses `Bot._post`,
python-telegram-bot's protected entry below the public methods (the version is pinned in
pyproject.toml; every test that sends goes through it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot
from telegram.ext import ExtBot

from bot.keyboards import Markup

log = logging.getLogger(__name__)


async def send_text(
    bot: Bot, chat_id: int, text: str, markup: Markup | None, lane: dict[str, Any] | None
) -> None:
    """`sendMessage` when Telegram's answer is not needed, only whether it took the message (it
    raises otherwise): scheduled messages, and replies."""
    data: dict[str, Any] = {"chat_id": chat_id, "text": text}
    if markup is not None:
        data["reply_markup"] = markup
    lanes = ExtBot._merge_api_rl_kwargs(None, lane) if isinstance(bot, ExtBot) else None
    await bot._post("sendMessage", data, api_kwargs=lanes)


class SentMarker:
    """Group commit for "sent": ids gather while one UPDATE runs and go in the next one, so a
    message is recorded within one round trip of Telegram taking it (a crash re-sends at most the
    sends in flight and those of one round trip), at a statement per round trip, not per message."""

    def __init__(self, finish: Callable[[list[int]], Awaitable[None]]) -> None:
        self._finish = finish
        self._pending: list[int] = []
        self._task: asyncio.Task[None] | None = None

    def add(self, ids: list[int]) -> None:
        self._pending.extend(ids)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush(), name="b12bot-mark-sent")

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._finish(batch)
            except Exception as exc:  # left claimed: the lease brings them back (sent again)
                log.warning("could not mark sent reminders=%s error=%s", len(batch), type(exc).__name__)

    async def drain(self) -> None:
        """Wait until everything added so far is recorded (or given up on)."""
        while self._task is not None and not self._task.done():
            await self._task
        if self._pending:
            await self._flush()
