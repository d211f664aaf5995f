"""Benchmarks at scale: the real stack with the in-process fake Telegram, rate limiter off.

    python -m bench.scale                       # SQLite, all measures
    python -m bench.scale --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python -m bench.scale --lateness-seconds 600 --skip-scale

Measures (each prints one row):
* throughput: 10,000 reminders due at the same second, delivered per second;
* flatness: 1,000 due reminders with 1,000 vs 100,000 patients in the database;
* lateness: p50/p99 of (sent - due) for 2,000 reminders spread over 10 minutes, real clock and
  real APScheduler wake-ups;
* check-in: p50/p99 of a "done left thigh" update through Application.process_update with 100,000
  patients in the database;
* start-up: time and peak resident memory of a fresh process starting with 100,000 patients and
  their 300,000 pending reminders.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text
from telegram import Update

from bench import print_table
from bench.seed import seed
from bot.app import AnyApp, build_application
from bot.config import Settings
from bot.context import Services, services_of
from storage.database import create_sync_db_engine
from storage.models import Reminder
from tests.fake_telegram import BotApiFake, FakeRequest
from tests.harness import TOKEN, message_update

# In the real clock's future, so the real scheduler's wake-ups never fire during a measured call
# (the bot's own clock is injected and moved by the benchmark).
DUE = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
FAR = DUE + timedelta(days=365)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Databases:
    """A fresh database per measure: an SQLite file, or a new PostgreSQL database."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder, self.postgres, self.count = folder, postgres, 0

    def fresh(self) -> str:
        self.count += 1
        if self.postgres is None:
            return f"sqlite+aiosqlite:///{self.folder / f'bench{self.count}.sqlite3'}"
        name = f"b12bench_{self.count}"
        admin = create_sync_db_engine(self.postgres).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                connection.execute(text(f"CREATE DATABASE {name}"))
        finally:
            admin.dispose()
        return self.postgres.rsplit("/", 1)[0] + f"/{name}"


@asynccontextmanager
async def running(url: str, clock: Clock | None = None) -> AsyncIterator[tuple[AnyApp, Services, BotApiFake]]:
    api = BotApiFake()
    settings = Settings(
        bot_token=TOKEN, database_url=url, rate_limit=False, log_level="WARNING", _env_file=None
    )  # type: ignore[call-arg]
    app = build_application(settings, request=FakeRequest(api), **({"clock": clock} if clock else {}))
    services = services_of(app)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    try:
        yield app, services, api
    finally:
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def deliver_all_at_once(url: str, due_count: int) -> float:
    """Seconds to deliver every reminder due at DUE (the scheduler paused: one measured call)."""
    clock = Clock(DUE - timedelta(hours=1))
    async with running(url, clock) as (_app, services, api):
        services.timer.scheduler.pause()
        clock.now = DUE + timedelta(seconds=1)
        t0 = time.perf_counter()
        handled = await services.reminders.deliver_due()
        elapsed = time.perf_counter() - t0
        assert handled == due_count and len(api.outbox) == due_count, (handled, len(api.outbox))
    return elapsed


async def throughput(dbs: Databases, label: str) -> list[tuple[str, str]]:
    url = dbs.fresh()
    seed(url, 10_000, lambda i: DUE)
    elapsed = await deliver_all_at_once(url, 10_000)
    return [
        (f"{label}: 10,000 reminders due at once", f"{elapsed:.2f} s = {10_000 / elapsed:,.0f} reminders/s")
    ]


async def flatness(dbs: Databases, label: str) -> list[tuple[str, str]]:
    rows = []
    for total in (1_000, 100_000):
        url = dbs.fresh()
        seed(url, total, lambda i: DUE if i < 1_000 else FAR)
        elapsed = await deliver_all_at_once(url, 1_000)
        rows.append(
            (f"{label}: 1,000 due among {total:,} patients", f"{elapsed * 1000 / 1000:.2f} ms per reminder")
        )
    return rows


