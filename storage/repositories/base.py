"""What every repository shares: the session factory, the row -> read-model converters and the
writes more than one aggregate makes (a new dose with its reminders)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, time
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.domain import plan as domain
from bot.domain.records import (
    DoseView,
    Monitoring,
    NewDose,
    NudgeView,
    ReminderSpec,
    ReportView,
)
from bot.domain.schedule import NextDose
from bot.domain.status import (
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
    Patient,
    Plan,
    Reminder,
    SideEffectReport,
)

LAB_KEYS = ("b12", "mma", "hcy", "hb")
MONITORING_COLUMNS = frozenset({
    "rest_days", "heads_up_hours", "checkin_weekday", "checkin_time", "review_weeks", "review_suggested_at",
    "lab_recheck_on", "stock_doses", "stock_syringes", "vial_expires_on", "refill_warned_at",
})  # fmt: skip


class Prefixed:
    """One table's columns of a Core result row, read as attributes (`row.chat_id`), so the same
    converters serve ORM rows and joined Core rows (whose columns carry a table prefix)."""

    __slots__ = ("_prefix", "_row")

    def __init__(self, row: Mapping[Any, Any], prefix: str = "") -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str) -> Any:
        return self._row[self._prefix + name]


def dose_view(row: Dose | Prefixed) -> DoseView:
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


def monitoring_view(row: Patient | Prefixed) -> Monitoring:
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
        row.id,
        row.created_at,
        tuple(row.signs),
        row.site,
        row.severity,
        row.since_at,
        row.words,
        row.level,
        tuple(row.rule_ids),
        ReportStatus(row.status),
        row.follow_ups,
        row.outcome,
        row.closed_at,
        row.asked_at,
    )


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


@functools.lru_cache(maxsize=4096)
def _phases(text: str) -> tuple[domain.Phase, ...]:
    """Phases from their JSON text, parsed once per distinct schedule (most patients share one of a
    few, and the batched delivery path reads thousands of plans a second)."""
    return domain.phases_from_json(json.loads(text))


def plan_to_domain(row: Plan | Prefixed) -> domain.Plan:
    hour, minute = (int(x) for x in row.time_of_day.split(":"))
    phases = row.phases
    return domain.Plan(
        product=domain.Product(row.product),
        product_name=row.product_name,
        strength=row.strength,
        dose=row.dose,
        route=domain.Route(row.route),
        phases=_phases(phases) if isinstance(phases, str) else domain.phases_from_json(phases),
        time_of_day=time(hour, minute),
        timezone=row.timezone,
        sites=tuple(row.sites),
        clinician_name=row.clinician_name,
        clinician_contact=row.clinician_contact,
        start_date=row.start_date,
    )


class Repository:
    """One transaction per public method; a write that changes a dose is guarded by its status.

    `_sessions` gives ORM sessions; the hot paths (a "done", delivery) use `_engine` directly:
    Core statements on a connection, without the ORM's unit of work."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        assert isinstance(bind, AsyncEngine), "the session factory is bound to the bot's engine"
        self._engine: AsyncEngine = bind
        # One statement on its own (a read, the duplicate guard's insert) needs no transaction
        # around it: on PostgreSQL that spares BEGIN and COMMIT/ROLLBACK, two round trips. (SQLite
        # starts none for a read anyway, and switching its mode costs a thread hop each way.)
        postgres = bind.dialect.name == "postgresql"
        self._single: AsyncEngine = bind.execution_options(isolation_level="AUTOCOMMIT") if postgres else bind


async def add_dose(
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


async def hold_next_doses(s: AsyncSession, patient_id: int, now: datetime) -> None:
    """Dose messages ask to check with the clinician first (kept from the first such report)."""
    await s.execute(
        update(Patient)
        .where(Patient.id == patient_id, Patient.clinician_check_at.is_(None))
        .values(clinician_check_at=now)
    )


async def cancel_reminders(s: AsyncSession | AsyncConnection, *where: ColumnElement[bool]) -> None:
    """Cancel the pending reminders that match `where` (sent ones stay as they were)."""
    await s.execute(
        update(Reminder)
        .where(Reminder.state == ReminderState.PENDING, *where)
        .values(state=ReminderState.CANCELLED)
    )


async def remind(
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
