"""Side-effect reports, their follow-ups and the nudges to contact the clinician."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.records import (
    NudgeView,
    ReportView,
)
from bot.domain.status import (
    CLOSED_DOSE_STATUSES,
    MISSED_NUDGE_REASONS,
    DoseStatus,
    NudgeStatus,
    ReminderKind,
    ReportStatus,
)
from storage.models import (
    ClinicianNudge,
    Dose,
    Patient,
    Plan,
    Reminder,
    SideEffectReport,
)
from storage.repositories.base import (
    Repository,
    cancel_reminders,
    hold_next_doses,
    nudge_view,
    remind,
    report_view,
)


class ReportRepository(Repository):
    async def add_report(
        self,
        patient_id: int,
        now: datetime,
        *,
        signs: Sequence[str],
        site: str | None,
        severity: str | None,
        since_at: datetime | None,
        words: str | None,
        level: str,
        rule_ids: Sequence[str],
        follow_up_at: datetime | None,
        nudge: tuple[str, Sequence[str], datetime] | None,
        hold: bool = False,
    ) -> tuple[int, int | None]:
        """Save a report, its first follow-up and (for `clinician`+) a nudge; with `hold`, ask
        to check with the clinician before the next dose. One transaction."""
        async with self._sessions.begin() as s:
            if hold:
                await hold_next_doses(s, patient_id, now)
            report = SideEffectReport(
                patient_id=patient_id,
                created_at=now,
                signs=list(signs),
                site=site,
                severity=severity,
                since_at=since_at,
                words=words,
                level=level,
                rule_ids=list(rule_ids),
                status=ReportStatus.OPEN,
                follow_ups=0,
            )
            s.add(report)
            await s.flush()
            if follow_up_at is not None:
                await remind(s, patient_id, ReminderKind.FOLLOW_UP, follow_up_at, report_id=report.id)
            nudge_id = None
            if nudge is not None:
                reason, nudge_signs, due = nudge
                nudge_id = await self._add_nudge(s, patient_id, report.id, reason, nudge_signs, now, due)
            return report.id, nudge_id

    async def update_report(
        self,
        report_id: int,
        patient_id: int,
        now: datetime,
        *,
        changes: dict[str, Any],
        nudge: tuple[str, Sequence[str], datetime] | None,
        hold: bool,
    ) -> tuple[ReportView | None, int | None]:
        """Add details to the patient's open report (site, severity, since, words, a higher level);
        with `nudge`, start nudging. None when the report is not theirs or is closed."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return None, None
            for key, value in changes.items():
                setattr(row, key, value)
            if hold:
                await hold_next_doses(s, patient_id, now)
            nudge_id = None
            if nudge is not None:
                await cancel_reminders(
                    s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
                )
                reason, signs, due = nudge
                nudge_id = await self._add_nudge(s, patient_id, report_id, reason, signs, now, due)
            await s.flush()
            return report_view(row), nudge_id

    async def close_report(
        self, report_id: int, patient_id: int, now: datetime, outcome: str
    ) -> ReportView | None:
        """Close the patient's open report: its follow-ups and its nudges stop. None when it is
        not theirs or already closed."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return None
            row.status, row.outcome, row.closed_at, row.asked_at = ReportStatus.CLOSED, outcome, now, None
            nudges = select(ClinicianNudge.id).where(ClinicianNudge.report_id == report_id)
            await cancel_reminders(s, or_(Reminder.report_id == report_id, Reminder.nudge_id.in_(nudges)))
            await s.execute(
                update(ClinicianNudge)
                .where(ClinicianNudge.report_id == report_id, ClinicianNudge.status == NudgeStatus.OPEN)
                .values(status=NudgeStatus.CLOSED)
            )
            await s.flush()
            return report_view(row)

    async def open_reports(self, patient_id: int) -> list[ReportView]:
        """Open reports, newest first."""
        async with self._sessions() as s:
            rows = await s.scalars(
                select(SideEffectReport)
                .where(
                    SideEffectReport.patient_id == patient_id, SideEffectReport.status == ReportStatus.OPEN
                )
                .order_by(SideEffectReport.created_at.desc(), SideEffectReport.id.desc())
            )
            return [report_view(r) for r in rows]

    async def mark_asked(self, report_id: int, at: datetime | None) -> None:
        """A follow-up question about the report went out (or was answered: None)."""
        async with self._sessions.begin() as s:
            await s.execute(
                update(SideEffectReport).where(SideEffectReport.id == report_id).values(asked_at=at)
            )

    async def add_follow_up(self, report_id: int, patient_id: int, at: datetime) -> bool:
        """Ask about the patient's open report at `at` ("has it settled?")."""
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.patient_id != patient_id or row.status != ReportStatus.OPEN:
                return False
            await cancel_reminders(
                s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
            )
            await remind(s, patient_id, ReminderKind.FOLLOW_UP, at, report_id=report_id)
            return True

    async def clear_clinician_check(self, patient_id: int) -> bool:
        """The clinician said to carry on: dose messages stop asking. False when nothing was set."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(Patient)
                .where(Patient.id == patient_id, Patient.clinician_check_at.is_not(None))
                .values(clinician_check_at=None)
            )
            return bool(changed.rowcount)  # type: ignore[attr-defined]

    async def report(self, report_id: int) -> ReportView | None:
        async with self._sessions() as s:
            row = await s.get(SideEffectReport, report_id)
            return report_view(row) if row else None

    async def report_owner(self, report_id: int) -> int | None:
        async with self._sessions() as s:
            return await s.scalar(select(SideEffectReport.patient_id).where(SideEffectReport.id == report_id))

    async def reports(self, patient_id: int, limit: int = 20) -> list[ReportView]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(SideEffectReport)
                .where(SideEffectReport.patient_id == patient_id)
                .order_by(SideEffectReport.created_at.desc(), SideEffectReport.id.desc())
                .limit(limit)
            )
            return [report_view(r) for r in rows]

    async def follow_up_answered(
        self,
        report_id: int,
        now: datetime,
        *,
        close_as: str | None = None,
        next_follow_up_at: datetime | None = None,
        escalate: tuple[str, Sequence[str], tuple[str, Sequence[str], datetime]] | None = None,
    ) -> tuple[bool, int | None]:
        """Record a follow-up answer: close the report, ask again later, or escalate it.

        Guarded: an answer to a report that is already closed changes nothing (returns False).
        Returns (recorded, the new nudge's id when escalated).
        """
        async with self._sessions.begin() as s:
            row = await s.get(SideEffectReport, report_id)
            if row is None or row.status != ReportStatus.OPEN:
                return False, None
            row.follow_ups += 1
            row.asked_at = None
            await cancel_reminders(
                s, Reminder.report_id == report_id, Reminder.kind == ReminderKind.FOLLOW_UP
            )
            if close_as is not None:
                row.status, row.outcome, row.closed_at = ReportStatus.CLOSED, close_as, now
            if next_follow_up_at is not None:
                await remind(s, row.patient_id, ReminderKind.FOLLOW_UP, next_follow_up_at, report_id=row.id)
            if escalate is not None:
                level, rule_ids, (reason, signs, due) = escalate
                row.level, row.outcome = level, "escalated"
                row.rule_ids = [*row.rule_ids, *(r for r in rule_ids if r not in row.rule_ids)]
                nudge_id = await self._add_nudge(s, row.patient_id, row.id, reason, signs, now, due)
                return True, nudge_id
            return True, None

    async def _add_nudge(
        self,
        s: AsyncSession,
        patient_id: int,
        report_id: int | None,
        reason: str,
        signs: Sequence[str],
        now: datetime,
        due: datetime,
    ) -> int:
        nudge = ClinicianNudge(
            patient_id=patient_id,
            report_id=report_id,
            reason=reason,
            signs=list(signs),
            status=NudgeStatus.OPEN,
            created_at=now,
        )
        s.add(nudge)
        await s.flush()
        await remind(s, patient_id, ReminderKind.NUDGE, due, nudge_id=nudge.id)
        return nudge.id

    async def add_nudge(
        self, patient_id: int, reason: str, signs: Sequence[str], now: datetime, due: datetime
    ) -> int | None:
        """A nudge not tied to a report (e.g. missed doses); None if one for `reason` is open."""
        async with self._sessions.begin() as s:
            existing = await s.scalar(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id,
                    ClinicianNudge.reason == reason,
                    ClinicianNudge.status == NudgeStatus.OPEN,
                )
            )
            if existing is not None:
                return None
            return await self._add_nudge(s, patient_id, None, reason, signs, now, due)

    async def standing_nudge(self, nudge_id: int) -> NudgeView | None:
        """The nudge while it still stands: open, and for missed doses, none given since."""
        nudge = await self.nudge(nudge_id)
        if nudge is None or nudge.status != NudgeStatus.OPEN:
            return None
        if nudge.reason in MISSED_NUDGE_REASONS and nudge.id in await self.close_missed_nudges_when_given(
            nudge.patient_id
        ):
            return None
        return nudge

    async def close_missed_nudges_when_given(self, patient_id: int) -> list[int]:
        """Open nudges about missed doses whose streak has ended (the plan's latest dose that is
        no longer open was not missed: given on time, recorded late, or skipped) are closed,
        their reminders with them. The ids closed."""
        async with self._sessions.begin() as s:
            ids = list(
                await s.scalars(
                    select(ClinicianNudge.id).where(
                        ClinicianNudge.patient_id == patient_id,
                        ClinicianNudge.reason.in_(MISSED_NUDGE_REASONS),
                        ClinicianNudge.status == NudgeStatus.OPEN,
                    )
                )
            )
            if not ids:
                return []
            latest = await s.scalar(
                select(Dose.status)
                .join(Plan, Plan.id == Dose.plan_id)
                .where(
                    Dose.patient_id == patient_id,
                    Plan.active.is_(True),
                    Dose.status.in_(CLOSED_DOSE_STATUSES),
                )
                .order_by(Dose.due_at.desc(), Dose.id.desc())
                .limit(1)
            )
            if latest is None or latest == DoseStatus.MISSED:
                return []
            await cancel_reminders(s, Reminder.nudge_id.in_(ids))
            await s.execute(
                update(ClinicianNudge).where(ClinicianNudge.id.in_(ids)).values(status=NudgeStatus.CLOSED)
            )
            return ids

    async def open_nudge_ids(self, patient_id: int) -> list[int]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(ClinicianNudge.id).where(
                    ClinicianNudge.patient_id == patient_id, ClinicianNudge.status == NudgeStatus.OPEN
                )
            )
            return list(rows)

    async def nudge(self, nudge_id: int) -> NudgeView | None:
        async with self._sessions() as s:
            row = await s.get(ClinicianNudge, nudge_id)
            return nudge_view(row) if row else None

    async def nudge_contacted(self, nudge_id: int, patient_id: int, now: datetime) -> bool:
        """The patient contacted their clinician: stop nudging. False when already done."""
        async with self._sessions.begin() as s:
            changed = await s.execute(
                update(ClinicianNudge)
                .where(
                    ClinicianNudge.id == nudge_id,
                    ClinicianNudge.patient_id == patient_id,
                    ClinicianNudge.status == NudgeStatus.OPEN,
                )
                .values(status=NudgeStatus.CONTACTED, contacted_at=now)
            )
            if not changed.rowcount:  # type: ignore[attr-defined]
                return False
            await cancel_reminders(s, Reminder.nudge_id == nudge_id)
            return True

    async def renudge_at(self, nudge_id: int, patient_id: int, at: datetime) -> bool:
        """Replace the nudge's pending repeat with one at `at` (if it is still open)."""
        async with self._sessions.begin() as s:
            row = await s.get(ClinicianNudge, nudge_id)
            if row is None or row.patient_id != patient_id or row.status != NudgeStatus.OPEN:
                return False
            await cancel_reminders(s, Reminder.nudge_id == nudge_id)
            await remind(s, patient_id, ReminderKind.NUDGE, at, nudge_id=nudge_id)
            return True
