"""Every patient-facing sentence, in one place: short, warm, plain words.

Messages are sent as plain text (no Markdown/HTML), so whatever a patient typed (a clinician's
name with an underscore, say) is shown exactly as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.labs import ANALYTES, show
from bot.domain.plan import Plan, Route, describe_phases
from bot.domain.records import LabView
from bot.domain.schedule import PhaseTally
from bot.domain.symptoms import LABELS as SYMPTOM_LABELS

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
    "/plan – show the plan you entered\n"
    "/next – when and where your next dose is\n"
    "/history – your last 10 doses\n"
    "/report, /reports – tell me about a side effect or a problem; your reports\n"
    "/sites – your injection sites and rest period\n"
    "/settings – a heads-up before each dose\n"
    "/pause, /resume – pause reminders (e.g. a hospital stay), and start again\n"
    "/timezone – travelling? change your time zone\n"
    "/phase – move to the next phase when your clinician says so\n"
    "/calendar – your next doses as a calendar file\n"
    "/symptoms – how you feel this week\n"
    "/labs – blood test results and the next re-check\n"
    "/supplies – vials and syringes left\n"
    "/chart – a picture of your progress\n"
    "/export – your data, and a summary for your clinician\n"
    "/delete – erase everything I keep about you\n"
    "/cancel – stop what we're doing (nothing half-done is saved)\n"
    "/help – this list\n\n"
    "When a dose is due, tap Done, Snooze or Skip. You can also type things like "
    '"done left thigh", "done yesterday 21:00 right thigh" or "skip".\n\n'
    "I only remind you of the plan your clinician wrote. I never change a dose: "
    "if you're unsure about anything, please ask your clinician."
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
    ("export", "A copy of my data"),
    ("delete", "Erase my data"),
    ("cancel", "Stop what we're doing"),
    ("help", "What I can do"),
]
NOT_UNDERSTOOD = (
    'Sorry, I didn\'t catch that. You can tap a button, or type "done", "done left thigh", '
    '"skip" or "snooze". If something doesn\'t feel right, tap /report. /help lists everything.'
)
NEED_SETUP = "You haven't set up a plan yet. Tap /start and I'll walk you through it (about 2 minutes)."
TRY_AGAIN_LATER = "Sorry, something went wrong on my side. Nothing was lost – please try again in a minute."
STALE_BUTTON = "That button is out of date – nothing was changed."
CANCELLED = "Okay, stopped. Nothing half-finished was saved."
NOTHING_TO_CANCEL = "There's nothing to cancel right now."

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
    "Your dose due {due} wasn't recorded, so I've marked it missed. Please don't double up – "
    "follow your clinician's instructions for missed doses."
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


# --- side effects and safety --------------------------------------------------------------------

SIGN_LABELS = {
    "redness": "redness", "swelling": "swelling", "pain": "pain or tenderness",
    "itching": "itching", "bruising": "bruising", "lump": "a lump", "warmth": "warmth",
    "bleeding": "bleeding",
    "rash_hives": "rash or hives", "breathing": "trouble breathing",
    "throat": "a tight throat or trouble swallowing",
    "face_swelling": "swelling of face, lips or throat", "faint": "fainting",
    "anaphylaxis": "a severe allergic reaction", "dizzy": "dizziness",
    "mouth": "tingling or itching of the lips, mouth or throat", "allergy": "an allergic reaction",
    "chest_pain": "chest pain", "stroke": "signs of a stroke", "heart": "a racing or pounding heart",
    "fever": "fever", "pus": "pus or discharge",
    "numbness": "numbness, tingling or balance problems",
    "confusion": "memory or thinking problems", "unsure": "a question about the dose or how to inject",
    "unwell": "feeling unwell", "other": "something else",
}  # fmt: skip
SIGN_BUTTONS = {
    "redness": "Redness", "swelling": "Swelling", "pain": "Pain", "itching": "Itching",
    "bruising": "Bruising", "lump": "Lump", "rash_hives": "Rash / hives elsewhere",
    "breathing": "Trouble breathing", "face_swelling": "Face, lips or throat swelling",
    "faint": "Fainted", "dizzy": "Dizzy", "fever": "Fever", "numbness": "Numb / tingling",
    "other": "Something else",
}  # fmt: skip


def shorten(words: str, limit: int = 40) -> str:
    one_line = " ".join(words.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def signs_text(signs: tuple[str, ...] | list[str]) -> str:
    labels = [SIGN_LABELS.get(s, s) for s in signs] or ["a problem"]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _at(site: str | None) -> str:
    return f" at {site}" if site else ""


EMERGENCY_ANY = (
    "your local emergency number (112 in Europe, 999 in the UK, 911 in the US and Canada, 000 in Australia)"
)


def emergency(number: str | None, allergy: bool = True) -> str:
    """The emergency instruction: always the first reply, before anything is saved."""
    call = f"{number} for an ambulance" if number else EMERGENCY_ANY
    if not allergy:
        return (
            f"🚨 Please call {call} now.\n"
            "Chest pain, or sudden trouble speaking, a drooping face or weakness on one side, needs "
            "help straight away. Don't drive yourself. Don't inject any more B12 until a doctor has "
            "seen you."
        )
    return (
        f"🚨 Please call {call} now.\n"
        "Trouble breathing or swallowing, swelling of the face, lips, tongue or throat, or fainting "
        "can be a severe allergic reaction. If you have an adrenaline auto-injector (like an "
        "EpiPen), use it as you were shown. Don't drive yourself. Don't inject any more B12."
    )


def clinician(plan: Plan | None) -> str:
    """The clinician by name and contact, or "your clinician" before a plan is set up."""
    return f"{plan.clinician_name} ({plan.clinician_contact})" if plan else "your clinician"


def emergency_recorded(plan: Plan | None) -> str:
    return f"I've recorded what you told me. When you're safe, please tell {clinician(plan)}."


def clinician_advice(
    plan: Plan | None, signs: tuple[str, ...], why: tuple[str, ...], number: str | None = None,
    out_of_hours: str | None = None,
) -> str:  # fmt: skip
    """A clinician-level report: contact them now, named, before any question; who to call when
    they are closed, and the emergency number if it gets worse."""
    reason = f" {why[0]}" if why else ""
    closed = (
        f" If they're closed, call {out_of_hours}."
        if out_of_hours
        else " If they're closed, use your out-of-hours service."
    )
    call = f"call {number}" if number else "call emergency services"
    return (
        f"⚠️ Thanks for telling me about {signs_text(signs)}.{reason}\n"
        f"Please contact {clinician(plan)} today about it.{closed} If it gets much worse, or you have "
        f"trouble breathing or feel faint, {call}."
    )


def dose_question(plan: Plan | None, missed: bool = True) -> str:
    """A question about the dose, the product or how to inject: the plan is the clinician's.
    `missed`: it is about a missed, extra or double dose."""
    if missed:
        return (
            "⚠️ I can't change, add or move doses – your plan is the one your clinician wrote.\n"
            f"Please ask {clinician(plan)} what to do. If you missed a dose, don't double up: "
            "follow what your plan says about missed doses, or ask them."
        )
    return (
        "⚠️ That's one for your clinician – your plan is theirs, and I can't answer it.\n"
        f"Please ask {clinician(plan)} before your next injection. If you've already injected and "
        "feel unwell, tell them today."
    )


RESUME_FLOW = "When you're ready, we can carry on where we were – type your answer, or tap /cancel."
SETUP_RESUMES = "When you're safe and ready, we can carry on setting up your plan:"


NO_PLAN_YET = "When you're ready, tap /start to set up your plan and reminders (about 2 minutes)."


def check_before_dose(plan: Plan) -> str:
    return (
        f"⚠️ Before this injection: after the reaction you told me about, please check with "
        f"{clinician(plan)} that it's OK to carry on. Tap the button when they have said so."
    )


CARRY_ON_LABEL = "👩‍⚕️ My clinician says carry on"
CARRIED_ON = "Thanks. I won't ask again before each dose. If anything comes back, tell me straight away."
CARRY_ON_ALREADY = "That's already noted – nothing changed."

RED_FLAG_SCREEN = (
    "I want to make sure you're safe. Is any of these happening now? Tap one.\n"
    "(If you can't breathe or feel you may pass out, call for help straight away.)"
)
RED_FLAG_CHOICES = (
    ("breathing", "🆘 Trouble breathing or swallowing"),
    ("face", "🆘 Swelling of face, lips, tongue or throat"),
    ("faint", "🆘 Feeling faint or I collapsed"),
    ("infection", "⚠️ Spreading redness, heat, pus, fever or worse pain"),
    ("none", "✅ None of these"),
)
SCREEN_NONE = (
    "Good. I've noted what you said and I'll check in tomorrow. If anything changes, or you feel "
    "unwell, tell me straight away – or tap /report."
)
SCREEN_NONE_NO_PLAN = (
    "Good. I've noted what you said. If anything changes, or you feel unwell, contact your "
    "clinician. When you're ready, tap /start to set up your plan and reminders."
)
ASK_DETAILS = "If you can, a few details for your clinician (optional – tap Skip to stop):"
DETAILS_DONE = "Thanks, I've added that to the report."
DETAILS_STOPPED = "Okay. The report is saved as it is."


def details_raised(plan: Plan | None, signs: tuple[str, ...], why: tuple[str, ...]) -> str:
    """Details pushed the report up to the clinician level."""
    return clinician_advice(plan, signs, why)


LOCAL_SIGN_KEYS = frozenset(
    {"redness", "swelling", "pain", "itching", "bruising", "lump", "warmth", "bleeding"}
)


def watch_advice(signs: tuple[str, ...], site: str | None) -> str:
    if not LOCAL_SIGN_KEYS & set(signs):
        return (
            f"Thanks, I've recorded it: {signs_text(signs)}.\n"
            "Mild effects like this can happen after an injection and usually settle in a day or "
            "two. Rest and drink water. I'll check in tomorrow. If it gets worse, or you have "
            "trouble breathing or feel faint, tell me straight away."
        )
    return (
        f"Thanks, I've recorded it: {signs_text(signs)}{_at(site)}.\n"
        "Mild reactions where you inject are common and usually settle in a day or two. A cool, "
        "clean compress can help; don't rub or scratch the spot, and use a different site next "
        "time. I'll check in tomorrow. If it spreads, gets worse, or you feel unwell, tell me "
        "straight away."
    )


def nudge(plan: Plan, reason: str, signs: tuple[str, ...], why: tuple[str, ...] = ()) -> str:
    """Ask the patient to contact their clinician, naming them and what led to it."""
    who = f"{plan.clinician_name} ({plan.clinician_contact})"
    match reason:
        case "missed_doses":
            return (
                f"You've missed 2 doses in a row. Your plan is your clinician's to adjust – please "
                f"contact {who}. Please don't double up on doses."
            )
        case "overdue":
            return (
                f"Your maintenance dose is more than a week overdue. Please contact {who} about "
                "what to do – don't double up."
            )
        case "follow_up":
            lead = f"Your {signs_text(signs)} hasn't settled."
        case "symptoms":
            lead = (
                symptoms_nudge_lead(list(signs))
                + " New or worse nerve symptoms can mean your B12 plan needs a look."
            )
        case _:
            if tuple(signs) == ("unsure",):
                return f"⚠️ You had a question about your dose or how to inject.\nPlease ask {who} about it."
            lead = f"You told me about {signs_text(signs)}."
    reasons = (" " + " ".join(why)) if why else ""
    return f"⚠️ {lead}{reasons}\nPlease contact {who} about it."


CONTACTED = "Thank you for contacting them. I'll stop reminding you about this."
CONTACTED_ALL = (
    "Thanks for letting me know you've spoken to them. I'll stop reminding you, and check in in a "
    "couple of days."
)
CARRY_ON_NOTED = "And noted: your clinician says you can carry on with your injections."
LAST_NUDGE = "(This is my last reminder about it – you'll find it in /reports.)"
NUDGE_ALREADY_DONE = "You already told me you contacted them – nothing to do."
LATER = "Okay, I'll remind you again {at}."


def follow_up_question(signs: tuple[str, ...], site: str | None, contacted: bool = False) -> str:
    what = "what you told me about" if set(signs) <= {"other"} else f"the {signs_text(signs)}{_at(site)}"
    if contacted:
        return (
            f"Checking in after you spoke to your clinician: has {what} settled? Better, the same, or worse?"
        )
    if set(signs) <= {"other"}:
        return "Checking in about what you told me: is it better, the same, or worse?"
    return f"Checking in: is {what} better, the same, or worse?"


def follow_up_better(site: str | None) -> str:
    back = f" {site} is back in your rotation." if site else ""
    return f"Glad it's better. I've closed this report.{back}"


def report_closed(signs: tuple[str, ...], site: str | None) -> str:
    back = f" {site} is back in your rotation." if site else ""
    return f"Closed: {signs_text(signs)}{_at(site)}.{back}"


CLOSE_LABEL = "Close: {what}"
NO_OPEN_REPORTS = "You have no open reports."


FOLLOW_UP_SAME = "Thanks. I'll ask again tomorrow. If it gets worse or spreads, tell me straight away."
REPORT_CLOSED_ALREADY = "That report is already closed – nothing changed."

ASK_WHAT = "What are you noticing? Tap all that apply, then Done."
ASK_WHERE = "Where? (Your last site is first.)"
ASK_SEVERITY = "How bad is it?"
ASK_SINCE = "Since when?"
ASK_WORDS = "Anything to add in your own words? Type it, or tap Skip."
NEED_A_SIGN = "Please tap at least one thing you're noticing, then Done."
NOT_RECORDED = "Okay, nothing recorded."


def confirm_free_text_report(signs: tuple[str, ...], site: str | None) -> str:
    return (
        f"That sounds like something to record: {signs_text(signs)}{_at(site)}. "
        "Shall I save it as a report for you and your clinician?"
    )


def rotation_note(issue: str, better: str | None, rest_days: int) -> str:
    why = {
        "reaction": "that site has an open reaction report",
        "same_as_last": "that's the same site as last time",
        "too_soon": f"that site was used less than {rest_days} days ago",
    }[issue]
    instead = f" Next time, try {better}." if better else ""
    return f"🔄 Rotation tip: {why}.{instead}"


def heads_up(due: datetime, site: str | None, tz: ZoneInfo, now: datetime) -> str:
    where = f" Suggested site: {site} – you can get it ready." if site else ""
    return f"Coming up: your B12 dose {when(due, tz, now)}.{where}"


def reports_list(rows: list[tuple[str, str, str, str]]) -> str:
    """(when, what, level, state) rows."""
    if not rows:
        return "No reports yet. If something doesn't feel right, tap /report."
    lines = [f"• {w}: {what} – {level}, {state}" for w, what, level, state in rows]
    return "Your reports (newest first):\n" + "\n".join(lines)


LEVEL_WORDS = {"emergency": "emergency", "clinician": "contact clinician", "watch": "watching"}


def sites_list(rows: list[tuple[str, str, str]], rest_days: int, fitting_days: int) -> str:
    """(site, last use, reaction note) rows; `fitting_days` is the rest the sites and the current
    phase allow, when it is less than the patient's rest period."""
    lines = [f"• {site} – {used}{note}" for site, used, note in rows]
    rest = f"Rest period: {rest_days} days between uses of a site."
    if fitting_days < rest_days:
        rest += (
            f" With {len(rows)} sites and this part of your plan, each site can rest {fitting_days} "
            f"day{'s' if fitting_days != 1 else ''} – that's what I go by for now."
        )
    return "Your sites:\n" + "\n".join(lines) + "\n\n" + rest


