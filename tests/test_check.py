"""`python -m bot check`: settings, database, migrations and token, with exit codes to act on."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
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
    pending = "migrations: 9 pending (0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, 0009)"
    assert f"{pending}; not applied (--dry-run)" in out
    assert "patient" not in tables(env)  # nothing changed
    code, out = check()
    assert code == READY, out
    assert out.splitlines() == [
        "settings: ok (mode polling)",
        "database: reachable (sqlite)",
        "migrations: applied 0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, 0009",
        "telegram: token accepted, the bot is @b12_test_bot",
    ]
    assert {"patient", "plan", "dose", "symptom_checkin", "lab_result"} <= tables(env)
    applied = "applied 0001, 0002, 0003, 0004, 0005, 0006, 0007, 0008, 0009"
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
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    code, out = check()
    assert code == NO_DATABASE and "database: FAILED (OperationalError)" in out
    assert "s3cret" not in out


def test_bad_settings_exit_2(env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MODE", "webhook")
    code, out = check()
    assert code == BAD_SETTINGS and "BOT_MODE=webhook needs WEBHOOK_URL" in out
    assert run(["--frobnicate"], io.StringIO()) == BAD_SETTINGS


def test_without_a_token_check_fails_so_no_deploy_passes(env: str) -> None:
    code, out = check()  # 12.14: it used to say "settings: ok" and exit 0, then the bot exited 2
    assert code == BAD_SETTINGS
    assert out.startswith("settings: FAILED, BOT_TOKEN is not set")
    assert not Path(env.split("///")[1]).exists()  # stopped before touching the database


def test_a_dry_run_writes_nothing_not_even_an_empty_database_file(
    env: str, http_api: tuple[BotApiFake, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", http_api[1])
    code, out = check("--dry-run")  # 12.15
    assert code == PENDING
    assert "database: not created yet (sqlite" in out and "9 pending" in out
    assert not Path(env.split("///")[1]).exists()


def test_a_bot_that_cannot_reach_telegram_says_one_clear_line(tmp_path: Path) -> None:
    env = {
        **os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "http://127.0.0.1:1/bot",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'b.sqlite3'}", "LOG_LEVEL": "INFO",
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3  # 12.16: no traceback, the clear line last
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) <= 5, result.stderr
    assert (
        result.stderr.splitlines()[-1]
        == "error: cannot reach Telegram at http://127.0.0.1:1/bot (NetworkError)."
    )


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


def _from_the_future(url: str) -> None:
    """A database a newer b12bot migrated (then the operator rolled the code back)."""
    from sqlalchemy import text

    from storage.migrate import upgrade

    upgrade(url)
    engine = create_sync_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()


def test_a_database_from_a_newer_version_is_refused_with_one_line_and_exit_4(
    env: str, http_api: tuple[BotApiFake, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14.8: no alembic traceback and exit 1 (which systemd restarts in a loop): one line,
    exit 4, which the unit's RestartPreventExitStatus=4 does not restart."""
    _api, base_url = http_api
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", base_url)
    _from_the_future(env)
    code, out = check("--dry-run")
    assert code == NO_DATABASE and "0099_from_the_future" in out and "newer version" in out, out
    environment = {
        **os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url, "DATABASE_URL": env,
        "LOG_LEVEL": "INFO",
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("error: the database is at schema revision 0099_from_the_future"), last
    unit = (Path(__file__).parents[1] / "deploy" / "b12bot.service").read_text()
    assert "RestartPreventExitStatus=4" in unit
    engine = create_sync_db_engine(env)  # and it was left as it was
    with engine.connect() as connection:
        from sqlalchemy import text

        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0099_from_the_future"
        )
    engine.dispose()
