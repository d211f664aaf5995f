"""Replies under load (issue 14): Telegram's limits on (30 sends a second, 1 a second per chat),
updates through the real update queue.

    python -m bench.faults

* another patient's /help while one chat floods 500 messages in 10 s: p50 / p99 of the reply;
* the emergency instruction while 10,000 reminders go out at the send budget's full rate.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Update

from bench import print_table
from bench.seed import seed
from bot.app import build_application
from bot.config import Settings
from bot.context import services_of
from tests.fake_telegram import BotApiFake, FakeRequest
from tests.harness import TOKEN, message_update


async def _app(url: str, api: BotApiFake):  # type: ignore[no-untyped-def]
    settings = Settings(
        bot_token=TOKEN, database_url=url, rate_limit=True, log_level="WARNING", _env_file=None
    )  # type: ignore[call-arg]
    app = build_application(settings, request=FakeRequest(api))
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    return app


async def _stop(app) -> None:  # type: ignore[no-untyped-def]
    await app.stop()
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)


async def _reply_time(app, api: BotApiFake, chat_id: int, text: str, want: str) -> float:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    before = len(api.sent_to(chat_id))
    await app.update_queue.put(
        Update.de_json(message_update(chat_id, "Pat", text, datetime.now(UTC)), app.bot)
    )
    while not any(want in m.text for m in api.sent_to(chat_id)[before:]):
        await asyncio.sleep(0.002)
        if time.monotonic() - start > 120:
            raise TimeoutError(text)
    return time.monotonic() - start


async def flood(folder: Path) -> list[tuple[str, str]]:
    api = BotApiFake()
    app = await _app(f"sqlite+aiosqlite:///{folder / 'flood.sqlite3'}", api)
    try:

        async def flooding() -> None:
            for i in range(500):
                update = message_update(7001, "Flo", f"hello {i}", datetime.now(UTC))
                await app.update_queue.put(Update.de_json(update, app.bot))
                await asyncio.sleep(0.02)

        task = asyncio.create_task(flooding())
        await asyncio.sleep(0.5)
        times = []
        while not task.done():
            times.append(await _reply_time(app, api, 7002, "/help", "/report"))
            await asyncio.sleep(0.2)
        await task
    finally:
        await _stop(app)
    p99 = statistics.quantiles(times, n=100)[98] if len(times) > 1 else times[0]
    return [
        ("another patient's /help during a 500-message flood",
         f"p50 {statistics.median(times) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms ({len(times)} replies)"),
    ]  # fmt: skip


async def emergency_during_bulk(folder: Path) -> list[tuple[str, str]]:
    url = f"sqlite+aiosqlite:///{folder / 'bulk.sqlite3'}"
    due = datetime.now(UTC) + timedelta(seconds=3)
    seed(url, 10_000, lambda i: due, first_chat=100_000)
    api = BotApiFake()
    app = await _app(url, api)
    try:
        await services_of(app).reminders.rearmed()
        while len(api.send_times) < 100:  # noqa: ASYNC110  (the fake counts sends; nothing to await)
            await asyncio.sleep(0.05)  # bulk sending under way
        sends_before, t0 = len(api.send_times), time.monotonic()
        await asyncio.sleep(3)
        rate = (len(api.send_times) - sends_before) / (time.monotonic() - t0)
        waited = await _reply_time(app, api, 9001, "my throat is closing and my lips are swelling", "🚨")
    finally:
        await _stop(app)
    return [
        ("emergency instruction while 10,000 reminders go out",
         f"{waited * 1000:.0f} ms (reminders sending at {rate:.0f} msg/s meanwhile)"),
    ]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = asyncio.run(flood(Path(tmp)))
        rows += asyncio.run(emergency_during_bulk(Path(tmp)))
    print_table(rows)


if __name__ == "__main__":
    main()
