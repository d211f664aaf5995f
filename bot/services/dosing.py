"""Dose use-cases: start a plan, confirm, skip, snooze, mark missed.

The glue between the pure domain (what is next), the repository (one transaction per action)
and the timer (arm a wake-up for every new reminder). Handlers and reminder jobs both call these,
so neither computes schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain import schedule
from bot.domain.plan import Plan
from bot.domain.records import DoseView, NewDose, Outcome, ReminderSpec, Snapshot
from bot.domain.rotation import fitting_rest, rotation_order, suggest_site
from bot.domain.schedule import NextDose, Progress
from bot.domain.status import OPEN_DOSE_STATUSES, DoseStatus, ReminderKind
from storage.repositories import Repositories

# How far before its due time a dose can be confirmed (an early injection the same morning).
EARLY_CONFIRM = timedelta(hours=12)


class Timer(Protocol):
    def arm(self, times: list[datetime]) -> None: ...


@dataclass(frozen=True)
class Result:
    """What happened, for the handler to word the reply."""

    outcome: str  # Outcome.OK / ALREADY / NOT_FOUND, or one of the reasons below
    dose: DoseView | None = None
    next_dose: DoseView | None = None
    plan_finished: bool = False


NOT_DUE_YET = "not_due_yet"
_OUTCOMES = {
    DoseStatus.DONE: schedule.Outcome.GIVEN,
    DoseStatus.SKIPPED: schedule.Outcome.SKIPPED,
    DoseStatus.MISSED: schedule.Outcome.MISSED,
}
NO_OPEN_DOSE = "no_open_dose"


class Dosing:
    def __init__(
        self,
        repo: Repositories,
        timer: Timer,
        clock: Callable[[], datetime],
        re_remind_after: timedelta,
    ) -> None:
        self.repo = repo
        self.timer = timer
        self.clock = clock
        self.re_remind_after = re_remind_after

    # --- helpers ----------------------------------------------------------------------------------

    def reminders_for(
        self, plan: Plan, dose: NextDose, heads_up_hours: int | None = None
    ) -> list[ReminderSpec]:
        """Due message; one re-reminder; the missed check at the next day's reminder time; and
        the optional heads-up N hours before (when that is still ahead)."""
        missed_at = schedule.next_day_slot(dose.due_at, plan)
        specs = [ReminderSpec(ReminderKind.DOSE_DUE, dose.due_at)]
        if (heads_up := self.heads_up_at(dose.due_at, heads_up_hours)) is not None:
            specs.append(ReminderSpec(ReminderKind.HEADS_UP, heads_up))
        re_at = dose.due_at + self.re_remind_after
        if re_at < missed_at:
            specs.append(ReminderSpec(ReminderKind.RE_REMIND, re_at))
        specs.append(ReminderSpec(ReminderKind.MISSED_CHECK, missed_at))
        return specs

    def heads_up_at(self, due_at: datetime, hours: int | None) -> datetime | None:
        """The heads-up `hours` before a dose, when the patient wants one and it is still ahead."""
        at = due_at - timedelta(hours=hours) if hours else None
        return at if at is not None and at > self.clock() else None

    @staticmethod
    def site_order(snap: Snapshot) -> list[str]:
        """The patient's sites, best next choice first; sites with an open reaction left out."""
        if snap.plan is None:
            return []
        return rotation_order(snap.plan.sites, snap.last_used, snap.reaction_sites)

    def suggested_site(self, snap: Snapshot) -> str | None:
        """The site to suggest next: the one rule (`rotation.suggest_site`) everywhere."""
        if snap.plan is None:
            return None
        return suggest_site(snap.plan.sites, snap.last_used, snap.reaction_sites)

    def rotation_rest(self, snap: Snapshot) -> timedelta:
        """The patient's rest period, as much of it as their sites and the current cadence allow."""
        assert snap.plan is not None
        phase = snap.plan.phases[min(snap.progress.phase_index, len(snap.plan.phases) - 1)]
        return fitting_rest(timedelta(days=snap.rest_days), len(snap.plan.sites), phase.cadence.interval)

    async def dose_of(self, snap: Snapshot, dose_id: int | None) -> DoseView | None:
        """One of the patient's own doses under their current plan (None for anyone else's, or
        an older plan's: a stale button)."""
        dose = await self.repo.doses.dose(dose_id) if dose_id is not None else None
        return (
            dose if dose is not None and snap.plan_id is not None and dose.plan_id == snap.plan_id else None
        )

    async def history(self, snap: Snapshot, limit: int = 10) -> list[DoseView]:
        return await self.repo.doses.history(snap.patient_id, limit)

    async def closed_doses(self, snap: Snapshot) -> list[DoseView]:
        """Every dose given, skipped or missed, oldest first."""
        return await self.repo.doses.closed_doses(snap.patient_id)

    def _arm(self, new: NewDose | None) -> DoseView | None:
        if new is None:
            return None
        self.timer.arm(new.reminder_times)
        return new.dose

    # --- use-cases --------------------------------------------------------------------------------

    async def start_plan(
        self, patient_id: int, plan: Plan, heads_up_hours: int | None = None
    ) -> DoseView | None:
        """Save a (new) plan and schedule its first dose; the old plan's open doses are cancelled."""
        now = self.clock()
        first = schedule.next_dose(plan, Progress(), now)
        specs = self.reminders_for(plan, first, heads_up_hours) if first else []
        return self._arm(await self.repo.patients.save_plan(patient_id, plan, first, specs, now))

    def _next(
        self, snap: Snapshot, dose: DoseView, outcome: schedule.Outcome, given_at: datetime | None
    ) -> NextDose | None:
        """The dose after `dose` once it ends as `outcome`, counting per DESIGN.md."""
        assert snap.plan is not None
        current = NextDose(
            dose.phase_index,
            dose.number_in_phase,
            dose.due_at,
            dose.phase_changed,
            snap.progress.phase_started_on or dose.due_at.date(),
        )
        progress = schedule.advance(snap.progress, current, outcome, given_at)
        # never schedule before now, nor at or before the dose just closed
        not_before = max(self.clock(), dose.due_at + timedelta(seconds=1))
        return schedule.next_dose(snap.plan, progress, not_before)

    async def _close(self, snap: Snapshot, dose: DoseView, status: DoseStatus, **fields: object) -> Result:
        assert snap.plan is not None
        given_at = fields.get("given_at")
        assert given_at is None or isinstance(given_at, datetime)
        nxt = self._next(snap, dose, _OUTCOMES[status], given_at)
        closed = await self.repo.doses.close_dose(
            dose.id,
            snap.patient_id,
            status,
            self.clock(),
            next_dose=nxt,
            reminders=self.reminders_for(snap.plan, nxt, snap.heads_up_hours) if nxt else (),
            stock=stock.after_injection()
            if status == DoseStatus.DONE and (stock := snap.monitoring.stock).tracked
            else None,
            known_phase=(snap.progress.phase_index, snap.progress.phase_started_on),
            **fields,  # type: ignore[arg-type]
        )
        if closed.outcome != Outcome.OK:
            return Result(closed.outcome, closed.dose)
        return Result(
            Outcome.OK, dose=closed.dose, next_dose=self._arm(closed.new), plan_finished=nxt is None
        )

    def target_for(self, snap: Snapshot, dose_id: int | None) -> DoseView | str:
        """The open dose a reply refers to, or why there is none."""
        dose = snap.open_dose
        if dose is None:
            return NO_OPEN_DOSE
        if dose_id is not None and dose.id != dose_id:
            return Outcome.ALREADY
        if dose.status == DoseStatus.SCHEDULED and dose.due_at - EARLY_CONFIRM > self.clock():
            return NOT_DUE_YET
        return dose

    async def confirm(
        self, snap: Snapshot, dose_id: int | None, site: str, given_at: datetime | None
    ) -> Result:
        """Record a dose as given at `site`. `given_at` defaults to now; an earlier time that
        belongs to a dose already marked missed ("done yesterday 21:00") records that one."""
        now = self.clock()
        given = given_at or now
        if given_at is not None and snap.plan_id is not None:
            older = await self._missed_dose_for(snap, given)
            if older is not None:
                result = await self._close(
                    snap,
                    older,
                    DoseStatus.DONE,
                    from_statuses=(DoseStatus.MISSED,),
                    given_at=given,
                    site=site,
                )
                if result.outcome != Outcome.OK:
                    return result
                return replace(result, next_dose=await self._plan_again_after(snap.patient_id))
        target = self.target_for(snap, dose_id)
        if isinstance(target, str):
            if dose_id is not None:
                return Result(target, await self.repo.doses.dose(dose_id))
            return Result(target, snap.open_dose)
        return await self._close(snap, target, DoseStatus.DONE, given_at=given, site=site)

    async def _plan_again_after(self, patient_id: int) -> DoseView | None:
        """A missed dose recorded as given after all ("done yesterday 21:00"): the open dose was
        planned while it counted as missed (reminded again at once), so it is planned again from
        that injection when that puts it later: a monthly dose given yesterday is not due today,
        an every-other-day one not before tomorrow. On the same day it keeps its time but counts
        again: it is dose 4 now, not 3 (else the phase would get one injection more than written).
        The open dose, as it now stands."""
        snap = await self.repo.patients.snapshot_by_id(patient_id)
        if snap is None or snap.plan is None or snap.paused or snap.open_dose is None:
            return None
        tz, open_due = ZoneInfo(snap.plan.timezone), snap.open_dose.due_at
        nxt = schedule.next_dose(snap.plan, snap.progress, open_due - timedelta(days=1))
        if nxt is not None and nxt.due_at.astimezone(tz).date() > open_due.astimezone(tz).date():
            return await self._replace_open(snap)
        same_phase = nxt is not None and nxt.phase_index == snap.open_dose.phase_index
        if same_phase and nxt is not None and nxt.number_in_phase != snap.open_dose.number_in_phase:
            return await self.repo.doses.renumber_open_dose(snap.open_dose.id, nxt.number_in_phase)
        return snap.open_dose  # (a daily dose given yesterday: today's stays)

    def is_back_dated(self, snap: Snapshot, given: datetime) -> bool:
        """True when `given` is on an earlier local day than the open dose is due: it then
        belongs to an earlier (missed) dose, not to the open one."""
        if snap.plan is None or snap.open_dose is None:
            return False
        tz = ZoneInfo(snap.plan.timezone)
        return given.astimezone(tz).date() < snap.open_dose.due_at.astimezone(tz).date()

    async def _missed_dose_for(self, snap: Snapshot, given: datetime) -> DoseView | None:
        """The missed dose a back-dated time belongs to: the latest one due by that day."""
        if snap.plan is None or snap.plan_id is None or not self.is_back_dated(snap, given):
            return None
        tz = ZoneInfo(snap.plan.timezone)
        for dose in await self.repo.doses.recent_missed(snap.plan_id, given - timedelta(days=7)):
            if dose.due_at.astimezone(tz).date() <= given.astimezone(tz).date():
                return dose
        return None

    async def skip(self, snap: Snapshot, dose_id: int | None, reason: str) -> Result:
        target = self.target_for(snap, dose_id)
        if isinstance(target, str):
            return Result(target, await self.repo.doses.dose(dose_id) if dose_id else snap.open_dose)
        return await self._close(snap, target, DoseStatus.SKIPPED, skip_reason=reason)

    async def mark_missed(self, snap: Snapshot, dose: DoseView) -> Result:
        """No answer by the next day's reminder time: missed, and the next dose is planned
        from the last injection actually given (never doubled)."""
        return await self._close(snap, dose, DoseStatus.MISSED, from_statuses=OPEN_DOSE_STATUSES)

    async def resume(self, patient_id: int) -> DoseView | None:
        """After the patient unblocks the bot: no backlog. An overdue open dose is closed as
        missed (quietly) and the next one planned from now; a future one gets its reminders back."""
        snap = await self.repo.patients.snapshot_by_id(patient_id)
        if snap is None or snap.plan is None:
            return None
        dose = snap.open_dose
        if dose is None:
            return None
        if dose.due_at <= self.clock():
            return (await self.mark_missed(snap, dose)).next_dose
        current = NextDose(
            dose.phase_index,
            dose.number_in_phase,
            dose.due_at,
            dose.phase_changed,
            snap.progress.phase_started_on or dose.due_at.date(),
        )
        specs = self.reminders_for(snap.plan, current, snap.heads_up_hours)
        await self.repo.doses.rearm_dose(dose.id, patient_id, specs)
        self.timer.arm([spec.due_at for spec in specs])
        return dose

    # --- plan changes over time ---------------------------------------------------------------------

    async def pause(self, snap: Snapshot, until: date | None) -> None:
        """No reminders until `until` (a local date; None: until the patient resumes), and the
        withdrawn dose is not counted as missed. Progress through the plan is kept."""
        assert snap.plan is not None and snap.plan_id is not None
        resume_at = None
        if until is not None:
            resume_at = schedule.local_slot(until, snap.plan.time_of_day, ZoneInfo(snap.plan.timezone))
        await self.repo.doses.pause_plan(snap.plan_id, snap.patient_id, self.clock(), until, resume_at)
        if resume_at is not None:
            self.timer.arm([resume_at])

    async def end_pause(self, snap: Snapshot) -> DoseView | None:
        """Resume: the next dose is planned from now, counting as before the pause."""
        assert snap.plan_id is not None
        if not await self.repo.doses.end_pause(snap.plan_id, snap.patient_id):
            return None
        return await self._replace_open(snap)

    async def change_timezone(self, snap: Snapshot, zone: str) -> DoseView | None:
        """Travel: the next dose stays on the same local calendar day at the same local time, now
        in `zone` (due at once if that time has already gone by there); past records stay. A dose
        whose reminder already went out stays as it is (it can still be confirmed). The dose row is
        moved, not cancelled and replaced: a change of zone is not a cancelled dose."""
        assert snap.plan is not None and snap.plan_id is not None
        await self.repo.doses.set_timezone(snap.plan_id, zone)
        dose = snap.open_dose
        if snap.paused or dose is None or dose.status != DoseStatus.SCHEDULED:
            return None
        plan = replace(snap.plan, timezone=zone)
        local_day = dose.due_at.astimezone(ZoneInfo(snap.plan.timezone)).date()
        due = max(schedule.local_slot(local_day, plan.time_of_day, ZoneInfo(zone)), self.clock())
        started = snap.progress.phase_started_on or local_day
        moved = NextDose(dose.phase_index, dose.number_in_phase, due, dose.phase_changed, started)
        specs = self.reminders_for(plan, moved, snap.heads_up_hours)
        return self._arm(await self.repo.doses.move_dose(dose.id, snap.patient_id, due, specs))

    async def next_phase(self, snap: Snapshot) -> DoseView | None:
        """The clinician said to move on: the next phase starts with the next dose."""
        assert snap.plan is not None
        index = snap.progress.phase_index + 1
        progress = replace(snap.progress, phase_index=index, given_in_phase=0, phase_started_on=None)
        return await self._replace_open(replace(snap, progress=progress), phase_index=index)

    async def _replace_open(
        self, snap: Snapshot, *, timezone: str | None = None, phase_index: int | None = None
    ) -> DoseView | None:
        assert snap.plan is not None and snap.plan_id is not None
        nxt = schedule.next_dose(snap.plan, snap.progress, self.clock())
        if nxt is not None and phase_index is not None:
            nxt = replace(nxt, phase_changed=True)  # its message says the phase changed
        specs = self.reminders_for(snap.plan, nxt, snap.heads_up_hours) if nxt else []
        new = await self.repo.doses.replace_open_dose(
            snap.plan_id, snap.patient_id, nxt, specs, timezone=timezone, phase_index=phase_index
        )
        return self._arm(new)

    async def reset_heads_up(self, patient_id: int) -> None:
        """After the heads-up setting changes, the dose already scheduled follows it too."""
        snap = await self.repo.patients.snapshot_by_id(patient_id)
        if snap is None or snap.open_dose is None or snap.open_dose.status != DoseStatus.SCHEDULED:
            return
        at = self.heads_up_at(snap.open_dose.due_at, snap.heads_up_hours)
        await self.repo.doses.replace_heads_up(snap.open_dose.id, patient_id, at)
        if at is not None:
            self.timer.arm([at])

    async def snooze(self, snap: Snapshot, dose_id: int | None, minutes: int) -> Result:
        target = self.target_for(snap, dose_id)
        if isinstance(target, str):
            return Result(target, snap.open_dose)
        until = self.clock() + timedelta(minutes=minutes)
        outcome, at = await self.repo.doses.snooze(target.id, snap.patient_id, until)
        if at is not None:
            self.timer.arm([at])
        return Result(outcome, target)
