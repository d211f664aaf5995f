"""Patients: who they are to the bot, their settings and sites, blocking and coming back,
and their right to take or erase everything recorded about them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.domain.records import DraftView, Snapshot
from bot.services.care_alerts import CareAlerts
from bot.services.dosing import Dosing
from bot.services.monitoring import Monitor
from bot.services.timer import ReminderTimer
from storage.repositories import Repositories

KNOWN_ZONES = 100_000
SAFETY_RESUME_AFTER = timedelta(hours=1)  # follow-ups and nudges, after the patient comes back


class Patients:
    def __init__(
        self,
        repo: Repositories,
        dosing: Dosing,
        monitor: Monitor,
        timer: ReminderTimer,
        clock: Callable[[], datetime],
    ) -> None:
        self.repo, self.dosing, self.monitor, self.timer, self.clock = repo, dosing, monitor, timer, clock
        self._zones: dict[int, str] = {}
        self.care: CareAlerts | None = None

    async def snapshot(self, chat_id: int) -> Snapshot | None:
        return self._seen(chat_id, await self.repo.patients.snapshot(chat_id))

    async def with_draft(self, chat_id: int) -> tuple[DraftView | None, Snapshot | None]:
        """The conversation in progress in the chat and the patient's snapshot, read together
        (every typed message needs both)."""
        draft, snap = await self.repo.patients.with_draft(chat_id)
        return draft, self._seen(chat_id, snap)

    def _seen(self, chat_id: int, snap: Snapshot | None) -> Snapshot | None:
        if snap is not None and snap.plan is not None:
            if len(self._zones) >= KNOWN_ZONES:
                self._zones.clear()
            self._zones[chat_id] = snap.plan.timezone
        return snap

    def known_zone(self, chat_id: int) -> str | None:
        """The time zone of the patient's plan as this process last read it, without the database
        (the emergency lane's ambulance number)."""
        return self._zones.get(chat_id)

    async def ensure(self, chat_id: int) -> int:
        """The patient's id, registering them on first contact."""
        return await self.repo.patients.ensure_patient(chat_id, self.clock())

    async def first_delivery(self, update_id: int) -> bool:
        """False when Telegram delivers an update a second time (it is then ignored)."""
        return await self.repo.patients.first_delivery(update_id, self.clock())

    # --- blocking the bot and coming back ---------------------------------------------------

    async def blocked(self, snap: Snapshot) -> None:
        """Every reminder pauses while the bot is blocked (a caregiver may hear of it)."""
        await self.repo.patients.set_blocked(snap.patient_id, self.clock())
        if self.care is not None:
            await self.care.patient_blocked(snap.patient_id)

    async def came_back(self, snap: Snapshot) -> tuple[Snapshot | None, bool]:
        """Unblocked: reminders resume without a backlog burst (an overdue dose is closed as
        missed, the next planned from now), safety follow-ups in an hour, monitoring as before.
        Returns the fresh snapshot and whether a dose is planned."""
        await self.repo.patients.set_blocked(snap.patient_id, None)
        dose = await self.dosing.resume(snap.patient_id)
        at = self.clock() + SAFETY_RESUME_AFTER
        self.timer.arm(await self.repo.reminders.rearm_safety(snap.patient_id, at))
        fresh = await self.repo.patients.snapshot(snap.chat_id)
        if fresh is not None:
            await self.monitor.rearm(fresh)
        return fresh, dose is not None

    # --- sites and settings --------------------------------------------------------------------

    async def set_sites(
        self, snap: Snapshot, sites: Sequence[str], rename: tuple[str, str] | None = None
    ) -> None:
        await self.repo.patients.set_sites(snap.patient_id, sites, rename)

    async def set_rest_days(self, snap: Snapshot, days: int) -> None:
        await self.repo.patients.set_patient_settings(snap.patient_id, rest_days=days)

    async def set_heads_up(self, snap: Snapshot, hours: int | None) -> None:
        """A heads-up `hours` before each dose (None: none); the dose already planned follows."""
        await self.repo.patients.set_patient_settings(snap.patient_id, heads_up_hours=hours)
        await self.dosing.reset_heads_up(snap.patient_id)

    async def set_review_weeks(self, snap: Snapshot, weeks: int) -> None:
        await self.repo.patients.set_patient_settings(
            snap.patient_id, review_weeks=weeks, review_suggested_at=None
        )

    # --- their data ----------------------------------------------------------------------------

    async def export(self, snap: Snapshot | None, chat_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row recorded about the patient, table by table, with their caregivers, photos and
        the patients this chat looks after (a caregiver who is not a patient gets those alone)."""
        tables = await self.repo.patients.export_rows(snap.patient_id) if snap is not None else {}
        tables.update(await self.repo.care.export_rows(snap.patient_id if snap else None, chat_id))
        tables["photos"] = await self.repo.photos.export_rows(snap.patient_id) if snap else []
        return tables

    async def erase(self, chat_id: int) -> bool:
        """Everything about the patient (their caregivers and photos too) and the links where this
        chat is someone's caregiver, gone; False when there was nothing."""
        left = await self.repo.care.forget_caregiver(chat_id)
        return await self.repo.patients.erase_patient(chat_id) or bool(left)
