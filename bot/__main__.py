"""`python -m bot` (or `b12bot`): load settings, build the application, run long polling."""

from __future__ import annotations

import logging
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import BotMode, ConfigError, load_settings
from storage.migrate import SchemaAhead

log = logging.getLogger("bot")
DATABASE_PROBLEM = 4  # as `check`; the systemd unit does not restart on it
HEALTHY_WITHIN = 120.0  # seconds; the bot touches its heartbeat file every 30 s
USAGE = """usage: python -m bot [check [--dry-run] | console [--database FILE] [--files DIR]]

  (no command)  run the bot; settings come from the environment / .env
  check         validate settings, reach the database, apply pending migrations (--dry-run: only
                list them), check BOT_TOKEN with Telegram; exit 0 ready, 1 migrations pending
                (--dry-run), 2 bad settings or token, 3 Telegram unreachable, 4 database problem
  console       try the bot in this terminal, no Telegram needed (type /clock +1d to move time)
  health        exit 0 when the running bot touched HEARTBEAT_FILE in the last 2 minutes"""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in {"-h", "--help"}:
        print(USAGE)
        return 0
    if args and args[0] == "check":
        from bot.check import run

        return run(args[1:])
    if args and args[0] == "health":
        return _health(args[1:])
    if args and args[0] == "console":
        from bot.console import run as run_console

        return run_console(args[1:])
    if args:
        print(f"error: unknown command {args[0]!r}; run `python -m bot --help`", file=sys.stderr)
        return 2
    try:
        settings = load_settings()
        settings.require_token()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings)
    from bot.app import build_application  # after logging is set up

    app = build_application(settings)
    log.info("starting mode=%s", settings.bot_mode.value)
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    try:
        if settings.bot_mode is BotMode.WEBHOOK:
            assert settings.webhook_url is not None
            from bot.webhook import cap_request_bodies

            cap_request_bodies()
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
                stop_signals=stop_signals,
            )
        else:
            from bot.app import POLL_KEY

            app.bot_data[POLL_KEY] = {"allowed_updates": Update.ALL_TYPES, "drop_pending_updates": False}
            app.run_polling(
                allowed_updates=Update.ALL_TYPES, stop_signals=stop_signals, drop_pending_updates=False
            )
    except InvalidToken:
        print("error: Telegram rejected BOT_TOKEN; copy it again from @BotFather.", file=sys.stderr)
        return 2
    except NetworkError as exc:
        where = settings.telegram_base_url or "api.telegram.org"
        print(f"error: cannot reach Telegram at {where} ({type(exc).__name__}).", file=sys.stderr)
        return 3
    except SchemaAhead as exc:  # restarting cannot help: systemd's RestartPreventExitStatus=4
        print(f"error: {exc}.", file=sys.stderr)
        return DATABASE_PROBLEM
    return 0


def _health(args: list[str]) -> int:
    """`python -m bot health`: 0 when HEARTBEAT_FILE was touched in the last 2 minutes."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    if not settings.heartbeat_file:
        print("unhealthy: HEARTBEAT_FILE is not set", file=sys.stderr)
        return 1
    path = Path(settings.heartbeat_file)
    age = time.time() - path.stat().st_mtime if path.exists() else None
    if age is None or age > HEALTHY_WITHIN:
        print(f"unhealthy: no heartbeat for {'ever' if age is None else f'{age:.0f} s'}", file=sys.stderr)
        return 1
    print(f"healthy: heartbeat {age:.0f} s ago")
    return 0


if __name__ == "__main__":
    sys.exit(main())