ASK_NEW_SITE = "Type the name of the new site, for example: Hip left"
ASK_REMOVE_SITE = "Which site should I remove?"
ASK_RENAME_SITE = "Which site do you want to rename?"
ASK_RENAME_TO = 'What should "{site}" be called?'
ASK_REST = "How many days should a site rest before you use it again?"
LAST_SITE = "You need at least one site, so I kept it."
SITE_EXISTS = "You already have a site called that."
SETTINGS = (
    "Heads-up before each dose: {current}.\n"
    "I can send a short message before each dose naming the site to prepare.\n\n"
    "Weekly symptom check-in: {checkin}.\n"
    "Suggest a plan review if symptoms haven't improved after: {review} weeks (as your clinician said)."
)


# --- privacy ------------------------------------------------------------------------------------

CONFIRM_DELETE = (
    "This erases everything I keep about you: your plan, doses, sites, reports and reminders. "
    "It can't be undone. (Tip: /export first if you want a copy.)"
)
DELETED = "Done. Everything about you has been erased. If you want to start again, tap /start."
NOTHING_TO_DELETE = "I don't keep anything about you right now."
KEPT = "Okay, nothing was erased."
EXPORT_CAPTION = "Your data: {what}."
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


# --- symptom check-ins --------------------------------------------------------------------------

