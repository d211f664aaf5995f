"""Symptom check-ins and blood test results."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.records import (
    CheckInView,
    LabView,
)
from storage.models import (
    LabResult,
    SymptomCheckIn,
)
from storage.repositories.base import (
    LAB_KEYS,
    Repository,
)


class MonitoringRepository(Repository):
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
