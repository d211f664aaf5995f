"""`python -m bot check`: settings, database, migrations and token, with exit codes to act on."""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.check import BAD_SETTINGS, NO_DATABASE, NO_TELEGRAM, PENDING, READY, run
from storage.database import create_sync_db_engine
from tests.fake_telegram import ApiError, BotApiFake

TOKEN = "123456:TEST-token"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A clean environment (no .env) with a fresh SQLite file; returns its URL."""
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "TELEGRAM_BASE_URL", "BOT_MODE", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def check(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run(list(args), out)
    return code, out.getvalue()


def tables(url: str) -> set[str]:
    engine = create_sync_db_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_dry_run_lists_pending_migrations_then_check_applies_them_and_asks_telegram(
    env: str, http_api: tuple[BotApiFake, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _api, base_url = http_api
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", base_url)
    code, out = check("--dry-run")
    assert code == PENDING
    assert "migrations: 6 pending (0001, 0002, 0003, 0004, 0005, 0006); not applied (--dry-run)" in out
    assert "patient" not in tables(env)  # nothing changed
    code, out = check()
    assert code == READY, out
    assert out.splitlines() == [
        "settings: ok (mode polling)",
        "database: reachable (sqlite)",
        "migrations: applied 0001, 0002, 0003, 0004, 0005, 0006",
        "telegram: token accepted, the bot is @b12_test_bot",
    ]
    assert {"patient", "plan", "dose", "symptom_checkin", "lab_result"} <= tables(env)
    applied = "applied 0001, 0002, 0003, 0004, 0005, 0006"
    assert check("--dry-run") == (READY, out.replace(applied, "up to date"))


def test_a_rejected_token_exits_2(
    env: str, http_api: tuple[BotApiFake, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api, base_url = http_api
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", base_url)
    api.fail_next("getMe", ApiError(401, "Unauthorized"))
    code, out = check()
    assert code == BAD_SETTINGS and "the token was rejected" in out


def test_unreachable_telegram_exits_3(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:1/bot")
    code, out = check()
    assert code == NO_TELEGRAM and "telegram: FAILED, cannot reach http://127.0.0.1:1/bot" in out


def test_unreachable_database_exits_4_without_a_password_in_the_output(
    env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot:s3cret@127.0.0.1:1/b12")
    code, out = check()
    assert code == NO_DATABASE and "database: FAILED (OperationalError)" in out
    assert "s3cret" not in out


def test_bad_settings_exit_2(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MODE", "webhook")
    code, out = check()
    assert code == BAD_SETTINGS and "BOT_MODE=webhook needs WEBHOOK_URL" in out
    assert run(["--frobnicate"], io.StringIO()) == BAD_SETTINGS


def test_without_a_token_telegram_is_not_checked(env: str) -> None:
    code, out = check()
    assert code == READY and "telegram: no BOT_TOKEN set, not checked" in out


async def test_health_follows_the_heartbeat_of_a_running_bot(
    env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, api: BotApiFake, clock: object
) -> None:
    from bot.__main__ import main
    from tests.harness import Harness

    beat = tmp_path / "heartbeat"
    monkeypatch.setenv("HEARTBEAT_FILE", str(beat))
    assert main(["health"]) == 1  # the bot has not run yet
    harness = Harness(api, env, clock, heartbeat_file=str(beat))  # type: ignore[arg-type]
    await harness.start()
    try:
        await asyncio.sleep(0.05)  # the heartbeat task's first beat
        assert beat.exists()
        assert main(["health"]) == 0
    finally:
        await harness.stop()
    old = time.time() - 600
    os.utime(beat, (old, old))  # a bot that stopped beating ten minutes ago
    assert main(["health"]) == 1