LEVEL_LABELS = ("None", "Mild", "Moderate", "Severe")
SYMPTOM_QUESTIONS = {
    "fatigue": "How has your tiredness been?",
    "numbness": "Any numbness or tingling (hands, feet)?",
    "balance": "Any trouble with balance or walking?",
    "memory": "Any trouble with memory or focus?",
}
BASELINE_INTRO = (
    "One more thing, about 30 seconds: how do you feel today? This is your starting point, so we "
    "can see change over time."
)
CHECK_IN_INTRO = "Weekly check-in 📋 (4 quick taps)"
SYMPTOMS_INTRO = "How do you feel this week? (4 quick taps)"


def symptom_question(intro: str, answers: str) -> str:
    """The question after `answers` (one digit per symptom answered so far)."""
    step = len(answers)
    return f"{intro}\n\n{step + 1}/{len(SYMPTOM_QUESTIONS)}: {list(SYMPTOM_QUESTIONS.values())[step]}"


CHECK_IN_ALREADY = "You already answered this check-in – nothing new was saved."
CHECK_IN_SKIPPED = "Okay, no check-in this week. /symptoms works any time."


def check_in_result(lines: list[tuple[str, str]], baseline: bool) -> str:
    head = "Thanks – that's your starting point." if baseline else "Thanks – recorded."
    body = "\n".join(f"• {label}: {words}" for label, words in lines)
    return f"{head}\n{body}"


