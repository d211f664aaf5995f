"""Patients and their plans: the snapshot every decision reads, the plan, settings, erasure and export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.domain import plan as domain
from bot.domain import status
from bot.domain.records import (
    DraftView,
    NewDose,
    ReminderSpec,
    Snapshot,
)
from bot.domain.schedule import NextDose
from bot.domain.status import (
    OPEN_DOSE_STATUSES,
    DoseStatus,
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
)
from storage.repositories.snapshot import (
    BY_CHAT,
    BY_ID,
    BY_IDS,
    WITH_DRAFT,
    draft_from_row,
    snapshot_from_row,
)

_SEEN = insert(ProcessedUpdate)  # every update


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
        """Everything a decision about the patient in this chat needs, in one statement."""
        return await self._snapshot(BY_CHAT, chat_id)

    async def snapshot_by_id(self, patient_id: int) -> Snapshot | None:
        return await self._snapshot(BY_ID, patient_id)

    async def _snapshot(self, statement: Select[Any], who: int) -> Snapshot | None:
        async with self._single.connect() as connection:
            row = (await connection.execute(statement, {"who": who})).mappings().first()
        return None if row is None else snapshot_from_row(row)

    async def with_draft(self, chat_id: int) -> tuple[DraftView | None, Snapshot | None]:
        """The chat's conversation in progress and its patient's snapshot, in one statement."""
        async with self._single.connect() as connection:
            row = (await connection.execute(WITH_DRAFT, {"who": chat_id})).mappings().one()
        return draft_from_row(row), snapshot_from_row(row)

    async def snapshots(self, patient_ids: Sequence[int]) -> dict[int, Snapshot]:
        """Snapshots of many patients in one statement (a batch of reminders due at once)."""
        if not patient_ids:
            return {}
        async with self._single.connect() as connection:
            rows = (await connection.execute(BY_IDS, {"who": list(patient_ids)})).mappings()
            found = [snapshot_from_row(row) for row in rows]
        return {snap.patient_id: snap for snap in found if snap is not None}

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
            async with self._single.begin() as c:
                await c.execute(_SEEN, {"update_id": update_id, "seen_at": now})
        except IntegrityError:
            return False
        return True

    async def forget_updates_before(self, before: datetime) -> None:
        async with self._sessions.begin() as s:
            await s.execute(delete(ProcessedUpdate).where(ProcessedUpdate.seen_at < before))
