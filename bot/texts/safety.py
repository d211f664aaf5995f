"""Side effects and safety: the emergency instruction, advice by level, follow-ups and nudges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.plan import Plan
from bot.texts.common import when
from bot.texts.monitoring import symptoms_nudge_lead

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
    plan: Plan | None,
    signs: tuple[str, ...],
    why: tuple[str, ...],
    number: str | None = None,
    out_of_hours: str | None = None,
) -> str:
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


def report_what(signs: Iterable[str], site: str | None, words: str | None) -> str:
    """What a report was about, for /reports: its signs and site, or the patient's own words when
    "something else" is all the buttons said."""
    signs = tuple(signs)
    if set(signs) <= {"other"} and words:
        return f'"{shorten(words)}"'
    return signs_text(signs) + (f" at {site}" if site else "")


def report_state(status: str, outcome: str | None) -> str:
    return "open" if status == "open" else f"closed ({outcome or 'done'})"


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

WORSE_NOW = "It's getting worse."
STILL_THERE = "It's still there after 2 days."
