"""Reminder delivery: the reminder table is the truth, APScheduler (`timer.py`) the timer.

* Every reminder row has a due time; a wake-up per due second delivers every row that is due.
* Delivery claims rows (pending -> claimed, with a lease), sends, then marks them sent. A claim
  whose process died is taken again after its lease runs out: at-least-once, never lost.
* A sweep at start-up and every minute delivers anything still pending after its due time (a job
  APScheduler dropped or never had) and re-arms missing wake-ups for the next few minutes.
* Several reminders for one patient due at once (after downtime) become one message.
* This module claims and sends; `due.py` applies a claimed reminder's effects (a missed dose,
  the end of a pause) and picks its message; `composer.py` words the messages.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.domain.records import ClaimedReminder
from bot.domain.rotation import suggest_site
from bot.domain.status import (
    DOSE_REMINDERS,
    ReminderKind,
    ReminderState,
)
from bot.ratelimit import BULK, retry_after_seconds
from bot.services import composer
from bot.services.care_alerts import CareAlerts
from bot.services.composer import Message
from bot.services.dosing import Dosing
from bot.services.due import DueEffects
from bot.services.monitoring import Monitor
from bot.services.safety import Safety
from bot.services.sending import SentMarker, send_text
from bot.services.timer import ReminderTimer, job_id
from storage.repositories import Repositories

log = logging.getLogger(__name__)

# Reminders claimed at a time: the more, the fewer round trips (2,000 at once: 3,000 a second, 500:
# 2,500). While Telegram's pace holds sending back, no more than half a lease's worth of sending.
CLAIM_BATCH = 2000
PARALLEL_PATIENTS = 32
REARM_WINDOW = timedelta(minutes=10)
# At start-up, wake-ups the job store lost are re-made for the next two days, in the background:
# each is one job-store write (about 6 ms on PostgreSQL; a day of distinct minutes is 9 s), and
# the minute sweep arms anything due within 10 minutes meanwhile.
STARTUP_REARM = timedelta(days=2)
MAX_BACKOFF = timedelta(minutes=15)
KEEP_UPDATE_IDS = timedelta(days=2)  # Telegram retries a webhook delivery for far less


@dataclass(frozen=True)
class Batch:
    """Claimed reminders: the plain dose-due messages composed, and the rest by patient."""

    size: int
    ready: list[Outgoing]
    others: list[tuple[int, list[ClaimedReminder]]]


@dataclass(frozen=True)
class Outgoing:
    """A plain dose-due message, composed and ready to send."""

    patient_id: int
    chat_id: int
    reminder: ClaimedReminder
    message: Message


class Fence(Protocol):
    """The leadership as delivery sees it: the fencing token claims are made under, and whether
    this process may send right now."""

    token: int | None

    def valid(self) -> bool: ...


class AlwaysLeader:
    token: int | None = None

    def valid(self) -> bool:
        return True


class ReminderService:
    """Claims due reminders, turns them into (at most) one message per patient, sends them."""

    def __init__(
        self,
        repo: Repositories,
        dosing: Dosing,
        timer: ReminderTimer,
        safety: Safety,
        monitor: Monitor,
        bot: ExtBot[Any],
        clock: Callable[[], datetime],
        lease: timedelta,
        late_after: timedelta,
        allowed: frozenset[int] = frozenset(),
        claim_batch: int = CLAIM_BATCH,
    ) -> None:
        self.repo, self.dosing, self.timer, self.bot = repo, dosing, timer, bot
        self.allowed = allowed  # ALLOWED_USER_IDS: someone taken off it gets nothing more
        self.claim_batch = claim_batch
        self.fence: Fence = AlwaysLeader()  # the leadership, once the app has built it
        self.care: CareAlerts | None = None  # caregivers' alerts ride on this pipeline (issue 16)
        self.safety, self.monitor = safety, monitor
        self.clock, self.lease, self.late_after = clock, lease, late_after
        self.effects = DueEffects(
            repo, dosing, safety, monitor, clock, lease, late_after, lambda: self.fence.token
        )
        self._run_lock = asyncio.Lock()
        self._rearming: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def activate(self) -> None:
        """Start the timer paused: wake-ups can be armed (written to the shared job store), but
        only the leader fires them (see `lead` / `follow`)."""
        self.timer.start(self, paused=True)

    async def lead(self) -> None:
        """This process leads: fire wake-ups, and catch up on anything overdue."""
        self.timer.scheduler.resume()
        existing = await self.timer.readable_job_ids()  # also purges jobs that cannot be unpickled
        caught_up = await self.sweep()
        self._rearming = asyncio.create_task(self._rearm_ahead(existing), name="b12bot-rearm")
        log.info("firing reminders caught_up=%s", caught_up)

    async def _rearm_ahead(self, existing: set[str]) -> None:
        """Re-make the wake-ups of the next two days that the job store does not have, one at a
        time so patients' updates are answered meanwhile."""
        now = self.clock()
        missing = [
            at
            for at in await self.repo.reminders.pending_due_times(now + STARTUP_REARM)
            if at > now and job_id(at) not in existing
        ]
        self.timer.arm(missing, verify=True)  # written in the job-store thread, off the event loop
        await self.timer.armed()

    async def rearmed(self) -> None:
        """Wait until the start-up re-arming is done (tests and the benchmark)."""
        if self._rearming is not None:
            await self._rearming

    async def follow(self) -> None:
        """Another process leads (or we lost the database): stop firing."""
        if self.timer.scheduler.running:
            self.timer.scheduler.pause()
        await self.idle()

    async def stop(self) -> None:
        """Stop firing, let a delivery in progress finish, then shut the scheduler down."""
        if self._rearming is not None and not self._rearming.done():
            self._rearming.cancel()
        scheduler = self.timer.scheduler
        if scheduler.running:
            scheduler.pause()
        await self.idle()
        async with self._run_lock:
            self.timer.stop()
        if scheduler.running:
            scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the next loop turn

    async def idle(self) -> None:
        """Wait until no scheduler job is running (used by shutdown and by tests)."""
        if self.timer.scheduler.running:
            await self.timer.scheduler.idle()

    # --- delivery -------------------------------------------------------------------------------

    async def sweep(self) -> int:
        """Deliver anything overdue, and re-arm wake-ups of the next minutes that the job store
        lost (APScheduler drops jobs it cannot unpickle)."""
        now = self.clock()
        await self.repo.patients.forget_updates_before(now - KEEP_UPDATE_IDS)
        wanted = [t for t in await self.repo.reminders.pending_due_times(now + REARM_WINDOW) if t > now]
        self.timer.arm(wanted, verify=True)  # only those without a wake-up, in the job-store thread
        return await self.deliver_due()

    async def deliver_due(self) -> int:
        """Claim and deliver everything due now; returns how many reminders were handled. The next
        batch is claimed and composed while this one is sent (the database works meanwhile)."""
        async with self._run_lock:
            handled = 0
            upcoming = asyncio.ensure_future(self._next_batch())
            try:
                while (batch := await upcoming) is not None:
                    upcoming = asyncio.ensure_future(self._next_batch())
                    await self._send_batch(batch)
                    handled += batch.size
            finally:
                if not upcoming.done():  # an error, or shutting down: its claims run out
                    upcoming.cancel()
                    with suppress(asyncio.CancelledError):
                        await upcoming
            return handled

    async def _next_batch(self) -> Batch | None:
        """Claim what is due and compose the plain dose-due messages (None: nothing to send, or
        not the leader)."""
        if not self.fence.valid():  # not (or no longer) the leader: send nothing
            return None
        now = self.clock()
        claimed = await self.repo.reminders.claim_due(
            now, now + self.lease, self.claim_batch, self.fence.token
        )
        if not claimed:
            return None
        by_patient: dict[int, list[ClaimedReminder]] = defaultdict(list)
        for reminder in claimed:
            by_patient[reminder.patient_id].append(reminder)
        # the common case (one dose-due reminder for a patient) is composed in bulk
        plain = {p: g[0] for p, g in by_patient.items() if len(g) == 1 and g[0].kind is ReminderKind.DOSE_DUE}
        ready, rest = await self._compose_plain(plain)
        others = [(p, g) for p, g in by_patient.items() if p not in plain or p in rest]
        return Batch(len(claimed), ready, others)

    async def _send_batch(self, batch: Batch) -> None:
        limit = asyncio.Semaphore(PARALLEL_PATIENTS)

        async def one(patient_id: int, group: list[ClaimedReminder]) -> None:
            async with limit:
                await self._deliver_to_patient(patient_id, group)

        await self._send_plain(batch.ready)
        await asyncio.gather(*(one(p, g) for p, g in batch.others))

    async def _compose_plain(self, plain: dict[int, ClaimedReminder]) -> tuple[list[Outgoing], set[int]]:
        """Dose-due messages for many patients, from their snapshots read in one statement. Also
        returns the patients left to the one-by-one path (anything unusual about them)."""
        if not plain:
            return [], set()
        now = self.clock()
        try:
            snapshots = await self.repo.patients.snapshots(list(plain))
        except Exception:
            log.exception("batched reminder composition failed reminders=%s", len(plain))
            return [], set(plain)  # one by one, then
        rest: set[int] = set()
        ready: list[Outgoing] = []
        for patient_id, reminder in plain.items():
            snap = snapshots.get(patient_id)
            dose = snap.open_dose if snap is not None else None
            if (
                snap is None
                or snap.plan is None
                or snap.blocked
                or snap.paused
                or not self.may_send(snap.chat_id)
                or dose is None
                or dose.id != reminder.dose_id
            ):
                rest.add(patient_id)
                continue
            site = suggest_site(snap.plan.sites, snap.last_used, snap.reaction_sites)
            late = reminder.due_at if now - reminder.due_at > self.late_after else None
            facts = composer.DoseFacts(
                snap.plan, site, snap.last_used.get(site or ""), snap.clinician_check, snap.progress
            )
            message = composer.dose_due(facts, dose, now, late_due=late)
            ready.append(Outgoing(patient_id, snap.chat_id, reminder, message))
        return ready, rest

    async def _send_plain(self, ready: list[Outgoing]) -> None:
        """The doses marked due in one statement, then the messages sent PARALLEL_PATIENTS at a
        time, each recorded as sent within a round trip of Telegram taking it."""
        if not ready:
            return
        await self.repo.doses.mark_doses_due([item.reminder.dose_id or 0 for item in ready])
        marker = SentMarker(self._mark_sent)
        queue = iter(ready)

        async def sender() -> None:
            for item in queue:  # the senders share one queue: as one send ends, the next starts
                reminder = item.reminder
                if await self._send(
                    item.patient_id, item.chat_id, [reminder], [reminder.id], item.message, finish=False
                ):
                    marker.add([reminder.id])

        await asyncio.gather(*(sender() for _ in range(min(PARALLEL_PATIENTS, len(ready)))))
        await marker.drain()

    async def _mark_sent(self, ids: list[int]) -> None:
        await self.repo.reminders.finish_reminders(ids, ReminderState.SENT, self.clock(), self.fence.token)

    def may_send(self, chat_id: int) -> bool:
        return not self.allowed or chat_id in self.allowed

    async def _deliver_to_patient(self, patient_id: int, group: list[ClaimedReminder]) -> None:
        """Dose reminders become (at most) one message; each safety reminder its own."""
        care = [r for r in group if r.kind is ReminderKind.CARE_ALERT]
        if care and self.care is not None:  # to caregivers' chats, even while the patient blocks us
            await self.care.deliver(care, self.fence.token)
            group = [r for r in group if r.kind is not ReminderKind.CARE_ALERT]
            if not group:
                return
        try:
            snap = await self.repo.patients.snapshot_by_id(patient_id)
            if snap is None or snap.plan is None or snap.blocked or not self.may_send(snap.chat_id):
                await self.repo.reminders.finish_reminders(
                    [r.id for r in group], ReminderState.CANCELLED, self.clock(), self.fence.token
                )
                return
            outgoing: list[tuple[Message | None, list[int], ClaimedReminder | None]] = []
            doses = [r for r in group if r.kind in DOSE_REMINDERS]
            if doses:
                message, ids = await self.effects.dose_message(snap, doses, [r.id for r in doses])
                outgoing.append((message, ids, None))
            for other in group:
                if other.kind not in DOSE_REMINDERS:
                    outgoing.append((await self.effects.other_message(snap, other), [other.id], other))
        except Exception:
            # Leave the claim to expire: the lease brings it back, nothing is lost.
            log.exception("reminder composition failed patient_id=%s", patient_id)
            return
        for message, ids, source in outgoing:
            if message is None:
                await self.repo.reminders.finish_reminders(
                    ids, ReminderState.CANCELLED, self.clock(), self.fence.token
                )
                continue
            sent = await self._send(snap.patient_id, snap.chat_id, group, ids, message)
            if sent and source is not None and source.nudge_id is not None:
                nudge = await self.repo.reports.nudge(source.nudge_id)
                last = nudge is not None and self.safety.last_nudge(nudge.created_at)
                await self.safety.nudge_sent(snap.patient_id, source.nudge_id, last)

    async def _send(
        self,
        patient_id: int,
        chat_id: int,
        group: list[ClaimedReminder],
        ids: list[int],
        message: Message,
        *,
        finish: bool = True,
    ) -> bool:
        """Send one message; True when Telegram took it (otherwise its reminders are retried).
        With `finish`, its reminders are marked sent at once (else the caller does, in bulk)."""
        if not self.fence.valid():  # the lease ran out (a frozen process waking up): the claim is stale
            return False
        try:
            await send_text(self.bot, chat_id, message.text, message.keyboard, BULK)
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            await self._retry(ids, timedelta(seconds=seconds + 1))
            log.warning("telegram flood control patient_id=%s retry_in=%ss", patient_id, seconds)
        except Forbidden:
            # Blocked: pause this patient (no retry loop); unblocking re-plans without a backlog.
            await self.repo.patients.set_blocked(patient_id, self.clock())
            await self.repo.reminders.finish_reminders(
                ids, ReminderState.CANCELLED, self.clock(), self.fence.token
            )
            log.warning("patient blocked the bot patient_id=%s", patient_id)
            if self.care is not None:
                await self.care.patient_blocked(patient_id)
        except (NetworkError, TelegramError) as exc:
            attempts = max(r.attempts for r in group)
            backoff = min(timedelta(seconds=15 * 2 ** min(attempts, 10)), MAX_BACKOFF)
            await self._retry(ids, backoff)
            log.warning(
                "send failed patient_id=%s error=%s retry_in=%ss",
                patient_id,
                type(exc).__name__,
                int(backoff.total_seconds()),
            )
        else:
            if finish:
                await self.repo.reminders.finish_reminders(
                    ids, ReminderState.SENT, self.clock(), self.fence.token
                )
            log.info("reminder sent patient_id=%s reminders=%s", patient_id, len(ids))
            return True
        return False

    async def _retry(self, ids: list[int], after: timedelta) -> None:
        at = self.clock() + after
        await self.repo.reminders.release_reminders(ids, at, self.fence.token)
        self.timer.arm([at])
