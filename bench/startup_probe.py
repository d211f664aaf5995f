"""Start the bot against a database and report how long start-up took and the peak memory.

python -m bench.startup_probe <database url>     (prints two JSON lines)
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time


async def probe(url: str) -> float:
    from bot.app import build_application
    from bot.config import Settings
    from bot.context import services_of
    from tests.fake_telegram import BotApiFake, FakeRequest
    from tests.harness import TOKEN

    t0 = time.perf_counter()
    settings = Settings(
        bot_token=TOKEN, database_url=url, rate_limit=False, log_level="WARNING", _env_file=None
    )  # type: ignore[call-arg]
    app = build_application(settings, request=FakeRequest(BotApiFake()))
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)  # migrations checked, overdue caught up, next minutes armed: ready
    elapsed = time.perf_counter() - t0
    services = services_of(app)
    await services.reminders.rearmed()  # the next two days' wake-ups, in the background
    rearmed = time.perf_counter() - t0
    jobs = await asyncio.get_running_loop().run_in_executor(
        services.timer.scheduler.io if hasattr(services.timer.scheduler, "io") else None,
        lambda: len(services.timer.scheduler.get_jobs()),
    )
    print(json.dumps({"rearmed_seconds": rearmed, "jobs": jobs}))
    await app.shutdown()
    assert app.post_shutdown is not None
    await app.post_shutdown(app)
    return elapsed


if __name__ == "__main__":
    seconds = asyncio.run(probe(sys.argv[1]))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss_mb}))
