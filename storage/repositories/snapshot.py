"""The snapshot of one patient in one statement: the patient row, the active plan, the open dose,
the plan's counts (one pass over its doses), each site's last use and the sites with an open
reaction (both folded into JSON by the database), instead of six round trips.

JSON aggregates are spelled differently by the two databases: `json_object_agg` / `json_agg` on
PostgreSQL, `json_group_object` / `json_group_array` on SQLite; `group_object` and `group_array`
compile to the right one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Label,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    func,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.domain.records import DraftView, Snapshot
from bot.domain.schedule import Progress
from bot.domain.status import OPEN_DOSE_STATUSES, DoseStatus, ReportStatus
from storage.models import Dose, Draft, Patient, Plan, SideEffectReport
from storage.repositories.base import Prefixed, dose_view, monitoring_view, plan_to_domain


class group_object(FunctionElement[str]):
    """A JSON object of key -> value over a group's rows (NULL or '{}' for none)."""

    type = String()
    inherit_cache = True


class group_array(FunctionElement[str]):
    """A JSON array of a group's values (NULL or '[]' for none)."""

    type = String()
    inherit_cache = True


def _aggregate(name: str) -> Callable[..., str]:
    def compile_(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
        return f"{name}({compiler.process(element.clauses, **kw)})"

    return compile_


for _element, _postgres, _sqlite in (
    (group_object, "json_object_agg", "json_group_object"),
    (group_array, "json_agg", "json_group_array"),
):
    compiles(_element)(_aggregate(_postgres))
    compiles(_element, "sqlite")(_aggregate(_sqlite))


def _labelled(table: Table, prefix: str, raw: frozenset[str] = frozenset()) -> list[Label[Any]]:
    """The table's columns, named `<prefix><column>`; those in `raw` as the database's text (a JSON
    column left for the caller to parse, or not)."""
    return [
        (cast(column, Text) if column.key in raw else column).label(prefix + column.key) for column in table.c
    ]


OPEN_DOSE = aliased(Dose, name="open_dose")
COUNTED = aliased(Dose, name="counted")
CURRENT = aliased(Plan, name="current")


def snapshot_statement(who: ColumnElement[bool]) -> Select[Any]:
    """The whole snapshot of each patient `who` picks (by chat, by id, or many ids), a row each."""
    patient_t: Table = Patient.__table__  # type: ignore[assignment]
    plan_t: Table = Plan.__table__  # type: ignore[assignment]
    open_id = (
        select(Dose.id)
        .where(Dose.plan_id == plan_t.c.id, Dose.status.in_(OPEN_DOSE_STATUSES))
        .order_by(Dose.due_at.desc(), Dose.id.desc())
        .limit(1)
        .correlate(plan_t)
        .scalar_subquery()
    )
    done = COUNTED.status == DoseStatus.DONE
    skipped = COUNTED.status == DoseStatus.SKIPPED
    missed = COUNTED.status == DoseStatus.MISSED
    closed = COUNTED.status.not_in((*OPEN_DOSE_STATUSES, DoseStatus.CANCELLED))
    in_phase = COUNTED.phase_index == CURRENT.phase_index
    progress = (
        select(
            COUNTED.plan_id.label("plan_id"),
            func.sum(case((and_(done, in_phase), 1), else_=0)).label("given"),
            func.max(case((done, COUNTED.given_at))).label("last_given"),
            func.max(case((skipped, COUNTED.due_at))).label("last_skipped"),
            func.max(case((closed, COUNTED.due_at))).label("previous_due"),
            func.sum(case((and_(skipped, in_phase), 1), else_=0)).label("skipped"),
            func.sum(case((and_(missed, in_phase), 1), else_=0)).label("missed"),
        )
        .join(CURRENT, and_(CURRENT.id == COUNTED.plan_id, CURRENT.active.is_(True)))
        .where(COUNTED.patient_id.in_(select(Patient.id).where(who)))
        .group_by(COUNTED.plan_id)
        .subquery("progress")
    )
    used = (
        select(Dose.site.label("site"), func.max(Dose.given_at).label("at"))
        .where(
            Dose.patient_id == patient_t.c.id,
            Dose.status == DoseStatus.DONE,
            Dose.site.is_not(None),
            Dose.given_at.is_not(None),
        )
        .group_by(Dose.site)
        .correlate(patient_t)
        .subquery("used")
    )
    last_used = select(group_object(used.c.site, used.c.at)).scalar_subquery()
    reactions = (
        select(group_array(SideEffectReport.site))
        .where(
            SideEffectReport.patient_id == patient_t.c.id,
            SideEffectReport.status == ReportStatus.OPEN,
            SideEffectReport.site.is_not(None),
        )
        .correlate(patient_t)
        .scalar_subquery()
    )
    return (
        select(
            *_labelled(patient_t, "p_"),
            *_labelled(plan_t, "pl_", raw=frozenset({"phases"})),  # parsed once per schedule
            *[getattr(OPEN_DOSE, c.key).label("d_" + c.key) for c in Dose.__table__.c],
            *[column.label("g_" + column.key) for column in progress.c if column.key != "plan_id"],
            last_used.label("last_used"),
            reactions.label("reactions"),
        )
        .select_from(patient_t)
        .outerjoin(plan_t, and_(plan_t.c.patient_id == patient_t.c.id, plan_t.c.active.is_(True)))
        .outerjoin(OPEN_DOSE, OPEN_DOSE.id == open_id)
        .outerjoin(progress, progress.c.plan_id == plan_t.c.id)
        .where(who)
    )


# Built once: building this statement costs more than running it. `who` is bound at execution.
BY_CHAT = snapshot_statement(Patient.chat_id == bindparam("who"))
BY_ID = snapshot_statement(Patient.id == bindparam("who"))
BY_IDS = snapshot_statement(Patient.id.in_(bindparam("who", expanding=True)))


def _with_draft() -> Select[Any]:
    """The chat's conversation in progress and its patient's snapshot, one row whether either
    exists or not (a typed message needs both, and a first message has neither)."""
    draft_t: Table = Draft.__table__  # type: ignore[assignment]
    chat = select(bindparam("who", type_=BigInteger).label("chat_id")).subquery("chat")
    snapshot = BY_CHAT.subquery("snapshot")
    return (
        select(*_labelled(draft_t, "dr_"), *snapshot.c)
        .select_from(chat)
        .outerjoin(draft_t, draft_t.c.chat_id == chat.c.chat_id)
        .outerjoin(snapshot, true())
        .limit(1)
    )


WITH_DRAFT = _with_draft()


def draft_from_row(row: Mapping[str, Any]) -> DraftView | None:
    if row["dr_chat_id"] is None:
        return None
    return DraftView(
        row["dr_chat_id"], row["dr_flow"], row["dr_step"], dict(row["dr_data"]), row["dr_updated_at"]
    )


def _json(value: Any, empty: Any) -> Any:
    if value is None:
        return empty
    return json.loads(value) if isinstance(value, str | bytes) else value


def _utc(stamp: str) -> datetime:
    at = datetime.fromisoformat(stamp)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def snapshot_from_row(row: Mapping[str, Any]) -> Snapshot | None:
    """The Snapshot read model from `snapshot_statement`'s row (None: no such patient)."""
    if row["p_id"] is None:
        return None
    patient = Prefixed(row, "p_")
    last_used = {site: _utc(at) for site, at in _json(row["last_used"], {}).items() if site and at}
    last_site = max(last_used, key=lambda k: last_used[k]) if last_used else None
    common: dict[str, Any] = {
        "patient_id": patient.id,
        "chat_id": patient.chat_id,
        "blocked": patient.blocked_at is not None,
        "last_used": last_used,
        "last_site": last_site,
        "rest_days": patient.rest_days,
        "heads_up_hours": patient.heads_up_hours,
        "reaction_sites": frozenset(site for site in _json(row["reactions"], []) if site),
        "clinician_check": patient.clinician_check_at is not None,
        "monitoring": monitoring_view(patient),
    }
    if row["pl_id"] is None:
        return Snapshot(plan_id=None, plan=None, progress=Progress(), open_dose=None, **common)
    plan = Prefixed(row, "pl_")
    progress = Progress(
        phase_index=plan.phase_index,
        given_in_phase=row["g_given"] or 0,
        phase_started_on=plan.phase_started_on,
        last_given_at=row["g_last_given"],
        last_skipped_due_at=row["g_last_skipped"],
        previous_due_at=row["g_previous_due"],
        skipped_in_phase=row["g_skipped"] or 0,
        missed_in_phase=row["g_missed"] or 0,
    )
    return Snapshot(
        plan_id=plan.id,
        plan=plan_to_domain(plan),
        progress=progress,
        open_dose=dose_view(Prefixed(row, "d_")) if row["d_id"] is not None else None,
        paused=plan.paused_at is not None,
        paused_until=plan.paused_until,
        **common,
    )
