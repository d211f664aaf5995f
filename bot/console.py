"""`python -m bot console`: the real bot (handlers, scheduler, database) with this terminal as
the chat. Replies print with their buttons numbered; typing a number presses one of the newest
message's buttons (any other number is typed as text, and '3 types "3" even when there is a
button 3); `/clock` moves a virtual clock so a whole plan can be walked through in minutes.
Nothing talks to Telegram.

    you> /start
    bot> Hi! I'll remind you about your vitamin B12 injections, ...
         [1] Cyanocobalamin  [2] Hydroxocobalamin  [3] Methylcobalamin  [4] Other
    you> 1
    you> /clock +1d          (or: /clock 2026-12-01 08:00, in the plan's time zone)
    you> /photo arm.jpg red and itchy   (a picture from this computer, with a caption)
    you> /switch             (type as a second person, Sam: a caregiver opening an invite link)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.config import Settings

CHAT_ID = USER_ID = 1
CARER_ID = 2  # a second person (a caregiver): `/switch` types as them
NAMES = {CHAT_ID: "Pat", CARER_ID: "Sam"}  # their Telegram first names
BOT_USER = {"id": 7_000_000, "is_bot": True, "first_name": "b12bot", "username": "b12bot_console"}
STEP = re.compile(r"\+(\d+)\s*([mhdw])")
LINK = re.compile(r"https://t\.me/\w+\?start=[\w-]+")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class VirtualClock:
    """The bot's clock in console mode: moved by /clock, never by waiting."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Shown:
    message_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, callback data)
    chat_id: int = CHAT_ID


class ConsoleApi(BaseRequest):
    """The Bot API methods the bot uses, answered in this process; replies go to the terminal."""

    def __init__(self, files: Path, clock: VirtualClock) -> None:
        self.files, self.clock = files, clock
        self.messages: dict[int, Shown] = {}
        self.printed: list[tuple[str, Shown, str | None]] = []  # (sent|edited|file, message, path)
        self.photos: dict[str, Path] = {}  # file id -> the local file a `/photo` sent
        self._next_id = 1

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        params = dict(request_data.parameters) if request_data else {}
        files = dict(request_data.multipart_data) if request_data and request_data.contains_files else {}
        result = self._answer(url.rsplit("/", 1)[-1], params, files)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, shown: Shown) -> dict[str, Any]:
        return {
            "message_id": shown.message_id,
            "date": int(self.clock().timestamp()),
            "text": shown.text,
            "chat": {"id": shown.chat_id, "type": "private"},
            "from": BOT_USER,
        }

    def _answer(self, method: str, p: dict[str, Any], files: dict[str, Any]) -> Any:
        match method:
            case "getMe":
                return {
                    **BOT_USER,
                    "can_join_groups": False,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                }
            case "getFile":  # a photo `/photo` sent: python-telegram-bot reads a local path itself
                local = self.photos[str(p["file_id"])]
                return {"file_id": p["file_id"], "file_unique_id": p["file_id"],
                        "file_path": str(local.resolve()), "file_size": local.stat().st_size}  # fmt: skip
            case "sendMediaGroup":
                media = json.loads(p["media"]) if isinstance(p["media"], str) else list(p["media"])
                return [self._answer("sendPhoto", {**m, "chat_id": p["chat_id"], "photo": m["media"]}, {})
                        for m in media]  # fmt: skip
            case "sendMessage" | "sendDocument" | "sendPhoto":
                text = str(p.get("text") or p.get("caption") or "")
                if method == "sendPhoto" and not files:  # sent again by its file id (/reports)
                    text = f"[photo {self.photos.get(str(p.get('photo')), '')}] {text}".strip()
                shown = Shown(self._next_id, text, _buttons(p), int(p.get("chat_id", CHAT_ID)))
                self._next_id += 1
                self.messages[shown.message_id] = shown
                path = None
                if files:
                    name, data, _mime = next(iter(files.values()))
                    self.files.mkdir(parents=True, exist_ok=True)
                    target = self.files / f"{shown.message_id:04d}-{name}"
                    target.write_bytes(data)
                    path = str(target)
                self.printed.append(("file" if path else "sent", shown, path))
                return self._message(shown)
            case "editMessageText" | "editMessageReplyMarkup":
                shown = self.messages[int(p["message_id"])]
                if "text" in p:
                    shown.text = str(p["text"])
                shown.buttons = _buttons(p)
                self.printed.append(("edited", shown, None))
                return self._message(shown)
            case _:  # setMyCommands, answerCallbackQuery, deleteWebhook, ...
                return True


