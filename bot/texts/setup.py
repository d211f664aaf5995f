"""Setup: the questions that record the clinician's written plan."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.plan import Plan, Route, describe_phases
from bot.texts.common import when

# --- setup --------------------------------------------------------------------------------------

WELCOME = (
    "Hi! I'll remind you about your vitamin B12 injections, following the plan your clinician "
    "wrote – I never change it. Please have the written plan in front of you.\n\n"
    "Setting up takes about 2 minutes. You can type /cancel at any time."
)
ALREADY_SET_UP = "You already have a plan. Do you want to set it up again? Your history is kept."
ASK_PRODUCT = "Which B12 product is written on your plan?"
ASK_PRODUCT_NAME = "What's the product called on your plan or the label?"
ASK_STRENGTH = "What strength is written on the label? For example: 1000 mcg/mL"
ASK_DOSE = "How much does your plan say to inject each time? Type it as written, for example: 1 mL (1000 mcg)"
ASK_ROUTE = "How does your plan say to inject it?"
ROUTE_IM_NOTE = (
    "Noted: into the muscle (intramuscular), as your plan says. I'll keep that on record – please "
    "follow your clinician's instructions for how to inject."
)
ASK_SCHEDULE = (
    "How often does your plan say to inject? Pick one of these only if it matches your written plan "
    "exactly (I'll show where it comes from). Otherwise tap Build my own."
)
ASK_PRESET_DAYS = (
    "{count} times a week ({source}). Which {count} days does your plan use? Tap them, then Done."
)
NEED_DAYS = "Please tap exactly {count} days, then Done."
ASK_CADENCE = "Phase {n}: how often?"
ASK_EVERY = "Every how many {unit}? Type a number, for example 3."
ASK_WEEKDAYS = "Which days of the week? Tap them, then Done. (Or type e.g. Mon Wed Fri.)"
ASK_LENGTH = "Phase {n} ({cadence}): for how long?"
ASK_COUNT_INJECTIONS = "How many injections in this phase? Type a number, for example 7."
ASK_COUNT_WEEKS = "For how many weeks? Type a number, for example 2."
ASK_MORE_PHASES = "So far:\n{phases}\n\nIs there another phase after this one?"
ASK_TIME = "What time of day do you want your reminder? For example: 8am, 08:00 or 20:30"
ASK_TIMEZONE = "Which time zone are you in? Tap one, or type your city (e.g. Berlin, New York)."
ASK_IM_SITES = (
    "Which sites do you rotate for injections into the muscle? Tap to switch them on or off, then "
    "Done – only the ones your clinician showed you.\n"
    "You can also type your own, separated by commas."
)
ASK_SITES = (
    "Which injection sites do you rotate? Tap to switch them on or off, then Done.\n"
    "• Abdomen: at least 5 cm (2 inches) from the belly button.\n"
    "• Arms: only if your clinician said arms are fine.\n"
    "You can also type your own, separated by commas."
)
ASK_CLINICIAN_NAME = "What's the name of the clinician (or clinic) who wrote your plan?"
ASK_CLINICIAN_CONTACT = "How can you reach them? A phone number, email or clinic name is fine."
ASK_START = "When is your next injection due?"
ASK_START_ON_DAYS = "When is your next injection due? Your plan's days are {days}."
NOT_A_PLAN_DAY = "{day} isn't one of your plan's days ({days}). Please pick one of those days."
ASK_START_DATE = "Type the date of your next injection, for example 2026-12-01 or 1 Dec."
SAVED = "All set! I'll remind you at {time} ({zone}).\nYour first dose: {first}, at {site}."
SAVED_NO_DOSE = "Saved. Your plan has no more doses to remind you about."


def bad_input(example: str) -> str:
    return f"Sorry, I couldn't read that. {example}"


BAD_TIME = bad_input("Please type a time like 8am, 08:00 or 20:30.")
BAD_ZONE = bad_input("Type a city (e.g. London, Berlin, New York) or tap one of the buttons.")
BAD_NUMBER = bad_input("Please type a whole number from {low} to {high}, for example {example}.")
DATE_PASSED = (
    "Sorry, that date has passed. Please type today or later (today is {today}), for example "
    "2026-12-01 or 1 Dec."
)
BAD_DATE = bad_input("Please type a date like 2026-12-01 or 1 Dec (today or later, within a year).")
BAD_TEXT = bad_input("Please type it as written on your plan (up to {limit} characters).")
TOO_LONG = (
    "That's longer than I can keep ({limit} characters at most). Please shorten it, for example: {example}"
)
BAD_STRENGTH = bad_input("Please type the strength with a number, as on the label, e.g. 1000 mcg/mL.")
BAD_DOSE = bad_input("Please type the amount with a number, as on your plan, e.g. 1 mL (1000 mcg).")
BAD_WEEKDAYS = bad_input("Tap the days, or type them like Mon Wed Fri.")
NEED_A_SITE = "Please switch on at least one site (or type your own), then tap Done."
USE_BUTTONS = "Please tap one of the buttons above (or type your answer)."


def plan_summary(plan: Plan) -> str:
    phases = "\n".join(describe_phases(plan.phases))
    route = (
        "under the skin (subcutaneous)"
        if plan.route is Route.SUBCUTANEOUS
        else ("into the muscle (intramuscular)")
    )
    return (
        f"Product: {plan.product_label}\n"
        f"Strength: {plan.strength}\n"
        f"Dose: {plan.dose}\n"
        f"Route: {route}\n"
        f"Schedule:\n{phases}\n"
        f"Reminder time: {plan.time_of_day:%H:%M} ({plan.timezone})\n"
        f"Sites: {', '.join(plan.sites)}\n"
        f"Clinician: {plan.clinician_name} – {plan.clinician_contact}"
    )


PLAN_SHOWN = (
    "Your plan, as you entered it:\n\n{plan}\n{recheck} (/labs to change it)\n{progress}\n\n"
    "To change the plan, run /start and set it up again."
)


def confirm_plan(plan: Plan, upcoming: list[datetime], now: datetime) -> str:
    tz = ZoneInfo(plan.timezone)
    dates = "\n".join(f"• {when(at, tz, now)}" for at in upcoming) or "• (no doses)"
    return (
        "Please check this against your written plan:\n\n"
        f"{plan_summary(plan)}\n\n"
        f"Your next {len(upcoming)} doses:\n{dates}\n\n"
        "Does this match your clinician's plan exactly?"
    )


def schedule_preview(lines: list[str], source: str | None = None) -> str:
    where = f" (from {source})" if source else ""
    return f"This schedule{where}:\n" + "\n".join(lines) + "\n\nIs this exactly what your plan says?"


TAP_THE_PRODUCT = "Please tap the product named on your plan."
SITE_NAMES_RULE = "Type site names separated by commas, e.g. Hip left, Hip right."
TODAY_PASSED = "Today's {time} has passed – pick tomorrow or later."

# Shown with a too-long answer: what a good one looks like.
TEXT_EXAMPLES = {
    "product_name": "Cytamen",
    "strength": "1000 mcg/mL",
    "dose": "1 mL (1000 mcg)",
    "clinician_name": "Dr Rivera, Park Lane Surgery",
    "clinician_contact": "020 7946 0000 or nurse@clinic.example",
}
