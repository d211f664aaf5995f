"""One repository per aggregate; the only code that writes SQL. `Repositories` holds them all,
built once from the session factory."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.care import CareRepository
from storage.repositories.doses import DoseRepository
from storage.repositories.drafts import DraftRepository
from storage.repositories.monitoring import MonitoringRepository
from storage.repositories.patients import PatientRepository
from storage.repositories.photos import PhotoRepository
from storage.repositories.reminders import ReminderRepository
from storage.repositories.reports import ReportRepository


@dataclass(frozen=True)
class Repositories:
    sessions: async_sessionmaker[AsyncSession]
    patients: PatientRepository
    drafts: DraftRepository
    doses: DoseRepository
    reminders: ReminderRepository
    reports: ReportRepository
    monitoring: MonitoringRepository
    care: CareRepository
    photos: PhotoRepository

    @classmethod
    def connect(cls, sessions: async_sessionmaker[AsyncSession]) -> Repositories:
        return cls(
            sessions,
            PatientRepository(sessions),
            DraftRepository(sessions),
            DoseRepository(sessions),
            ReminderRepository(sessions),
            ReportRepository(sessions),
            MonitoringRepository(sessions),
            CareRepository(sessions),
            PhotoRepository(sessions),
        )

    async def ping(self) -> None:
        """One round trip to the database (raises when it is unreachable)."""
        async with self.sessions() as s:
            await s.execute(select(1))


__all__ = [
    "CareRepository",
    "DoseRepository",
    "DraftRepository",
    "MonitoringRepository",
    "PatientRepository",
    "PhotoRepository",
    "ReminderRepository",
    "ReportRepository",
    "Repositories",
]
