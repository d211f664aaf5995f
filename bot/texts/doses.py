"""Doses: the dose-due message, replies to done, skip and snooze, rotation tips."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.plan import Plan
from bot.domain.schedule import PhaseTally
from bot.texts.common import ago, dose_line, phase_line, when
from bot.texts.safety import check_before_dose

# --- doses --------------------------------------------------------------------------------------


def dose_due(
    plan: Plan,
    phase_index: int,
    number: int,
    site: str | None,
    site_used: datetime | None,
    now: datetime,
    *,
    phase_changed: bool = False,
    late_due: datetime | None = None,
    notes: list[str] | None = None,
    clinician_check: bool = False,
    tally: PhaseTally | None = None,
) -> str:
    tz = ZoneInfo(plan.timezone)
    lines = list(notes or [])
    if clinician_check:
        lines.append(check_before_dose(plan))
    if late_due is not None:
        lines.append(f"(Sorry, this reminder is late – it was due {when(late_due, tz, now)}.)")
    if phase_changed:
        lines.append(f"New phase: from now on, {plan.phases[phase_index].describe()} – as your plan says.")
    lines.append("💉 Time for your B12 injection.")
    lines.append(dose_line(plan))
    lines.append(phase_line(plan, phase_index, number, tally))
    if site:
        lines.append(f"Suggested site: {site} ({ago(site_used, now, tz)}).")
    return "\n".join(lines)


def re_remind(plan: Plan, site: str | None, clinician_check: bool = False) -> str:
    where = f" Suggested site: {site}." if site else ""
    check = check_before_dose(plan) + "\n" if clinician_check else ""
    return f"{check}Just a gentle nudge: your B12 dose is still open.{where} Tap Done when it's done."


SNOOZED = "Okay, I'll remind you again {at}."
ASK_SITE = "Where did you inject? (Suggested first.)"
ASK_SITE_AGAIN = "Which one did you mean?"
ASK_SITE_TOOK = (
    "Good – where did you inject? I'll record it at the planned time, {due}. (Another time? "
    'Type it, e.g. "done yesterday 21:00 left thigh".)'
)
UNKNOWN_SITE = 'I don\'t know the site "{text}". Please tap one of your sites:'
ASK_SKIP_REASON = "Okay. Why are you skipping this dose? (This helps your clinician.)"
ASK_SKIP_REASON_TEXT = "Please type the reason in a few words."
SKIP_REASONS = [
    "My clinician told me to",
    "Feeling unwell",
    "No supplies",
    "Travelling",
]
ALREADY_RECORDED = "That dose is already recorded ({status}) – nothing new was saved."
NO_OPEN_DOSE = "There's no dose waiting for you right now. Your next one is {next}."
NOT_DUE_YET = (
    "Your next dose isn't due until {next}, so I haven't recorded anything. "
    "If you were told to inject at a different time, please check with your clinician."
)
BAD_GIVEN_TIME_FUTURE = 'That time is in the future, so nothing was recorded. Try e.g. "done 20:15".'
BAD_GIVEN_TIME_OLD = "That's more than a week ago, so I can't record it here. Nothing was saved."
MISSED_NOTE = (
    "Your dose due {due} wasn't recorded, so I've marked it missed. Never take two to make up "
    "for it – follow your clinician's instructions for missed doses."
)
PLAN_FINISHED = (
    "That was the last dose in the plan you entered. Please check with your clinician what comes next."
)


def recorded(site: str, given: datetime, tz: ZoneInfo, now: datetime) -> str:
    return f"✅ Recorded: {site}, {when(given, tz, now)}."


def next_due_line(due: datetime, site: str | None, tz: ZoneInfo, now: datetime) -> str:
    where = f", at {site}" if site else ""
    return f"Next dose: {when(due, tz, now)}{where}."


def still_open(due: datetime, tz: ZoneInfo, now: datetime) -> str:
    """After a time-zone change, the dose already reminded (in the zone it was due in)."""
    city = tz.key.split("/")[-1].replace("_", " ")
    return (
        f"Your dose due {when(due, tz, now)} ({city} time) is still open: tap ✅ Done or Skip on its "
        "message. The ones after it follow your new time zone."
    )


def skipped(reason: str) -> str:
    return f"Skipped – reason noted: {reason}."


def next_summary(due: datetime, site: str | None, tz: ZoneInfo, now: datetime, status: str) -> str:
    state = " (due now – tap Done when it's done)" if status == "due" else ""
    return next_due_line(due, site, tz, now) + state


def history(rows: list[tuple[str, str, str]]) -> str:
    if not rows:
        return "No doses recorded yet."
    lines = [f"{when_} – {status} {detail}".rstrip() for when_, status, detail in rows]
    return "Your last doses (newest first):\n" + "\n".join(lines)