def _local_file(name: str) -> Path | None:
    path = Path(name).expanduser()
    return path if name and path.is_file() else None


def _buttons(p: dict[str, Any]) -> list[tuple[str, str]]:
    markup = p.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


class Console:
    """Turns lines typed in the terminal into Telegram updates, and prints what the bot sends."""

    def __init__(self, settings: Settings, files: Path, start: datetime, out: TextIO) -> None:
        from bot.app import build_application

        self.clock = VirtualClock(start)
        self.api = ConsoleApi(files, self.clock)
        self.app = build_application(settings, request=self.api, clock=self.clock)
        self.out = out
        # a new run on the same database must not reuse update ids: the bot ignores ids it has seen
        self._update_id = int(time.time() * 1000)
        self._shown = 0
        self.chat_id = CHAT_ID  # who is typing: the patient, or (after /switch) the caregiver
        self.pressables: dict[int, Shown | None] = {}
        self.tz = ZoneInfo("UTC")  # the patient's zone once there is a plan

    @property
    def pressable(self) -> Shown | None:
        """The newest message with buttons in the chat of whoever is typing."""
        return self.pressables.get(self.chat_id)

    @property
    def services(self) -> Any:
        from bot.context import services_of

        return services_of(self.app)

    async def start(self) -> None:
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        self.services.timer.scheduler.pause()  # the virtual clock decides; see `move_to`
        self.say(
            f"b12bot console – it is {await self.local_now()}. Type /start to begin, a number to press "
            "a button ('3 to type 3 as text), /clock +1d to move time, /photo FILE to send a picture, "
            "/switch to type as a second person (Sam), /quit to leave."
        )

    async def stop(self) -> None:
        await self.app.shutdown()
        assert self.app.post_shutdown is not None
        await self.app.post_shutdown(self.app)

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    async def zone(self) -> ZoneInfo:
        snap = await self.services.repo.patients.snapshot(CHAT_ID)
        return ZoneInfo(snap.plan.timezone) if snap and snap.plan else ZoneInfo("UTC")

    async def local_now(self) -> str:
        zone = await self.zone()
        return (
            f"{self.clock():%a %d %b %Y %H:%M} UTC"
            if zone.key == "UTC"
            else (f"{self.clock().astimezone(zone):%a %d %b %Y %H:%M} ({zone.key})")
        )

    # --- input ---------------------------------------------------------------------------------

    async def handle(self, line: str) -> bool:
        """One typed line; False when the patient wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in {"/quit", "/exit"}:
            return False
        if line.startswith("/clock"):
            await self.clock_command(line.removeprefix("/clock").strip())
        elif line == "/switch":
            self.chat_id = CARER_ID if self.chat_id == CHAT_ID else CHAT_ID
            self.say(f"(you are typing as {NAMES[self.chat_id]} now; /switch to go back)")
        elif line.startswith("/photo"):
            await self.photo(line.removeprefix("/photo").strip())
        elif LINK.fullmatch(line):  # a t.me link pasted: as tapping it, Telegram sends /start <param>
            await self.type("/start " + line.rsplit("?start=", 1)[1])
        elif line.startswith("'"):
            await self.type(line[1:])  # '3: the number 3 as text, not a press
        elif line.isdecimal() and 1 <= int(line) <= len(self.pressable.buttons if self.pressable else ()):
            assert self.pressable is not None
            await self.press(self.pressable, self.pressable.buttons[int(line) - 1][1])
        else:
            await self.type(line)
        await self.move_to(self.clock())  # anything that fell due meanwhile
        return True

    def _user(self) -> dict[str, Any]:
        return {"id": self.chat_id, "is_bot": False, "first_name": NAMES[self.chat_id]}

    async def _process(self, update: dict[str, Any]) -> None:
        self._update_id += 1
        update["update_id"] = self._update_id
        await self.app.process_update(Update.de_json(update, self.app.bot))
        self.tz = await self.zone()
        self.show_new()

    async def type(self, text: str) -> None:
        message: dict[str, Any] = {
            "message_id": 100_000 + self._update_id,
            "date": int(self.clock().timestamp()),
            "text": text,
            "chat": {"id": self.chat_id, "type": "private"},
            "from": self._user(),
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self._process({"message": message})

    async def photo(self, arg: str) -> None:
        """`/photo FILE [caption]`: send a picture from this computer, as a Telegram photo."""
        name, _, caption = arg.partition(" ")
        path = await asyncio.to_thread(_local_file, name)
        if path is None:
            self.say("(try /photo path/to/picture.jpg, optionally followed by a caption)")
            return
        file_id = f"console-photo-{len(self.api.photos) + 1}"
        self.api.photos[file_id] = path
        size = {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960}
        message: dict[str, Any] = {
            "message_id": 100_000 + self._update_id,
            "date": int(self.clock().timestamp()),
            "photo": [size],
            "chat": {"id": self.chat_id, "type": "private"},
            "from": self._user(),
        }
        if caption.strip():
            message["caption"] = caption.strip()
        await self._process({"message": message})

    async def press(self, shown: Shown, data: str) -> None:
        query = {
            "id": str(self._update_id),
            "from": self._user(),
            "chat_instance": "console",
            "data": data,
            "message": self.api._message(shown),
        }
        await self._process({"callback_query": query})

    async def clock_command(self, arg: str) -> None:
        if not arg:
            self.say(f"(it is {await self.local_now()})")
            return
        target = None
        if steps := STEP.findall(arg):
            delta = sum((timedelta(**{UNITS[u]: int(n)}) for n, u in steps), timedelta())
            target = self.clock() + delta
        else:
            try:
                local = datetime.strptime(arg, "%Y-%m-%d %H:%M")
            except ValueError:
                self.say("(try /clock +1d, /clock +2h30m… or /clock 2026-12-01 08:00)")
                return
            target = local.replace(tzinfo=await self.zone()).astimezone(UTC)
        if target < self.clock():
            self.say("(time only moves forward)")
            return
        await self.move_to(target)
        self.say(f"(it is now {await self.local_now()})")

    async def move_to(self, target: datetime) -> None:
        """Move the clock to `target`, delivering every reminder on the way at its own time."""
        services = self.services
        while True:
            due = [t for t in await services.repo.reminders.pending_due_times(target) if t <= target]
            if not due:
                break
            self.clock.now = max(self.clock(), min(due))
            if not await services.reminders.deliver_due():
                break
            self.show_new()
        self.clock.now = target
        await services.reminders.deliver_due()
        self.show_new()

    # --- output --------------------------------------------------------------------------------

    def show_new(self) -> None:
        for kind, shown, path in self.api.printed[self._shown :]:
            stamp = f"{self.clock().astimezone(self.tz):%a %H:%M}" if kind != "edited" else "updated"
            lines = shown.text.splitlines() or [""]
            to = "" if shown.chat_id == CHAT_ID else f" → {NAMES.get(shown.chat_id, shown.chat_id)}"
            self.say(f"bot{to} ({stamp})> {lines[0]}")
            for line in lines[1:]:
                self.say(f"     {line}")
            if path:
                self.say(f"     [file saved: {path}]")
            if shown.buttons:
                self.say(
                    "     " + "  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(shown.buttons, 1))
                )
            if kind != "edited" or shown.buttons:
                # only the newest message's buttons take numbers; without buttons, "7" is an answer
                self.pressables[shown.chat_id] = shown if shown.buttons else None
        self._shown = len(self.api.printed)


def run(args: list[str], stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot console", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default="data/console.sqlite3", help="SQLite file (default: %(default)s)"
    )
    parser.add_argument("--files", default="data/console-files", help="where pictures and files go")
    parser.add_argument("--start", help="start the virtual clock at this UTC time, e.g. '2026-12-01 07:00'")
    options = parser.parse_args(args)
    Path(options.database).parent.mkdir(parents=True, exist_ok=True)
    start = (
        datetime.strptime(options.start, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        if options.start
        else datetime.now(UTC).replace(second=0, microsecond=0)
    )
    settings = Settings(
        bot_token=SecretStr("console:local"),
        database_url=f"sqlite+aiosqlite:///{options.database}",
        rate_limit=False,
        log_level="WARNING",
        _env_file=None,  # type: ignore[call-arg]
    )
    return asyncio.run(_main(settings, Path(options.files), start, stdin, out))


async def _main(settings: Settings, files: Path, start: datetime, stdin: TextIO, out: TextIO) -> int:
    import logging

    logging.basicConfig(level=logging.ERROR)
    console = Console(settings, files, start, out)
    await console.start()
    interactive = stdin.isatty()
    try:
        while True:
            if interactive:
                print("you> ", end="", file=out, flush=True)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if not interactive:
                console.say(f"you> {line.rstrip()}")
            if not await console.handle(line):
                break
    finally:
        await console.stop()
    return 0
