"""Photos of a reaction: what the bot says when one arrives (it never reads the picture itself)."""

from __future__ import annotations

NOT_ANALYSED = "I can't look at photos myself, so I go by what you tell me."
PHOTO_ASK = (
    f"📷 Thanks for the photo – I'll keep it for your clinician. {NOT_ANALYSED} What does it show? "
    "Tap all that apply, then Done – or type it in your own words."
)
PHOTO_KEPT = f"📷 I've kept your photo with this report, for your clinician. {NOT_ANALYSED}"
PHOTO_ADDED = f"📷 Added to this report, for your clinician. {NOT_ANALYSED}"
PHOTO_WAITING = "Please tap what the photo shows, then Done – or type it in your own words."
PHOTO_ONE_MORE = "📷 Got it – I'll keep this one with the report too."
PHOTO_FINISH_FIRST = (
    "I keep photos with a report. Let's finish what we're doing first, then send it again "
    "(or tap /cancel to stop)."
)
PHOTO_SCREEN_FIRST = "Please tap one of the choices above first – then send the photo again."
PHOTO_NOT_SAVED = (
    "Sorry, I couldn't save that photo just now. Your report is kept – please send the photo again "
    "in a minute."
)


def photo_too_big(megabytes: int) -> str:
    return (
        f"That picture is too big for me (over {megabytes} MB). Please send it as a photo rather than "
        "a file – Telegram makes it smaller."
    )


def add_to_label(what: str) -> str:
    return f"📎 It's about: {what}"


def added_to(what: str) -> str:
    return f"📷 Added to your report about {what}. {NOT_ANALYSED}"


def photo_count(count: int) -> str:
    return f" (📷 {count})" if count else ""


def photo_caption(when: str, what: str) -> str:
    return f"{when}: {what}"
