"""When the next dose is due, from the plan, what has happened so far, and `now`.

Rules (DESIGN.md §2): a phase's length counts injections actually given; every-N-days/weeks/months
cadences count from the last injection given, at the patient's local time; fixed weekdays stay
fixed; a missed dose is never doubled, the bot reminds again at the next slot. A skipped dose
uses up its slot: the next one counts from the skipped dose's due date. All datetimes in and out
are timezone-aware; due times are returned in UTC.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.plan import CadenceKind, LengthKind, Phase, Plan


@dataclass(frozen=True)
class Progress:
    """What has happened so far in the plan, as far as scheduling cares."""

    phase_index: int = 0
    given_in_phase: int = 0
    phase_started_on: date | None = None  # local date of the phase's first dose
    last_given_at: datetime | None = None  # the last injection actually given
    last_skipped_due_at: datetime | None = None  # a skipped dose uses up its slot
    previous_due_at: datetime | None = None  # due time of the latest dose, whatever its status
    skipped_in_phase: int = 0  # skipped and missed doses do not count towards a phase's length
    missed_in_phase: int = 0


@dataclass(frozen=True)
class NextDose:
    phase_index: int
    number_in_phase: int  # 1-based
    due_at: datetime  # UTC
    phase_changed: bool
    phase_started_on: date  # local date the phase started (this dose's date when it is the first)


def local_slot(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of `at` on `day` in `tz`; a time that does not exist (DST gap) moves on."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC: a non-existent wall time (spring forward) comes back normalised.
    return aware.astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later, clamped to the month's last day (31 Jan + 1 -> 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _anchor(progress: Progress) -> datetime | None:
    """The last used-up slot: the latest of the last injection given and the last skipped dose."""
    candidates = [t for t in (progress.last_given_at, progress.last_skipped_due_at) if t]
    return max(candidates) if candidates else None


def _base_date(phase: Phase, plan: Plan, progress: Progress, tz: ZoneInfo) -> date:
    """The calendar date the cadence points at, before moving past `not_before`."""
    cadence = phase.cadence
    anchor = _anchor(progress)
    if cadence.kind is CadenceKind.WEEKDAYS:
        previous = progress.previous_due_at or anchor
        day = local_date(previous, tz) + timedelta(days=1) if previous else plan.start_date
        return _next_weekday(day, cadence.weekdays)
    if anchor is None:
        return plan.start_date
    last = local_date(anchor, tz)
    if cadence.kind is CadenceKind.EVERY_N_DAYS:
        return last + timedelta(days=cadence.every)
    if cadence.kind is CadenceKind.EVERY_N_WEEKS:
        return last + timedelta(weeks=cadence.every)
    return add_months(last, cadence.every)


def _next_weekday(day: date, weekdays: tuple[int, ...]) -> date:
    """The first date on or after `day` that falls on one of `weekdays`."""
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() in weekdays:
            return candidate
    raise AssertionError("weekdays must not be empty")


def _first_slot_from(day: date, phase: Phase, plan: Plan, tz: ZoneInfo, not_before: datetime) -> datetime:
    """The first reminder slot on or after `day` that is not before `not_before`."""
    for _ in range(800):
        if phase.cadence.kind is CadenceKind.WEEKDAYS:
            day = _next_weekday(day, phase.cadence.weekdays)
        slot = local_slot(day, plan.time_of_day, tz)
        if slot >= not_before:
            return slot
        day += timedelta(days=1)
    raise AssertionError("no slot found within two years")


def _phase_finished(phase: Phase, given: int, started: date | None, candidate: date) -> bool:
    if phase.length.kind is LengthKind.INJECTIONS:
        return given >= (phase.length.count or 0)
    if phase.length.kind is LengthKind.WEEKS and started is not None:
        return candidate >= started + timedelta(weeks=phase.length.count or 0)
    return False


def next_dose(plan: Plan, progress: Progress, not_before: datetime) -> NextDose | None:
    """The next dose to remind about, or None when the written plan has no more doses.

    `not_before` is usually `now`: a slot in the past is never scheduled, so a missed dose is
    reminded at the next slot rather than doubled.
    """
    tz = ZoneInfo(plan.timezone)
    index, given, started = progress.phase_index, progress.given_in_phase, progress.phase_started_on
    changed = False
    while True:
        phase = plan.phases[index]
        due = _first_slot_from(_base_date(phase, plan, progress, tz), phase, plan, tz, not_before)
        if not _phase_finished(phase, given, started, local_date(due, tz)):
            break
        if index + 1 >= len(plan.phases):
            return None
        index, given, started, changed = index + 1, 0, None, True
    return NextDose(
        phase_index=index,
        number_in_phase=given + 1,
        due_at=due,
        phase_changed=changed,
        phase_started_on=started or local_date(due, tz),
    )


class Outcome(StrEnum):
    GIVEN = "given"
    SKIPPED = "skipped"  # uses up its slot: the next dose counts from this one's due date
    MISSED = "missed"  # does not: the bot reminds again at the next slot


def advance(
    progress: Progress, dose: NextDose, outcome: Outcome, given_at: datetime | None = None
) -> Progress:
    """Progress after `dose` ends as `outcome` (`given_at` is required for GIVEN)."""
    given = outcome is Outcome.GIVEN
    if given and given_at is None:
        raise ValueError("a given dose needs the time it was given")
    latest_given = progress.last_given_at
    if given and given_at is not None:
        latest_given = max(given_at, latest_given) if latest_given else given_at
    return Progress(
        phase_index=dose.phase_index,
        given_in_phase=dose.number_in_phase if given else dose.number_in_phase - 1,
        phase_started_on=dose.phase_started_on,
        last_given_at=latest_given,
        last_skipped_due_at=dose.due_at if outcome is Outcome.SKIPPED else progress.last_skipped_due_at,
        previous_due_at=dose.due_at,
    )


def preview(
    plan: Plan, progress: Progress, now: datetime, count: int = 5, until: datetime | None = None
) -> list[NextDose]:
    """The next `count` doses (those before `until`) if each is given on time: shown at setup
    for the patient to check, and exported as a calendar."""
    doses: list[NextDose] = []
    not_before = now
    while len(doses) < count:
        dose = next_dose(plan, progress, not_before)
        if dose is None or (until is not None and dose.due_at >= until):
            break
        doses.append(dose)
        progress = advance(progress, dose, Outcome.GIVEN, dose.due_at)
        not_before = dose.due_at + timedelta(seconds=1)
    return doses


def next_day_slot(due_at: datetime, plan: Plan) -> datetime:
    """The same local time on the following day: the window in which a dose counts as missed."""
    tz = ZoneInfo(plan.timezone)
    return local_slot(local_date(due_at, tz) + timedelta(days=1), plan.time_of_day, tz)


@dataclass(frozen=True)
class PhaseTally:
    """Where the patient is in the current phase, in the words DESIGN.md counts in: only given
    injections count towards a phase's length; skipped and missed ones are said, not counted."""

    given: int
    skipped: int = 0
    missed: int = 0
    ends_on: date | None = None  # a phase measured in weeks: its last day

    @classmethod
    def of(cls, plan: Plan, progress: Progress) -> PhaseTally:
        phase = plan.phases[progress.phase_index]
        ends_on = None
        if phase.length.kind is LengthKind.WEEKS and phase.length.count and progress.phase_started_on:
            ends_on = progress.phase_started_on + timedelta(weeks=phase.length.count, days=-1)
        return cls(progress.given_in_phase, progress.skipped_in_phase, progress.missed_in_phase, ends_on)
