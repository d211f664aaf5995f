"""Patients and their plans: the snapshot every decision reads, the plan, settings, erasure and export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import plan as domain
from bot.domain import status
from bot.domain.records import (
    NewDose,
    ReminderSpec,
    Snapshot,
)
from bot.domain.schedule import NextDose, Progress
from bot.domain.status import (
    OPEN_DOSE_STATUSES,
    DoseStatus,
    ReportStatus,
)
from storage.models import (
    CareAlert,
    CareInvite,
    CareLink,
    ClinicianNudge,
    Dose,
    Draft,
    LabResult,
    Patient,
    Plan,
    ProcessedUpdate,
    Reminder,
    ReportPhoto,
    SideEffectReport,
    SymptomCheckIn,
)
from storage.repositories.base import (
    MONITORING_COLUMNS,
    Repository,
    add_dose,
    cancel_reminders,
    dose_view,
    monitoring_view,
    plan_to_domain,
)


class PatientRepository(Repository):
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
                patient.id,
                patient.chat_id,
                patient.blocked_at is not None,
                None,
                None,
                Progress(),
                None,
                last_used,
                last_site,
                **settings,  # type: ignore[arg-type]
            )
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
            await cancel_reminders(s, Reminder.dose_id.in_(old_doses))
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
            return await add_dose(s, patient_id, row, first, reminders)

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

    async def set_blocked(self, patient_id: int, at: datetime | None) -> None:
        """Blocked (`at` set): every pending reminder is cancelled, nothing is retried.
        Unblocked (`at` None): the caller re-plans what is still to come."""
        async with self._sessions.begin() as s:
            await s.execute(update(Patient).where(Patient.id == patient_id).values(blocked_at=at))
            if at is not None:
                # caregivers' alerts are not the patient's reminders: they still go (issue 16)
                mine = Reminder.kind != status.ReminderKind.CARE_ALERT
                await cancel_reminders(s, Reminder.patient_id == patient_id, mine)

    async def erase_patient(self, chat_id: int) -> bool:
        """Delete everything about the patient in this chat (foreign keys cascade to plans,
        doses, reminders, reports, nudges); True when there was anything to delete."""
        async with self._sessions.begin() as s:
            await s.execute(delete(Draft).where(Draft.chat_id == chat_id))
            patient_id = await s.scalar(select(Patient.id).where(Patient.chat_id == chat_id))
            if patient_id is None:
                return False
            # explicit, children first: does not depend on the database enforcing cascades
            care = (CareAlert, CareLink, CareInvite, ReportPhoto)  # the circle and photos (issue 16)
            for model in (*care, Reminder, ClinicianNudge, SideEffectReport, Dose, Plan, SymptomCheckIn):
                await s.execute(delete(model).where(model.patient_id == patient_id))
            await s.execute(delete(LabResult).where(LabResult.patient_id == patient_id))
            await s.execute(delete(Patient).where(Patient.id == patient_id))
        await self._scrub()
        return True

    async def _scrub(self) -> None:
        """SQLite keeps deleted rows in its write-ahead log until a checkpoint: copy it into the
        file now (where secure_delete has zeroed the freed pages) and empty it."""
        async with self._sessions() as s:
            if s.get_bind().dialect.name == "sqlite":
                await s.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    async def export_rows(self, patient_id: int) -> dict[str, list[dict[str, Any]]]:
        """Everything kept about the patient, table by table (never another patient's): their own
        row (settings: stock, re-check date, check-in day), plans, doses, reminders (pending ones
        too), reports, nudges, check-ins, lab results, and a conversation in progress."""
        tables: dict[str, list[dict[str, Any]]] = {}
        async with self._sessions() as s:
            patient = await s.get(Patient, patient_id)
            if patient is None:
                return tables
            tables["patient"] = [{c.key: getattr(patient, c.key) for c in Patient.__table__.columns}]
            drafts = await s.scalars(select(Draft).where(Draft.chat_id == patient.chat_id))
            tables["conversation_in_progress"] = [
                {c.key: getattr(row, c.key) for c in Draft.__table__.columns} for row in drafts
            ]
            for name, model in (
                ("plans", Plan),
                ("doses", Dose),
                ("reminders", Reminder),
                ("reports", SideEffectReport),
                ("nudges", ClinicianNudge),
                ("symptom_checkins", SymptomCheckIn),
                ("lab_results", LabResult),
            ):
                rows = await s.scalars(select(model).where(model.patient_id == patient_id).order_by(model.id))
                tables[name] = [
                    {c.key: getattr(row, c.key) for c in model.__table__.columns if c.key != "patient_id"}
                    for row in rows
                ]
        return tables

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
