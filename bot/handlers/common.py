"""Small helpers every handler module uses."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.emergency import emergency_number
from bot.domain.records import Snapshot
from bot.domain.triage import OTHER_EMERGENCIES, Sign
from bot.services.sending import send_text

log = logging.getLogger(__name__)
MAX_WORDS = 1000  # of a patient's own words kept with a report
EMERGENCY_SENT_KEY = "emergency_sent"  # update ids whose emergency instruction went out first
KEEP_SENT_IDS = 1000


def emergency_instruction(zone: str | None, signs: Iterable[Sign] = ()) -> str:
    """The emergency instruction with the number of the patient's country (from their time zone),
    worded for an allergic reaction unless only chest pain or a stroke was described."""
    allergy = not set(signs) or bool(set(signs) - OTHER_EMERGENCIES)
    return texts.emergency(emergency_number(zone), allergy)


def mark_emergency_sent(context: BotContext, update_id: int) -> None:
    sent: deque[int] = context.bot_data.setdefault(EMERGENCY_SENT_KEY, deque(maxlen=KEEP_SENT_IDS))
    sent.append(update_id)


def emergency_sent(update: Update, context: BotContext) -> bool:
    """Did the emergency lane already send this update's instruction (before the database)?"""
    return update.update_id in context.bot_data.get(EMERGENCY_SENT_KEY, ())


async def reply(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Send a message to the chat the update came from (also works for button presses)."""
    message = update.effective_message
    assert message is not None
    await send_text(message.get_bot(), message.chat_id, text, kb.plain(keyboard), lane=None)


async def tell(
    context: BotContext, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> bool:
    """A message to another chat (a caregiver, or the patient they look after): best effort, since
    that person may have blocked the bot; False when it did not go."""
    try:
        await context.bot.send_message(chat_id, text, reply_markup=keyboard)
    except TelegramError as exc:
        log.info("message to the other side not delivered error=%s", type(exc).__name__)
        return False
    return True


async def flow_state(context: BotContext, chat_id: int, flow: str) -> tuple[str | None, dict[str, Any]]:
    """The step and answers of the chat's conversation in `flow` (None and {} when another one,
    or none, is in progress): a button of an older conversation then finds nothing to continue."""
    draft = await context.services.conversations.current(chat_id)
    if draft is None or draft.flow != flow:
        return None, {}
    return draft.step, dict(draft.data)


async def flow_button(
    update: Update, context: BotContext, flow: str
) -> tuple[Snapshot, str | None, dict[str, Any]] | None:
    """A button of a conversation (`flow`): answered, then the patient and the conversation's step
    and answers; None (after pointing them to /start) when there is no plan."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    await query.answer()
    snap = await patient_with_plan(update, context)
    if snap is None:
        return None
    step, data = await flow_state(context, chat.id, flow)
    return snap, step, data


async def patient_with_plan(update: Update, context: BotContext) -> Snapshot | None:
    """The patient's snapshot; None (after pointing them to /start) when there is no plan yet."""
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await reply(update, texts.NEED_SETUP)
        return None
    return snap


def question(intro: str, answers: str) -> tuple[str, InlineKeyboardMarkup]:
    """The next question after `answers`, with its level buttons."""
    return texts.symptom_question(intro, answers), kb.symptom_levels(answers, texts.LEVEL_LABELS)


async def ask_baseline(update: Update, context: BotContext) -> None:
    """After setup: the starting point, if there is none yet."""
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is None or await context.services.monitor.check_ins(snap):
        return
    await reply(update, *question(texts.BASELINE_INTRO, ""))
    await context.services.monitor.wait_for_typed_answer(chat.id, texts.BASELINE_INTRO, "")
