"""Drive the bot as a real process: a patient talking through the fake Bot API over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.fake_telegram import BotApiFake, SentMessage
from tests.flows import SCHEDULES
from tests.harness import TOKEN, callback_update, message_update

ROOT = Path(__file__).resolve().parents[1]
DUE = "Time for your B12 injection"
BASELINE = "One more thing"


def wait_for(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class RemoteChat:
    """A patient talking to a bot process through the fake's getUpdates queue."""

    def __init__(
        self, api: BotApiFake, chat_id: int, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ):
        self.api, self.chat_id, self.now = api, chat_id, now

    def _push(self, update: dict[str, object]) -> None:
        before = len(self.api.outbox)
        self.api.push_update(update)
        wait_for(lambda: any(m.chat_id == self.chat_id for m in self.api.outbox[before:]), 20, "a reply")
        time.sleep(0.1)  # let multi-message replies arrive

    def send(self, text: str) -> None:
        self._push(message_update(self.chat_id, "Pat", text, self.now()))

    def press(self, label: str) -> None:
        """Tap `label` on the latest message that has it, once it is there (a reply of two messages
        takes a second: the bot sends one a second in a chat, as Telegram asks)."""
        deadline = time.monotonic() + 5
        while True:
            for message in reversed(self.api.sent_to(self.chat_id)):
                data = message.callback_for(label)
                if data is not None:
                    self._push(callback_update(self.chat_id, "Pat", message, data))
                    return
            if time.monotonic() > deadline:
                last = [m.text[:80] for m in self.messages()[-3:]]
                raise AssertionError(f"no button {label!r} after {last}")
            time.sleep(0.05)

    def messages(self) -> list[SentMessage]:
        return self.api.sent_to(self.chat_id)

    def due(self) -> list[SentMessage]:
        return [m for m in self.messages() if DUE in m.text]


def set_up_at(chat: RemoteChat, at: datetime, today: datetime | None = None) -> None:
    """Daily plan at `at` (UTC), first dose today (or tomorrow when `at` is past midnight)."""
    chat.send("/start")
    chat.press("Cyanocobalamin")
    chat.press("1000 mcg/mL")
    chat.send("1 mL")
    chat.press("Under the skin")
    for action, value in SCHEDULES["Every day"]:
        (chat.press if action == "press" else chat.send)(value)
    chat.send(at.strftime("%H:%M"))
    chat.send("UTC")
    chat.press("Done")
    chat.send("Dr Rivera")
    chat.send("+44 20 7946 0000")
    chat.press("Today" if at.date() == (today or datetime.now(UTC)).date() else "Tomorrow")
    chat.press("Yes, it matches")
    # the plan is saved, then the symptom baseline is asked: wait for both, so no send is in flight
    wait_for(
        lambda: len(chat.messages()) >= 2 and chat.messages()[-1].text.startswith(BASELINE), 20, "baseline"
    )
    assert chat.messages()[-2].text.startswith("All set!"), chat.messages()[-2].text


def start_bot(
    folder: Path, base_url: str, *, offset: float | None = None, log: Path | None = None, **env: str
) -> subprocess.Popen[str]:
    """`python -m bot` (or, with `offset`, the same with its clock shifted) in `folder`."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEBHOOK_"))},
        "PYTHONPATH": str(ROOT), "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url,
        "LOG_LEVEL": "INFO", **env,
    }  # fmt: skip
    command = [sys.executable, "-m", "bot"]
    if offset is not None:
        command = [sys.executable, str(ROOT / "tests" / "bot_at.py"), str(offset)]
    if log is None:
        return subprocess.Popen(command, cwd=folder, env=environment, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    with log.open("a") as stderr:  # the child keeps its own copy of the file
        return subprocess.Popen(command, cwd=folder, env=environment, text=True,
                                stdout=subprocess.DEVNULL, stderr=stderr)  # fmt: skip


def stop_bot(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in (stderr or ""), stderr
    return stderr or ""


def kill_bot(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


def offset_to(virtual: datetime) -> float:
    """The clock offset that makes `virtual` the process's "now"."""
    return (virtual - datetime.now(UTC)).total_seconds()


def virtual_now(offset: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=offset)
