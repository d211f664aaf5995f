"""Webhook mode's HTTP server, held small: Telegram's updates are a few kilobytes, so a body over
MAX_UPDATE_BYTES is refused by tornado while it reads the headers, before anything is buffered
(python-telegram-bot's server otherwise accepts tornado's default of 100 MB, before it checks the
secret token)."""

from __future__ import annotations

import functools

from tornado.httpserver import HTTPServer

MAX_UPDATE_BYTES = 1024 * 1024


def cap_request_bodies(limit: int = MAX_UPDATE_BYTES) -> None:
    """Make python-telegram-bot's webhook server refuse bodies over `limit` bytes."""
    from telegram.ext._utils import webhookhandler  # PTB builds its tornado server there

    webhookhandler.HTTPServer = functools.partial(  # type: ignore[attr-defined,assignment]
        HTTPServer, max_body_size=limit, max_buffer_size=limit
    )
