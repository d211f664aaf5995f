"""Drive the real bot: real Application, real database, real APScheduler, fake Telegram.

`Harness` starts and stops the application the way `run_polling` does, and moves time with
time-machine: `await bot.advance(hours=2)` walks the clock through every due wake-up on the way,
firing the real scheduler's jobs at their own times. `Chat` makes tests read like a conversation.
"""

from __future__ import annotations

import asyncio
import io
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import time_machine
from apscheduler.job import Job
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.request import BaseRequest

from bot.app import build_application
from bot.config import Settings
from bot.context import Services, services_of
from bot.services.timer import JOB_PREFIX
from tests.fake_telegram import BotApiFake, FakeRequest, SentMessage

TOKEN = "123456:TEST-token-not-real"
_update_ids = itertools.count(1)


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / 'b12bot.sqlite3'}"


class Harness:
    def __init__(
        self, api: BotApiFake, database_url: str, traveller: time_machine.Coordinates,
        request: BaseRequest | None = None, **settings: Any,
    ) -> None:  # fmt: skip
        """`request`: Telegram's side, if not `api` answering at once (e.g. one with its limits)."""
        self.api = api
        self.clock = traveller
        self.settings = Settings(
            bot_token=TOKEN, database_url=database_url, **{"rate_limit": False, **settings}
        )
        self.app = build_application(self.settings, request=request or FakeRequest(api))
        self.running = False

    @property
    def services(self) -> Services:
        return services_of(self.app)

    async def start(self) -> None:
        """What run_polling does before polling: initialize, post_init, start."""
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        await self.services.reminders.rearmed()  # the start-up re-arming runs in the background
        await self.app.start()
        self.running = True
        await self.settle()

    async def stop(self) -> None:
        """What run_polling does on SIGTERM: stop, shutdown, post_shutdown."""
        if not self.running:
            return
        self.running = False
        await self.app.stop()
        await self.app.shutdown()
        assert self.app.post_shutdown is not None
        await self.app.post_shutdown(self.app)

    # --- time -------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.now(UTC)

    def _jobs(self) -> list[Job]:
        try:
            return list(self.services.timer.scheduler.get_jobs())
        except SQLAlchemyError:
            return []  # the job store's database is down (an outage test)

    def _next_wake(self) -> datetime | None:
        times = [
            job.next_run_time
            for job in self._jobs()
            if job.id.startswith(JOB_PREFIX) and job.next_run_time is not None
        ]
        return min(times) if times else None

    async def settle(self) -> None:
        """Let the scheduler run whatever is due now, and wait until it has finished."""
        scheduler = self.services.timer.scheduler
        for _ in range(50):
            await self.services.timer.armed()  # wake-ups asked for are written
            await scheduler.process_now()  # due jobs submitted (the job store is read off the loop)
            await asyncio.sleep(0)
            await self.services.reminders.idle()
            await self.services.timer.armed()  # what the jobs armed (a retry, the next dose)
            now = self.now()
            due = [j for j in self._jobs() if j.next_run_time and j.next_run_time <= now]
            if not due:
                return
        raise AssertionError("scheduler did not settle")

    async def advance_to(self, target: datetime) -> None:
        """Move the clock to `target`, stopping at every wake-up on the way."""
        while True:
            await self.settle()
            wake = self._next_wake()
            if wake is None or wake > target:
                break
            self.clock.move_to(wake)
        self.clock.move_to(target)
        await self.settle()

    async def advance(self, **delta: float) -> None:
        await self.advance_to(self.now() + timedelta(**delta))

    # --- chats ------------------------------------------------------------------------------------

    def chat(self, chat_id: int = 1001, first_name: str = "Pat") -> Chat:
        return Chat(self, chat_id, first_name)


