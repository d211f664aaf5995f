"""Every figure the benchmark measures, one function each. A function makes one run and returns its
numbers by name (milliseconds, seconds, messages a second, counts); `bench/__main__.py` repeats it
and reports min / median / max.

The real stack throughout: `build_application` (Application, services, repositories, APScheduler),
real `Update` objects through `Application.process_update`, a real SQLite file or PostgreSQL
database, an in-process fake Telegram (`tests/fake_telegram.py`, or `bench/telegram_limits.py`
where Telegram's limits matter).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from telegram import Update
from telegram.request import BaseRequest

from bench.seed import seed
from bench.telegram_limits import LimitedBotApi, LimitedRequest
from bot.app import AnyApp, build_application
from bot.config import Settings
from bot.context import Services, services_of
from storage.database import create_sync_db_engine, jobstore_url
from storage.models import Reminder
from tests.fake_telegram import BotApiFake, FakeRequest
from tests.harness import TOKEN, message_update

Numbers = dict[str, float]
DONE_WORDS = (
    "done left thigh",
    "done l thigh",
    "Done thigh left",
    "done left thigh, all good",
    "done lt thigh",
)


class Clock:
    """The bot's clock, moved by the benchmark (the real scheduler keeps the real one)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def due_tomorrow() -> datetime:
    """A due time in the real clock's future, so no real wake-up fires during a measured call."""
    return (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)


class Databases:
    """A fresh database per use: an SQLite file in `folder`, or a new PostgreSQL database."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder, self.postgres, self.count = folder, postgres, 0

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    def fresh(self, name: str) -> str:
        self.count += 1
        if self.postgres is None:
            return f"sqlite+aiosqlite:///{self.folder / f'{name}{self.count}.sqlite3'}"
        database = f"b12bench_{name}_{self.count}"
        admin = create_sync_db_engine(self.postgres).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                connection.execute(text(f"CREATE DATABASE {database}"))
        finally:
            admin.dispose()
        return self.postgres.rsplit("/", 1)[0] + f"/{database}"

    def drop_all(self) -> None:
        """Drop the PostgreSQL databases this benchmark made."""
        if self.postgres is None:
            return
        admin = create_sync_db_engine(self.postgres).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                names = connection.execute(
                    text("SELECT datname FROM pg_database WHERE datname LIKE 'b12bench_%'")
                )
                for (name,) in list(names):
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        finally:
            admin.dispose()


def settings_for(url: str, rate_limit: bool) -> Settings:
    return Settings(
        bot_token=TOKEN, database_url=url, rate_limit=rate_limit, log_level="WARNING", _env_file=None
    )  # type: ignore[call-arg]


@asynccontextmanager
async def running(
    url: str,
    *,
    clock: Clock | None = None,
    request: BaseRequest | None = None,
    rate_limit: bool = False,
    start: bool = False,
) -> AsyncIterator[tuple[AnyApp, Services]]:
    """The bot as `run_polling` would run it, minus the polling (updates are handed in)."""
    api_request = request or FakeRequest(BotApiFake())
    app = build_application(
        settings_for(url, rate_limit), request=api_request, **({"clock": clock} if clock else {})
    )
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    if start:
        await app.start()
    try:
        yield app, services_of(app)
    finally:
        if start:
            await app.stop()
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


def _api(app: AnyApp) -> BotApiFake:
    request = app.bot.request
    api = getattr(request, "api", None)
    assert isinstance(api, BotApiFake)
    return api


# --- a "done" through the whole stack ---------------------------------------------------------------


class DonePath:
    """100,000 patients, each with a dose due; a "done left thigh" (in a few spellings) from
    patients spread over the whole table, through `Application.process_update`. Triage's cache is
    cleared before each, so every message is read afresh as a new patient's would be."""

    PATIENTS, SAMPLE, WARM_UP = 100_000, 500, 20

    def __init__(self, dbs: Databases, patients: int = PATIENTS) -> None:
        self.dbs, self.patients, self.url, self.due = dbs, patients, "", due_tomorrow()
        self.run_index = 0

    def prepare(self) -> None:
        self.url = self.dbs.fresh("done")
        seed(self.url, self.patients, lambda i: self.due)

    async def run(self) -> Numbers:
        from bot.domain import triage

        clear = getattr(triage.assess, "cache_clear", lambda: None)
        clock = Clock(self.due - timedelta(hours=1))
        step = self.patients // (self.SAMPLE + self.WARM_UP)
        chats = [1 + self.run_index + k * step for k in range(self.SAMPLE + self.WARM_UP)]
        self.run_index += 1  # the next run's patients are others
        async with running(self.url, clock=clock) as (app, services):
            services.timer.scheduler.pause()
            clock.now = self.due + timedelta(minutes=1)
            latencies = []
            for k, chat_id in enumerate(chats):
                words = DONE_WORDS[k % len(DONE_WORDS)]
                update = Update.de_json(message_update(chat_id, "P", words, clock()), app.bot)
                clear()
                t0 = time.perf_counter()
                await app.process_update(update)
                if k >= self.WARM_UP:
                    latencies.append((time.perf_counter() - t0) * 1000)
            recorded = sum("Recorded" in m.text for m in _api(app).outbox)
            assert recorded == len(chats), f"{recorded} of {len(chats)} recorded"
        q = statistics.quantiles(latencies, n=100)
        return {"p50_ms": q[49], "p99_ms": q[98]}


