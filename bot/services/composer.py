"""Reminder messages, composed from what is due: no database, no Telegram calls, no clock of its
own. The one place that words a dose-due message (used by the batch path and the one-by-one path
of delivery alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import texts
from bot.domain.plan import Plan
from bot.domain.records import DoseView, NudgeView, ReportView
from bot.domain.schedule import PhaseTally, Progress
from bot.domain.status import DoseStatus
from bot.domain.supplies import RunOut, Stock
from bot.keyboards import (
    Markup,
    dose_actions,
    follow_up_buttons,
    nudge_buttons,
    plain,
    symptom_levels,
    took_it,
)


@dataclass(frozen=True)
class Message:
    text: str
    keyboard: Markup | None  # as the Bot API takes it: scheduled messages are sent in bulk


@dataclass(frozen=True)
class DoseFacts:
    """What a dose message says about the patient besides the dose itself."""

    plan: Plan
    site: str | None  # the suggested site
    site_last_used: datetime | None
    clinician_check: bool  # after an allergy-level report: check before injecting
    progress: Progress


def dose_buttons(dose_id: int, clinician_check: bool, took: int | None = None) -> Markup:
    """The dose message's buttons; after an allergy-level report, "My clinician says carry on" too;
    under the note of a dose just marked missed (`took`), "I took the missed one"."""
    return dose_actions(dose_id, texts.CARRY_ON_LABEL if clinician_check else None, took)


def tally(plan: Plan, progress: Progress, phase_index: int) -> PhaseTally | None:
    """The counts of the dose's phase (none for the first dose of a new phase)."""
    return PhaseTally.of(plan, progress) if progress.phase_index == phase_index else None


def dose_due(
    facts: DoseFacts,
    dose: DoseView,
    now: datetime,
    *,
    late_due: datetime | None = None,
    notes: list[str] | None = None,
    took: int | None = None,
) -> Message:
    text = texts.dose_due(
        facts.plan,
        dose.phase_index,
        dose.number_in_phase,
        facts.site,
        facts.site_last_used,
        now,
        phase_changed=dose.phase_changed,
        late_due=late_due,
        notes=notes or [],
        clinician_check=facts.clinician_check,
        tally=tally(facts.plan, facts.progress, dose.phase_index),
    )
    return Message(text, dose_buttons(dose.id, facts.clinician_check, took))


def dose_summary(
    facts: DoseFacts,
    dose: DoseView | None,
    notes: list[str],
    *,
    late_due: datetime | None,
    nudge_only: bool,
    open_due_at: datetime | None,
    now: datetime,
    missed_id: int | None = None,
) -> Message | None:
    """The one message for a patient's dose reminders due together: the dose message (or the
    short re-reminder), or only the notes (a missed dose, a pause that ended) with the next dose.
    A dose just marked missed (`missed_id`) gets "I took the missed one" under its note."""
    if dose is not None and dose.status == DoseStatus.DUE:
        if nudge_only and not notes:
            return Message(
                texts.re_remind(facts.plan, facts.site, facts.clinician_check),
                dose_buttons(dose.id, facts.clinician_check),
            )
        return dose_due(facts, dose, now, late_due=late_due, notes=notes, took=missed_id)
    if not notes:
        return None
    if open_due_at is not None:
        notes = [*notes, texts.next_due_line(open_due_at, facts.site, ZoneInfo(facts.plan.timezone), now)]
    return Message("\n\n".join(notes), took_it(missed_id) if missed_id is not None else None)


def heads_up(plan: Plan, due_at: datetime, site: str | None, now: datetime) -> Message:
    return Message(texts.heads_up(due_at, site, ZoneInfo(plan.timezone), now), None)


def follow_up(report: ReportView) -> Message:
    contacted = report.level != "watch"
    return Message(
        texts.follow_up_question(report.signs, report.site, contacted), plain(follow_up_buttons(report.id))
    )


def nudge(plan: Plan, nudge: NudgeView, last: bool) -> Message:
    text = texts.nudge(plan, nudge.reason, nudge.signs)
    if last:
        text += "\n" + texts.LAST_NUDGE
    return Message(text, plain(nudge_buttons(nudge.id)))


def check_in() -> Message:
    return Message(
        texts.symptom_question(texts.CHECK_IN_INTRO, ""),
        plain(symptom_levels("", texts.LEVEL_LABELS, skip=True)),
    )


def lab_recheck(soon: bool, on: str) -> Message:
    return Message((texts.LAB_SOON_TEXT if soon else texts.LAB_DAY_TEXT).format(day=on), None)


def refill(plan: Plan, stock: Stock, out: RunOut, now: datetime) -> Message:
    expires = texts.day(stock.expires_on) if out.expired and stock.expires_on else None
    when = texts.when(out.first_uncovered, ZoneInfo(plan.timezone), now)
    return Message(texts.refill(plan, stock.covered or 0, when, expires), None)


def expiry(plan: Plan, stock: Stock, now: datetime) -> Message | None:
    if stock.expires_on is None:
        return None
    expired = stock.expires_on < now.astimezone(ZoneInfo(plan.timezone)).date()
    return Message(texts.expiry(texts.day(stock.expires_on), expired), None)