def symptoms_nudge_lead(symptoms: list[str]) -> str:
    named = " and ".join(SYMPTOM_LABELS[s].lower() for s in symptoms)
    return f"Your {named} is new or worse than last time."


def review_suggestion(plan: Plan, weeks: int) -> str:
    return (
        f"It's been {weeks} weeks or more since you started, and your symptoms haven't clearly improved. "
        f"That's worth raising: please ask {plan.clinician_name} ({plan.clinician_contact}) to review "
        "your plan. Keep following it as written until they do."
    )


ASK_CHECK_IN_DAY = "Would you like a weekly check-in? Pick a day:"
ASK_CHECK_IN_TIME = "At what time on {day}s?"
CHECK_IN_SET = "Weekly check-in set: {day}s at {time}. The next one is {next}."
CHECK_IN_OFF = "Okay, no weekly check-in. /symptoms works any time."
NOTE_ASK = "Type your note (a few words)."
NOTE_SAVED = "Note saved."
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- labs -----------------------------------------------------------------------------------------

LABS_NONE = "No blood test results recorded yet."
LAB_RECHECK_NONE = "Next blood test re-check: not set."
LAB_RECHECK = "Next blood test re-check: {day}."
ASK_LAB_B12 = (
    "Type your vitamin B12 result with its unit, as on the report, e.g. 350 pg/mL or 260 pmol/L. "
    "(ng/L is the same as pg/mL.)"
)
ASK_LAB_UNIT = "Which unit is {value} in? It's on the report next to the number."
ASK_LAB_DATE = "When was the blood taken?"
ASK_LAB_DATE_TEXT = "Type the date, e.g. 12 Nov or 2026-11-12."
ASK_LAB_MORE = "Anything else from the same blood test?"
ASK_LAB_VALUE = "Type your {label} result with its unit, e.g. {example}."
ASK_LAB_RECHECK = (
    'When is your next blood test? Type a date (e.g. 15 Jan) or "in 8 weeks". '
    "I'll remind you a week before and on the day."
)
BAD_LAB_DATE = bad_input(
    "Please type a date in the past year, e.g. 12 Nov or 2026-11-12 (not in the future)."
)
BAD_RECHECK = bad_input('Please type a date after today (within 2 years), e.g. 15 Jan, or "in 8 weeks".')
LAB_NOTHING = "Nothing to save yet – add at least one value, or /cancel."
LAB_SAVED = "Saved your blood test from {day}."


