"""Composition root: build_application wires settings, database, scheduler and handlers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import BotCommand
from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest

from bot import routing, texts, watchdog
from bot.clock import utcnow
from bot.config import BotMode, Settings
from bot.context import SERVICES_KEY, BotContext, Services, services_of
from bot.leader import Leadership
from bot.ratelimit import PatientRateLimiter, SendBudget
from bot.routing.emergency import is_urgent
from bot.services.care import Care
from bot.services.care_alerts import CareAlerts
from bot.services.conversations import Conversations
from bot.services.delivery import CLAIM_BATCH, ReminderService
from bot.services.dosing import Dosing
from bot.services.monitoring import Monitor
from bot.services.patients import Patients
from bot.services.photos import Photos
from bot.services.pictures import Pictures
from bot.services.safety import Safety
from bot.services.timer import ReminderTimer
from bot.updates import ChatQueues
from storage.database import (
    create_async_db_engine,
    create_sync_db_engine,
    jobstore_url,
    session_factory,
)
from storage.migrate import upgrade
from storage.repositories import Repositories

log = logging.getLogger(__name__)
AnyApp = Application[Any, Any, Any, Any, Any, Any]


def claim_batch(settings: Settings) -> int:
    """Reminders claimed at a time: no more than half a lease's worth of sending at Telegram's pace
    (a claim must not run out while it waits its turn to be sent)."""
    if not settings.rate_limit:
        return CLAIM_BATCH
    return max(1, min(CLAIM_BATCH, int(settings.send_rate * settings.claim_lease_seconds / 2)))


def build_application(
    settings: Settings,
    request: BaseRequest | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> AnyApp:
    """The whole bot, ready for run_polling/run_webhook (or for tests to drive).

    `request` replaces the HTTP layer (tests pass an in-process fake Telegram).
    """
    builder = (
        Application.builder()
        .token(settings.require_token())
        .context_types(ContextTypes(context=BotContext))
        .job_queue(None)
        .post_init(_on_startup)
        .post_shutdown(_on_shutdown)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
        if settings.telegram_base_url.endswith("/bot"):  # its photos download from the same server
            builder = builder.base_file_url(settings.telegram_base_url.removesuffix("/bot") + "/file/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    queues = ChatQueues()
    builder = builder.concurrent_updates(queues)
    # always a limiter (reminder sends name their lane); RATE_LIMIT=false lets everything through
    limiter = PatientRateLimiter(
        max_retries=3,
        budget=SendBudget(settings.send_rate),
        limited=settings.rate_limit,
        chat_rate=settings.chat_send_rate,
        chat_burst=settings.chat_send_burst,
    )
    builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]  # PTB's generic is too narrow
    app: AnyApp = builder.build()

    engine = create_async_db_engine(settings.database_url)
    sync_engine = create_sync_db_engine(jobstore_url(settings.database_url))
    repo = Repositories.connect(session_factory(engine))
    timer = ReminderTimer(sync_engine, settings.sweep_interval_seconds)
    dosing = Dosing(repo, timer, clock, timedelta(minutes=settings.re_remind_after_minutes))
    safety = Safety(repo, timer, clock)
    monitor = Monitor(repo, timer, clock)
    reminders = ReminderService(
        repo,
        dosing,
        timer,
        safety,
        monitor,
        app.bot,
        clock,
        lease=timedelta(seconds=settings.claim_lease_seconds),
        late_after=timedelta(minutes=settings.late_after_minutes),
        allowed=settings.allowed_user_ids,
        claim_batch=claim_batch(settings),
    )
    polling = settings.bot_mode is BotMode.POLLING and request is None  # tests drive updates directly

    async def gained() -> None:
        await reminders.lead()
        started = app.bot_data.get(STARTED_KEY) and app.bot_data.get(POLL_KEY)
        if polling and started and app.updater is not None and not app.updater.running:
            await app.updater.start_polling(**app.bot_data[POLL_KEY])  # a standby that now leads

    async def lost() -> None:
        await reminders.follow()
        if polling and app.updater is not None and app.updater.running:
            await app.updater.stop()  # a second poller would only get 409 Conflict

    leadership = Leadership(settings.database_url, gained, lost)
    reminders.fence = leadership
    patients = Patients(repo, dosing, monitor, timer, clock)
    conversations = Conversations(repo.drafts, clock)
    photos = Photos(repo, clock, settings.photo_max_mb * 1024 * 1024)
    pictures = Pictures(dosing, monitor, safety, clock, photos)
    care_alerts = CareAlerts(repo, timer, clock, app.bot, allowed=settings.allowed_user_ids)
    safety.care = patients.care = reminders.care = care_alerts  # the decisions caregivers hear about
    app.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        engine=engine,
        sync_engine=sync_engine,
        repo=repo,
        timer=timer,
        patients=patients,
        conversations=conversations,
        pictures=pictures,
        dosing=dosing,
        safety=safety,
        monitor=monitor,
        reminders=reminders,
        leadership=leadership,
        clock=clock,
        care=Care(repo, care_alerts, clock),
        care_alerts=care_alerts,
        photos=photos,
    )
    routing.register(app)
    queues.urgent = is_urgent
    queues.on_flood = lambda chat_id: _flood_notice(app, chat_id)
    return app


async def _flood_notice(app: AnyApp, chat_id: int) -> None:
    await app.bot.send_message(chat_id, texts.FLOOD)


async def _on_startup(app: AnyApp) -> None:
    """Migrate the database, set the command menu, start the reminder timer, catch up."""
    services = services_of(app)
    await asyncio.to_thread(upgrade, services.settings.database_url)
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in texts.COMMANDS])
    services.reminders.activate()
    await services.leadership.start()  # the leader resumes the timer and catches up
    if services.settings.heartbeat_file:
        app.bot_data[HEARTBEAT_KEY] = asyncio.create_task(_heartbeat(services), name="b12bot-heartbeat")
    if (every := watchdog.interval()) is not None:
        app.bot_data[WATCHDOG_KEY] = asyncio.create_task(watchdog.keep_alive(every), name="b12bot-watchdog")
    watchdog.notify("READY=1")
    log.info("started leader=%s", services.leadership.leader)
    if services.settings.bot_mode is BotMode.POLLING and app.bot_data.get(POLL_KEY) is not None:
        # Telegram gives updates to one poller only: a standby waits here, not polling, until
        # it leads (the leadership loop keeps trying); run_polling starts polling after this.
        await services.leadership.leading.wait()
    app.bot_data[STARTED_KEY] = True


HEARTBEAT_KEY, WATCHDOG_KEY = "heartbeat", "watchdog"
STARTED_KEY = "started"
POLL_KEY = "polling"  # run_polling's arguments (set by __main__), to poll again after a takeover
HEARTBEAT_EVERY = 30.0


async def _heartbeat(services: Services) -> None:
    """Touch HEARTBEAT_FILE while the database answers (for a container health check)."""
    path = Path(services.settings.heartbeat_file or "")
    while True:
        try:
            await services.repo.ping()
            await asyncio.to_thread(path.write_text, services.clock().isoformat())
        except Exception as exc:  # the database is down: the file goes stale, the check fails
            log.warning("heartbeat failed error=%s", type(exc).__name__)
        await asyncio.sleep(HEARTBEAT_EVERY)


async def _on_shutdown(app: AnyApp) -> None:
    """Let a delivery in progress finish, stop the scheduler, close the database."""
    services = services_of(app)
    watchdog.notify("STOPPING=1")
    for key in (HEARTBEAT_KEY, WATCHDOG_KEY):
        if (task := app.bot_data.pop(key, None)) is not None:
            task.cancel()
    await services.leadership.stop()
    await services.reminders.stop()
    await services.engine.dispose()
    services.sync_engine.dispose()
    log.info("stopped")
