"""The read models every layer shares: what the repositories return and the services and
handlers read. Plain frozen dataclasses, no database types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from bot.domain import plan as domain
from bot.domain.schedule import Progress
from bot.domain.status import DoseStatus, NudgeStatus, ReminderKind, ReportStatus
from bot.domain.supplies import Stock
from bot.domain.symptoms import DEFAULT_REVIEW_WEEKS


@dataclass(frozen=True)
class ReminderSpec:
    """A reminder to create for a new dose."""

    kind: ReminderKind
    due_at: datetime


@dataclass(frozen=True)
class DoseView:
    id: int
    plan_id: int
    phase_index: int
    number_in_phase: int
    phase_changed: bool
    due_at: datetime
    status: DoseStatus
    given_at: datetime | None
    site: str | None
    skip_reason: str | None


@dataclass(frozen=True)
class Monitoring:
    """The patient's monitoring settings: weekly check-in, review, lab re-check, supplies."""

    checkin_weekday: int | None = None  # 0 = Monday
    checkin_time: time | None = None
    review_weeks: int = DEFAULT_REVIEW_WEEKS
    review_suggested: bool = False
    lab_recheck_on: date | None = None
    stock: Stock = field(default_factory=lambda: Stock(None, None))
    refill_warned: bool = False


@dataclass(frozen=True)
class CheckInView:
    id: int
    created_at: datetime
    levels: dict[str, int]
    note: str | None


@dataclass(frozen=True)
class LabView:
    id: int
    taken_on: date
    values: dict[str, float]  # analyte key -> value in its stored unit (only those measured)


@dataclass(frozen=True)
class Snapshot:
    """Everything a decision about one patient needs, read in one transaction."""

    patient_id: int
    chat_id: int
    blocked: bool
    plan_id: int | None
    plan: domain.Plan | None
    progress: Progress
    open_dose: DoseView | None
    last_used: dict[str, datetime]
    last_site: str | None
    rest_days: int = 7
    heads_up_hours: int | None = None
    reaction_sites: frozenset[str] = frozenset()  # sites with an open reaction report
    clinician_check: bool = False  # after an allergy-level report: check before the next dose
    paused: bool = False
    paused_until: date | None = None
    monitoring: Monitoring = field(default_factory=Monitoring)


@dataclass(frozen=True)
class ClaimedReminder:
    id: int
    patient_id: int
    dose_id: int | None
    kind: ReminderKind
    due_at: datetime
    attempts: int
    report_id: int | None = None
    nudge_id: int | None = None


@dataclass(frozen=True)
class ReportView:
    id: int
    created_at: datetime
    signs: tuple[str, ...]
    site: str | None
    severity: str | None
    since_at: datetime | None
    words: str | None
    level: str
    rule_ids: tuple[str, ...]
    status: ReportStatus
    follow_ups: int
    outcome: str | None
    closed_at: datetime | None
    asked_at: datetime | None = None


@dataclass(frozen=True)
class NudgeView:
    id: int
    patient_id: int
    report_id: int | None
    reason: str
    signs: tuple[str, ...]
    status: NudgeStatus
    created_at: datetime | None = None


@dataclass(frozen=True)
class NewDose:
    """A dose the repository created, with the due times of its reminders (for the timer)."""

    dose: DoseView
    reminder_times: list[datetime]


@dataclass(frozen=True)
class ClosedDose:
    """What closing a dose did: the outcome, the dose as it now stands, and the next dose created."""

    outcome: str
    dose: DoseView | None = None
    new: NewDose | None = None


class Outcome:
    """Why a guarded write did nothing (the patient is told which)."""

    OK = "ok"
    ALREADY = "already"  # the dose is no longer open
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class DraftView:
    """A conversation in progress (setup, a report's details, ...): kept in the database so it
    survives restarts and works across instances."""

    chat_id: int
    flow: str
    step: str
    data: dict[str, Any]
    updated_at: datetime
