"""Webhook mode over HTTP: the secret token is required, and a retried delivery counts once."""

from __future__ import annotations

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


@pytest.fixture
def webhook_bot(tmp_path: Path) -> Iterator[tuple[BotApiFake, str]]:
    api = BotApiFake()
    server, base_url = serve_http(api)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "WEBHOOK_"))},
        "PYTHONPATH": str(ROOT), "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url,
        "BOT_MODE": "webhook", "WEBHOOK_URL": url, "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
    }  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp_path, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not api.webhook and time.monotonic() < deadline:
            time.sleep(0.05)
        assert api.webhook, "the bot did not register its webhook"
        time.sleep(0.5)  # the HTTP server starts right after setWebhook
        yield api, url
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        server.shutdown()
        server.server_close()
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr


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
