"""Logging: ids and event names only; never message text, names, sites or symptoms."""

from __future__ import annotations

import json
import logging
import re
import sys

from bot.config import LogFormat, Settings


class RedactToken(logging.Filter):
    """Belt and braces: the bot token never reaches a log line, whatever logged it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


class LibraryTracebacks(logging.Filter):
    """A library's error (python-telegram-bot retrying a network call, say) is one line with the
    exception's type; its traceback only at DEBUG. Our own code logs what it needs by id."""

    def __init__(self, debug: bool) -> None:
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.debug and record.exc_info and not record.name.startswith("bot"):
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__})"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


class LibraryArguments(logging.Filter):
    """A library's log line keeps its wording but not its arguments: python-telegram-bot logs an
    update it cannot read with the whole update (the patient's words) at CRITICAL, and a driver's
    error can quote the statement's parameters. Our own loggers ("bot") log ids only."""

    TRUSTED = ("bot", "apscheduler", "alembic")  # these never see what a patient wrote
    PLACEHOLDER = re.compile(r"%(\([^)]*\))?[-#0 +]*(\d+|\*)?(\.(\d+|\*))?[diouxXeEfFgGcrsa]")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and not record.name.startswith(self.TRUSTED):
            record.msg = self.PLACEHOLDER.sub("<hidden>", str(record.msg)).replace("%%", "%")
            record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
        return json.dumps(entry)


def configure(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactToken(settings.bot_token.get_secret_value()))
    handler.addFilter(LibraryArguments())
    handler.addFilter(LibraryTracebacks(debug=logging.getLevelName(settings.log_level) == logging.DEBUG))
    if settings.log_format is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL, and Bot API URLs contain the token; PTB at DEBUG logs whole
    # updates, and SQLAlchemy at INFO logs SQL parameters (patients' words). Keep them to warnings.
    for noisy in (
        "httpx",
        "httpcore",
        "telegram",
        "apscheduler.executors",
        "aiosqlite",
        "alembic",
        "sqlalchemy",
        "asyncpg",
        "psycopg",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
