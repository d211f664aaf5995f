"""Shared wording: times and dates, help, commands, and what every flow says when input is wrong."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.plan import Plan, Route
from bot.domain.schedule import PhaseTally

# --- formatting helpers -------------------------------------------------------------------------


def when(at: datetime, tz: ZoneInfo, now: datetime) -> str:
    """'today 08:00', 'tomorrow 20:30', 'Fri 28 Nov 08:00', '3 Jan 2027 08:00'."""
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow {clock}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday {clock}"
    if local.year == today.year or local.date() < today + timedelta(days=180):
        return f"{local:%a} {local.day} {local:%b} {clock}"
    return f"{local.day} {local:%b %Y} {clock}"


def day(on: date) -> str:
    """'Tue 15 Dec 2026'."""
    return f"{on:%a} {on.day} {on:%b %Y}"


def ago(at: datetime | None, now: datetime, tz: ZoneInfo) -> str:
    """'not used yet', 'used today', 'used yesterday', 'used 12 days ago': calendar days in the
    patient's zone (yesterday 20:35 is yesterday, even at 08:00)."""
    if at is None:
        return "not used yet"
    days = (now.astimezone(tz).date() - at.astimezone(tz).date()).days
    if days <= 0:
        return "used today"
    return "used yesterday" if days == 1 else f"used {days} days ago"


def dose_line(plan: Plan) -> str:
    route = "under the skin" if plan.route is Route.SUBCUTANEOUS else "into the muscle"
    return f"{plan.product_label} {plan.strength}: {plan.dose}, {route}."


def phase_line(plan: Plan, phase_index: int, number: int, tally: PhaseTally | None = None) -> str:
    """'Dose 3 of 7 in phase 1 of 3 (every day).' plus, when doses were skipped or missed, how
    they count (they don't); a phase in weeks says its last day."""
    phase = plan.phases[phase_index]
    total = phase.length.count if phase.length.kind.value == "injections" else None
    of = f"Dose {number} of {total}" if total else f"Dose {number}"
    where = f"phase {phase_index + 1} of {len(plan.phases)}" if len(plan.phases) > 1 else "your plan"
    until = f", until {day_short(tally.ends_on)}" if tally and tally.ends_on else ""
    line = f"{of} in {where} ({phase.cadence.describe()}{until})."
    if tally and (tally.skipped or tally.missed):
        line += " " + tally_words(tally, total)
    return line


def tally_words(tally: PhaseTally, total: int | None) -> str:
    """'So far 2 given, 1 skipped – only given doses count, so 5 to go.'"""
    parts = [f"{tally.given} given"]
    if tally.skipped:
        parts.append(f"{tally.skipped} skipped")
    if tally.missed:
        parts.append(f"{tally.missed} missed")
    to_go = f", so {total - tally.given} to go" if total is not None else ""
    return f"So far {', '.join(parts)} – only given doses count{to_go}."


def day_short(on: date) -> str:
    """'Fri 13 Mar'."""
    return f"{on:%a} {on.day} {on:%b}"


def where_you_are(plan: Plan, phase_index: int, tally: PhaseTally) -> str:
    """For /plan: 'Now: phase 1 of 3 (every day) – 5 of 7 given, 1 skipped: 2 to go.'"""
    phase = plan.phases[phase_index]
    total = phase.length.count if phase.length.kind.value == "injections" else None
    name = f"phase {phase_index + 1} of {len(plan.phases)}" if len(plan.phases) > 1 else "your plan"
    parts = [f"{tally.given} of {total} given" if total is not None else f"{tally.given} given"]
    if tally.skipped:
        parts.append(f"{tally.skipped} skipped")
    if tally.missed:
        parts.append(f"{tally.missed} missed")
    if total is not None:
        rest = f": {max(total - tally.given, 0)} to go"
    elif tally.ends_on is not None:
        rest = f": until {day_short(tally.ends_on)}"
    else:
        rest = ": until your clinician says to change"
    return f"Now: {name} ({phase.cadence.describe()}) – {', '.join(parts)}{rest}."


# --- general ------------------------------------------------------------------------------------

HELP = (
    "Here's what I can do:\n"
    "/start – set up your plan (or set it up again)\n"
    "/plan – the plan you entered\n"
    "/next – when and where your next dose is\n"
    "/history – your last 10 doses\n"
    "/report, /reports – a side effect or a problem (a photo helps); your reports\n"
    "/sites – your injection sites and rest period\n"
    "/settings – a heads-up before each dose\n"
    "/pause, /resume – pause reminders (e.g. a hospital stay), and restart them\n"
    "/timezone – travelling? change your time zone\n"
    "/phase – move on a phase when your clinician says so\n"
    "/calendar – your doses as a calendar file\n"
    "/symptoms – how you feel this week\n"
    "/labs – blood test results and the next re-check\n"
    "/supplies – vials and syringes left\n"
    "/chart – a picture of your progress\n"
    "/export – your data, and a summary for your clinician\n"
    "/caregiver – someone close to you hears when it matters\n"
    "/stop – no more messages about someone you look after\n"
    "/delete – erase everything I keep about you\n"
    "/cancel – stop what we're doing\n"
    "/help – this list\n"
    "\n"
    "When a dose is due, tap Done, Snooze or Skip, or type e.g. "
    '"done left thigh" or "done yesterday 21:00 right thigh".\n\n'
    "I follow the plan your clinician wrote and never change a dose: if you're unsure about "
    "anything, please ask them."
)
COMMANDS = [
    ("start", "Set up your plan"),
    ("next", "When and where is my next dose"),
    ("plan", "Show my plan"),
    ("history", "My last 10 doses"),
    ("report", "Report a side effect or problem"),
    ("reports", "My reports"),
    ("sites", "My injection sites"),
    ("settings", "Heads-up before doses"),
    ("pause", "Pause reminders"),
    ("resume", "Start reminders again"),
    ("timezone", "Change my time zone"),
    ("phase", "Move to the next phase"),
    ("calendar", "My doses as a calendar file"),
    ("symptoms", "How I feel this week"),
    ("labs", "Blood test results and re-check"),
    ("supplies", "Vials and syringes left"),
    ("chart", "A picture of my progress"),
    ("caregiver", "Someone who hears when it matters"),
    ("export", "A copy of my data"),
    ("delete", "Erase my data"),
    ("cancel", "Stop what we're doing"),
    ("stop", "Stop messages about someone I look after"),
    ("help", "What I can do"),
]
NOT_UNDERSTOOD = (
    'Sorry, I didn\'t catch that. You can tap a button, or type "done", "done left thigh", '
    '"skip" or "snooze". If something doesn\'t feel right, tap /report. /help lists everything.'
)
NEED_SETUP = "You haven't set up a plan yet. Tap /start and I'll walk you through it (about 2 minutes)."
FLOOD = (
    "That's a lot of messages at once – I'll answer the ones I have, and skip the rest for a moment. "
    "If something is urgent, type it again in a few seconds."
)
TRY_AGAIN_LATER = "Sorry, something went wrong on my side. Nothing was lost – please try again in a minute."
STALE_BUTTON = "That button is out of date – nothing was changed."
CANCELLED = "Okay, stopped. Nothing half-finished was saved."
NOTHING_TO_CANCEL = "There's nothing to cancel right now."