class Chat:
    """One patient's private chat with the bot."""

    def __init__(self, bot: Harness, chat_id: int, first_name: str) -> None:
        self.bot, self.chat_id, self.first_name = bot, chat_id, first_name

    async def _process(self, update: dict[str, Any]) -> list[SentMessage]:
        before = len(self.bot.api.outbox)
        await self.bot.app.process_update(Update.de_json(update, self.bot.app.bot))
        await self.bot.settle()
        return [m for m in self.bot.api.outbox[before:] if m.chat_id == self.chat_id]

    def message_update(self, text: str) -> dict[str, Any]:
        return message_update(self.chat_id, self.first_name, text, self.bot.now())

    async def send(self, text: str) -> list[SentMessage]:
        """The patient types `text`; returns what the bot sent or edited in reply."""
        return await self._process(self.message_update(text))

    async def send_photo(
        self,
        data: bytes | None = None,
        caption: str | None = None,
        *,
        as_file: bool = False,
        size: int | None = None,
        album: str | None = None,
    ) -> list[SentMessage]:
        """The user sends a photo (`as_file`: an image sent as a document), with or without a
        caption; the fake Bot API serves its bytes to getFile and the download."""
        file = self.bot.api.register_file(data if data is not None else png(), size)
        update = photo_update(self.chat_id, self.first_name, file, self.bot.now(), caption, as_file, album)
        return await self._process(update)

    async def open_link(self, link: str) -> list[SentMessage]:
        """The user taps a t.me link to the bot (`https://t.me/<bot>?start=<param>`)."""
        return await self._process(start_update(self.chat_id, self.first_name, link, self.bot.now()))

    def callback_update(self, message: SentMessage, data: str) -> dict[str, Any]:
        return callback_update(self.chat_id, self.first_name, message, data)

    async def membership(self, old: str, new: str) -> list[SentMessage]:
        """The patient blocks (`kicked`) or unblocks (`member`) the bot."""
        bot_user = {"id": 7000001, "is_bot": True, "first_name": "B12 Bot"}
        update = {
            "update_id": next(_update_ids),
            "my_chat_member": {
                "chat": {"id": self.chat_id, "type": "private", "first_name": self.first_name},
                "from": _user(self.chat_id, self.first_name),
                "date": int(self.bot.now().timestamp()),
                "old_chat_member": {"user": bot_user, "status": old, "until_date": 0},
                "new_chat_member": {"user": bot_user, "status": new, "until_date": 0},
            },
        }
        return await self._process(update)

    async def press(self, label: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Tap the button whose text contains `label` on the newest message that has one."""
        candidates = [message] if message else reversed(self.messages())
        for candidate in candidates:
            data = candidate.callback_for(label)
            if data is not None:
                return await self._process(self.callback_update(candidate, data))
        raise AssertionError(f"no button {label!r}; last reply: {self.last_reply()}")

    async def press_data(self, message: SentMessage, data: str) -> list[SentMessage]:
        """Send arbitrary callback data, as a forged or stale button would."""
        return await self._process(self.callback_update(message, data))

    def messages(self) -> list[SentMessage]:
        return self.bot.api.sent_to(self.chat_id)

    def last_reply(self) -> SentMessage:
        mine = [m for m in self.bot.api.outbox if m.chat_id == self.chat_id]
        assert mine, "the bot has not sent anything to this chat"
        return mine[-1]

    def texts(self) -> list[str]:
        return [m.text for m in self.messages()]


def _user(chat_id: int, first_name: str) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": first_name}


def message_update(chat_id: int, first_name: str, text: str, now: datetime) -> dict[str, Any]:
    """A Bot API `Update` with a private text message (commands get their entity)."""
    message: dict[str, Any] = {
        "message_id": next(_update_ids) + 500_000,
        "date": int(now.timestamp()),
        "chat": {"id": chat_id, "type": "private", "first_name": first_name},
        "from": _user(chat_id, first_name),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": next(_update_ids), "message": message}


def callback_update(chat_id: int, first_name: str, message: SentMessage, data: str) -> dict[str, Any]:
    """A Bot API `Update` with a button press on `message`."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(chat_id, first_name),
            "chat_instance": str(chat_id),
            "message": message.as_api(),
            "data": data,
        },
    }


def png(
    marker: str = "", size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 60, 60)
) -> bytes:
    """A small real picture (PNG); `marker` is written into it as text, to look for it later."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if marker:
        info.add_text("note", marker)
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def photo_update(
    chat_id: int,
    first_name: str,
    file: dict[str, Any],
    now: datetime,
    caption: str | None = None,
    as_file: bool = False,
    album: str | None = None,
) -> dict[str, Any]:
    """A Bot API `Update` with a private photo message (two sizes, as Telegram sends them), or an
    image sent as a file (a document)."""
    message: dict[str, Any] = {
        "message_id": next(_update_ids) + 500_000,
        "date": int(now.timestamp()),
        "chat": {"id": chat_id, "type": "private", "first_name": first_name},
        "from": _user(chat_id, first_name),
    }
    if as_file:
        message["document"] = {**file, "file_name": "reaction.jpg", "mime_type": "image/jpeg"}
    else:
        small = {**file, "file_size": min(file["file_size"], 2000), "width": 90, "height": 67}
        message["photo"] = [small, {**file, "width": 800, "height": 600}]
    if caption is not None:
        message["caption"] = caption
    if album is not None:
        message["media_group_id"] = album
    return {"update_id": next(_update_ids), "message": message}


def start_update(chat_id: int, first_name: str, link: str, now: datetime) -> dict[str, Any]:
    """Tapping `https://t.me/<bot>?start=<param>`: Telegram sends `/start <param>`."""
    param = link.rsplit("?start=", 1)[-1]
    return message_update(chat_id, first_name, f"/start {param}", now)