def bad_lab_value(reason: str, label: str, example: str, low: str, high: str) -> str:
    if reason == "range":  # it was read: say what is wrong with it, not "couldn't read"
        return (
            f"That {label} value is outside what a lab reports ({low} to {high}). "
            f"Please check the number and the unit, e.g. {example}."
        )
    return bad_input(f"Please type the {label} number with its unit, e.g. {example}.")


def status_word(status: str) -> str:
    return {"done": "✅ done", "skipped": "⏭ skipped", "missed": "❌ missed"}.get(status, status)


def labs_trend(labs: Sequence[LabView], last: int | None = 6) -> str:
    """One line per test over time, its `last` values (all with None)."""
    rows = []
    for key, analyte in ANALYTES.items():
        values = [f"{show(key, lab.values[key])} ({lab.taken_on.day} {lab.taken_on:%b %Y})"
                  for lab in labs if key in lab.values]  # fmt: skip
        if values:
            rows.append((analyte.label, values[-last:] if last else values))
    return lab_trend(rows) if rows else LABS_NONE


def lab_trend(rows: list[tuple[str, list[str]]]) -> str:
    """One line per test over time: 'Vitamin B12: 180 pg/mL (3 Mar) → 650 pg/mL (2 Jun)'."""
    return "\n".join(f"{label}: {' → '.join(values)}" for label, values in rows)


