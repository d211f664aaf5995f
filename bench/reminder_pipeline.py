"""Benchmark: the real stack (Application, repository, scheduler, delivery) with the in-process
fake Telegram and an injected clock; the rate limiter is off so the figure is the bot's own capacity.

    python -m bench.reminder_pipeline --patients 2000 [--database-url postgresql+asyncpg://...]

Prints a table: time to set up N plans, reminders delivered per second when all N fall due at
once, and p50/p99 of a "done left thigh" update through Application.process_update.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

from telegram import Update

from bench import print_table
from bot.app import build_application
from bot.config import Settings
from bot.context import services_of
from bot.domain.plan import EXAMPLE_SCHEDULES, Plan, Product, Route
from bot.domain.rotation import DEFAULT_SITES
from tests.fake_telegram import BotApiFake, FakeRequest
from tests.harness import TOKEN, message_update

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def plan() -> Plan:
    return Plan(
        product=Product.CYANOCOBALAMIN, strength="1000 mcg/mL", dose="1 mL", route=Route.SUBCUTANEOUS,
        phases=EXAMPLE_SCHEDULES["loading_monthly"], time_of_day=clock_time(8, 0), timezone="UTC",
        sites=DEFAULT_SITES, clinician_name="Dr A", clinician_contact="x", start_date=date(2026, 3, 3),
    )  # fmt: skip


async def run(patients: int, database_url: str) -> list[tuple[str, str]]:
    clock = Clock(START)
    api = BotApiFake()
    settings = Settings(bot_token=TOKEN, database_url=database_url, rate_limit=False)
    app = build_application(settings, request=FakeRequest(api), clock=clock)
    services = services_of(app)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    # the wake-ups are real APScheduler jobs on the real clock; pause it so the measured call
    # below does all the delivery work
    services.timer.scheduler.pause()
    rows: list[tuple[str, str]] = []
    try:
        t0 = time.perf_counter()
        for chat_id in range(1, patients + 1):
            patient_id = await services.repo.patients.ensure_patient(chat_id, clock())
            await services.dosing.start_plan(patient_id, plan())
        setup = time.perf_counter() - t0
        rows.append((f"set up {patients} plans", f"{setup:.1f} s ({setup / patients * 1000:.2f} ms each)"))

        clock.now = datetime(2026, 3, 3, 8, 0, 1, tzinfo=UTC)
        t0 = time.perf_counter()
        handled = await services.reminders.deliver_due()
        elapsed = time.perf_counter() - t0
        sent = len(api.outbox)
        assert handled == patients and sent == patients, (handled, sent)
        rows.append(
            (f"deliver {patients} due at once", f"{elapsed:.2f} s = {patients / elapsed:.0f} reminders/s")
        )

        latencies = []
        sample = min(patients, 300)
        for chat_id in range(1, sample + 1):
            update = Update.de_json(message_update(chat_id, "P", "done left thigh", clock()), app.bot)
            t0 = time.perf_counter()
            await app.process_update(update)
            latencies.append((time.perf_counter() - t0) * 1000)
        assert sum("Recorded" in m.text for m in api.outbox) == sample
        q = statistics.quantiles(latencies, n=100)
        rows.append((f'"done left thigh" ({sample} patients)', f"p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms"))
    finally:
        await services.reminders.stop()
        await services.engine.dispose()
        services.sync_engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        rows = asyncio.run(run(args.patients, url))
    print_table(rows)


if __name__ == "__main__":
    main()
