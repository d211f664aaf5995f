"""The queries the bot needs: the only module that writes SQL.

Each public method is one transaction. Methods that change a dose are guarded by its current
status, so a second "done", a stale button or a retried reminder changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import plan as domain
from bot.domain.records import (
    CheckInView,
    ClaimedReminder,
    DoseView,
    DraftView,
    DueContext,
    LabView,
    Monitoring,
    NewDose,
    NudgeView,
    Outcome,
    ReminderSpec,
    ReportView,
    Snapshot,
)
from bot.domain.schedule import NextDose, Progress
from bot.domain.status import (
    CLOSED_DOSE_STATUSES,
    OPEN_DOSE_STATUSES,
    DoseStatus,
    NudgeStatus,
    ReminderKind,
    ReminderState,
    ReportStatus,
)
from bot.domain.supplies import Stock
from storage.models import (
    ClinicianNudge,
    Dose,
    Draft,
    LabResult,
    Patient,
    Plan,
    ProcessedUpdate,
    Reminder,
    SideEffectReport,
    SymptomCheckIn,
)

LAB_KEYS = ("b12", "mma", "hcy", "hb")
MONITORING_COLUMNS = frozenset({
    "rest_days", "heads_up_hours", "checkin_weekday", "checkin_time", "review_weeks", "review_suggested_at",
    "lab_recheck_on", "stock_doses", "stock_syringes", "vial_expires_on", "refill_warned_at",
})  # fmt: skip


def dose_view(row: Dose) -> DoseView:
    return DoseView(
        id=row.id,
        plan_id=row.plan_id,
        phase_index=row.phase_index,
        number_in_phase=row.number_in_phase,
        phase_changed=row.phase_changed,
        due_at=row.due_at,
        status=DoseStatus(row.status),
        given_at=row.given_at,
        site=row.site,
        skip_reason=row.skip_reason,
    )


def monitoring_view(row: Patient) -> Monitoring:
    return Monitoring(
        row.checkin_weekday,
        time.fromisoformat(row.checkin_time) if row.checkin_time else None,
        row.review_weeks,
        row.review_suggested_at is not None,
        row.lab_recheck_on,
        Stock(row.stock_doses, row.stock_syringes, row.vial_expires_on),
        row.refill_warned_at is not None,
    )


def report_view(row: SideEffectReport) -> ReportView:
    return ReportView(
        row.id, row.created_at, tuple(row.signs), row.site, row.severity, row.since_at,
        row.words, row.level, tuple(row.rule_ids), ReportStatus(row.status), row.follow_ups,
        row.outcome, row.closed_at, row.asked_at,
    )  # fmt: skip


def nudge_view(row: ClinicianNudge) -> NudgeView:
    return NudgeView(
        row.id,
        row.patient_id,
        row.report_id,
        row.reason,
        tuple(row.signs),
        NudgeStatus(row.status),
        row.created_at,
    )


def plan_to_domain(row: Plan) -> domain.Plan:
    hour, minute = (int(x) for x in row.time_of_day.split(":"))
    return domain.Plan(
        product=domain.Product(row.product),
        product_name=row.product_name,
        strength=row.strength,
        dose=row.dose,
        route=domain.Route(row.route),
        phases=domain.phases_from_json(row.phases),
        time_of_day=time(hour, minute),
        timezone=row.timezone,
        sites=tuple(row.sites),
        clinician_name=row.clinician_name,
        clinician_contact=row.clinician_contact,
        start_date=row.start_date,
    )


class Repository:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    # --- patients -------------------------------------------------------------------------------

    async def ping(self) -> None:
        """One round trip to the database (raises when it is unreachable)."""
        async with self._sessions() as s:
            await s.execute(select(1))

    async def ensure_patient(self, chat_id: int, now: datetime) -> int:
        """The patient id for a chat, created on first contact."""
        async with self._sessions.begin() as s:
            found = await s.scalar(select(Patient.id).where(Patient.chat_id == chat_id))
            if found is not None:
                return found
            patient = Patient(chat_id=chat_id, created_at=now)
            s.add(patient)
            await s.flush()
            return patient.id

    async def snapshot(self, chat_id: int) -> Snapshot | None:
        async with self._sessions() as s:
            patient = await s.scalar(select(Patient).where(Patient.chat_id == chat_id))
            if patient is None:
                return None
            return await self._snapshot(s, patient)

    async def snapshot_by_id(self, patient_id: int) -> Snapshot | None:
        async with self._sessions() as s:
            patient = await s.get(Patient, patient_id)
            return None if patient is None else await self._snapshot(s, patient)

    async def _snapshot(self, s: AsyncSession, patient: Patient) -> Snapshot:
        plan_row = await s.scalar(select(Plan).where(Plan.patient_id == patient.id, Plan.active.is_(True)))
        last_used_rows = await s.execute(
            select(Dose.site, func.max(Dose.given_at))
            .where(Dose.patient_id == patient.id, Dose.status == DoseStatus.DONE)
            .group_by(Dose.site)
        )
        last_used: dict[str, datetime] = {site: at for site, at in last_used_rows if site and at}
        last_site = max(last_used, key=lambda k: last_used[k]) if last_used else None
        reaction_sites = frozenset(
            site
            for site in await s.scalars(
                select(SideEffectReport.site).where(
                    SideEffectReport.patient_id == patient.id,
                    SideEffectReport.status == ReportStatus.OPEN,
                    SideEffectReport.site.is_not(None),
                )
            )
            if site
        )
        settings = {
            "rest_days": patient.rest_days,
            "heads_up_hours": patient.heads_up_hours,
            "reaction_sites": reaction_sites,
            "clinician_check": patient.clinician_check_at is not None,
            "monitoring": monitoring_view(patient),
        }
        if plan_row is None:
            return Snapshot(
                patient.id, patient.chat_id, patient.blocked_at is not None, None, None,
                Progress(), None, last_used, last_site, **settings,  # type: ignore[arg-type]
            )  # fmt: skip
        open_row = await s.scalar(
            select(Dose)
            .where(Dose.plan_id == plan_row.id, Dose.status.in_(OPEN_DOSE_STATUSES))
            .order_by(Dose.due_at.desc())
            .limit(1)
        )
        return Snapshot(
            patient_id=patient.id,
            chat_id=patient.chat_id,
            blocked=patient.blocked_at is not None,
            plan_id=plan_row.id,
            plan=plan_to_domain(plan_row),
            progress=await self._progress(s, plan_row),
            open_dose=dose_view(open_row) if open_row else None,
            last_used=last_used,
            last_site=last_site,
            paused=plan_row.paused_at is not None,
            paused_until=plan_row.paused_until,
            **settings,  # type: ignore[arg-type]
        )

    async def _progress(self, s: AsyncSession, plan_row: Plan) -> Progress:
        done = Dose.status == DoseStatus.DONE
        closed = Dose.status.not_in((*OPEN_DOSE_STATUSES, DoseStatus.CANCELLED))
        in_phase = Dose.phase_index == plan_row.phase_index
        row = (
            await s.execute(
                select(
                    func.sum(case((and_(done, in_phase), 1), else_=0)),
                    func.max(case((done, Dose.given_at))),
                    func.max(case((Dose.status == DoseStatus.SKIPPED, Dose.due_at))),
                    func.max(case((closed, Dose.due_at))),
                    func.sum(case((and_(Dose.status == DoseStatus.SKIPPED, in_phase), 1), else_=0)),
                    func.sum(case((and_(Dose.status == DoseStatus.MISSED, in_phase), 1), else_=0)),
                ).where(Dose.plan_id == plan_row.id)
            )
        ).one()  # one pass over the plan's doses
        given, last_given, last_skipped, previous_due, skipped, missed = row
        return Progress(
            phase_index=plan_row.phase_index,
            given_in_phase=given or 0,
            phase_started_on=plan_row.phase_started_on,
            last_given_at=last_given,
            last_skipped_due_at=last_skipped,
            previous_due_at=previous_due,
            skipped_in_phase=skipped or 0,
            missed_in_phase=missed or 0,
        )

    # --- plan -----------------------------------------------------------------------------------

    async def save_plan(
        self,
        patient_id: int,
        plan: domain.Plan,
        first: NextDose | None,
        reminders: Sequence[ReminderSpec],
        now: datetime,
    ) -> NewDose | None:
        """Replace the patient's active plan; open doses of the old plan are cancelled."""
        async with self._sessions.begin() as s:
            old_plans = select(Plan.id).where(Plan.patient_id == patient_id, Plan.active.is_(True))
            old_doses = select(Dose.id).where(
                Dose.plan_id.in_(old_plans), Dose.status.in_(OPEN_DOSE_STATUSES)
            )
            await _cancel_reminders(s, Reminder.dose_id.in_(old_doses))
            await s.execute(update(Dose).where(Dose.id.in_(old_doses)).values(status=DoseStatus.CANCELLED))
            await s.execute(update(Plan).where(Plan.patient_id == patient_id).values(active=False))
            row = Plan(
                patient_id=patient_id,
                active=True,
                product=plan.product.value,
                product_name=plan.product_name,
                strength=plan.strength,
                dose=plan.dose,
                route=plan.route.value,
                phases=domain.phases_to_json(plan.phases),
                time_of_day=plan.time_of_day.strftime("%H:%M"),
                timezone=plan.timezone,
                sites=list(plan.sites),
                clinician_name=plan.clinician_name,
                clinician_contact=plan.clinician_contact,
                start_date=plan.start_date,
                phase_index=0,
                phase_started_on=None,
                created_at=now,
            )
            s.add(row)
            await s.flush()
            if first is None:
                return None
            return await self._add_dose(s, patient_id, row, first, reminders)

    async def _add_dose(
        self,
        s: AsyncSession,
        patient_id: int,
        plan_row: Plan,
        dose: NextDose,
        reminders: Sequence[ReminderSpec],
    ) -> NewDose:
        plan_row.phase_index = dose.phase_index
        plan_row.phase_started_on = dose.phase_started_on
        row = Dose(
            patient_id=patient_id,
            plan_id=plan_row.id,
            phase_index=dose.phase_index,
            number_in_phase=dose.number_in_phase,
            phase_changed=dose.phase_changed,
            due_at=dose.due_at,
            status=DoseStatus.SCHEDULED,
        )
        s.add(row)
        await s.flush()
        for spec in reminders:
            s.add(Reminder(patient_id=patient_id, dose_id=row.id, kind=spec.kind, due_at=spec.due_at))
        await s.flush()
        return NewDose(dose_view(row), sorted({spec.due_at for spec in reminders}))

    # --- dose transitions -------------------------------------------------------------------------

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
    ) -> tuple[str, NewDose | None]:
        """Mark a dose done/skipped/missed, cancel its pending reminders, add the next dose.

        Guarded: does nothing (returns ALREADY) unless the dose is still in `from_statuses`.
        """
        async with self._sessions.begin() as s:
            row = await s.get(Dose, dose_id)
            if row is None or row.patient_id != patient_id:
                return Outcome.NOT_FOUND, None
            changed = await s.execute(
                update(Dose)
                .where(Dose.id == dose_id, Dose.status.in_(list(from_statuses)))
                .values(
                    status=status,
                    given_at=given_at,
                    site=site,
                    skip_reason=skip_reason,
                    recorded_at=now,
                )
            )
            if changed.rowcount != 1:  # type: ignore[attr-defined]
                return Outcome.ALREADY, None
            await _cancel_reminders(s, Reminder.dose_id == dose_id)
            if status == DoseStatus.DONE:  # one vial dose and one syringe used (when tracked)
                await s.execute(
                    update(Patient)
                    .where(Patient.id == patient_id)
                    .values(
                        stock_doses=case((Patient.stock_doses > 0, Patient.stock_doses - 1),
                                         else_=Patient.stock_doses),
                        stock_syringes=case((Patient.stock_syringes > 0, Patient.stock_syringes - 1),
                                            else_=Patient.stock_syringes),
                    )
                )  # fmt: skip
            plan_row = await s.get(Plan, row.plan_id)
            if next_dose is None or plan_row is None or not plan_row.active:
                return Outcome.OK, None
            has_open = await s.scalar(
                select(func.count()).where(Dose.plan_id == plan_row.id, Dose.status.in_(OPEN_DOSE_STATUSES))
            )
            if has_open:  # a back-dated confirmation of an older dose: the open one stays
                return Outcome.OK, None
            return Outcome.OK, await self._add_dose(s, patient_id, plan_row, next_dose, reminders)

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

    async def due_contexts(self, patient_ids: Sequence[int]) -> dict[int, DueContext]:
        """DueContext for many patients in four queries (the batched delivery path)."""
        ids = list(patient_ids)
        async with self._sessions() as s:
            patients = {p.id: p for p in await s.scalars(select(Patient).where(Patient.id.in_(ids)))}
            plans = {
                p.patient_id: p
                for p in await s.scalars(select(Plan).where(Plan.patient_id.in_(ids), Plan.active.is_(True)))
            }
            last_used: dict[int, dict[str, datetime]] = {i: {} for i in ids}
            for patient_id, site, at in await s.execute(
                select(Dose.patient_id, Dose.site, func.max(Dose.given_at))
                .where(Dose.patient_id.in_(ids), Dose.status == DoseStatus.DONE)
                .group_by(Dose.patient_id, Dose.site)
            ):
                if site and at:
                    last_used[patient_id][site] = at
            counts: dict[int, tuple[int, int, int]] = {}
            for patient_id, given, skipped, missed in await s.execute(
                select(
                    Dose.patient_id,
                    func.sum(case((Dose.status == DoseStatus.DONE, 1), else_=0)),
                    func.sum(case((Dose.status == DoseStatus.SKIPPED, 1), else_=0)),
                    func.sum(case((Dose.status == DoseStatus.MISSED, 1), else_=0)),
                )
                .join(Plan, and_(Plan.id == Dose.plan_id, Plan.active.is_(True)))
                .where(Dose.patient_id.in_(ids), Dose.phase_index == Plan.phase_index)
                .group_by(Dose.patient_id)
            ):
                counts[patient_id] = (given or 0, skipped or 0, missed or 0)
            reactions: dict[int, set[str]] = {i: set() for i in ids}
            for patient_id, site in await s.execute(
                select(SideEffectReport.patient_id, SideEffectReport.site).where(
                    SideEffectReport.patient_id.in_(ids),
                    SideEffectReport.status == ReportStatus.OPEN,
                    SideEffectReport.site.is_not(None),
                )
            ):
                if site:
                    reactions[patient_id].add(site)
        contexts = {}
        for patient_id, patient in patients.items():
            plan_row = plans.get(patient_id)
            contexts[patient_id] = DueContext(
                patient.chat_id, patient.blocked_at is not None,
                plan_to_domain(plan_row) if plan_row else None,
                plan_row is not None and plan_row.paused_at is not None,
                last_used[patient_id], frozenset(reactions[patient_id]),
                patient.clinician_check_at is not None,
                _phase_progress(plan_row, counts.get(patient_id, (0, 0, 0))),
            )  # fmt: skip
        return contexts

    async def doses_by_id(self, dose_ids: Sequence[int]) -> dict[int, DoseView]:
        async with self._sessions() as s:
            rows = await s.scalars(select(Dose).where(Dose.id.in_(list(dose_ids))))
            return {row.id: dose_view(row) for row in rows}

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

    async def snooze(self, dose_id: int, patient_id: int, until: datetime) -> tuple[str, datetime | None]:
        """A snooze reminder at `until`; the 2-hour re-reminder is dropped (the snooze replaces it)."""
        async with self._sessions.begin() as s:
            row = await s.get(Dose, dose_id)
            if row is None or row.patient_id != patient_id:
                return Outcome.NOT_FOUND, None
            if row.status not in OPEN_DOSE_STATUSES:
                return Outcome.ALREADY, None
            await _cancel_reminders(
                s,
                Reminder.dose_id == dose_id,
                Reminder.kind.in_([ReminderKind.RE_REMIND, ReminderKind.SNOOZE]),
            )
            await _remind(s, patient_id, ReminderKind.SNOOZE, until, dose_id=dose_id)
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

    # --- reminders ------------------------------------------------------------------------------

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[ClaimedReminder]:
        """Claim reminders that are due (or whose claim lease ran out), oldest first."""
        claimable = or_(
            and_(
                Reminder.state == ReminderState.PENDING,
                Reminder.due_at <= now,
                or_(Reminder.retry_at.is_(None), Reminder.retry_at <= now),
            ),
            and_(Reminder.state == ReminderState.CLAIMED, Reminder.lease_until < now),
        )
        async with self._sessions.begin() as s:
            ids = (
                select(Reminder.id)
                .where(claimable)
                .order_by(Reminder.due_at, Reminder.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(ids.scalar_subquery()), claimable)
                .values(
                    state=ReminderState.CLAIMED,
                    lease_until=lease_until,
                    attempts=Reminder.attempts + 1,
                )
                .returning(
                    Reminder.id,
                    Reminder.patient_id,
                    Reminder.dose_id,
                    Reminder.kind,
                    Reminder.due_at,
                    Reminder.attempts,
                    Reminder.report_id,
                    Reminder.nudge_id,
                )
                .execution_options(synchronize_session=False)
            )
            claimed = [
                ClaimedReminder(r.id, r.patient_id, r.dose_id, ReminderKind(r.kind), r.due_at,
                                r.attempts, r.report_id, r.nudge_id)
                for r in rows
            ]  # fmt: skip
        return sorted(claimed, key=lambda c: (c.due_at, c.id))

    async def finish_reminders(self, ids: Sequence[int], state: ReminderState, now: datetime) -> None:
        """Mark claimed reminders sent (or cancelled when there was nothing left to say)."""
        if not ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(list(ids)), Reminder.state == ReminderState.CLAIMED)
                .values(
                    state=state,
                    sent_at=now if state is ReminderState.SENT else None,
                    lease_until=None,
                )
            )

    async def release_reminders(self, ids: Sequence[int], retry_at: datetime) -> None:
        """Give claimed reminders back after a failed send; tried again from `retry_at`."""
        if not ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(list(ids)), Reminder.state == ReminderState.CLAIMED)
                .values(state=ReminderState.PENDING, retry_at=retry_at, lease_until=None)
            )

    async def claim_reminders_of(
        self, dose_id: int, kind: ReminderKind, now: datetime, lease_until: datetime
    ) -> list[int]:
        """Claim one dose's pending reminders of `kind` due by `now` (sent together with others)."""
        async with self._sessions.begin() as s:
            rows = await s.execute(
                update(Reminder)
                .where(
                    Reminder.dose_id == dose_id,
                    Reminder.kind == kind,
                    Reminder.state == ReminderState.PENDING,
                    Reminder.due_at <= now,
                )
                .values(
                    state=ReminderState.CLAIMED,
                    lease_until=lease_until,
                    attempts=Reminder.attempts + 1,
                )
                .returning(Reminder.id)
                .execution_options(synchronize_session=False)
            )
            return [r.id for r in rows]

    async def pending_due_times(self, until: datetime) -> list[datetime]:
        """Distinct due times of pending reminders up to `until` (to re-arm the timer)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(func.coalesce(Reminder.retry_at, Reminder.due_at))
                .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= until)
                .distinct()
            )
            return sorted(set(rows))

    # --- plan changes over time -----------------------------------------------------------------

    async def _cancel_open_doses(self, s: AsyncSession, plan_id: int) -> None:
        open_doses = select(Dose.id).where(Dose.plan_id == plan_id, Dose.status.in_(OPEN_DOSE_STATUSES))
        await _cancel_reminders(s, Reminder.dose_id.in_(open_doses))
        await s.execute(update(Dose).where(Dose.id.in_(open_doses)).values(status=DoseStatus.CANCELLED))

    async def pause_plan(
        self, plan_id: int, patient_id: int, now: datetime, until: date | None, resume_at: datetime | None
    ) -> None:
        """Pause: the open dose is withdrawn (never counted as missed); optionally resume later."""
        async with self._sessions.begin() as s:
            await self._cancel_open_doses(s, plan_id)
            await s.execute(update(Plan).where(Plan.id == plan_id).values(paused_at=now, paused_until=until))
            if resume_at is not None:
                await _remind(s, patient_id, ReminderKind.RESUME, resume_at)

    async def end_pause(self, plan_id: int, patient_id: int) -> bool:
        """Clear the pause (and a pending automatic resume); False when it was not paused."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(Plan)
                .where(Plan.id == plan_id, Plan.paused_at.is_not(None))
                .values(paused_at=None, paused_until=None)
            )
            await _cancel_reminders(
                s, Reminder.patient_id == patient_id, Reminder.kind == ReminderKind.RESUME
            )
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
            await _cancel_reminders(s, Reminder.dose_id == dose_id)
            for spec in reminders:
                await _remind(s, patient_id, spec.kind, spec.due_at, dose_id=dose_id)
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
            return await self._add_dose(s, patient_id, plan_row, dose, reminders)

    # --- side-effect reports and clinician nudges ---------------------------------------------------

    async def add_report(
        self,
        patient_id: int,
        now: datetime,
        *,
        signs: Sequence[str],
        site: str | None,
        severity: str | None,
        since_at: datetime | None,
        words: str | None,
        level: str,
        rule_ids: Sequence[str],
        follow_up_at: datetime | None,
        nudge: tuple[str, Sequence[str], datetime] | None,
        hold: bool = False,
    ) -> tuple[int, int | None]:
        """Save a report, its first follow-up and (for `clinician`+) a nudge; with `hold`, ask
        to check with the clinician before the next dose. One transaction."""
        async with self._sessions.begin() as s:
            if hold:
                await _hold(s, patient_id, now)
            report = SideEffectReport(
                patient_id=patient_id, created_at=now, signs=list(signs), site=site,
                severity=severity, since_at=since_at, words=words, level=level,
                rule_ids=list(rule_ids), status=ReportStatus.OPEN, follow_ups=0,
            )  # fmt: skip
            s.add(report)
            await s.flush()
            if follow_up_at is not None:
                await _remind(s, patient_id, ReminderKind.FOLLOW_UP, follow_up_at, report_id=report.id)
            nudge_id = None
            if nudge is not None:
                reason, nudge_signs, due = nudge
                nudge_id = await self._add_nudge(s, patient_id, report.id, reason, nudge_signs, now, due)
            return report.id, nudge_id

    async def update_report(
        self,
        report_id: int,
        patient_id: int,
        now: datetime,
        *,
        changes: dict[str, Any],
        nudge: tuple[str, Sequence[str], datetime] | None,
        hold: bool,
    ) -> tuple[ReportView | None, int | None]:
        """Add details to the patient's open report (site, severity, since, words, a higher level);
        with `nudge`, start nudging. None when the report is not theirs or is closed."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return None, None
            for key, value in changes.items():
                setattr(row, key, value)
            if hold:
                await _hold(s, patient_id, now)
            nudge_id = None
            if nudge is not None:
                await _cancel_reminders(
                    s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
                )
                reason, signs, due = nudge
                nudge_id = await self._add_nudge(s, patient_id, report_id, reason, signs, now, due)
            await s.flush()
            return report_view(row), nudge_id

    async def close_report(
        self, report_id: int, patient_id: int, now: datetime, outcome: str
    ) -> ReportView | None:
        """Close the patient's open report: its follow-ups and its nudges stop. None when it is
        not theirs or already closed."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return None
            row.status, row.outcome, row.closed_at, row.asked_at = ReportStatus.CLOSED, outcome, now, None
            nudges = select(ClinicianNudge.id).where(ClinicianNudge.report_id == report_id)
            await _cancel_reminders(s, or_(Reminder.report_id == report_id, Reminder.nudge_id.in_(nudges)))
            await s.execute(
                update(ClinicianNudge)
                .where(ClinicianNudge.report_id == report_id, ClinicianNudge.status == NudgeStatus.OPEN)
                .values(status=NudgeStatus.CLOSED)
            )
            await s.flush()
            return report_view(row)

    async def open_reports(self, patient_id: int) -> list[ReportView]:
        """Open reports, newest first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(SideEffectReport)
                .where(
                    SideEffectReport.patient_id == patient_id, SideEffectReport.status == ReportStatus.OPEN
                )
                .order_by(SideEffectReport.created_at.desc(), SideEffectReport.id.desc())
            )
            return [report_view(r) for r in rows]

    async def mark_asked(self, report_id: int, at: datetime | None) -> None:
        """A follow-up question about the report went out (or was answered: None)."""
        async with self._sessions.begin() as s:
            await s.execute(
                update(SideEffectReport).where(SideEffectReport.id == report_id).values(asked_at=at)
            )

    async def add_follow_up(self, report_id: int, patient_id: int, at: datetime) -> bool:
        """Ask about the patient's open report at `at` ("has it settled?")."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return False
            await _cancel_reminders(
                s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
            )
            await _remind(s, patient_id, ReminderKind.FOLLOW_UP, at, report_id=report_id)
            return True

    async def clear_clinician_check(self, patient_id: int) -> bool:
        """The clinician said to carry on: dose messages stop asking. False when nothing was set."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(Patient)
                .where(Patient.id == patient_id, Patient.clinician_check_at.is_not(None))
                .values(clinician_check_at=None)
            )
            return bool(changed.rowcount)  # type: ignore[attr-defined]

    async def report(self, report_id: int) -> ReportView | None:
        async with self._sessions() as s:
            row = await s.get(SideEffectReport, report_id)
            return report_view(row) if row else None

    async def report_owner(self, report_id: int) -> int | None:
        async with self._sessions() as s:
            return await s.scalar(select(SideEffectReport.patient_id).where(SideEffectReport.id == report_id))

    async def reports(self, patient_id: int, limit: int = 20) -> list[ReportView]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(SideEffectReport)
                .where(SideEffectReport.patient_id == patient_id)
                .order_by(SideEffectReport.created_at.desc(), SideEffectReport.id.desc())
                .limit(limit)
            )
            return [report_view(r) for r in rows]

    async def follow_up_answered(
        self,
        report_id: int,
        now: datetime,
        *,
        close_as: str | None = None,
        next_follow_up_at: datetime | None = None,
        escalate: tuple[str, Sequence[str], tuple[str, Sequence[str], datetime]] | None = None,
    ) -> tuple[bool, int | None]:
        """Record a follow-up answer: close the report, ask again later, or escalate it.

        Guarded: an answer to a report that is already closed changes nothing (returns False).
        Returns (recorded, the new nudge's id when escalated).
        """
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.status != ReportStatus.OPEN:
                return False, None
            row.follow_ups += 1
            row.asked_at = None
            await _cancel_reminders(
                s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
            )
            if close_as is not None:
                row.status, row.outcome, row.closed_at = ReportStatus.CLOSED, close_as, now
            if next_follow_up_at is not None:
                await _remind(s, row.patient_id, ReminderKind.FOLLOW_UP, next_follow_up_at, report_id=row.id)
            if escalate is not None:
                level, rule_ids, (reason, signs, due) = escalate
                row.level, row.outcome = level, "escalated"
                row.rule_ids = [*row.rule_ids, *(r for r in rule_ids if r not in row.rule_ids)]
                nudge_id = await self._add_nudge(s, row.patient_id, row.id, reason, signs, now, due)
                return True, nudge_id
            return True, None

    async def _add_nudge(
        self, s: AsyncSession, patient_id: int, report_id: int | None, reason: str,
        signs: Sequence[str], now: datetime, due: datetime,
    ) -> int:  # fmt: skip
        nudge = ClinicianNudge(
            patient_id=patient_id, report_id=report_id, reason=reason, signs=list(signs),
            status=NudgeStatus.OPEN, created_at=now,
        )  # fmt: skip
        s.add(nudge)
        await s.flush()
        await _remind(s, patient_id, ReminderKind.NUDGE, due, nudge_id=nudge.id)
        return nudge.id

    async def add_nudge(
        self, patient_id: int, reason: str, signs: Sequence[str], now: datetime, due: datetime
    ) -> int | None:
        """A nudge not tied to a report (e.g. missed doses); None if one for `reason` is open."""
        async with self._sessions.begin() as s:
            existing = await s.scalar(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id,
                    ClinicianNudge.reason == reason,
                    ClinicianNudge.status == NudgeStatus.OPEN,
                )
            )
            if existing is not None:
                return None
            return await self._add_nudge(s, patient_id, None, reason, signs, now, due)

    async def open_nudge_ids(self, patient_id: int) -> list[int]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id, ClinicianNudge.status == NudgeStatus.OPEN
                )
            )
            return list(rows)

    async def nudge(self, nudge_id: int) -> NudgeView | None:
        async with self._sessions() as s:
            row = await s.get(ClinicianNudge, nudge_id)
            return nudge_view(row) if row else None

    async def nudge_contacted(self, nudge_id: int, patient_id: int, now: datetime) -> bool:
        """The patient contacted their clinician: stop nudging. False when already done."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(ClinicianNudge)
                .where(
                    ClinicianNudge.id == nudge_id,
                    ClinicianNudge.patient_id == patient_id,
                    ClinicianNudge.status == NudgeStatus.OPEN,
                )
                .values(status=NudgeStatus.CONTACTED, contacted_at=now)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                return False
            await _cancel_reminders(s, Reminder.nudge_id == nudge_id)
            return True

    async def renudge_at(self, nudge_id: int, patient_id: int, at: datetime) -> bool:
        """Replace the nudge's pending repeat with one at `at` (if it is still open)."""
        async with self._sessions.begin() as s:
            row = await s.get(ClinicianNudge, nudge_id)
            if row is None or row.patient_id != patient_id or row.status != NudgeStatus.OPEN:
                return False
            await _cancel_reminders(s, Reminder.nudge_id == nudge_id)
            await _remind(s, patient_id, ReminderKind.NUDGE, at, nudge_id=nudge_id)
            return True

    # --- patient settings and sites -----------------------------------------------------------------

    async def set_sites(self, patient_id: int, sites: Sequence[str], rename: tuple[str, str] | None) -> None:
        """Replace the active plan's sites; a rename also renames the site in past records."""
        async with self._sessions.begin() as s:
            await s.execute(
                update(Plan)
                .where(Plan.patient_id == patient_id, Plan.active.is_(True))
                .values(sites=list(sites))
            )
            if rename is not None:
                old, new = rename
                await s.execute(
                    update(Dose).where(Dose.patient_id == patient_id, Dose.site == old).values(site=new)
                )
                await s.execute(
                    update(SideEffectReport)
                    .where(SideEffectReport.patient_id == patient_id, SideEffectReport.site == old)
                    .values(site=new)
                )

    async def set_patient_settings(self, patient_id: int, **values: object) -> None:
        """Settings on the patient row (rotation, heads-up, monitoring)."""
        if not set(values) <= MONITORING_COLUMNS:
            raise ValueError(f"unknown settings: {set(values) - MONITORING_COLUMNS}")
        async with self._sessions.begin() as s:
            await s.execute(update(Patient).where(Patient.id == patient_id).values(**values))

    async def replace_heads_up(self, dose_id: int, patient_id: int, at: datetime | None) -> None:
        """Cancel the dose's pending heads-up and, when `at` is given, add one then."""
        async with self._sessions.begin() as s:
            await _cancel_reminders(s, Reminder.dose_id == dose_id, Reminder.kind == ReminderKind.HEADS_UP)
            if at is not None:
                await _remind(s, patient_id, ReminderKind.HEADS_UP, at, dose_id=dose_id)

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

    # --- duplicate deliveries -----------------------------------------------------------------------

    async def first_delivery(self, update_id: int, now: datetime) -> bool:
        """Record an update id; False when it was seen before (a retried webhook delivery)."""
        try:
            async with self._sessions.begin() as s:
                s.add(ProcessedUpdate(update_id=update_id, seen_at=now))
        except IntegrityError:
            return False
        return True

    async def forget_updates_before(self, before: datetime) -> None:
        async with self._sessions.begin() as s:
            await s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < before))

    # --- blocking ----------------------------------------------------------------------------------

    async def set_blocked(self, patient_id: int, at: datetime | None) -> None:
        """Blocked (`at` set): every pending reminder is cancelled, nothing is retried.
        Unblocked (`at` None): the caller re-plans what is still to come."""
        async with self._sessions.begin() as s:
            await s.execute(update(Patient).where(Patient.id == patient_id).values(blocked_at=at))
            if at is not None:
                await _cancel_reminders(s, Reminder.patient_id == patient_id)

    async def rearm_dose(self, dose_id: int, patient_id: int, reminders: Sequence[ReminderSpec]) -> None:
        """Give an open dose its reminders again (those not yet due)."""
        async with self._sessions.begin() as s:
            for spec in reminders:
                await _remind(s, patient_id, spec.kind, spec.due_at, dose_id=dose_id)

    async def rearm_safety(self, patient_id: int, at: datetime) -> list[datetime]:
        """After unblocking: one follow-up per open watch report, one nudge per open nudge, at `at`."""
        async with self._sessions.begin() as s:
            reports = await s.scalars(
                select(SideEffectReport.id).where(
                    SideEffectReport.patient_id == patient_id,
                    SideEffectReport.status == ReportStatus.OPEN,
                    SideEffectReport.level == "watch",
                )
            )
            nudges = await s.scalars(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id, ClinicianNudge.status == NudgeStatus.OPEN
                )
            )
            armed = False
            for report_id in list(reports):
                await _remind(s, patient_id, ReminderKind.FOLLOW_UP, at, report_id=report_id)
                armed = True
            for nudge_id in list(nudges):
                await _remind(s, patient_id, ReminderKind.NUDGE, at, nudge_id=nudge_id)
                armed = True
            return [at] if armed else []

    # --- monitoring: reminders about the patient, check-ins, labs ----------------------------------

    async def replace_patient_reminder(
        self, patient_id: int, kind: ReminderKind, at: datetime | None
    ) -> None:
        """Cancel the patient's pending reminders of `kind` and, when `at` is given, add one then."""
        async with self._sessions.begin() as s:
            await _cancel_reminders(s, Reminder.patient_id == patient_id, Reminder.kind == kind)
            if at is not None:
                await _remind(s, patient_id, kind, at)

    async def add_checkin(
        self, patient_id: int, now: datetime, levels: dict[str, int], message_id: int | None
    ) -> int | None:
        """Store a check-in; None when the question (`message_id`) was already answered."""
        try:
            async with self._sessions.begin() as s:
                row = SymptomCheckIn(
                    patient_id=patient_id, created_at=now, levels=levels, message_id=message_id
                )
                s.add(row)
                await s.flush()
                return row.id
        except IntegrityError:
            return None

    async def set_checkin_note(self, patient_id: int, checkin_id: int, note: str) -> bool:
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(SymptomCheckIn)
                .where(SymptomCheckIn.id == checkin_id, SymptomCheckIn.patient_id == patient_id)
                .values(note=note)
            )
            return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    async def checkins(self, patient_id: int) -> list[CheckInView]:
        """Every check-in, oldest (the baseline) first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(SymptomCheckIn)
                .where(SymptomCheckIn.patient_id == patient_id)
                .order_by(SymptomCheckIn.created_at, SymptomCheckIn.id)
            )
            return [CheckInView(r.id, r.created_at, dict(r.levels), r.note) for r in rows]

    async def add_lab(self, patient_id: int, taken_on: date, now: datetime, values: dict[str, float]) -> int:
        if not values or not set(values) <= set(LAB_KEYS):
            raise ValueError("lab values must name known analytes")
        async with self._sessions.begin() as s:
            row = LabResult(patient_id=patient_id, taken_on=taken_on, created_at=now, **values)
            s.add(row)
            await s.flush()
            return row.id

    async def labs(self, patient_id: int) -> list[LabView]:
        """Every lab result, oldest first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(LabResult)
                .where(LabResult.patient_id == patient_id)
                .order_by(LabResult.taken_on, LabResult.id)
            )
            return [
                LabView(r.id, r.taken_on, {k: v for k in LAB_KEYS if (v := getattr(r, k)) is not None})
                for r in rows
            ]

    async def closed_doses(self, patient_id: int) -> list[DoseView]:
        """Every dose given, skipped or missed, across plans, oldest first (charts, summaries)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(Dose)
                .where(Dose.patient_id == patient_id, Dose.status.in_(CLOSED_DOSE_STATUSES))
                .order_by(Dose.due_at, Dose.id)
            )
            return [dose_view(r) for r in rows]

    # --- privacy ------------------------------------------------------------------------------------

    async def erase_patient(self, chat_id: int) -> bool:
        """Delete everything about the patient in this chat (foreign keys cascade to plans,
        doses, reminders, reports, nudges); True when there was anything to delete."""
        async with self._sessions.begin() as s:
            await s.execute(delete(Draft).where(Draft.chat_id == chat_id))
            patient_id = await s.scalar(select(Patient.id).where(Patient.chat_id == chat_id))
            if patient_id is None:
                return False
            # explicit, children first: does not depend on the database enforcing cascades
            for model in (Reminder, ClinicianNudge, SideEffectReport, Dose, Plan, SymptomCheckIn, LabResult):
                await s.execute(delete(model).where(model.patient_id == patient_id))
            await s.execute(delete(Patient).where(Patient.id == patient_id))
            return True

    async def export_rows(self, patient_id: int) -> dict[str, list[dict[str, Any]]]:
        """The patient's own rows, table by table (never another patient's)."""
        tables: dict[str, list[dict[str, Any]]] = {}
        async with self._sessions() as s:
            for name, model in (("plans", Plan), ("doses", Dose), ("reports", SideEffectReport),
                                ("nudges", ClinicianNudge), ("symptom_checkins", SymptomCheckIn),
                                ("lab_results", LabResult)):  # fmt: skip
                rows = await s.scalars(select(model).where(model.patient_id == patient_id).order_by(model.id))
                tables[name] = [
                    {c.key: getattr(row, c.key) for c in model.__table__.columns if c.key != "patient_id"}
                    for row in rows
                ]
        return tables

    # --- drafts (conversations in progress) -----------------------------------------------------

    async def draft(self, chat_id: int) -> DraftView | None:
        async with self._sessions() as s:
            row = await s.get(Draft, chat_id)
            if row is None:
                return None
            return DraftView(row.chat_id, row.flow, row.step, dict(row.data), row.updated_at)

    async def save_draft(
        self, chat_id: int, flow: str, step: str, data: dict[str, Any], now: datetime
    ) -> None:
        async with self._sessions.begin() as s:
            row = await s.get(Draft, chat_id)
            if row is None:
                s.add(Draft(chat_id=chat_id, flow=flow, step=step, data=data, updated_at=now))
            else:
                row.flow, row.step, row.data, row.updated_at = flow, step, dict(data), now

    async def delete_draft(self, chat_id: int) -> None:
        async with self._sessions.begin() as s:
            await s.execute(delete(Draft).where(Draft.chat_id == chat_id))


def _phase_progress(plan_row: Plan | None, counts: tuple[int, int, int]) -> Progress:
    """The counts of the plan's current phase (what a dose message says about where they are)."""
    if plan_row is None:
        return Progress()
    given, skipped, missed = counts
    return Progress(
        phase_index=plan_row.phase_index, given_in_phase=given, phase_started_on=plan_row.phase_started_on,
        skipped_in_phase=skipped, missed_in_phase=missed,
    )  # fmt: skip


