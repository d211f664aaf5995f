"""The red-flag screen: a message that sounds like a symptom but names no sign we know.

Never "didn't catch that" for such a message: one tap says whether a warning sign is happening.
A red flag gets the emergency instruction; spreading redness, heat, pus, fever or worse pain gets
"contact your clinician"; "none of these" records the words as written, followed up tomorrow.
The words wait in a `draft` row (flow "screen") until the tap; when another conversation is in
progress (setup, say) they wait inside its draft instead, and its question is asked again after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.records import DraftView
from bot.domain.triage import Level, Modifier, Sign
from bot.handlers.common import MAX_WORDS, reply
from bot.services.safety import Recorded

FLOW = "screen"
ASKED = "asked"
WAITING = "_screen"  # the words, inside another conversation's draft
# What each answer records: the signs, and how they are worded for the clinician.
CHOICES: dict[str, tuple[tuple[Sign, ...], str]] = {
    "breathing": ((Sign.BREATHING, Sign.THROAT), "trouble breathing or swallowing"),
    "face": ((Sign.FACE_SWELLING,), "swelling of face, lips, tongue or throat"),
    "faint": ((Sign.FAINT,), "feeling faint or collapsed"),
    "infection": (
        (Sign.REDNESS, Sign.WARMTH, Sign.PAIN),
        "spreading redness, heat, pus, fever or worse pain",
    ),
    "none": ((Sign.OTHER,), ""),
}


async def offer(update: Update, context: BotContext, text: str, draft: DraftView | None = None) -> None:
    """Ask the red-flag question about `text` (kept until the answer, inside `draft` if one is in
    progress)."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    if draft is None:
        await services.conversations.save(chat.id, FLOW, ASKED, {"words": text[:MAX_WORDS]})
    else:
        data = {**draft.data, WAITING: text[:MAX_WORDS]}
        await services.conversations.save(chat.id, draft.flow, draft.step, data)
    await reply(update, texts.RED_FLAG_SCREEN, kb.choices(ASKED, texts.RED_FLAG_CHOICES, 1, kb.SCREEN))


Resume = tuple[str, str, dict[str, Any]] | None  # a conversation to carry on: flow, step, answers
Advise = Callable[..., Awaitable[Recorded]]  # the report conversation's advice-first reply


async def on_button(update: Update, context: BotContext, callback: kb.Callback, advise: Advise) -> Resume:
    """The answer to the screen: advice for it (by `advise`, the report conversation's, handed in by
    the router), and the words recorded with it. Returns the conversation it interrupted, if any,
    so its question can be asked again."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    conversations, patients = context.services.conversations, context.services.patients
    draft = await conversations.current(chat.id)
    choice = CHOICES.get(callback.part(1))
    waiting = draft is not None and (draft.flow == FLOW or WAITING in draft.data)
    if draft is None or not waiting or choice is None:
        await query.answer(texts.STALE_BUTTON)
        return None
    await query.answer()
    resume: Resume = None
    if draft.flow == FLOW:
        await conversations.end(chat.id)
        words = str(draft.data.get("words", ""))
    else:
        data = dict(draft.data)
        words = str(data.pop(WAITING))
        await conversations.save(chat.id, draft.flow, draft.step, data)
        resume = (draft.flow, draft.step, data)
    signs, picked = choice
    if picked:
        words = f"{words} (then tapped: {picked})"
    snap = await patients.snapshot(chat.id)
    recorded = await advise(
        update,
        context,
        snap,
        signs,
        words=words,
        modifiers=frozenset({Modifier.WORSENING}) if callback.part(1) == "infection" else None,
        details=False,
        watch_reply=False,
        offer_setup=resume is None,
    )
    if recorded.result.level is Level.WATCH:
        await reply(update, texts.SCREEN_NONE if snap and snap.plan else texts.SCREEN_NONE_NO_PLAN)
    return resume
