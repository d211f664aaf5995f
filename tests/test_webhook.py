"""Webhook mode over HTTP: the secret token is required, and a retried delivery counts once."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fake_telegram import BotApiFake, serve_http
from tests.harness import TOKEN, message_update

ROOT = Path(__file__).resolve().parents[1]
SECRET = "a-webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@contextlib.contextmanager
def webhook_process(tmp_path: Path, **env: str) -> Iterator[tuple[BotApiFake, str, dict[str, str]]]:
    """The bot in webhook mode as a process; the dict gets its stderr once it has stopped."""
    api = BotApiFake()
    server, base_url = serve_http(api)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEBHOOK_"))},
        "PYTHONPATH": str(ROOT), "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url,
        "BOT_MODE": "webhook", "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port), **env,
    }  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path, env=environment, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    out: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 30
        while not api.webhook and time.monotonic() < deadline:
            time.sleep(0.05)
        assert api.webhook, "the bot did not register its webhook"
        time.sleep(0.5)  # the HTTP server starts right after setWebhook
        yield api, url, out
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        out["stderr"] = stderr
        server.shutdown()
        server.server_close()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def webhook_bot(tmp_path: Path) -> Iterator[tuple[BotApiFake, str]]:
    with webhook_process(tmp_path) as (api, url, _):
        yield api, url


def wait_for_reply(api: BotApiFake, chat_id: int) -> None:
    deadline = time.monotonic() + 10
    while not api.sent_to(chat_id) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_webhook_requires_the_secret_and_processes_a_retry_once(webhook_bot: tuple[BotApiFake, str]) -> None:
    api, url = webhook_bot
    assert api.webhook["url"] == url and api.webhook["secret_token"] == SECRET
    update = message_update(4242, "Pat", "/help", datetime.now(UTC))
    assert post(url, update, None) == 403
    assert post(url, update, "wrong-secret-0123456789") == 403
    time.sleep(0.5)
    assert not api.sent_to(4242), "a request without the secret changed something"

    assert post(url, update, SECRET) == 200
    assert post(url, update, SECRET) == 200  # Telegram retrying the same delivery
    deadline = time.monotonic() + 10
    while not api.sent_to(4242) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    replies = api.sent_to(4242)
    assert len(replies) == 1 and "/report" in replies[0].text


def test_a_huge_body_is_refused_before_it_is_buffered(tmp_path: Path) -> None:
    """Issue 14.7: four 95 MB bodies took the bot from 151 to 344 MB. Now a body over 1 MB is
    refused (413) while tornado reads the headers; the bot listens on 127.0.0.1 by default."""
    with webhook_process(tmp_path) as (api, url, _):
        huge = b'{"update_id": 1, "padding": "' + b"x" * (8 * 1024 * 1024) + b'"}'
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
        request = urllib.request.Request(url, huge, headers, method="POST")
        with pytest.raises((urllib.error.HTTPError, ConnectionError, urllib.error.URLError)) as refused:
            urllib.request.urlopen(request, timeout=10)
        if isinstance(refused.value, urllib.error.HTTPError):
            assert refused.value.code in {400, 413}
        assert post(url, message_update(4343, "Pat", "/help", datetime.now(UTC)), SECRET) == 200
        wait_for_reply(api, 4343)
        assert api.sent_to(4343) and "/report" in api.sent_to(4343)[0].text  # still answering
        port = int(url.split(":")[2].split("/")[0])
        with socket.socket() as sock:  # not reachable on another address of this machine
            outside = socket.gethostbyname(socket.gethostname())
            if not outside.startswith("127."):
                assert sock.connect_ex((outside, port)) != 0


def test_an_update_that_cannot_be_read_is_not_logged_with_its_words(tmp_path: Path) -> None:
    """Issue 14.6: python-telegram-bot logs an unreadable update at CRITICAL with the whole update."""
    with webhook_process(tmp_path) as (_api, url, out):
        broken = message_update(4444, "Patricia", "my lips are swelling up", datetime.now(UTC))
        broken["message"]["chat"] = "not a chat"  # type: ignore[index]
        assert post(url, broken, SECRET) == 400
    assert "lips" not in out["stderr"] and "Patricia" not in out["stderr"], out["stderr"]
    assert "Something went wrong processing the data received from Telegram" in out["stderr"]
