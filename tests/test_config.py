"""Settings: a missing token is one clear line, not a traceback; every setting is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: BOT_TOKEN is not set.")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing created before settings are valid


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="1:x", LOG_LEVEL="LOUD")
    assert result.returncode == 2
    assert "LOG_LEVEL" in result.stderr and "Traceback" not in result.stderr


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        line = re.search(rf"^#? ?{name.upper()}=.*$", example, re.MULTILINE)
        assert line, f"{name.upper()} missing from .env.example"
        before = example[: line.start()].rstrip().splitlines()[-1]
        assert before.startswith("#"), f"{name.upper()} has no comment above it"


def test_default_database_is_a_local_sqlite_file() -> None:
    assert Settings(bot_token="1:x", _env_file=None).database_url.startswith("sqlite+aiosqlite:///./data/")


def test_unreachable_telegram_is_one_clear_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="1:x", TELEGRAM_BASE_URL="http://127.0.0.1:9/bot")
    assert result.returncode == 3
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == "error: cannot reach Telegram at http://127.0.0.1:9/bot (NetworkError)."
