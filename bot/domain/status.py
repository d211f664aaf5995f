"""The states a dose, a reminder, a report and a nudge go through: shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class DoseStatus(StrEnum):
    SCHEDULED = "scheduled"  # planned, reminder not sent yet
    DUE = "due"  # reminder sent, waiting for the patient
    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"
    CANCELLED = "cancelled"  # the plan changed before this dose was due


OPEN_DOSE_STATUSES = (DoseStatus.SCHEDULED, DoseStatus.DUE)
CLOSED_DOSE_STATUSES = (DoseStatus.DONE, DoseStatus.SKIPPED, DoseStatus.MISSED)


class ReminderKind(StrEnum):
    DOSE_DUE = "dose_due"
    RE_REMIND = "re_remind"
    SNOOZE = "snooze"
    MISSED_CHECK = "missed_check"
    HEADS_UP = "heads_up"  # optional: N hours before a dose, names the site to prepare
    FOLLOW_UP = "follow_up"  # "better, same or worse?" about a report
    NUDGE = "nudge"  # "please contact your clinician", until the patient says they did
    RESUME = "resume"  # the end date of a pause: reminders start again
    CHECK_IN = "check_in"  # weekly symptom check-in
    LAB_SOON = "lab_soon"  # blood test re-check in 7 days
    LAB_DAY = "lab_day"  # blood test re-check today
    REFILL = "refill"  # supplies run out soon
    EXPIRY = "expiry"  # vials expire soon
    CARE_ALERT = "care_alert"  # caregivers' alerts about this patient due now (bot/services/care_alerts.py)


DOSE_REMINDERS = (
    ReminderKind.DOSE_DUE,
    ReminderKind.RE_REMIND,
    ReminderKind.SNOOZE,
    ReminderKind.MISSED_CHECK,
    ReminderKind.RESUME,
)

MONITORING_REMINDERS = (
    ReminderKind.CHECK_IN,
    ReminderKind.LAB_SOON,
    ReminderKind.LAB_DAY,
    ReminderKind.REFILL,
    ReminderKind.EXPIRY,
)


class ReportStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class NudgeStatus(StrEnum):
    OPEN = "open"
    CONTACTED = "contacted"
    CLOSED = "closed"  # its report settled, or its missed doses were followed by a given one


MISSED_NUDGE_REASONS = ("missed_doses", "overdue")  # nudges about missed doses, not a report


class ReminderState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