# --- reminders due at once, the bot's own capacity ---------------------------------------------------


async def throughput(dbs: Databases, count: int = 10_000) -> Numbers:
    """`count` reminders due at the same second, Telegram answering at once (no limits): how many
    the bot claims, composes, sends and records a second."""
    url = dbs.fresh("throughput")
    due = due_tomorrow()
    seed(url, count, lambda i: due)
    clock = Clock(due - timedelta(hours=1))
    async with running(url, clock=clock) as (app, services):
        services.timer.scheduler.pause()
        clock.now = due + timedelta(seconds=1)
        t0 = time.perf_counter()
        handled = await services.reminders.deliver_due()
        elapsed = time.perf_counter() - t0
        sent = len(_api(app).outbox)
        assert handled == count and sent == count, (handled, sent)
    return {"per_second": count / elapsed}


# --- Telegram's limits ------------------------------------------------------------------------------


async def telegram_limits(dbs: Databases, count: int) -> Numbers:
    """`count` patients due in the same second, Telegram's limits enforced (`telegram_limits.py`),
    the real clock and real wake-ups: sustained messages a second, 429s, lost and duplicated."""
    url = dbs.fresh("limits")
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    seed(url, count, lambda i: due, first_chat=100_000)
    api = LimitedBotApi()
    async with running(url, request=LimitedRequest(api), rate_limit=True, start=True) as (_app, services):
        deadline = time.monotonic() + 30 + count / 10
        while time.monotonic() < deadline:
            async with services.repo.sessions() as s:
                left = await s.scalar(
                    select(Reminder.id).where(Reminder.kind == "dose_due", Reminder.state != "sent").limit(1)
                )
            if left is None:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1)  # anything still in flight
    got = Counter(chat for _, chat in api.accepted)
    wanted = range(100_000, 100_000 + count)
    return {
        "msg_per_s": api.sustained_rate(),
        "refused_429": float(len(api.refused)),
        "lost": float(sum(1 for chat in wanted if got[chat] == 0)),
        "duplicated": float(sum(n - 1 for chat, n in got.items() if n > 1)),
    }


# --- start-up --------------------------------------------------------------------------------------


class StartUp:
    """A fresh process starting on 100,000 patients with 300,000 pending reminders (a due time in
    every minute of the next day): seconds until it is ready (answering, overdue delivered, the
    next minutes armed), until every wake-up of the next two days is in the job store, and the
    process's peak memory. The job store is emptied before each run, as after a lost job store."""

    PATIENTS = 100_000

    def __init__(self, dbs: Databases) -> None:
        self.dbs, self.url = dbs, ""

    def prepare(self) -> None:
        self.url = self.dbs.fresh("startup")
        soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
        seed(self.url, self.PATIENTS, lambda i: soon + timedelta(minutes=i % 1440))

    def run(self) -> Numbers:
        engine = create_sync_db_engine(jobstore_url(self.url))
        try:
            with engine.begin() as connection, suppress(Exception):
                connection.execute(text("DELETE FROM apscheduler_jobs"))
        finally:
            engine.dispose()
        probe = subprocess.run(
            [sys.executable, "-m", "bench.startup_probe", self.url],
            capture_output=True,
            text=True,
            check=True,
        )
        lines = probe.stdout.strip().splitlines()
        result, rearm = json.loads(lines[-1]), json.loads(lines[-2])
        return {
            "ready_s": result["seconds"],
            "rearmed_s": rearm["rearmed_seconds"],
            "rss_mb": result["rss_mb"],
            "wake_ups": float(rearm.get("jobs", 0)),
        }


