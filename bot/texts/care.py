"""The care circle: what the patient hears about their caregivers, and what a caregiver hears."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.texts.common import when
from bot.texts.safety import shorten, signs_text

# --- the patient: /caregiver ----------------------------------------------------------------------

WHAT_THEY_GET = {
    "emergency": "at once, if you report signs of a severe allergic reaction",
    "nudge": "if you haven't told me you contacted your clinician 2 days after I asked you to",
    "missed": "if you miss 2 doses in a row, or a dose is a week late",
    "blocked": "if you block me while a dose is due",
}
CARE_INTRO = (
    "A caregiver – someone close to you – can hear from me when it matters:\n"
    + "\n".join(f"• {line}" for line in WHAT_THEY_GET.values())
    + "\nThey never see your messages, symptoms or blood tests unless you turn that on, and I don't "
    "message them at night except in an emergency. You can remove them any time."
)
SWITCH_LABELS = {
    "emergency": "🚨 Emergencies",
    "nudge": "⏳ Clinician not contacted",
    "missed": "💉 Missed doses",
    "blocked": "🚫 Reminders blocked",
    "details": "💬 My words and symptoms",
}
WITH_YOUR_WORDS = "with your words and symptoms"
ASK_DISPLAY_NAME = (
    "How should they see your name in my messages? Tap your name, or type another (like “Mum”)."
)
BAD_DISPLAY_NAME = "Please type a short name (up to 32 characters)."
CIRCLE_FULL = "You already have 3 caregivers. Remove one first (tap their name below)."
LINK_GONE = "That caregiver isn't in your circle any more – nothing was changed."


def invite_ready(link: str, expires: str) -> str:
    return (
        "Here's your invite link. Send it to the person you'd like me to tell – it works once, "
        f"until {expires}:\n{link}\n"
        "They'll see what they would get before they accept, and then I'll ask you to confirm them."
    )


def circle(rows: Iterable[tuple[str, bool, tuple[str, ...]]]) -> str:
    """(caregiver, confirmed, what they get) rows; the intro when there are none."""
    lines = []
    for name, confirmed, gets in rows:
        if not confirmed:
            lines.append(f"• {name} – waiting for you to confirm them")
        else:
            lines.append(f"• {name} – gets: " + (", ".join(gets) if gets else "nothing (all switched off)"))
    if not lines:
        return CARE_INTRO
    return (
        "Your caregivers:\n" + "\n".join(lines) + "\nTap a name to change what they get, or to remove them."
    )


def link_settings(caregiver: str) -> str:
    return (
        f"What {caregiver} hears from me about you (tap to switch on or off). "
        "“My words and symptoms” adds what you told me to their messages."
    )


def caregiver_accepted(caregiver: str) -> str:
    return (
        f"{caregiver} accepted your invite to hear from me about you. Is that the right person? "
        "They get nothing until you confirm."
    )


def confirmed(caregiver: str) -> str:
    return (
        f"Done – {caregiver} will hear from me when it matters. Tap /caregiver any time to change what "
        "they get, or to remove them."
    )


def removed(caregiver: str) -> str:
    return f"{caregiver} won't get anything more from me about you – including anything already on its way."


def caregiver_left(caregiver: str) -> str:
    return f"{caregiver} has stopped getting messages from me about you. Tap /caregiver to invite someone."


# --- the caregiver -------------------------------------------------------------------------------------

INVITE_GONE = (
    "That invite link doesn't work. Invite links work once, for 48 hours – please ask for a new one."
)
OWN_INVITE = "That's your own invite link – send it to the person you'd like me to tell."


def invite_shown(name: str, gets: Iterable[str], details: bool) -> str:
    lines = "\n".join(f"• {line}" for line in gets)
    shared = (
        "They have chosen to share what they tell me about how they feel."
        if details
        else "I never share their messages, symptoms or blood tests."
    )
    return (
        f"{name} would like me to tell you when something important happens with their vitamin B12 "
        f"injections:\n{lines}\n{shared} I don't message you at night (22:00–08:00 your time), "
        "except in an emergency. You can stop any time with /stop.\nWould you like that?"
    )


def they_get(name: str) -> dict[str, str]:
    """What a caregiver would hear, in their words (the patient's name, not "you")."""
    return {
        "emergency": f"at once, if {name} reports signs of a severe allergic reaction",
        "nudge": f"if {name} hasn't contacted their clinician 2 days after I asked them to",
        "missed": f"if {name} misses 2 doses in a row, or a dose is a week late",
        "blocked": f"if {name} blocks my reminders while a dose is due",
    }


def already_linked(name: str) -> str:
    return f"You're already in {name}'s circle – nothing changed."


def circle_is_full(name: str) -> str:
    return f"{name} already has 3 people in their circle. They'd need to remove someone first."


def refused(reason: str, name: str) -> str:
    """Accept did nothing: used or expired meanwhile (neutral), their own link, a full circle."""
    match reason:
        case "self":
            return OWN_INVITE
        case "full":
            return circle_is_full(name)
        case "already":
            return already_linked(name)
    return INVITE_GONE


DECLINED = "Okay – nothing was set up, and you won't hear from me about them."


def ask_zone(name: str) -> str:
    return (
        f"Thank you. I've asked {name} to confirm it's you – you'll hear from me once they have.\n"
        "Which time zone are you in? My alerts keep quiet at night (22:00–08:00 your time), except "
        "an emergency. Tap one, or type a city."
    )


def same_zone_as(name: str, zone: str) -> str:
    return f"Same as {name} ({zone})"


def zone_set(zone: str) -> str:
    return f"Got it: {zone}. I'll keep quiet 22:00–08:00 there, except in an emergency."


BAD_CARE_ZONE = "I couldn't find that time zone. Try a big city near you (like “London”), or tap one."


def now_connected(name: str) -> str:
    return f"{name} confirmed it's you: from now on you'll hear from me when it matters. /stop to stop."


def confirm_remove(name: str) -> str:
    return f"Remove {name}? They'll get no more messages about you, from now on, and I'll tell them."


def emergencies_off(name: str) -> str:
    return (
        f"Okay – {name} won't hear from me if you report signs of a severe allergic reaction. "
        "Tap 🚨 Emergencies again to switch it back on."
    )


def kept(name: str) -> str:
    return f"Okay – {name} stays as your caregiver."


def removed_you(name: str) -> str:
    return f"{name} has removed you as their caregiver: you won't get any more messages about them."


def caregiver_help(patients: Sequence[tuple[str, str | None]]) -> str:
    """A caregiver (not a patient) types something, perhaps worried: what to do now (with the
    emergency number where each patient is), and what this chat is for."""
    who = " and ".join(name for name, _ in patients)
    numbers = {number for _, number in patients}
    if len(patients) == 1 and None not in numbers:
        call = f"call {patients[0][1]}"
    elif None in numbers:
        call = "call the emergency number where they are"
    else:
        call = (
            "call the emergency number where they are ("
            + ", ".join(f"{n}: {num}" for n, num in patients)
            + ")"
        )
    return (
        f"If you think {who} needs urgent help now – trouble breathing, swelling of the face, lips "
        f"or throat, fainting – and you're with them, {call}. If you're not, call them or someone "
        "near them now. For anything else about their injections, their clinician is the one to "
        "ask.\n\n"
        f"I'll message you here when something about {who} needs you. /stop to stop. "
        "(To set up B12 reminders for yourself, tap /start.)"
    )


STOP_NOTHING = "You're not getting messages about anyone from me."
STOP_NOTHING_PATIENT = "You're not getting messages about anyone. (To pause your own reminders, tap /pause.)"
STOP_WHOM = "Stop getting messages about whom?"
STOP_EVERYONE = "Everyone"


def stopped(names: Iterable[str]) -> str:
    return f"Done – you won't get any more messages about {' and '.join(names)}. I've let them know."


# --- alerts to a caregiver ---------------------------------------------------------------------------


def _at(at: datetime, tz: ZoneInfo, now: datetime) -> str:
    local = at.astimezone(tz)
    return f"{local:%H:%M}" if local.date() == now.astimezone(tz).date() else when(at, tz, now)


def alert_emergency(name: str, at: datetime, tz: ZoneInfo, now: datetime, allergy: bool) -> str:
    what = "signs of a severe allergic reaction" if allergy else "signs of a medical emergency"
    return (
        f"🚨 {name} reported {what} at {_at(at, tz, now)} and was told to call the emergency number. "
        "If you can, check on them now."
    )


def alert_nudge(name: str) -> str:
    return (
        f"⏳ Two days ago I asked {name} to contact their clinician about their B12 injections, and they "
        "haven't told me they have. You might check in with them."
    )


def alert_missed(name: str, overdue: bool) -> str:
    what = "a B12 dose is more than a week overdue" if overdue else "has missed 2 B12 doses in a row"
    lead = f"{name}: {what}" if overdue else f"{name} {what}"
    return f"💉 {lead}. I've suggested they contact their clinician. You might check in with them."


def alert_blocked(name: str) -> str:
    return (
        f"🚫 {name} has blocked my messages, so they won't get their B12 reminders – and a dose is due "
        "now or in the next two days. You might check in with them."
    )


def alert_details(signs: tuple[str, ...], words: str | None) -> str:
    """Only when the patient shares them: what they reported, in their words too."""
    said = f' They wrote: "{shorten(words, 200)}"' if words else ""
    return f"What they told me: {signs_text(signs)}.{said}"


def alert_waited(at: datetime, tz: ZoneInfo, now: datetime) -> str:
    return f"(This was {when(at, tz, now)} your time – I waited until morning.)"


ALERT_FOOTER = "You get this because {name} asked me to tell you. /stop to stop."
