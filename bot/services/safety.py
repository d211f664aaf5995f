"""Safety use-cases: record a side-effect report, follow it up, nudge towards the clinician.

Triage itself is pure (`bot.domain.triage`); this module stores what it decided and arms the
follow-ups: `watch` asks again in 24 h (same at 48 h, or worse at any time, escalates to
`clinician`); `clinician` and `emergency` create a nudge repeated daily until the patient says
they contacted their clinician ("remind me later" asks again in 4 h); two days after contact,
"has it settled?". Details added later (site, since when, how bad) can only raise a level. After
an emergency- or allergy-level report, dose messages ask to check with the clinician first.
A patient with no plan yet gets the same advice; the report is kept, without repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.records import ReportView, Snapshot
from bot.domain.triage import (
    ALLERGY_SIGNS,
    Level,
    Modifier,
    Report,
    Severity,
    Sign,
    Triage,
    read,
    triage,
)
from bot.services.care_alerts import CareAlerts
from bot.services.dosing import Timer
from storage.repositories import Repositories

FOLLOW_UP_AFTER = timedelta(hours=24)
SETTLED_AFTER_CONTACT = timedelta(hours=48)  # "has it settled?" after the clinician was contacted
NUDGE_REPEAT = timedelta(hours=24)
NUDGE_LATER = timedelta(hours=4)
NUDGE_FOR = timedelta(days=3)  # daily repeats for this long, then /reports keeps it
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
    raised: bool = True  # the level is new (a first report, or details that raised it)


@dataclass(frozen=True)
class FollowedUp:
    ok: bool  # False: the report was already closed (a stale button)
    closed: bool = False
    asked_again: bool = False
    nudge_id: int | None = None


class Safety:
    def __init__(self, repo: Repositories, timer: Timer, clock: Callable[[], datetime]) -> None:
        self.repo, self.timer, self.clock = repo, timer, clock
        self.care: CareAlerts | None = None  # caregivers hear about some of these decisions

    async def _tell_care(
        self, patient_id: int, *, nudge_id: int | None, at: datetime, emergency: int | None = None
    ) -> None:
        """The caregivers' side of a decision: an emergency at once; a nudge if still open in 2 days."""
        if self.care is None:
            return
        if emergency is not None:
            await self.care.emergency(patient_id, emergency)
        if nudge_id is not None:
            await self.care.nudge_made(patient_id, nudge_id, at)

    async def record(
        self,
        patient_id: int,
        signs: Iterable[Sign],
        *,
        site: str | None,
        severity: Severity | None,
        since_at: datetime | None,
        words: str | None,
        modifiers: frozenset[Modifier] | None = None,
        with_plan: bool = True,
    ) -> Recorded:
        """Triage and store a report; arm its follow-up or its clinician nudge (only with a plan:
        without one there is no time zone to remind in, and the advice was given at once)."""
        now = self.clock()
        if modifiers is None:
            modifiers = read(words).modifiers if words else frozenset[Modifier]()
        hours = (now - since_at).total_seconds() / 3600 if since_at else None
        signs = list(dict.fromkeys(signs))  # keep the caller's order, drop repeats
        result = triage(Report(frozenset(signs), severity, hours, modifiers))
        follow_up_at = now + FOLLOW_UP_AFTER if result.level is Level.WATCH and with_plan else None
        nudge_at = now + NUDGE_REPEAT
        sign_keys = [str(s) for s in signs]
        # a question about the dose is answered at once ("ask your clinician"): no daily repeats
        nudging = result.level >= Level.CLINICIAN and with_plan and set(signs) != {Sign.UNSURE}
        report_id, nudge_id = await self.repo.reports.add_report(
            patient_id,
            now,
            signs=sign_keys,
            site=site,
            severity=severity.name.lower() if severity else None,
            since_at=since_at,
            words=words,
            level=result.level.key,
            rule_ids=result.rule_ids,
            follow_up_at=follow_up_at,
            nudge=(NudgeReason.REPORT, sign_keys, nudge_at) if nudging else None,
            hold=needs_clinician_check(result, signs),
        )
        self.timer.arm([t for t in (follow_up_at, nudge_at if nudge_id else None) if t])
        emergency = report_id if result.level is Level.EMERGENCY else None
        await self._tell_care(patient_id, nudge_id=nudge_id, at=now, emergency=emergency)
        return Recorded(report_id, nudge_id, result)

    async def add_details(
        self,
        patient_id: int,
        report_id: int,
        *,
        site: str | None = None,
        severity: Severity | None = None,
        hours: float | None = None,
        words: str | None = None,
        signs: Iterable[Sign] = (),
    ) -> Recorded | None:
        """Details answered after the advice: stored, and the report triaged again. The level
        can only go up; going up to `clinician` or beyond starts the nudges."""
        report = await self.repo.reports.report(report_id)
        if report is None or await self.repo.reports.report_owner(report_id) != patient_id:
            return None
        now = self.clock()
        all_signs = list(dict.fromkeys([*(Sign(s) for s in report.signs), *signs]))
        old_severity = Severity[report.severity.upper()] if report.severity else None
        new_severity = max((x for x in (old_severity, severity) if x), default=None)
        since_at = now - timedelta(hours=hours) if hours is not None else report.since_at
        since_at = min(x for x in (since_at, report.since_at) if x) if since_at else None
        all_words = " / ".join(w for w in (report.words, words) if w) or None
        modifiers = read(all_words).modifiers if all_words else frozenset[Modifier]()
        age = (now - since_at).total_seconds() / 3600 if since_at else None
        result = triage(Report(frozenset(all_signs), new_severity, age, modifiers))
        old_level = Level[report.level.upper()]
        raised = result.level > old_level
        level = max(result.level, old_level)
        changes: dict[str, object] = {
            "signs": [str(s) for s in all_signs],
            "severity": new_severity.name.lower() if new_severity else None,
            "since_at": since_at,
            "words": all_words,
            "level": level.key,
            "rule_ids": list(dict.fromkeys([*report.rule_ids, *result.rule_ids])),
        }
        if site is not None:
            changes["site"] = site
        nudge_at = now + NUDGE_REPEAT
        nudging = raised and level >= Level.CLINICIAN
        updated, nudge_id = await self.repo.reports.update_report(
            report_id,
            patient_id,
            now,
            changes=changes,
            nudge=(NudgeReason.REPORT, changes["signs"], nudge_at) if nudging else None,  # type: ignore[arg-type]
            hold=needs_clinician_check(result, all_signs),
        )
        if updated is None:
            return None
        if nudge_id:
            self.timer.arm([nudge_at])
        emergency = report_id if raised and level is Level.EMERGENCY else None
        await self._tell_care(patient_id, nudge_id=nudge_id, at=now, emergency=emergency)
        shown = result if raised else Triage(old_level, report.rule_ids)
        return Recorded(report_id, nudge_id, shown, raised=raised)

    async def close(self, patient_id: int, report_id: int, outcome: str = "closed") -> ReportView | None:
        """The patient says it has settled (or closes it in /reports): the site returns to the
        rotation, follow-ups and nudges stop."""
        return await self.repo.reports.close_report(report_id, patient_id, self.clock(), outcome)

    async def open_reports(self, patient_id: int) -> list[ReportView]:
        return await self.repo.reports.open_reports(patient_id)

    async def reports(self, patient_id: int, limit: int = 20) -> list[ReportView]:
        """The patient's reports, newest first."""
        return await self.repo.reports.reports(patient_id, limit)

    async def report_of(self, patient_id: int, report_id: int) -> ReportView | None:
        """One of the patient's own reports (None for anyone else's)."""
        if await self.repo.reports.report_owner(report_id) != patient_id:
            return None
        return await self.repo.reports.report(report_id)

    async def waiting_on_clinician(self, patient_id: int) -> bool:
        """Is the patient being asked to contact their clinician (a hold or an open nudge)?"""
        return bool(await self.repo.reports.open_nudge_ids(patient_id))

    async def waiting_answer(self, patient_id: int) -> ReportView | None:
        """The open report whose follow-up question is waiting for an answer, if any."""
        return next(
            (r for r in await self.repo.reports.open_reports(patient_id) if r.asked_at is not None), None
        )

    async def carry_on(self, patient_id: int) -> bool:
        """The clinician said to carry on: dose messages stop asking to check first."""
        return await self.repo.reports.clear_clinician_check(patient_id)

    async def follow_up(self, patient_id: int, report_id: int, answer: Answer) -> FollowedUp:
        """Better closes the report; same once asks again tomorrow; same at 48 h or worse
        escalates to the clinician."""
        report = await self.repo.reports.report(report_id)
        if report is None or await self.repo.reports.report_owner(report_id) != patient_id:
            return FollowedUp(ok=False)
        now = self.clock()
        if answer is Answer.BETTER:
            ok, _ = await self.repo.reports.follow_up_answered(report_id, now, close_as="better")
            return FollowedUp(ok=ok, closed=ok)
        already_seen = Level[report.level.upper()] >= Level.CLINICIAN
        if answer is Answer.SAME and (report.follow_ups == 0 or already_seen):
            # a watch report: once more tomorrow; one the clinician knows about: again in 2 days
            at = now + (SETTLED_AFTER_CONTACT if already_seen else FOLLOW_UP_AFTER)
            ok, _ = await self.repo.reports.follow_up_answered(report_id, now, next_follow_up_at=at)
            if ok:
                self.timer.arm([at])
            return FollowedUp(ok=ok, asked_again=ok)
        rule = "F2-worse-at-follow-up" if answer is Answer.WORSE else "F1-same-at-48h"
        nudge_at = now + NUDGE_REPEAT
        ok, nudge_id = await self.repo.reports.follow_up_answered(
            report_id,
            now,
            escalate=(Level.CLINICIAN.key, [rule], (NudgeReason.FOLLOW_UP, report.signs, nudge_at)),
        )
        if ok:
            self.timer.arm([nudge_at])
            await self._tell_care(patient_id, nudge_id=nudge_id, at=now)
        return FollowedUp(ok=ok, nudge_id=nudge_id)

    async def contacted(self, patient_id: int, nudge_id: int) -> bool:
        """They contacted their clinician: the nudges stop; two days on, "has it settled?"."""
        now = self.clock()
        if not await self.repo.reports.nudge_contacted(nudge_id, patient_id, now):
            return False
        nudge = await self.repo.reports.nudge(nudge_id)
        at = now + SETTLED_AFTER_CONTACT
        if (
            nudge is not None
            and nudge.report_id is not None
            and await self.repo.reports.add_follow_up(nudge.report_id, patient_id, at)
        ):
            self.timer.arm([at])
        return True

    async def later(self, patient_id: int, nudge_id: int) -> datetime | None:
        at = self.clock() + NUDGE_LATER
        if not await self.repo.reports.renudge_at(nudge_id, patient_id, at):
            return None
        self.timer.arm([at])
        return at

    async def nudge_sent(self, patient_id: int, nudge_id: int, last: bool = False) -> None:
        """After a nudge goes out, the next one is due in a day (until they confirm contact, or
        until it was the last one)."""
        if last:
            return
        at = self.clock() + NUDGE_REPEAT
        if await self.repo.reports.renudge_at(nudge_id, patient_id, at):
            self.timer.arm([at])

    def last_nudge(self, created_at: datetime | None) -> bool:
        """Is a repeat sent now the last one (daily repeats stop after `NUDGE_FOR`)?"""
        return created_at is not None and self.clock() - created_at >= NUDGE_FOR - NUDGE_REPEAT / 2

    async def contacted_all(self, patient_id: int) -> int:
        """They say they have spoken to their clinician: every open nudge stops (each report is
        asked about again in two days). The number of nudges closed."""
        done = 0
        for nudge_id in await self.repo.reports.open_nudge_ids(patient_id):
            done += await self.contacted(patient_id, nudge_id)
        return done

    async def missed_streak_ended(self, patient_id: int) -> list[int]:
        """A dose given (or recorded late) after missed ones: the nudge about them is over, for
        the patient (no more daily repeats) and their caregivers (nothing still queued is sent);
        the next streak gets a nudge of its own. The nudges closed."""
        return await self.repo.reports.close_missed_nudges_when_given(patient_id)

    async def check_missed(self, snap: Snapshot) -> int | None:
        """Two missed in a row while doses come more often than weekly (a repletion phase, or a
        plan of one phase such as every other day), or a weekly or monthly maintenance dose more
        than 7 days overdue: the plan is the clinician's to adjust, so nudge (once per open
        streak)."""
        if snap.plan is None or snap.plan_id is None:
            return None
        recent = await self.repo.doses.recent_doses(snap.plan_id, 10)
        streak = []
        for dose in recent:
            if dose.status != "missed":
                break
            streak.append(dose)
        if not streak:
            return None
        phases = snap.plan.phases
        last = min(streak[0].phase_index, len(phases) - 1) == len(phases) - 1
        maintenance = last and phases[-1].cadence.interval >= OVERDUE_AFTER
        now = self.clock()
        if not maintenance and len(streak) >= MISSED_IN_A_ROW:
            reason = NudgeReason.MISSED_DOSES
        elif (
            maintenance
            and now - min(d.due_at for d in streak if d.phase_index == streak[0].phase_index) > OVERDUE_AFTER
        ):
            reason = NudgeReason.OVERDUE
        else:
            return None
        nudge_id = await self.repo.reports.add_nudge(snap.patient_id, reason, [], now, now)
        if nudge_id is not None:
            self.timer.arm([now])
            if self.care is not None:  # the same decision reaches the caregivers (once: not again
                await self.care.missed(snap.patient_id, nudge_id)  # as a nudge left unconfirmed)
        return nudge_id


def needs_clinician_check(result: Triage, signs: Iterable[Sign]) -> bool:
    """Emergency level, or any sign that the body may be reacting to the product."""
    return result.level is Level.EMERGENCY or bool(set(signs) & ALLERGY_SIGNS)