async def check_in(dbs: Databases, label: str) -> list[tuple[str, str]]:
    url = dbs.fresh()
    seed(url, 100_000, lambda i: DUE)
    clock = Clock(DUE - timedelta(hours=1))
    async with running(url, clock) as (app, services, api):
        services.timer.scheduler.pause()
        clock.now = DUE + timedelta(minutes=1)
        latencies = []
        for chat_id in range(1, 100_001, 100_000 // 500):
            update = Update.de_json(message_update(chat_id, "P", "done left thigh", clock()), app.bot)
            t0 = time.perf_counter()
            await app.process_update(update)
            latencies.append((time.perf_counter() - t0) * 1000)
        assert sum("Recorded" in m.text for m in api.outbox) == len(latencies)
    q = statistics.quantiles(latencies, n=100)
    return [(f'{label}: "done left thigh", 100,000 patients', f"p50 {q[49]:.1f} ms, p99 {q[98]:.1f} ms")]


async def lateness(dbs: Databases, label: str, spread: float, count: int = 2_000) -> list[tuple[str, str]]:
    """Real clock, real APScheduler wake-ups: how late is each reminder?"""
    url = dbs.fresh()
    start = datetime.now(UTC) + timedelta(seconds=20)
    seed(url, count, lambda i: start + timedelta(seconds=spread * i / count))
    async with running(url) as (_app, services, api):
        deadline = time.monotonic() + spread + 120
        while time.monotonic() < deadline and len(api.outbox) < count:  # noqa: ASYNC110 (a poll, on purpose)
            await asyncio.sleep(0.5)
        async with services.repo.sessions() as s:
            rows = (await s.execute(
                select(Reminder.due_at, Reminder.sent_at).where(Reminder.kind == "dose_due")
            )).all()  # fmt: skip
    late = [(sent - due).total_seconds() for due, sent in rows if sent is not None]
    assert len(late) == count, f"only {len(late)} of {count} sent"
    q = statistics.quantiles(late, n=100)
    return [
        (f"{label}: lateness, {count:,} over {spread / 60:.0f} min", f"p50 {q[49]:.2f} s, p99 {q[98]:.2f} s")
    ]


def startup(dbs: Databases, label: str) -> list[tuple[str, str]]:
    url = dbs.fresh()
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    seed(url, 100_000, lambda i: soon + timedelta(minutes=i % 1440))  # a wake-up for every minute of a day
    probe = subprocess.run(
        [sys.executable, "-m", "bench.startup_probe", url], capture_output=True, text=True, check=True
    )
    lines = probe.stdout.strip().splitlines()
    result, rearm = json.loads(lines[-1]), json.loads(lines[-2])
    return [(f"{label}: start-up, 100,000 patients / 300,000 reminders",
             f"ready in {result['seconds']:.2f} s (a day of wake-ups re-armed by "
             f"{rearm['rearmed_seconds']:.1f} s), "
             f"peak RSS {result['rss_mb']:.0f} MB")]  # fmt: skip


async def main_async(args: argparse.Namespace, folder: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    targets = [("SQLite", Databases(folder, None))]
    if args.postgres:
        targets.append(("PostgreSQL", Databases(folder, args.postgres)))
    for label, dbs in targets:
        rows += await throughput(dbs, label)
        print(rows[-1], flush=True)
        if not args.skip_scale:
            rows += await flatness(dbs, label)
            rows += await check_in(dbs, label)
            rows += startup(dbs, label)
            print(rows[-1], flush=True)
        if args.lateness_seconds:
            rows += await lateness(dbs, label, args.lateness_seconds)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="also run on PostgreSQL (a server URL; databases are created)")
    parser.add_argument("--lateness-seconds", type=float, default=600, help="0 skips the lateness run")
    parser.add_argument("--skip-scale", action="store_true", help="skip the 100,000-patient measures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = asyncio.run(main_async(args, Path(folder)))
    print_table(rows)


if __name__ == "__main__":
    main()
