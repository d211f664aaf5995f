"""Caregivers' alerts: the safety decisions that reach a caregiver, queued as `care_alert` rows
with a `care_alert` reminder at their due time, and delivered by the reminder pipeline (at least
once, fenced, across restarts) to the caregiver's chat.

The events ride on decisions made elsewhere: an emergency-level report (`Safety.record`), a
clinician nudge still open 2 days after it was made, the missed-dose or overdue nudge
(`Safety.check_missed`), the patient blocking the bot while a dose is due. Each reaches each
caregiver once (unique per link and event), at night in their zone only when it is an emergency,
and only while the patient keeps that kind switched on. Removing a caregiver deletes what is
queued for them, and delivery checks the link again before sending."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot import texts
from bot.domain.care import (
    DETAILS,
    NUDGE_UNCONFIRMED_AFTER,
    Alert,
    AlertState,
    AlertView,
    LinkView,
    NewAlert,
    blocked_matters,
    deliver_at,
    emergency_is_new,
    event_key,
)
from bot.domain.records import ClaimedReminder
from bot.domain.status import ReminderState
from bot.domain.triage import OTHER_EMERGENCIES
from bot.ratelimit import BULK, URGENT, retry_after_seconds
from bot.services.dosing import Timer
from storage.repositories import Repositories

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(minutes=15)
OVERDUE = "overdue"  # the nudge reason of a maintenance dose a week late


class CareAlerts:
    def __init__(
        self,
        repo: Repositories,
        timer: Timer,
        clock: Callable[[], datetime],
        bot: ExtBot[Any],
        allowed: frozenset[int] = frozenset(),
    ) -> None:
        self.repo, self.timer, self.clock, self.bot, self.allowed = repo, timer, clock, bot, allowed

    # --- events -------------------------------------------------------------------------------------

    async def _queue(
        self, patient_id: int, kind: Alert, subject: object, subject_id: int | None, at: datetime
    ) -> None:
        links = [
            link
            for link in await self.repo.care.links_of_patient(patient_id)
            if link.active and kind.value in link.switches
        ]
        alerts = []
        for link in links:
            if kind is Alert.EMERGENCY and not emergency_is_new(
                await self.repo.care.last_alert_at(link.id, kind), at
            ):
                continue  # a second emergency message minutes later: the caregiver already knows
            due = deliver_at(kind, max(at, self.clock()), ZoneInfo(link.zone))  # night: as it goes
            alerts.append(NewAlert(link.id, kind, event_key(kind, subject), at, due, subject_id))
        if alerts:
            armed = await self.repo.care.queue(patient_id, alerts)
            self.timer.arm(armed)
            log.info("care alerts queued patient_id=%s count=%s", patient_id, len(armed))  # no kind: health

    async def emergency(self, patient_id: int, report_id: int) -> None:
        """An emergency-level report: every caregiver who gets emergencies hears at once."""
        await self._queue(patient_id, Alert.EMERGENCY, report_id, report_id, self.clock())

    async def nudge_made(self, patient_id: int, nudge_id: int, created_at: datetime) -> None:
        """A clinician nudge: if it is still open 2 days on, caregivers hear about it (once)."""
        at = created_at + NUDGE_UNCONFIRMED_AFTER
        await self._queue(patient_id, Alert.NUDGE, nudge_id, nudge_id, at)

    async def missed(self, patient_id: int, nudge_id: int) -> None:
        """Two missed in a row (repletion) or a dose a week overdue: the nudge the patient got."""
        await self._queue(patient_id, Alert.MISSED, nudge_id, nudge_id, self.clock())

    async def patient_blocked(self, patient_id: int) -> None:
        """The patient blocked the bot: worth telling while the plan runs and a dose is due soon."""
        snap = await self.repo.patients.snapshot_by_id(patient_id)
        now = self.clock()
        if snap is None or not blocked_matters(
            snap.paused, snap.plan is not None, snap.open_dose.due_at if snap.open_dose else None, now
        ):
            return
        await self._queue(patient_id, Alert.BLOCKED, f"{now:%Y-%m-%d}", None, now)

    async def link_started(self, link: LinkView) -> None:
        """A caregiver just confirmed: clinician nudges already open count for them too."""
        for nudge_id in await self.repo.reports.open_nudge_ids(link.patient_id):
            nudge = await self.repo.reports.nudge(nudge_id)
            if nudge is not None and nudge.created_at is not None:
                await self.nudge_made(link.patient_id, nudge_id, nudge.created_at)

    # --- delivery -----------------------------------------------------------------------------------

    def may_send(self, chat_id: int) -> bool:
        return not self.allowed or chat_id in self.allowed

    async def deliver(self, reminders: Sequence[ClaimedReminder], token: int | None) -> None:
        """Claimed `care_alert` reminders of one patient: every alert due about them, one message
        per caregiver. A failed send is retried (the alerts stay pending); a caregiver who blocked
        the bot leaves the circle."""
        ids = [r.id for r in reminders]
        now = self.clock()
        try:
            due = await self.repo.care.due_alerts(reminders[0].patient_id, now)
            by_link: dict[int, list[AlertView]] = defaultdict(list)
            for alert in due:
                by_link[alert.link.id].append(alert)
            retry = False
            for items in by_link.values():
                retry = await self._deliver_to(items, now) or retry
        except Exception:
            log.exception("care alerts failed patient_id=%s", reminders[0].patient_id)
            return  # the claims expire and come back: nothing is lost
        if retry:
            attempts = max(r.attempts for r in reminders)
            at = self.clock() + min(timedelta(seconds=15 * 2 ** min(attempts, 10)), MAX_BACKOFF)
            await self.repo.reminders.release_reminders(ids, at, token)
            self.timer.arm([at])
            return
        await self.repo.reminders.finish_reminders(ids, ReminderState.SENT, self.clock(), token)

    async def _deliver_to(self, items: list[AlertView], now: datetime) -> bool:
        """One caregiver's due alerts as one message. True when it should be tried again."""
        link = items[0].link
        lines: list[str] = []
        sent: list[int] = []
        dropped: list[int] = []
        for alert in items:
            line = await self._line(alert, now) if alert.kind.value in link.switches else None
            (sent if line else dropped).append(alert.id)
            if line:
                lines.append(line)
        await self.repo.care.finish_alerts(dropped, AlertState.CANCELLED, now)
        if not lines or not self.may_send(link.caregiver_chat_id):
            await self.repo.care.finish_alerts(sent, AlertState.CANCELLED, now)
            return False
        text = "\n\n".join([*lines, texts.ALERT_FOOTER.format(name=link.display_name)])
        urgent = any(a.kind is Alert.EMERGENCY for a in items)
        try:
            await self.bot.send_message(
                link.caregiver_chat_id, text, rate_limit_args=URGENT if urgent else BULK
            )
        except RetryAfter as exc:
            log.warning("care alert flood control link_id=%s retry_in=%ss", link.id, retry_after_seconds(exc))
            return True
        except Forbidden:
            await self.repo.care.remove(link.id)  # the caregiver blocked the bot: they left
            await self._tell_patient(link)
            log.warning("caregiver blocked the bot link_id=%s", link.id)
            return False
        except (NetworkError, TelegramError) as exc:
            log.warning("care alert failed link_id=%s error=%s", link.id, type(exc).__name__)
            return True
        await self.repo.care.finish_alerts(sent, AlertState.SENT, self.clock())
        log.info("care alert sent link_id=%s alerts=%s", link.id, len(sent))
        return False

    async def _tell_patient(self, link: LinkView) -> None:
        try:
            await self.bot.send_message(
                link.patient_chat_id, texts.caregiver_left(link.caregiver_name), rate_limit_args=BULK
            )
        except TelegramError:
            log.info("patient not told of a caregiver leaving link_id=%s", link.id)

    async def _line(self, alert: AlertView, now: datetime) -> str | None:
        """The alert's words, or None when there is nothing left to say (a nudge confirmed)."""
        link, tz = alert.link, ZoneInfo(alert.link.zone)
        name, details = link.display_name, DETAILS in link.switches
        signs: tuple[str, ...] = ()
        words = None
        match alert.kind:
            case Alert.EMERGENCY:
                report = await self.repo.reports.report(alert.subject_id or 0)
                signs, words = (report.signs, report.words) if report else ((), None)
                allergy = not signs or bool(set(signs) - {str(s) for s in OTHER_EMERGENCIES})
                text = texts.alert_emergency(name, alert.event_at, tz, now, allergy)
            case Alert.NUDGE:
                nudge = await self.repo.reports.standing_nudge(alert.subject_id or 0)
                if nudge is None:
                    return None
                signs = nudge.signs
                text = texts.alert_nudge(name)
            case Alert.MISSED:
                nudge = await self.repo.reports.standing_nudge(alert.subject_id or 0)
                if nudge is None:  # a dose given since (waiting for their morning, say)
                    return None
                text = texts.alert_missed(name, nudge.reason == OVERDUE)
            case Alert.BLOCKED:
                text = texts.alert_blocked(name)
        if details and signs:
            text += "\n" + texts.alert_details(signs, words)
        if alert.due_at - alert.event_at >= timedelta(minutes=10) and alert.kind is not Alert.NUDGE:
            text += "\n" + texts.alert_waited(alert.event_at, tz, now)
        return text
