"""Bulk-seed a benchmark database: N patients, each with an active plan (the label preset), one
scheduled dose and its three reminders (due, re-reminder, missed check). Plain INSERTs in batches,
so 100,000 patients take seconds, not the minutes the one-by-one setup path would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, text

from bot.domain.plan import EXAMPLE_SCHEDULES, phases_to_json
from bot.domain.rotation import DEFAULT_SITES
from storage.database import create_sync_db_engine
from storage.migrate import upgrade
from storage.models import Dose, Patient, Plan, Reminder

BATCH = 5000


def seed(url: str, patients: int, due: Callable[[int], datetime], first_chat: int = 1) -> None:
    """Migrate `url`, then add `patients` patients whose first dose is due at `due(i)` (UTC)."""
    upgrade(url)
    engine = create_sync_db_engine(url)
    now = datetime(2026, 3, 2, 6, tzinfo=UTC)
    phases = phases_to_json(EXAMPLE_SCHEDULES["loading_monthly"])
    try:
        for start in range(0, patients, BATCH):
            count = min(BATCH, patients - start)
            with engine.begin() as connection:
                ids = list(connection.execute(
                    insert(Patient).returning(Patient.id, sort_by_parameter_order=True),
                    [{"chat_id": first_chat + start + i, "created_at": now, "rest_days": 7, "review_weeks": 8}
                     for i in range(count)],
                ).scalars())  # fmt: skip
                dues = [due(start + i) for i in range(count)]
                # as the bot leaves a plan once its first dose is planned: phase 0 started that day
                plan_ids = list(connection.execute(
                    insert(Plan).returning(Plan.id, sort_by_parameter_order=True),
                    [{"patient_id": pid, "active": True, "product": "cyanocobalamin", "product_name": "",
                      "strength": "1000 mcg/mL", "dose": "1 mL", "route": "subcutaneous", "phases": phases,
                      "time_of_day": "08:00", "timezone": "UTC", "sites": list(DEFAULT_SITES),
                      "clinician_name": "Dr A", "clinician_contact": "x", "start_date": date(2026, 3, 3),
                      "phase_index": 0, "phase_started_on": at.date(), "created_at": now}
                     for pid, at in zip(ids, dues, strict=True)],
                ).scalars())  # fmt: skip
                dose_ids = list(connection.execute(
                    insert(Dose).returning(Dose.id, sort_by_parameter_order=True),
                    [{"patient_id": pid, "plan_id": plan_id, "phase_index": 0, "number_in_phase": 1,
                      "phase_changed": False, "due_at": at, "status": "scheduled"}
                     for pid, plan_id, at in zip(ids, plan_ids, dues, strict=True)],
                ).scalars())  # fmt: skip
                reminders = []
                for pid, dose_id, at in zip(ids, dose_ids, dues, strict=True):
                    for kind, when in (("dose_due", at), ("re_remind", at + timedelta(hours=2)),
                                       ("missed_check", at + timedelta(days=1))):  # fmt: skip
                        reminders.append({"patient_id": pid, "dose_id": dose_id, "kind": kind, "due_at": when,
                                          "state": "pending", "attempts": 0})  # fmt: skip
                connection.execute(insert(Reminder), reminders)
        if engine.dialect.name == "postgresql":
            # what autovacuum does within a minute of a bulk load: without statistics the planner
            # may scan an index on `state` instead of the one on `dose_id`
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()
