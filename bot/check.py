"""`python -m bot check [--dry-run]`: is this deployment ready to run?

Validates the settings, reaches the database, applies pending migrations (or, with --dry-run,
only lists them), and with a BOT_TOKEN asks Telegram's getMe. One line per check; the exit code
tells a supervisor or a deploy script what to do:

    0  ready
    1  --dry-run: migrations are pending (nothing was changed)
    2  settings are wrong, or Telegram rejected the token
    3  Telegram cannot be reached
    4  the database cannot be reached, or a migration failed
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, Settings, load_settings
from storage.database import create_sync_db_engine, sqlite_file
from storage.migrate import SchemaAhead, all_revisions, pending, upgrade

READY, PENDING, BAD_SETTINGS, NO_TELEGRAM, NO_DATABASE = 0, 1, 2, 3, 4


def _database(settings: Settings, dry_run: bool, out: TextIO) -> int:
    file = sqlite_file(settings.database_url)
    if dry_run and file is not None and not file.exists():  # a dry run writes nothing, not even a file
        todo = all_revisions()
        print(f"database: not created yet (sqlite, {file}); it is created on the first start", file=out)
        print(f"migrations: {len(todo)} pending ({', '.join(todo)}); not applied (--dry-run)", file=out)
        return PENDING
    engine = create_sync_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        print(f"database: reachable ({engine.url.get_backend_name()})", file=out)
        todo = pending(settings.database_url)
        if dry_run:
            if todo:
                print(
                    f"migrations: {len(todo)} pending ({', '.join(todo)}); not applied (--dry-run)", file=out
                )
                return PENDING
            print("migrations: up to date", file=out)
            return READY
        upgrade(settings.database_url)
        print(f"migrations: applied {', '.join(todo)}" if todo else "migrations: up to date", file=out)
        return READY
    except SchemaAhead as exc:
        print(f"database: FAILED, {exc}", file=out)
        return NO_DATABASE
    except SQLAlchemyError as exc:
        print(f"database: FAILED ({type(exc).__name__}) at {engine.url}", file=out)
        return NO_DATABASE
    finally:
        engine.dispose()


async def _telegram(settings: Settings, out: TextIO) -> int:
    token = settings.bot_token.get_secret_value().strip()
    base = f"{settings.telegram_base_url}" if settings.telegram_base_url else None
    bot = Bot(token, base_url=base) if base else Bot(token)
    try:
        async with bot:
            me = await bot.get_me()
    except InvalidToken:
        print("telegram: FAILED, the token was rejected; copy it again from @BotFather", file=out)
        return BAD_SETTINGS
    except NetworkError as exc:
        print(f"telegram: FAILED, cannot reach {base or 'api.telegram.org'} ({type(exc).__name__})", file=out)
        return NO_TELEGRAM
    print(f"telegram: token accepted, the bot is @{me.username}", file=out)
    return READY


def run(args: list[str], out: TextIO = sys.stdout) -> int:
    unknown = [a for a in args if a != "--dry-run"]
    if unknown:
        print(
            f"error: unknown option {unknown[0]!r}; usage: python -m bot check [--dry-run]", file=sys.stderr
        )
        return BAD_SETTINGS
    try:
        settings = load_settings()
        settings.require_token()  # the bot cannot start without one: nor can a deploy pass
    except ConfigError as exc:
        print(f"settings: FAILED, {exc}", file=out)
        return BAD_SETTINGS
    print(f"settings: ok (mode {settings.bot_mode.value})", file=out)
    result = _database(settings, "--dry-run" in args, out)
    if result not in (READY, PENDING):
        return result
    telegram = asyncio.run(_telegram(settings, out))
    return telegram if telegram != READY else result
