"""Closing a dose and adding the next one: the busiest write there is (every "done", every missed
dose), so its statements are built once, with their values bound at execution (building an
SQLAlchemy statement costs more than the database takes to run it)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.records import ClosedDose, DoseView, NewDose, Outcome, ReminderSpec
from bot.domain.schedule import NextDose
from bot.domain.status import OPEN_DOSE_STATUSES, DoseStatus, ReminderState
from bot.domain.supplies import Stock
from storage.models import Dose, Patient, Plan, Reminder
from storage.repositories.base import Prefixed, dose_view

DOSE_COLUMNS = tuple(Dose.__table__.c)
_COLUMN = Dose.__table__.c

CLOSE = (
    update(Dose)
    .where(
        Dose.id == bindparam("dose_id"),
        Dose.patient_id == bindparam("for_patient"),
        Dose.status.in_(bindparam("from_statuses", expanding=True)),
    )
    .values(
        status=bindparam("new_status", type_=_COLUMN.status.type),
        given_at=bindparam("new_given_at", type_=_COLUMN.given_at.type),
        site=bindparam("new_site", type_=_COLUMN.site.type),
        skip_reason=bindparam("new_skip_reason", type_=_COLUMN.skip_reason.type),
        recorded_at=bindparam("new_recorded_at", type_=_COLUMN.recorded_at.type),
    )
    .returning(*DOSE_COLUMNS)
)
FIND = select(*DOSE_COLUMNS).where(Dose.id == bindparam("dose_id"))
CANCEL_ITS_REMINDERS = (
    update(Reminder)
    .where(Reminder.state == ReminderState.PENDING, Reminder.dose_id == bindparam("of_dose"))
    .values(state=ReminderState.CANCELLED)
)
STOCK = (
    update(Patient)
    .where(Patient.id == bindparam("patient_id"))
    .values(stock_doses=bindparam("new_doses"), stock_syringes=bindparam("new_syringes"))
)
_NEW_DOSE = ("patient_id", "plan_id", "phase_index", "number_in_phase", "phase_changed", "due_at", "status")
# the next dose, only while its plan is active and has no open dose (one statement)
ADD_NEXT = (
    insert(Dose)
    .from_select(
        list(_NEW_DOSE),
        select(*(bindparam(f"new_{name}", type_=_COLUMN[name].type) for name in _NEW_DOSE)).where(
            select(Plan.id).where(Plan.id == bindparam("new_plan_id"), Plan.active.is_(True)).exists(),
            ~select(Dose.id)
            .where(Dose.plan_id == bindparam("new_plan_id"), Dose.status.in_(OPEN_DOSE_STATUSES))
            .exists(),
        ),
    )
    .returning(Dose.id)
)
ADD_REMINDERS = insert(Reminder)
PHASE = (
    update(Plan)
    .where(Plan.id == bindparam("plan_id"))
    .values(phase_index=bindparam("new_phase_index"), phase_started_on=bindparam("new_phase_started_on"))
)


async def close_dose(
    c: AsyncConnection,
    dose_id: int,
    patient_id: int,
    status: DoseStatus,
    now: datetime,
    *,
    from_statuses: Iterable[DoseStatus],
    given_at: datetime | None,
    site: str | None,
    skip_reason: str | None,
    next_dose: NextDose | None,
    reminders: Sequence[ReminderSpec],
    stock: Stock | None,
    known_phase: tuple[int, date | None] | None,
) -> ClosedDose:
    """See `DoseRepository.close_dose`; runs in the caller's transaction `c`."""
    closed = (
        await c.execute(
            CLOSE,
            {
                "dose_id": dose_id, "for_patient": patient_id, "from_statuses": list(from_statuses),
                "new_status": status.value, "new_given_at": given_at, "new_site": site,
                "new_skip_reason": skip_reason, "new_recorded_at": now,
            },
        )
    ).mappings().first()  # fmt: skip
    if closed is None:
        found = (await c.execute(FIND, {"dose_id": dose_id})).mappings().first()
        if found is None or found["patient_id"] != patient_id:
            return ClosedDose(Outcome.NOT_FOUND)
        return ClosedDose(Outcome.ALREADY, dose_view(Prefixed(found)))
    view = dose_view(Prefixed(closed))
    await c.execute(CANCEL_ITS_REMINDERS, {"of_dose": dose_id})
    if stock is not None:
        await c.execute(
            STOCK, {"patient_id": patient_id, "new_doses": stock.doses, "new_syringes": stock.syringes}
        )
    if next_dose is None:
        return ClosedDose(Outcome.OK, view)
    new = await add_next_dose(c, patient_id, view.plan_id, next_dose, reminders, known_phase)
    return ClosedDose(Outcome.OK, view, new)


async def add_next_dose(
    c: AsyncConnection,
    patient_id: int,
    plan_id: int,
    dose: NextDose,
    reminders: Sequence[ReminderSpec],
    known_phase: tuple[int, date | None] | None,
) -> NewDose | None:
    """Insert the next dose, if the plan is active and has no open dose, then its reminders (one
    statement), and the plan's phase when it is not what the caller read (`known_phase`)."""
    values: dict[str, Any] = {
        "new_patient_id": patient_id,
        "new_plan_id": plan_id,
        "new_phase_index": dose.phase_index,
        "new_number_in_phase": dose.number_in_phase,
        "new_phase_changed": dose.phase_changed,
        "new_due_at": dose.due_at,
        "new_status": DoseStatus.SCHEDULED.value,
    }
    dose_id = await c.scalar(ADD_NEXT, values)
    if dose_id is None:
        return None
    if reminders:
        await c.execute(
            ADD_REMINDERS,
            [{"patient_id": patient_id, "dose_id": dose_id, "kind": spec.kind.value, "due_at": spec.due_at,
              "state": ReminderState.PENDING.value, "attempts": 0} for spec in reminders],
        )  # fmt: skip
    if known_phase != (dose.phase_index, dose.phase_started_on):
        await c.execute(
            PHASE,
            {"plan_id": plan_id, "new_phase_index": dose.phase_index,
             "new_phase_started_on": dose.phase_started_on},
        )  # fmt: skip
    view = DoseView(dose_id, plan_id, dose.phase_index, dose.number_in_phase, dose.phase_changed,
                    dose.due_at, DoseStatus.SCHEDULED, None, None, None)  # fmt: skip
    return NewDose(view, sorted({spec.due_at for spec in reminders}))
