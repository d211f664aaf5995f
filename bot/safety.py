"""Safety use-cases: record a side-effect report, follow it up, nudge towards the clinician.

Triage itself is pure (`bot.domain.triage`); this module stores what it decided and arms the
follow-ups: `watch` asks again in 24 h (same at 48 h, or worse at any time, escalates to
`clinician`); `clinician` and `emergency` create a nudge repeated daily until the patient says
they contacted their clinician ("remind me later" asks again in 4 h).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.triage import Level, Modifier, Report, Severity, Sign, Triage, read, triage
from bot.dosing import Timer
from storage.repository import Repository, Snapshot

FOLLOW_UP_AFTER = timedelta(hours=24)
NUDGE_REPEAT = timedelta(hours=24)
NUDGE_LATER = timedelta(hours=4)
OVERDUE_AFTER = timedelta(days=7)
MISSED_IN_A_ROW = 2


class Answer(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class NudgeReason(StrEnum):
    REPORT = "report"
    FOLLOW_UP = "follow_up"
    MISSED_DOSES = "missed_doses"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Recorded:
    report_id: int
    nudge_id: int | None
    result: Triage


@dataclass(frozen=True)
class FollowedUp:
    ok: bool  # False: the report was already closed (a stale button)
    closed: bool = False
    asked_again: bool = False
    nudge_id: int | None = None


class Safety:
    def __init__(self, repo: Repository, timer: Timer, clock: Callable[[], datetime]) -> None:
        self.repo, self.timer, self.clock = repo, timer, clock

    async def record(
        self,
        patient_id: int,
        signs: Iterable[Sign],
        *,
        site: str | None,
        severity: Severity | None,
        since_at: datetime | None,
        words: str | None,
    ) -> Recorded:
        """Triage and store a report; arm its follow-up or its clinician nudge."""
        now = self.clock()
        modifiers = read(words).modifiers if words else frozenset[Modifier]()
        hours = (now - since_at).total_seconds() / 3600 if since_at else None
        signs = list(dict.fromkeys(signs))  # keep the caller's order, drop repeats
        result = triage(Report(frozenset(signs), severity, hours, modifiers))
        follow_up_at = now + FOLLOW_UP_AFTER if result.level is Level.WATCH else None
        nudge_at = now + NUDGE_REPEAT
        sign_keys = [str(s) for s in signs]
        report_id, nudge_id = await self.repo.add_report(
            patient_id, now, signs=sign_keys, site=site,
            severity=severity.name.lower() if severity else None, since_at=since_at, words=words,
            level=result.level.key, rule_ids=result.rule_ids, follow_up_at=follow_up_at,
            nudge=(NudgeReason.REPORT, sign_keys, nudge_at) if result.level >= Level.CLINICIAN else None,
        )  # fmt: skip
        self.timer.arm([t for t in (follow_up_at, nudge_at if nudge_id else None) if t])
        return Recorded(report_id, nudge_id, result)

    async def follow_up(self, patient_id: int, report_id: int, answer: Answer) -> FollowedUp:
        """Better closes the report; same once asks again tomorrow; same at 48 h or worse
        escalates to the clinician."""
        report = await self.repo.report(report_id)
        if report is None or await self.repo.report_owner(report_id) != patient_id:
            return FollowedUp(ok=False)
        now = self.clock()
        if answer is Answer.BETTER:
            ok, _ = await self.repo.follow_up_answered(report_id, now, close_as="better")
            return FollowedUp(ok=ok, closed=ok)
        if answer is Answer.SAME and report.follow_ups == 0:
            at = now + FOLLOW_UP_AFTER
            ok, _ = await self.repo.follow_up_answered(report_id, now, next_follow_up_at=at)
            if ok:
                self.timer.arm([at])
            return FollowedUp(ok=ok, asked_again=ok)
        rule = "F2-worse-at-follow-up" if answer is Answer.WORSE else "F1-same-at-48h"
        nudge_at = now + NUDGE_REPEAT
        ok, nudge_id = await self.repo.follow_up_answered(
            report_id, now,
            escalate=(Level.CLINICIAN.key, [rule], (NudgeReason.FOLLOW_UP, report.signs, nudge_at)),
        )  # fmt: skip
        if ok:
            self.timer.arm([nudge_at])
        return FollowedUp(ok=ok, nudge_id=nudge_id)

    async def contacted(self, patient_id: int, nudge_id: int) -> bool:
        return await self.repo.nudge_contacted(nudge_id, patient_id, self.clock())

    async def later(self, patient_id: int, nudge_id: int) -> datetime | None:
        at = self.clock() + NUDGE_LATER
        if not await self.repo.renudge_at(nudge_id, patient_id, at):
            return None
        self.timer.arm([at])
        return at

    async def nudge_sent(self, patient_id: int, nudge_id: int) -> None:
        """After a nudge goes out, the next one is due in a day (until they confirm contact)."""
        at = self.clock() + NUDGE_REPEAT
        if await self.repo.renudge_at(nudge_id, patient_id, at):
            self.timer.arm([at])

    async def check_missed(self, snap: Snapshot) -> int | None:
        """Two missed in a row during a repletion phase, or a maintenance dose more than 7 days
        overdue: the plan is the clinician's to adjust, so nudge (once per open streak)."""
        if snap.plan is None or snap.plan_id is None:
            return None
        recent = await self.repo.recent_doses(snap.plan_id, 10)
        streak = []
        for dose in recent:
            if dose.status != "missed":
                break
            streak.append(dose)
        if not streak:
            return None
        maintenance = streak[0].phase_index == len(snap.plan.phases) - 1
        now = self.clock()
        if not maintenance and len(streak) >= MISSED_IN_A_ROW:
            reason = NudgeReason.MISSED_DOSES
        elif maintenance and now - streak[-1].due_at > OVERDUE_AFTER:
            reason = NudgeReason.OVERDUE
        else:
            return None
        nudge_id = await self.repo.add_nudge(snap.patient_id, reason, [], now, now)
        if nudge_id is not None:
            self.timer.arm([now])
        return nudge_id
