"""Monitoring use-cases: weekly symptom check-ins, lab re-checks, supplies.

Pure rules live in `bot.domain.symptoms`, `bot.domain.labs` and `bot.domain.supplies`; this
module stores what they decide and keeps each patient's monitoring reminders (one pending per
kind) in step with their settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import schedule
from bot.domain import symptoms as sx
from bot.domain.records import CheckInView, LabView, Snapshot
from bot.domain.status import ReminderKind
from bot.domain.supplies import EXPIRY_LEAD, RunOut, Stock, run_out
from bot.services.dosing import Timer
from storage.repositories import Repositories

NUDGE_REPEAT = timedelta(hours=24)
LAB_SOON = timedelta(days=7)
MAX_LOOKAHEAD_DOSES = 400  # beyond this, the stock lasts "a long time"
SYMPTOMS_NUDGE = "symptoms"


@dataclass(frozen=True)
class CheckInResult:
    checkin_id: int
    baseline: bool  # this was the first check-in
    lines: list[tuple[str, str]]  # (symptom, words) compared with the baseline and last time
    worse_nerves: list[str]
    nudge_id: int | None
    suggest_review: bool


def _view(checkin: CheckInView) -> sx.CheckIn:
    return sx.CheckIn(checkin.created_at, checkin.levels)


class Monitor:
    def __init__(self, repo: Repositories, timer: Timer, clock: Callable[[], datetime]) -> None:
        self.repo, self.timer, self.clock = repo, timer, clock

    async def _remind(self, snap: Snapshot, kind: ReminderKind, at: datetime | None) -> None:
        await self.repo.reminders.replace_patient_reminder(snap.patient_id, kind, at)
        if at is not None:
            self.timer.arm([at])

    # --- symptom check-ins ------------------------------------------------------------------------

    async def wait_for_typed_answer(self, chat_id: int, intro: str, answers: str) -> None:
        """A check-in question is waiting: a typed level answers it (`CHECK_IN_FLOW`), unless
        another conversation is in progress (that one is not interrupted)."""
        data = {"intro": intro, "answers": answers}
        await self.repo.drafts.save_draft_unless_busy(
            chat_id, sx.CHECK_IN_FLOW, str(len(answers)), data, self.clock()
        )

    async def stop_waiting(self, chat_id: int) -> None:
        """The check-in is answered or skipped: typed levels are read as usual again."""
        await self.repo.drafts.delete_draft(chat_id, sx.CHECK_IN_FLOW)

    def next_check_in(self, snap: Snapshot) -> datetime | None:
        m = snap.monitoring
        if snap.plan is None or m.checkin_weekday is None or m.checkin_time is None:
            return None
        return sx.next_check_in(self.clock(), m.checkin_weekday, m.checkin_time, ZoneInfo(snap.plan.timezone))

    async def set_check_in(self, snap: Snapshot, weekday: int | None, at: time | None) -> datetime | None:
        """Choose (or turn off, with None) the weekly check-in; returns the next one."""
        await self.repo.patients.set_patient_settings(
            snap.patient_id, checkin_weekday=weekday, checkin_time=at.strftime("%H:%M") if at else None
        )
        fresh = await self.repo.patients.snapshot_by_id(snap.patient_id) or snap
        nxt = self.next_check_in(fresh)
        await self._remind(fresh, ReminderKind.CHECK_IN, nxt)
        return nxt

    async def schedule_next_check_in(self, snap: Snapshot, at: datetime | None) -> None:
        """After a check-in went out: the one a week later (a claimed reminder is not pending, so
        this leaves the one being sent alone)."""
        await self._remind(snap, ReminderKind.CHECK_IN, at)

    async def answered_since(self, snap: Snapshot, asked_at: datetime) -> bool:
        """A check-in was recorded after a question asked at `asked_at` (typed, say)."""
        checkins = await self.repo.monitoring.checkins(snap.patient_id)
        return bool(checkins) and checkins[-1].created_at >= asked_at

    async def record_check_in(
        self, snap: Snapshot, values: Sequence[int], message_id: int | None
    ) -> CheckInResult | None:
        """Store a check-in and compare it; None when this question was already answered.
        New or worse numbness/tingling or balance: a clinician nudge. After the clinician's
        number of weeks without meaningful improvement: suggest a review (once)."""
        now = self.clock()
        levels = sx.as_levels(values)
        before = await self.repo.monitoring.checkins(snap.patient_id)
        checkin_id = await self.repo.monitoring.add_checkin(snap.patient_id, now, levels, message_id)
        if checkin_id is None:
            return None
        current = sx.CheckIn(now, levels)
        baseline = _view(before[0]) if before else None
        last = _view(before[-1]) if before else None
        worse = sx.worse_nerves(last.levels if last else None, levels)
        nudge_id = None
        if worse:
            nudge_id = await self.repo.reports.add_nudge(
                snap.patient_id, SYMPTOMS_NUDGE, worse, now, now + NUDGE_REPEAT
            )
            if nudge_id is not None:
                self.timer.arm([now + NUDGE_REPEAT])
        review = not snap.monitoring.review_suggested and sx.review_due(
            baseline, current, snap.monitoring.review_weeks
        )
        if review:
            await self.repo.patients.set_patient_settings(snap.patient_id, review_suggested_at=now)
        return CheckInResult(
            checkin_id, baseline is None, sx.compare(baseline, last, current), worse, nudge_id, review
        )

    # --- labs ---------------------------------------------------------------------------------------

    async def set_lab_date(self, snap: Snapshot, day: date | None) -> None:
        """The next blood test: reminders 7 days before and on the day, at the dose time."""
        await self.repo.patients.set_patient_settings(snap.patient_id, lab_recheck_on=day)
        fresh = await self.repo.patients.snapshot_by_id(snap.patient_id) or snap
        await self._plan_labs(fresh)

    async def _plan_labs(self, snap: Snapshot) -> None:
        day = snap.monitoring.lab_recheck_on
        soon = on_day = None
        if snap.plan is not None and day is not None:
            tz, now = ZoneInfo(snap.plan.timezone), self.clock()
            soon = schedule.local_slot(day - LAB_SOON, snap.plan.time_of_day, tz)
            on_day = schedule.local_slot(day, snap.plan.time_of_day, tz)
            soon, on_day = (soon if soon > now else None), (on_day if on_day > now else None)
        await self._remind(snap, ReminderKind.LAB_SOON, soon)
        await self._remind(snap, ReminderKind.LAB_DAY, on_day)

    async def add_lab(self, snap: Snapshot, taken_on: date, values: dict[str, float]) -> int:
        return await self.repo.monitoring.add_lab(snap.patient_id, taken_on, self.clock(), values)

    # --- supplies -------------------------------------------------------------------------------------

    def upcoming(self, snap: Snapshot, count: int) -> list[datetime]:
        """Due times of the next `count` doses if each is given on time (the open one first)."""
        if snap.plan is None or snap.paused:
            return []
        start = snap.open_dose.due_at if snap.open_dose else self.clock()
        doses = schedule.preview(snap.plan, snap.progress, start, count)
        return [d.due_at for d in doses]

    def run_out(self, snap: Snapshot) -> RunOut | None:
        """When the stock stops covering doses: run out, or the vials' expiry date."""
        stock = snap.monitoring.stock
        if snap.plan is None or (stock.covered is None and stock.expires_on is None):
            return None
        count = min(
            (stock.covered if stock.covered is not None else MAX_LOOKAHEAD_DOSES) + 1, MAX_LOOKAHEAD_DOSES
        )
        tz = ZoneInfo(snap.plan.timezone)
        expires_at = None
        if stock.expires_on is not None:  # the end of the expiry day, in the patient's zone
            expires_at = schedule.local_slot(stock.expires_on + timedelta(days=1), time(0, 0), tz)
        return run_out(stock, self.upcoming(snap, count), self.clock(), expires_at, tz)

    async def set_stock(self, snap: Snapshot, stock: Stock) -> RunOut | None:
        """New stock counts (or None to stop tracking): the refill and expiry warnings follow."""
        await self.repo.patients.set_patient_settings(
            snap.patient_id,
            stock_doses=stock.doses,
            stock_syringes=stock.syringes,
            vial_expires_on=stock.expires_on,
            refill_warned_at=None,
        )
        fresh = await self.repo.patients.snapshot_by_id(snap.patient_id) or snap
        return await self.plan_supplies(fresh)

    async def plan_supplies(self, snap: Snapshot) -> RunOut | None:
        """Re-plan the refill warning (after stock changes or a dose) and the expiry warning."""
        stock = snap.monitoring.stock
        out = self.run_out(snap)
        refill_at = out.warn_at if out is not None and not snap.monitoring.refill_warned else None
        await self._remind(snap, ReminderKind.REFILL, refill_at)
        expiry_at = None
        if stock.expires_on is not None and snap.plan is not None:
            tz, now = ZoneInfo(snap.plan.timezone), self.clock()
            warn = schedule.local_slot(stock.expires_on - EXPIRY_LEAD, snap.plan.time_of_day, tz)
            if stock.expires_on >= now.astimezone(tz).date():
                expiry_at = max(warn, now)
        await self._remind(snap, ReminderKind.EXPIRY, expiry_at)
        return out

    async def refill_warned(self, snap: Snapshot) -> None:
        await self.repo.patients.set_patient_settings(snap.patient_id, refill_warned_at=self.clock())

    # --- all of them ------------------------------------------------------------------------------------

    async def rearm(self, snap: Snapshot) -> None:
        """After the patient unblocks the bot: the check-in, lab and supplies reminders again."""
        await self._remind(snap, ReminderKind.CHECK_IN, self.next_check_in(snap))
        await self._plan_labs(snap)
        await self.plan_supplies(snap)

    async def check_ins(self, snap: Snapshot) -> list[CheckInView]:
        return await self.repo.monitoring.checkins(snap.patient_id)

    async def labs(self, snap: Snapshot) -> list[LabView]:
        return await self.repo.monitoring.labs(snap.patient_id)

    async def add_note(self, snap: Snapshot, checkin_id: int, note: str) -> bool:
        """The patient's words to one of their own check-ins; False when it is not theirs."""
        return await self.repo.monitoring.set_checkin_note(snap.patient_id, checkin_id, note)
