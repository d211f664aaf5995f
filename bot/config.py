"""Settings from the environment and `.env` (pydantic-settings). The only place that reads them."""

from __future__ import annotations

import os
import re
from enum import StrEnum
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/b12bot.sqlite3"

# python-telegram-bot 22 is moving durations (e.g. RetryAfter.retry_after) from int seconds to
# timedelta; opting in to the future behaviour now also avoids a deprecation warning raised on
# every flood-control error. Set before telegram reads it (at the first RetryAfter).
os.environ.setdefault("PTB_TIMEDELTA", "true")


class BotMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Settings(BaseSettings):
    """Everything an operator can set; see `.env.example` for a commented copy."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr = Field(default=SecretStr(""))
    database_url: str = DEFAULT_DATABASE_URL
    telegram_base_url: str | None = None
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.TEXT
    rate_limit: bool = True
    send_rate: float = Field(default=29.5, ge=1, le=30)  # messages a second overall (Telegram: 30)
    chat_send_rate: float = Field(default=1.0, gt=0, le=3)  # messages a second in one chat (Telegram: 1)
    chat_send_burst: int = Field(default=3, ge=1, le=10)  # replies in a row before that pace applies
    re_remind_after_minutes: int = Field(default=120, ge=5, le=12 * 60)
    sweep_interval_seconds: int = Field(default=60, ge=5, le=3600)
    claim_lease_seconds: int = Field(default=120, ge=10, le=3600)
    late_after_minutes: int = Field(default=5, ge=1, le=120)
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    bot_mode: BotMode = BotMode.POLLING
    webhook_url: str | None = None  # the public https URL Telegram posts updates to
    webhook_secret: SecretStr = Field(default=SecretStr(""))
    webhook_listen: str = "127.0.0.1"  # behind the reverse proxy; a container sets 0.0.0.0
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    heartbeat_file: str | None = None  # touched every 30 s while the bot and its database work
    photo_max_mb: int = Field(default=5, ge=1, le=20)  # a photo of a reaction is kept up to this size

    @model_validator(mode="after")
    def _webhook_complete(self) -> Settings:
        if self.bot_mode is BotMode.WEBHOOK:
            secret = self.webhook_secret.get_secret_value()
            if not self.webhook_url:
                raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL")
            if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
                raise ValueError(
                    "BOT_MODE=webhook needs WEBHOOK_SECRET: 16-256 characters of A-Z, a-z, 0-9, _ or -"
                )
        return self

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _user_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.isdecimal() for p in parts):
                raise ValueError("ALLOWED_USER_IDS must be Telegram user ids separated by commas")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @field_validator("heartbeat_file")
    @classmethod
    def _heartbeat(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    @field_validator("telegram_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return value.strip() or None if value else None

    def require_token(self) -> str:
        token = self.bot_token.get_secret_value().strip()
        if not token:
            raise ConfigError(
                "BOT_TOKEN is not set. Put BOT_TOKEN=<token from @BotFather> in .env "
                "(see .env.example) or in the environment."
            )
        return token


class ConfigError(Exception):
    """A setting is missing or wrong: printed as one line, not a traceback."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"Invalid settings: {problems}") from None
