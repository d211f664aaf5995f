"""Monitoring: symptom check-ins, blood tests and supplies."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.labs import ANALYTES, show
from bot.domain.plan import Plan
from bot.domain.records import LabView
from bot.domain.symptoms import LABELS as SYMPTOM_LABELS
from bot.texts.setup import bad_input

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


def typed_level(index: int, level: int) -> str:
    """What a typed check-in answer was taken as, so a misreading shows at once."""
    label = list(SYMPTOM_LABELS.values())[index]
    return (
        f"Got it – {label.lower()}: {LEVEL_LABELS[level].lower()}. (Not right? Tap /symptoms to start again.)"
    )


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
        values = [
            f"{show(key, lab.values[key])} ({lab.taken_on.day} {lab.taken_on:%b %Y})"
            for lab in labs
            if key in lab.values
        ]
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
