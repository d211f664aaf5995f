"""Privacy, pauses, time zones, phases and the calendar."""

from __future__ import annotations

# --- privacy ------------------------------------------------------------------------------------

CONFIRM_DELETE = (
    "This erases everything I keep about you: your plan, doses, sites, reports and reminders. "
    "It can't be undone. (Tip: /export first if you want a copy.)"
)
DELETED = "Done. Everything about you has been erased. If you want to start again, tap /start."
NOTHING_TO_DELETE = "I don't keep anything about you right now."
KEPT = "Okay, nothing was erased."
EXPORT_CAPTION = "Your data: {what}."
EXPORT_ALL = "everything I keep about you, in a file for computers (JSON)"
EXPORT_TABLE = "your doses, reports, check-ins and blood tests, as a table for a spreadsheet"
EXPORT_SUMMARY = "a one-page summary to show your clinician"
NOT_ALLOWED = (
    "Sorry, this bot is run by a clinic for its own patients. If you think you should have "
    "access, please ask your clinic."
)


WELCOME_BACK = "Welcome back! Your reminders are on again."


# --- plan changes over time -----------------------------------------------------------------------

PAUSE_ENDED = "Your pause has ended – reminders are on again."
ASK_PAUSE = (
    "Pause your reminders? Nothing is counted as missed while paused. Please pause only as your "
    "clinician advised (for example during a hospital stay)."
)
ASK_PAUSE_UNTIL = "Until which date? For example: 2026-12-10 or 10 Dec."
PAUSED_UNTIL = "Paused until {until}. I'll start again then – or tap /resume any time."
PAUSED_OPEN = "Paused. Tap /resume when you're ready to start again."
ALREADY_PAUSED = "Your reminders are already paused{until}. Tap /resume to start again."
NOT_PAUSED = "Your reminders aren't paused."
RESUMED = "Welcome back! Reminders are on again."
ASK_TIMEZONE_NOW = (
    "Which time zone are you in now? Tap one, or type your city. Your reminders stay at {time} local time."
)
TIMEZONE_CHANGED = (
    "Time zone set to {zone}. Reminders stay at {time} your local time; past records are unchanged."
)
LAST_PHASE = (
    "You're on the last phase of the plan you entered. If your clinician changed your plan, "
    "set it up again with /start."
)


def confirm_next_phase(current: str, following: str) -> str:
    return (
        f"Move on to the next phase? Only do this when your clinician says so.\n"
        f"Now: {current}\nNext: {following}"
    )


PHASE_MOVED = "Moved on: {phase}."


CALENDAR_CAPTION = (
    "Your next {count} doses (about 6 months), each with the suggested site. Open the file to add "
    "them to your calendar. If your plan changes, send /calendar again."
)
CALENDAR_PAUSED = "Your reminders are paused, so there are no doses to put in a calendar. Tap /resume first."

PAUSE_DATE_RULE = "Please type a date after today, within a year, e.g. 10 Dec."


def heads_up_setting(label: str | None) -> str:
    """How /settings names the current heads-up ("Off", "2 hours before")."""
    return "Off" if label in (None, "Off") else f"{label} before"