LAB_SOON_TEXT = (
    "Reminder: your blood test re-check is in a week, on {day}. If it isn't booked yet, now is "
    "a good time. Afterwards, /labs records the results."
)
LAB_DAY_TEXT = "Your blood test re-check is today ({day}). When you get the results, /labs records them."
LAB_RECHECK_SET = "Next blood test re-check: {day}. I'll remind you a week before and on the day."


# --- supplies -------------------------------------------------------------------------------------

SUPPLIES_NONE = "I'm not counting your supplies. Tell me what you have, and I'll warn you before it runs out."
ASK_STOCK_VIALS = "How many vials or ampoules do you have (unopened, plus the one in use)?"
ASK_STOCK_PER_VIAL = "How many doses does each vial or ampoule give you?"
ASK_STOCK_SYRINGES = "How many syringes (or needles) do you have?"
ASK_STOCK_EXPIRY = "What's the expiry date on the vials? (Type it, e.g. 2027-03 or 31 Mar 2027, or tap Skip.)"
BAD_EXPIRY = bad_input("Please type a date that hasn't passed, e.g. 2027-03 or 31 Mar 2027.")


def supplies(doses: int | None, syringes: int | None, expires: str | None, lasts: str) -> str:
    parts = []
    if doses is not None:
        parts.append(f"B12 for {doses} more injection{'s' if doses != 1 else ''}")
    if syringes is not None:
        parts.append(f"{syringes} syringe{'s' if syringes != 1 else ''}")
    lines = ["Your supplies: " + ", ".join(parts) + "."]
    if expires:
        lines.append(f"Vials expire: {expires}.")
    lines.append(lasts)
    return "\n".join(lines)