# --- lateness on the real clock ---------------------------------------------------------------------


async def lateness(dbs: Databases, count: int = 1_000, spread: float = 60.0) -> Numbers:
    """Real clock, real APScheduler wake-ups: how late is each of `count` reminders spread over
    `spread` seconds (due on whole seconds, as real ones are on whole minutes)."""
    url = dbs.fresh("lateness")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=15)
    seed(url, count, lambda i: start + timedelta(seconds=int(spread * i / count)))
    async with running(url) as (app, services):
        deadline = time.monotonic() + spread + 120
        while time.monotonic() < deadline and len(_api(app).outbox) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        async with services.repo.sessions() as s:
            rows = (await s.execute(
                select(Reminder.due_at, Reminder.sent_at).where(Reminder.kind == "dose_due")
            )).all()  # fmt: skip
    late = [(sent - due).total_seconds() for due, sent in rows if sent is not None]
    assert len(late) == count, f"only {len(late)} of {count} sent"
    q = statistics.quantiles(late, n=100)
    return {"p50_s": q[49], "p99_s": q[98]}


# --- replies under load -----------------------------------------------------------------------------


async def _reply_time(app: AnyApp, api: BotApiFake, chat_id: int, words: str, want: str) -> float:
    start = time.monotonic()
    before = len(api.sent_to(chat_id))
    await app.update_queue.put(
        Update.de_json(message_update(chat_id, "Pat", words, datetime.now(UTC)), app.bot)
    )
    while not any(want in m.text for m in api.sent_to(chat_id)[before:]):
        await asyncio.sleep(0.002)
        if time.monotonic() - start > 120:
            raise TimeoutError(words)
    return time.monotonic() - start


async def flood(dbs: Databases) -> Numbers:
    """Another patient's /help, every 1.2 s as a person types, while one chat floods 500 messages
    in 10 s (rate limiter on)."""
    url = dbs.fresh("flood")
    async with running(url, rate_limit=True, start=True) as (app, _services):
        api = _api(app)

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
            await asyncio.sleep(1.2)
        await task
    q = statistics.quantiles(times, n=100)
    return {"p50_ms": statistics.median(times) * 1000, "p99_ms": q[98] * 1000}


async def emergency_during_bulk(dbs: Databases) -> Numbers:
    """The emergency instruction to one patient while 10,000 reminders go out (rate limiter on)."""
    url = dbs.fresh("bulk")
    due = datetime.now(UTC) + timedelta(seconds=3)
    seed(url, 10_000, lambda i: due, first_chat=100_000)
    async with running(url, rate_limit=True, start=True) as (app, services):
        api = _api(app)
        await services.reminders.rearmed()
        while len(api.send_times) < 100:  # noqa: ASYNC110  (the fake counts sends; nothing to await)
            await asyncio.sleep(0.05)
        sends_before, t0 = len(api.send_times), time.monotonic()
        await asyncio.sleep(3)
        rate = (len(api.send_times) - sends_before) / (time.monotonic() - t0)
        waited = await _reply_time(app, api, 9001, "my throat is closing and my lips are swelling", "🚨")
    return {"emergency_ms": waited * 1000, "bulk_msg_per_s": rate}


# --- pictures ---------------------------------------------------------------------------------------


def pictures() -> Numbers:
    """/chart and the clinician PDF for a four-phase plan at 3 months, drawn once each."""
    from bot import texts
    from bot.charts import Summary, progress_chart, summary_pdf
    from tests.test_charts import four_phases

    data = four_phases(3)
    progress_chart(data)  # fonts loaded, as in a running bot
    t0 = time.perf_counter()
    progress_chart(data)
    chart = time.perf_counter() - t0
    tiredness = texts.summary_symptom("Tiredness", "severe", "none", date(2026, 1, 5), date(2026, 3, 1), 9)
    summary = Summary(
        title="B12 injections: summary for Dr Rivera", generated="bench", plan_lines=["Product: X"] * 8,
        adherence=["Phase 1: 6 of 7 given"] * 4, rotation=["Abdomen left: 4 injections"] * 4,
        reactions=["09 Jan 2026: redness at Thigh left – watching; closed"] * 3,
        symptoms=[tiredness], labs=["Vitamin B12: 150 pg/mL → 820 pg/mL"], chart=data,
    )  # fmt: skip
    t0 = time.perf_counter()
    summary_pdf(summary)
    return {"chart_ms": chart * 1000, "pdf_ms": (time.perf_counter() - t0) * 1000}


Figure = Callable[..., Any]
