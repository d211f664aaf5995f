"""Doses: their lifecycle (due, done, skipped, missed), pauses, time-zone moves and history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.records import (
    ClosedDose,
    DoseView,
    NewDose,
    Outcome,
    ReminderSpec,
)
from bot.domain.schedule import NextDose
from bot.domain.status import (
    CLOSED_DOSE_STATUSES,
    OPEN_DOSE_STATUSES,
    DoseStatus,
    ReminderKind,
)
from bot.domain.supplies import Stock
from storage.models import (
    Dose,
    Plan,
    Reminder,
)
from storage.repositories import closing
from storage.repositories.base import (
    Repository,
    add_dose,
    cancel_reminders,
    dose_view,
    remind,
)


class DoseRepository(Repository):
    async def close_dose(
        self,
        dose_id: int,
        patient_id: int,
        status: DoseStatus,
        now: datetime,
        *,
        from_statuses: Iterable[DoseStatus] = OPEN_DOSE_STATUSES,
        given_at: datetime | None = None,
        site: str | None = None,
        skip_reason: str | None = None,
        next_dose: NextDose | None = None,
        reminders: Sequence[ReminderSpec] = (),
        stock: Stock | None = None,
        known_phase: tuple[int, date | None] | None = None,
    ) -> ClosedDose:
        """Mark a dose done/skipped/missed, cancel its pending reminders, add the next dose with
        its reminders, and store the patient's `stock` after it (the caller's rule:
        `Stock.after_injection`). The next dose is added only while the plan is active and has no
        open dose (a back-dated confirmation of an older dose leaves the open one as it is).

        Guarded: does nothing (ALREADY) unless the dose is still in `from_statuses`. The hot path:
        four Core statements and nothing read back (`known_phase`, the plan's phase index and start
        as the caller read them, spares writing them when unchanged).
        """
        request = closing.Closing(
            dose_id, patient_id, status, now, from_statuses, given_at, site, skip_reason, next_dose,
            reminders, stock, known_phase,
        )  # fmt: skip
        if self._engine.dialect.name == "postgresql":
            async with self._single.connect() as c:  # one statement: atomic on its own
                return await closing.close_in_one(c, request)
        async with self._engine.begin() as c:
            return await closing.close_in_steps(c, request)

    async def mark_dose_due(self, dose_id: int) -> bool:
        """SCHEDULED -> DUE when its reminder goes out; True when the dose is (still) due."""
        async with self._sessions.begin() as s:
            await s.execute(
                update(Dose)
                .where(Dose.id == dose_id, Dose.status == DoseStatus.SCHEDULED)
                .values(status=DoseStatus.DUE)
            )
            status = await s.scalar(select(Dose.status).where(Dose.id == dose_id))
            return status == DoseStatus.DUE

    async def mark_doses_due(self, dose_ids: Sequence[int]) -> None:
        """SCHEDULED -> DUE for many doses at once (their reminders are going out)."""
        if not dose_ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(Dose)
                .where(Dose.id.in_(list(dose_ids)), Dose.status == DoseStatus.SCHEDULED)
                .values(status=DoseStatus.DUE)
            )

    async def dose(self, dose_id: int) -> DoseView | None:
        async with self._sessions() as s:
            row = await s.get(Dose, dose_id)
            return dose_view(row) if row else None

    async def renumber_open_dose(self, dose_id: int, number_in_phase: int) -> DoseView | None:
        """The open dose's place in its phase, counted again (a missed one recorded as given)."""
        async with self._sessions.begin() as s:
            row = await s.get(Dose, dose_id)
            if row is None or row.status not in OPEN_DOSE_STATUSES:
                return None
            row.number_in_phase = number_in_phase
            await s.flush()
            return dose_view(row)

    async def snooze(self, dose_id: int, patient_id: int, until: datetime) -> tuple[str, datetime | None]:
        """A snooze reminder at `until`; the 2-hour re-reminder is dropped (the snooze replaces it)."""
        async with self._sessions.begin() as s:
            row = await s.get(Dose, dose_id)
            if row is None or row.patient_id != patient_id:
                return Outcome.NOT_FOUND, None
            if row.status not in OPEN_DOSE_STATUSES:
                return Outcome.ALREADY, None
            await cancel_reminders(
                s,
                Reminder.dose_id == dose_id,
                Reminder.kind.in_([ReminderKind.RE_REMIND, ReminderKind.SNOOZE]),
            )
            await remind(s, patient_id, ReminderKind.SNOOZE, until, dose_id=dose_id)
            return Outcome.OK, until

    async def history(self, patient_id: int, limit: int = 10) -> list[DoseView]:
        """The latest doses that have an outcome, newest first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(Dose)
                .where(
                    Dose.patient_id == patient_id,
                    Dose.status.in_(CLOSED_DOSE_STATUSES),
                )
                .order_by(func.coalesce(Dose.given_at, Dose.due_at).desc(), Dose.id.desc())
                .limit(limit)
            )
            return [dose_view(r) for r in rows]

    async def recent_missed(self, plan_id: int, since: datetime) -> list[DoseView]:
        """Missed doses of a plan due after `since`, newest first (for back-dated confirmations)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(Dose)
                .where(
                    Dose.plan_id == plan_id,
                    Dose.status == DoseStatus.MISSED,
                    Dose.due_at >= since,
                )
                .order_by(Dose.due_at.desc())
            )
            return [dose_view(r) for r in rows]

    async def _cancel_open_doses(self, s: AsyncSession, plan_id: int) -> None:
        open_doses = select(Dose.id).where(Dose.plan_id == plan_id, Dose.status.in_(OPEN_DOSE_STATUSES))
        await cancel_reminders(s, Reminder.dose_id.in_(open_doses))
        await s.execute(update(Dose).where(Dose.id.in_(open_doses)).values(status=DoseStatus.CANCELLED))

    async def pause_plan(
        self, plan_id: int, patient_id: int, now: datetime, until: date | None, resume_at: datetime | None
    ) -> None:
        """Pause: the open dose is withdrawn (never counted as missed); optionally resume later."""
        async with self._sessions.begin() as s:
            await self._cancel_open_doses(s, plan_id)
            await s.execute(update(Plan).where(Plan.id == plan_id).values(paused_at=now, paused_until=until))
            if resume_at is not None:
                await remind(s, patient_id, ReminderKind.RESUME, resume_at)

    async def end_pause(self, plan_id: int, patient_id: int) -> bool:
        """Clear the pause (and a pending automatic resume); False when it was not paused."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(Plan)
                .where(Plan.id == plan_id, Plan.paused_at.is_not(None))
                .values(paused_at=None, paused_until=None)
            )
            await cancel_reminders(s, Reminder.patient_id == patient_id, Reminder.kind == ReminderKind.RESUME)
            return bool(changed.rowcount)  # type: ignore[attr-defined]

    async def set_timezone(self, plan_id: int, zone: str) -> None:
        async with self._sessions.begin() as s:
            await s.execute(update(Plan).where(Plan.id == plan_id).values(timezone=zone))

    async def move_dose(
        self, dose_id: int, patient_id: int, due_at: datetime, reminders: Sequence[ReminderSpec]
    ) -> NewDose | None:
        """The same scheduled dose at another time, with new reminders (a change of time zone)."""
        async with self._sessions.begin() as s:
            row = await s.get(Dose, dose_id)
            if row is None or row.patient_id != patient_id or row.status != DoseStatus.SCHEDULED:
                return None
            row.due_at = due_at
            await cancel_reminders(s, Reminder.dose_id == dose_id)
            for spec in reminders:
                await remind(s, patient_id, spec.kind, spec.due_at, dose_id=dose_id)
            await s.flush()
            return NewDose(dose_view(row), sorted({spec.due_at for spec in reminders}))

    async def replace_open_dose(
        self,
        plan_id: int,
        patient_id: int,
        dose: NextDose | None,
        reminders: Sequence[ReminderSpec],
        *,
        timezone: str | None = None,
        phase_index: int | None = None,
    ) -> NewDose | None:
        """Put `dose` in place of the open one (changing the plan's zone or phase with it)."""
        async with self._sessions.begin() as s:
            plan_row = await s.get(Plan, plan_id)
            assert plan_row is not None
            await self._cancel_open_doses(s, plan_id)
            if timezone is not None:
                plan_row.timezone = timezone
            if phase_index is not None:
                plan_row.phase_index, plan_row.phase_started_on = phase_index, None
            if dose is None:
                return None
            return await add_dose(s, patient_id, plan_row, dose, reminders)

    async def replace_heads_up(self, dose_id: int, patient_id: int, at: datetime | None) -> None:
        """Cancel the dose's pending heads-up and, when `at` is given, add one then."""
        async with self._sessions.begin() as s:
            await cancel_reminders(s, Reminder.dose_id == dose_id, Reminder.kind == ReminderKind.HEADS_UP)
            if at is not None:
                await remind(s, patient_id, ReminderKind.HEADS_UP, at, dose_id=dose_id)

    async def recent_doses(self, plan_id: int, limit: int = 10) -> list[DoseView]:
        """The plan's latest closed doses (done/skipped/missed), newest first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(Dose)
                .where(
                    Dose.plan_id == plan_id,
                    Dose.status.in_(CLOSED_DOSE_STATUSES),
                )
                .order_by(Dose.due_at.desc(), Dose.id.desc())
                .limit(limit)
            )
            return [dose_view(r) for r in rows]

    async def rearm_dose(self, dose_id: int, patient_id: int, reminders: Sequence[ReminderSpec]) -> None:
        """Give an open dose its reminders again (those not yet due)."""
        async with self._sessions.begin() as s:
            for spec in reminders:
                await remind(s, patient_id, spec.kind, spec.due_at, dose_id=dose_id)

    async def closed_doses(self, patient_id: int) -> list[DoseView]:
        """Every dose given, skipped or missed, across plans, oldest first (charts, summaries)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(Dose)
                .where(Dose.patient_id == patient_id, Dose.status.in_(CLOSED_DOSE_STATUSES))
                .order_by(Dose.due_at, Dose.id)
            )
            return [dose_view(r) for r in rows]