def lasts_until(last_covered: str | None, first_uncovered: str | None, expires: str | None = None) -> str:
    """How long the stock lasts; `expires`: the expiry date stops it before the count does."""
    if first_uncovered is None:
        return "That covers every dose I can see coming."
    if expires is not None:
        until = f"until your dose {last_covered}" if last_covered else "for none of your coming doses"
        return (
            f"Your vials expire on {expires}, so they last {until}; you'll need new ones by "
            f"{first_uncovered}."
        )
    if last_covered is None:
        return f"That doesn't cover your next dose ({first_uncovered}) – please get more soon."
    return f"That lasts until your dose {last_covered}; you'll need more by {first_uncovered}."


def refill(plan: Plan, covered: int, first_uncovered: str, expires: str | None = None) -> str:
    if expires is not None:
        return (
            f"🧴 Time to order more: your vials expire on {expires}, before your dose {first_uncovered}. "
            f"Ask {plan.clinician_name} or your pharmacy for a new prescription. When you have it, "
            "/supplies updates the count and the date."
        )
    return (
        f"🧴 Time to order more: your supplies cover {covered} more injection{'s' if covered != 1 else ''}, "
        f"and you'll need more by {first_uncovered}. Ask {plan.clinician_name} or your pharmacy for a "
        "new prescription. When you have it, /supplies updates the count."
    )


def expiry(day: str, expired: bool) -> str:
    if expired:
        return f"🧴 Your vials expired on {day}. Please don't use them – ask your pharmacy for new ones."
    return f"🧴 Your vials expire on {day}. Please make sure you have new ones before then (/supplies)."


def supplies_line(covered: int) -> str:
    return f"Supplies: {covered} injection{'s' if covered != 1 else ''} left."


# --- pictures and summaries ---------------------------------------------------------------------------

CHART_CAPTION = "Your doses, symptoms and blood tests over time."
CHART_EMPTY = "Nothing to draw yet – your chart fills in as you record doses, check-ins and results."
BODY_MAP_CAPTION = "Your sites: green = rested, orange = used recently, red ring = open reaction."


# --- clinician summary (PDF) ---------------------------------------------------------------------

SUMMARY_TITLE = "B12 injections: summary for {clinician}"
SUMMARY_GENERATED = "Made on {at} from what the patient recorded in b12bot."


def summary_adherence(index: int, phase: str, counts: Mapping[str, int], total: int) -> str:
    given = counts.get("done", 0)
    return (
        f"Phase {index + 1} ({phase}): {given} of {total} given ({round(100 * given / total)}%), "
        f"{counts.get('skipped', 0)} skipped, {counts.get('missed', 0)} missed"
    )


def summary_site(site: str, count: int) -> str:
    return f"{site}: {count} injection{'s' if count != 1 else ''}"


def summary_repeats(repeats: int) -> str:
    return f"Same site twice in a row: {repeats} time{'s' if repeats != 1 else ''}"


def summary_reaction(
    on: date, signs: tuple[str, ...], site: str | None, level: str, status: str, outcome: str | None
) -> str:
    state = f"closed ({outcome})" if status == "closed" and outcome else status
    return f"{on:%d %b %Y}: {signs_text(signs)}{_at(site)} – {LEVEL_WORDS.get(level, level)}; {state}"


def summary_symptom(label: str, first: str, last: str, first_on: date, last_on: date, count: int) -> str:
    check_ins = "1 check-in" if count == 1 else f"{count} check-ins"
    return f"{label}: {first} ({first_on:%d %b}) → {last} ({last_on:%d %b}); {check_ins}"
