"""Closing a dose and adding the next one: the busiest write there is (every "done", every missed
dose), so its statements are built once, with their values bound at execution (building an
SQLAlchemy statement costs more than the database takes to run it).

On SQLite it is four statements in one transaction (SQLite answers in microseconds; the trip to
its thread is the cost). On PostgreSQL it is one statement whose parts are data-modifying CTEs
(close the dose, cancel its reminders, store the stock, add the next dose and its reminders,
move the plan's phase): one round trip and one commit instead of six round trips. All the parts of
one statement see the database as it was before it, hence "no open dose *other than this one*".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, Boolean, Integer, String, bindparam, func, insert, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.records import ClosedDose, DoseView, NewDose, Outcome, ReminderSpec
from bot.domain.schedule import NextDose
from bot.domain.status import OPEN_DOSE_STATUSES, DoseStatus, ReminderState
from bot.domain.supplies import Stock
from storage.models import Dose, Patient, Plan, Reminder, UTCDateTime
from storage.repositories.base import Prefixed, dose_view

DOSE_COLUMNS = tuple(Dose.__table__.c)
_COLUMN = Dose.__table__.c
_NEW_DOSE = ("phase_index", "number_in_phase", "phase_changed", "due_at")


@dataclass(frozen=True)
class Closing:
    """What closing a dose writes (see `DoseRepository.close_dose`)."""

    dose_id: int
    patient_id: int
    status: DoseStatus
    now: datetime
    from_statuses: Iterable[DoseStatus]
    given_at: datetime | None
    site: str | None
    skip_reason: str | None
    next_dose: NextDose | None
    reminders: Sequence[ReminderSpec]
    stock: Stock | None
    known_phase: tuple[int, date | None] | None

    def close_values(self) -> dict[str, Any]:
        return {
            "the_dose": self.dose_id, "for_patient": self.patient_id,
            "from_statuses": list(self.from_statuses),
            "new_status": self.status.value, "new_given_at": self.given_at, "new_site": self.site,
            "new_skip_reason": self.skip_reason, "new_recorded_at": self.now,
        }  # fmt: skip

    def phase_changes(self) -> bool:
        dose = self.next_dose
        return dose is not None and self.known_phase != (dose.phase_index, dose.phase_started_on)

    def new_dose(self, dose_id: int | None, plan_id: int) -> NewDose | None:
        dose = self.next_dose
        if dose_id is None or dose is None:
            return None
        view = DoseView(dose_id, plan_id, dose.phase_index, dose.number_in_phase, dose.phase_changed,
                        dose.due_at, DoseStatus.SCHEDULED, None, None, None)  # fmt: skip
        return NewDose(view, sorted({spec.due_at for spec in self.reminders}))


CLOSE = (
    update(Dose)
    .where(
        Dose.id == bindparam("the_dose"),
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
FIND = select(*DOSE_COLUMNS).where(Dose.id == bindparam("the_dose"))


async def _outcome_of_no_close(c: AsyncConnection, closing: Closing) -> ClosedDose:
    found = (await c.execute(FIND, {"the_dose": closing.dose_id})).mappings().first()
    if found is None or found["patient_id"] != closing.patient_id:
        return ClosedDose(Outcome.NOT_FOUND)
    return ClosedDose(Outcome.ALREADY, dose_view(Prefixed(found)))


# --- SQLite: four statements in the caller's transaction --------------------------------------------

CANCEL_ITS_REMINDERS = (
    update(Reminder)
    .where(Reminder.state == ReminderState.PENDING, Reminder.dose_id == bindparam("of_dose"))
    .values(state=ReminderState.CANCELLED)
)
STOCK = (
    update(Patient)
    .where(Patient.id == bindparam("for_patient"))
    .values(stock_doses=bindparam("new_doses"), stock_syringes=bindparam("new_syringes"))
)
ADD_NEXT = (
    insert(Dose)
    .from_select(
        ["patient_id", "plan_id", "status", *_NEW_DOSE],
        select(
            bindparam("for_patient", type_=_COLUMN.patient_id.type),
            bindparam("next_plan_id", type_=_COLUMN.plan_id.type),
            literal(DoseStatus.SCHEDULED.value, _COLUMN.status.type),
            *(bindparam(f"next_{name}", type_=_COLUMN[name].type) for name in _NEW_DOSE),
        ).where(
            select(Plan.id).where(Plan.id == bindparam("next_plan_id"), Plan.active.is_(True)).exists(),
            ~select(Dose.id)
            .where(Dose.plan_id == bindparam("next_plan_id"), Dose.status.in_(OPEN_DOSE_STATUSES))
            .exists(),
        ),
    )
    .returning(Dose.id)
)
ADD_REMINDERS = insert(Reminder)
PHASE = (
    update(Plan)
    .where(Plan.id == bindparam("next_plan_id"))
    .values(phase_index=bindparam("next_phase_index"), phase_started_on=bindparam("next_phase_started_on"))
)


def _next_values(closing: Closing, plan_id: int | None = None) -> dict[str, Any]:
    dose = closing.next_dose
    values: dict[str, Any] = {"for_patient": closing.patient_id, "next_plan_id": plan_id}
    for name in _NEW_DOSE:
        values[f"next_{name}"] = getattr(dose, name) if dose is not None else None
    values["next_phase_started_on"] = dose.phase_started_on if dose is not None else None
    return values


async def close_in_steps(c: AsyncConnection, closing: Closing) -> ClosedDose:
    """Close, cancel, stock, next dose, its reminders, the plan's phase: in the caller's transaction."""
    closed = (await c.execute(CLOSE, closing.close_values())).mappings().first()
    if closed is None:
        return await _outcome_of_no_close(c, closing)
    view = dose_view(Prefixed(closed))
    await c.execute(CANCEL_ITS_REMINDERS, {"of_dose": closing.dose_id})
    if (stock := closing.stock) is not None:
        values = {"for_patient": closing.patient_id, "new_doses": stock.doses, "new_syringes": stock.syringes}
        await c.execute(STOCK, values)
    if closing.next_dose is None:
        return ClosedDose(Outcome.OK, view)
    values = _next_values(closing, view.plan_id)
    dose_id = await c.scalar(ADD_NEXT, values)
    if dose_id is None:
        return ClosedDose(Outcome.OK, view)
    if closing.reminders:
        await c.execute(
            ADD_REMINDERS,
            [{"patient_id": closing.patient_id, "dose_id": dose_id, "kind": spec.kind.value,
              "due_at": spec.due_at, "state": ReminderState.PENDING.value, "attempts": 0}
             for spec in closing.reminders],
        )  # fmt: skip
    if closing.phase_changes():
        await c.execute(PHASE, values)
    return ClosedDose(Outcome.OK, view, closing.new_dose(dose_id, view.plan_id))


# --- PostgreSQL: one statement ---------------------------------------------------------------------


def _close_in_one() -> Any:
    closed = CLOSE.cte("closed")
    cancelled = (
        update(Reminder)
        .where(Reminder.state == bindparam("pending"), Reminder.dose_id.in_(select(closed.c.id)))
        .values(state=bindparam("cancelled", type_=String))
        .returning(Reminder.id)
        .cte("cancelled")
    )
    stocked = (
        update(Patient)
        .where(
            Patient.id == bindparam("for_patient"),
            bindparam("write_stock", type_=Boolean),
            select(closed.c.id).exists(),
        )
        .values(stock_doses=bindparam("new_doses"), stock_syringes=bindparam("new_syringes"))
        .returning(Patient.id)
        .cte("stocked")
    )
    others_open = select(Dose.id).where(
        Dose.plan_id == closed.c.plan_id, Dose.status.in_(OPEN_DOSE_STATUSES), Dose.id != closed.c.id
    )
    active = select(Plan.id).where(Plan.id == closed.c.plan_id, Plan.active.is_(True))
    added = (
        insert(Dose)
        .from_select(
            ["patient_id", "plan_id", "status", *_NEW_DOSE],
            select(
                closed.c.patient_id,
                closed.c.plan_id,
                bindparam("scheduled", type_=_COLUMN.status.type),
                *(bindparam(f"next_{name}", type_=_COLUMN[name].type) for name in _NEW_DOSE),
            )
            .select_from(closed)
            .where(bindparam("has_next", type_=Boolean), active.exists(), ~others_open.exists()),
        )
        .returning(Dose.id, Dose.plan_id, Dose.patient_id)
        .cte("added")
    )
    due = (
        func.unnest(
            bindparam("reminder_kinds", type_=ARRAY(String)),
            bindparam("reminder_times", type_=ARRAY(UTCDateTime())),
        )
        .table_valued("kind", "due_at")
        .render_derived(name="due")
    )
    reminded = (
        insert(Reminder)
        .from_select(
            ["patient_id", "dose_id", "kind", "due_at", "state", "attempts"],
            select(
                added.c.patient_id,
                added.c.id,
                due.c.kind,
                due.c.due_at,
                bindparam("pending", type_=String),
                bindparam("no_attempts", type_=Integer),
            ).select_from(added.join(due, true())),
        )
        .returning(Reminder.id)
        .cte("reminded")
    )
    moved = (
        update(Plan)
        .where(Plan.id.in_(select(added.c.plan_id)), bindparam("write_phase", type_=Boolean))
        .values(
            phase_index=bindparam("next_phase_index"), phase_started_on=bindparam("next_phase_started_on")
        )
        .returning(Plan.id)
        .cte("moved")
    )
    return select(*closed.c, select(added.c.id).scalar_subquery().label("next_id")).add_cte(
        cancelled, stocked, reminded, moved
    )


CLOSE_IN_ONE = _close_in_one()


async def close_in_one(c: AsyncConnection, closing: Closing) -> ClosedDose:
    """The same as `close_in_steps`, as one statement (PostgreSQL; atomic on its own)."""
    stock = closing.stock
    values = {
        **closing.close_values(),
        **_next_values(closing),
        "write_stock": stock is not None,
        "new_doses": stock.doses if stock is not None else None,
        "new_syringes": stock.syringes if stock is not None else None,
        "has_next": closing.next_dose is not None,
        "reminder_kinds": [spec.kind.value for spec in closing.reminders],
        "reminder_times": [spec.due_at for spec in closing.reminders],
        "write_phase": closing.phase_changes(),
        # (no value may be named like a column of a table the statement writes: SQLAlchemy would
        # take it for that column's value)
        "pending": ReminderState.PENDING.value,
        "cancelled": ReminderState.CANCELLED.value,
        "scheduled": DoseStatus.SCHEDULED.value,
        "no_attempts": 0,
    }
    row = (await c.execute(CLOSE_IN_ONE, values)).mappings().first()
    if row is None:
        return await _outcome_of_no_close(c, closing)
    view = dose_view(Prefixed(row))
    return ClosedDose(Outcome.OK, view, closing.new_dose(row["next_id"], view.plan_id))
