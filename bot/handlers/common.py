"""Small helpers every handler module uses."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import texts
from bot.context import BotContext
from storage.repository import Snapshot


async def reply(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Send a message to the chat the update came from (also works for button presses)."""
    message = update.effective_message
    assert message is not None
    await message.get_bot().send_message(message.chat_id, text, reply_markup=keyboard)


async def patient_with_plan(update: Update, context: BotContext) -> Snapshot | None:
    """The patient's snapshot; None (after pointing them to /start) when there is no plan yet."""
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.repo.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await reply(update, texts.NEED_SETUP)
        return None
    return snap
