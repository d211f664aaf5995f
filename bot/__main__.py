"""`python -m bot` (or `b12bot`): load settings, build the application, run long polling."""

from __future__ import annotations

import logging
import signal
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot import logs
from bot.config import BotMode, ConfigError, load_settings

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in {"-h", "--help"}:
        print("usage: python -m bot    (runs the bot; settings come from the environment / .env)")
        return 0
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
