"""Reminder rows: claimed with a lease, finished, released, re-armed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update

from bot.domain.records import (
    ClaimedReminder,
)
from bot.domain.status import (
    NudgeStatus,
    ReminderKind,
    ReminderState,
    ReportStatus,
)
from storage.models import (
    ClinicianNudge,
    LeaderLease,
    Reminder,
    SideEffectReport,
)
from storage.repositories.base import (
    Repository,
    cancel_reminders,
    remind,
)


def _fenced(token: int | None) -> list[ColumnElement[bool]]:
    """Under a fencing token: only while that token still holds the lease (by the database's
    clock); an older leader's writes do nothing."""
    if token is None:
        return []
    current = select(LeaderLease.id).where(
        LeaderLease.id == 1, LeaderLease.token == token, LeaderLease.expires_at > func.now()
    )
    return [current.exists()]


def _owned(token: int | None) -> list[ColumnElement[bool]]:
    return [] if token is None else [Reminder.claim_token == token]


class ReminderRepository(Repository):
    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, token: int | None = None
    ) -> list[ClaimedReminder]:
        """Claim reminders that are due, oldest first; also claims whose lease ran out, or that an
        older leader made (`token`: ours; its claims are stale the moment we lead)."""
        stale = Reminder.lease_until < now
        if token is not None:
            stale = or_(stale, Reminder.claim_token.is_(None), Reminder.claim_token < token)
        claimable = and_(
            or_(
                and_(
                    Reminder.state == ReminderState.PENDING,
                    Reminder.due_at <= now,
                    or_(Reminder.retry_at.is_(None), Reminder.retry_at <= now),
                ),
                and_(Reminder.state == ReminderState.CLAIMED, stale),
            ),
            *_fenced(token),
        )
        async with self._sessions.begin() as s:
            ids = (
                select(Reminder.id)
                .where(claimable)
                .order_by(Reminder.due_at, Reminder.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(ids.scalar_subquery()), claimable)
                .values(
                    state=ReminderState.CLAIMED,
                    lease_until=lease_until,
                    attempts=Reminder.attempts + 1,
                    claim_token=token,
                )
                .returning(
                    Reminder.id,
                    Reminder.patient_id,
                    Reminder.dose_id,
                    Reminder.kind,
                    Reminder.due_at,
                    Reminder.attempts,
                    Reminder.report_id,
                    Reminder.nudge_id,
                )
                .execution_options(synchronize_session=False)
            )
            claimed = [
                ClaimedReminder(
                    r.id,
                    r.patient_id,
                    r.dose_id,
                    ReminderKind(r.kind),
                    r.due_at,
                    r.attempts,
                    r.report_id,
                    r.nudge_id,
                )
                for r in rows
            ]
        return sorted(claimed, key=lambda c: (c.due_at, c.id))

    async def finish_reminders(
        self, ids: Sequence[int], state: ReminderState, now: datetime, token: int | None = None
    ) -> None:
        """Mark claimed reminders sent (or cancelled when there was nothing left to say); with
        `token`, only the claims made under it."""
        if not ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(list(ids)), Reminder.state == ReminderState.CLAIMED, *_owned(token))
                .values(
                    state=state,
                    sent_at=now if state is ReminderState.SENT else None,
                    lease_until=None,
                )
            )

    async def release_reminders(
        self, ids: Sequence[int], retry_at: datetime, token: int | None = None
    ) -> None:
        """Give claimed reminders back after a failed send; tried again from `retry_at`."""
        if not ids:
            return
        async with self._sessions.begin() as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id.in_(list(ids)), Reminder.state == ReminderState.CLAIMED, *_owned(token))
                .values(state=ReminderState.PENDING, retry_at=retry_at, lease_until=None)
            )

    async def claim_reminders_of(
        self, dose_id: int, kind: ReminderKind, now: datetime, lease_until: datetime, token: int | None = None
    ) -> list[int]:
        """Claim one dose's pending reminders of `kind` due by `now` (sent together with others)."""
        async with self._sessions.begin() as s:
            rows = await s.execute(
                update(Reminder)
                .where(
                    Reminder.dose_id == dose_id,
                    Reminder.kind == kind,
                    Reminder.state == ReminderState.PENDING,
                    Reminder.due_at <= now,
                    *_fenced(token),
                )
                .values(
                    state=ReminderState.CLAIMED,
                    lease_until=lease_until,
                    attempts=Reminder.attempts + 1,
                    claim_token=token,
                )
                .returning(Reminder.id)
                .execution_options(synchronize_session=False)
            )
            return [r.id for r in rows]

    async def pending_due_times(self, until: datetime) -> list[datetime]:
        """Distinct due times of pending reminders up to `until` (to re-arm the timer)."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(func.coalesce(Reminder.retry_at, Reminder.due_at))
                .where(Reminder.state == ReminderState.PENDING, Reminder.due_at <= until)
                .distinct()
            )
            return sorted(set(rows))

    async def rearm_safety(self, patient_id: int, at: datetime) -> list[datetime]:
        """After unblocking: one follow-up per open watch report, one nudge per open nudge, at `at`."""
        async with self._sessions.begin() as s:
            reports = await s.scalars(
                select(SideEffectReport.id).where(
                    SideEffectReport.patient_id == patient_id,
                    SideEffectReport.status == ReportStatus.OPEN,
                    SideEffectReport.level == "watch",
                )
            )
            nudges = await s.scalars(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id, ClinicianNudge.status == NudgeStatus.OPEN
                )
            )
            armed = False
            for report_id in list(reports):
                await remind(s, patient_id, ReminderKind.FOLLOW_UP, at, report_id=report_id)
                armed = True
            for nudge_id in list(nudges):
                await remind(s, patient_id, ReminderKind.NUDGE, at, nudge_id=nudge_id)
                armed = True
            return [at] if armed else []

    async def replace_patient_reminder(
        self, patient_id: int, kind: ReminderKind, at: datetime | None
    ) -> None:
        """Cancel the patient's pending reminders of `kind` and, when `at` is given, add one then."""
        async with self._sessions.begin() as s:
            await cancel_reminders(s, Reminder.patient_id == patient_id, Reminder.kind == kind)
            if at is not None:
                await remind(s, patient_id, kind, at)
