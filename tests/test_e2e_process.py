"""The bot as a real process (`python -m bot`) against the fake Bot API served over HTTP.

Proves the real request path, settings from the environment, start-up, migrations, long polling,
SIGTERM shutdown and restart. Uses the real clock, so due times are a minute or two ahead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fake_telegram import BotApiFake, SentMessage, serve_http
from tests.harness import TOKEN, callback_update, message_update

ROOT = Path(__file__).resolve().parents[1]
DUE = "Time for your B12 injection"
pytestmark = pytest.mark.e2e


def wait_for(check: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class RemoteChat:
    """A patient talking to the bot process through the fake's getUpdates queue."""

    def __init__(self, api: BotApiFake, chat_id: int) -> None:
        self.api, self.chat_id = api, chat_id

    def _push(self, update: dict[str, object]) -> None:
        before = len(self.api.outbox)
        self.api.push_update(update)
        wait_for(lambda: any(m.chat_id == self.chat_id for m in self.api.outbox[before:]), 20, "a reply")
        time.sleep(0.1)  # let multi-message replies arrive

    def send(self, text: str) -> None:
        self._push(message_update(self.chat_id, "Pat", text, datetime.now(UTC)))

    def press(self, label: str) -> None:
        for message in reversed(self.api.sent_to(self.chat_id)):
            data = message.callback_for(label)
            if data is not None:
                self._push(callback_update(self.chat_id, "Pat", message, data))
                return
        raise AssertionError(f"no button {label!r}")

    def messages(self) -> list[SentMessage]:
        return self.api.sent_to(self.chat_id)


def set_up_at(chat: RemoteChat, at: datetime) -> None:
    chat.send("/start")
    for label in ("Cyanocobalamin", "1000 mcg/mL", "1 mL", "Under the skin", "Daily ×7",
                  "Yes, that's my plan"):  # fmt: skip
        chat.press(label)
    chat.send(at.strftime("%H:%M"))
    chat.send("UTC")
    chat.press("Done")
    chat.send("Dr Rivera")
    chat.send("+44 20 7946 0000")
    chat.press("Today" if at.date() == datetime.now(UTC).date() else "Tomorrow")
    chat.press("Yes, it matches")
    assert chat.messages()[-1].text.startswith("All set!")


@pytest.fixture
def http_api() -> Iterator[tuple[BotApiFake, str]]:
    api = BotApiFake()
    server, base_url = serve_http(api)
    yield api, base_url
    server.shutdown()
    server.server_close()
    assert not api.unknown, api.unknown


def start_bot(tmp_path: Path, base_url: str) -> subprocess.Popen[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base_url,
        "LATE_AFTER_MINUTES": "1",
        "LOG_LEVEL": "INFO",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def stop_bot(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    return stderr


def test_real_process_setup_reminder_done_restart_and_late_reminder(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    api, base_url = http_api
    now = datetime.now(UTC)
    first_due = (now + timedelta(seconds=90)).replace(second=0, microsecond=0)
    if first_due - now < timedelta(seconds=35):
        first_due += timedelta(minutes=1)
    second_due = first_due + timedelta(minutes=1)

    bot = start_bot(tmp_path, base_url)
    try:
        wait_for(lambda: api.calls_of("getUpdates"), 30, "the bot to start polling")
        assert next(c["command"] for c in api.commands) == "start"
        assert (tmp_path / "data" / "b12bot.sqlite3").exists()  # created and migrated
        alice, bob = RemoteChat(api, 501), RemoteChat(api, 502)
        set_up_at(alice, first_due)
        set_up_at(bob, second_due)

        wait_for(lambda: any(DUE in m.text for m in alice.messages()), 150, "alice's reminder")
        reminder = next(m for m in alice.messages() if DUE in m.text)
        assert abs((reminder.at - first_due).total_seconds()) < 5  # on time
        alice.press("Done")
        alice.press("⭐")
        assert alice.messages()[-1].text.startswith("✅ Recorded: Abdomen left")
    finally:
        stderr = stop_bot(bot)
    assert TOKEN not in stderr and "Rivera" not in stderr  # no token, no patient words in logs
    assert not any(DUE in m.text for m in bob.messages())  # bob's dose fell due while down

    wait_for(lambda: datetime.now(UTC) > second_due + timedelta(seconds=62), 200, "bob's due time")
    bot = start_bot(tmp_path, base_url)
    try:
        wait_for(lambda: any(DUE in m.text for m in bob.messages()), 30, "bob's late reminder")
        time.sleep(2)
        late = [m for m in bob.messages() if DUE in m.text]
        assert len(late) == 1
        assert "this reminder is late – it was due" in late[0].text
        assert f"{second_due:%H:%M}" in late[0].text
        alice.send("/history")
        assert "✅ done Abdomen left" in alice.messages()[-1].text  # nothing recorded was lost
        assert len([m for m in alice.messages() if DUE in m.text]) == 1  # nothing re-sent
    finally:
        stop_bot(bot)