async def _hold(s: AsyncSession, patient_id: int, now: datetime) -> None:
    """Dose messages ask to check with the clinician first (kept from the first such report)."""
    await s.execute(
        update(Patient)
        .where(Patient.id == patient_id, Patient.clinician_check_at.is_(None))
        .values(clinician_check_at=now)
    )


async def _cancel_reminders(s: AsyncSession, *where: ColumnElement[bool]) -> None:
    """Cancel the pending reminders that match `where` (sent ones stay as they were)."""
    await s.execute(
        update(Reminder)
        .where(Reminder.state == ReminderState.PENDING, *where)
        .values(state=ReminderState.CANCELLED)
    )


async def _remind(
    s: AsyncSession,
    patient_id: int,
    kind: ReminderKind,
    due_at: datetime,
    *,
    dose_id: int | None = None,
    report_id: int | None = None,
    nudge_id: int | None = None,
) -> None:
    """Queue a reminder; one with the same unique key (kind, subject, time) is revived instead."""
    existing = await s.scalar(
        select(Reminder).where(
            Reminder.kind == kind,
            Reminder.due_at == due_at,
            Reminder.dose_id == dose_id if dose_id is not None else Reminder.dose_id.is_(None),
            Reminder.report_id == report_id if report_id is not None else Reminder.report_id.is_(None),
            Reminder.nudge_id == nudge_id if nudge_id is not None else Reminder.nudge_id.is_(None),
        )
    )
    if existing is not None:
        existing.state, existing.retry_at = ReminderState.PENDING, None
        return
    s.add(
        Reminder(
            patient_id=patient_id,
            kind=kind,
            due_at=due_at,
            dose_id=dose_id,
            report_id=report_id,
            nudge_id=nudge_id,
        )
    )
