"""What a claimed reminder does and says: a missed-dose check marks the dose missed and plans the
next, the end of a pause resumes the plan, a follow-up or nudge is asked only while still open;
then the one message for the patient (worded by `composer.py`), or None when nothing is left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.records import ClaimedReminder, DoseView, Outcome, Snapshot
from bot.domain.status import (
    MONITORING_REMINDERS,
    OPEN_DOSE_STATUSES,
    DoseStatus,
    ReminderKind,
    ReportStatus,
)
from bot.services import composer
from bot.services.composer import Message
from bot.services.dosing import Dosing
from bot.services.monitoring import Monitor
from bot.services.safety import Safety
from storage.repositories import Repositories


class DueEffects:
    """Applies claimed reminders' effects and composes their messages (no sending)."""

    def __init__(
        self,
        repo: Repositories,
        dosing: Dosing,
        safety: Safety,
        monitor: Monitor,
        clock: Callable[[], datetime],
        lease: timedelta,
        late_after: timedelta,
        token: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.repo, self.dosing, self.safety, self.monitor = repo, dosing, safety, monitor
        self.token = token  # the leader's fencing token, for claims made while composing
        self.clock, self.lease, self.late_after = clock, lease, late_after

    async def other_message(self, snap: Snapshot, reminder: ClaimedReminder) -> Message | None:
        """The heads-up before a dose, a report follow-up, a clinician nudge, or a monitoring
        message (check-in, blood test, supplies), if still due."""
        assert snap.plan is not None
        now = self.clock()
        if reminder.kind in MONITORING_REMINDERS:
            return await self._monitoring_message(snap, reminder.kind, now)
        if reminder.kind is ReminderKind.HEADS_UP and reminder.dose_id is not None:
            dose = await self.repo.doses.dose(reminder.dose_id)
            if dose is None or dose.status != DoseStatus.SCHEDULED:
                return None
            return composer.heads_up(snap.plan, dose.due_at, self.dosing.suggested_site(snap), now)
        if reminder.kind is ReminderKind.FOLLOW_UP and reminder.report_id is not None:
            report = await self.repo.reports.report(reminder.report_id)
            if report is None or report.status != ReportStatus.OPEN:
                return None
            await self.repo.reports.mark_asked(report.id, now)  # a typed "same" now answers it
            return composer.follow_up(report)
        if reminder.kind is ReminderKind.NUDGE and reminder.nudge_id is not None:
            nudge = await self.repo.reports.standing_nudge(reminder.nudge_id)
            if nudge is None:  # confirmed, or (missed doses) a dose given since
                return None
            if snap.paused:  # a hospital stay, say: ask again tomorrow
                await self.safety.nudge_sent(snap.patient_id, nudge.id)
                return None
            return composer.nudge(snap.plan, nudge, self.safety.last_nudge(nudge.created_at))
        return None

    async def _monitoring_message(self, snap: Snapshot, kind: ReminderKind, now: datetime) -> Message | None:
        assert snap.plan is not None
        m = snap.monitoring
        match kind:
            case ReminderKind.CHECK_IN:
                nxt = self.monitor.next_check_in(snap)
                await self.monitor.schedule_next_check_in(snap, nxt)
                if nxt is None:  # turned off since
                    return None
                await self.monitor.wait_for_typed_answer(snap.chat_id, texts.CHECK_IN_INTRO, "")
                return composer.check_in()
            case ReminderKind.LAB_SOON | ReminderKind.LAB_DAY if m.lab_recheck_on is not None:
                return composer.lab_recheck(kind is ReminderKind.LAB_SOON, texts.day(m.lab_recheck_on))
            case ReminderKind.REFILL if snap.paused:
                return None
            case ReminderKind.REFILL if (out := self.monitor.run_out(snap)) is not None:
                await self.monitor.refill_warned(snap)
                return composer.refill(snap.plan, m.stock, out, now)
            case ReminderKind.EXPIRY:
                return composer.expiry(snap.plan, m.stock, now)
        return None

    async def dose_message(
        self, snap: Snapshot, group: list[ClaimedReminder], ids: list[int]
    ) -> tuple[Message | None, list[int]]:
        """Apply each reminder's effect in order; return the one message that sums them up."""
        assert snap.plan is not None
        now = self.clock()
        notes: list[str] = []
        showing: DoseView | None = None
        late_due: datetime | None = None
        missed_id: int | None = None  # a dose marked missed now: "I took the missed one" under its note
        nudge_only = True
        for reminder in group:
            if reminder.kind is ReminderKind.RESUME:  # the end date of a pause
                if not snap.paused:
                    continue
                resumed = await self.dosing.end_pause(snap)
                notes.append(texts.PAUSE_ENDED)
                snap = await self.repo.patients.snapshot_by_id(snap.patient_id) or snap
                if due_now := await self._due_now(resumed, ids, now):
                    showing, nudge_only = due_now, False
                continue
            dose = await self.repo.doses.dose(reminder.dose_id) if reminder.dose_id else None
            if dose is None or dose.status not in OPEN_DOSE_STATUSES:
                continue
            if reminder.kind is ReminderKind.MISSED_CHECK:
                result = await self.dosing.mark_missed(snap, dose)
                missed_id = dose.id if result.outcome == Outcome.OK else missed_id
                snap = await self.repo.patients.snapshot_by_id(snap.patient_id) or snap
                await self.safety.check_missed(snap)
                assert snap.plan is not None
                tz = ZoneInfo(snap.plan.timezone)
                notes.append(texts.MISSED_NOTE.format(due=texts.when(dose.due_at, tz, now)))
                showing = None
                if due_now := await self._due_now(result.next_dose, ids, now):
                    showing, nudge_only = due_now, False
                continue
            if reminder.kind is ReminderKind.DOSE_DUE:
                await self.repo.doses.mark_dose_due(dose.id)
                if now - reminder.due_at > self.late_after:
                    late_due = reminder.due_at
            # only the automatic re-reminder is a short nudge; a snooze repeats the dose message
            nudge_only = nudge_only and reminder.kind is ReminderKind.RE_REMIND
            showing = await self.repo.doses.dose(dose.id)
        return self._message(snap, showing, notes, late_due, nudge_only, now, missed_id), ids

    async def _due_now(self, dose: DoseView | None, ids: list[int], now: datetime) -> DoseView | None:
        """A dose just planned that is due right now: claim its reminder into this message."""
        if dose is None or dose.due_at > now:
            return None
        ids += await self.repo.reminders.claim_reminders_of(
            dose.id, ReminderKind.DOSE_DUE, now, now + self.lease, self.token()
        )
        await self.repo.doses.mark_dose_due(dose.id)
        return await self.repo.doses.dose(dose.id)

    def _message(
        self,
        snap: Snapshot,
        dose: DoseView | None,
        notes: list[str],
        late_due: datetime | None,
        nudge_only: bool,
        now: datetime,
        missed_id: int | None = None,
    ) -> Message | None:
        assert snap.plan is not None
        site = self.dosing.suggested_site(snap)
        facts = composer.DoseFacts(
            snap.plan, site, snap.last_used.get(site or ""), snap.clinician_check, snap.progress
        )
        open_due_at = snap.open_dose.due_at if snap.open_dose is not None else None
        return composer.dose_summary(
            facts,
            dose,
            notes,
            late_due=late_due,
            nudge_only=nudge_only,
            open_due_at=open_due_at,
            now=now,
            missed_id=missed_id,
        )
