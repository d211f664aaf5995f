"""Thin Telegram handlers: parse the update, call a use-case, word the reply."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.handlers import commands, dose, setup

log = logging.getLogger(__name__)
MAX_TEXT = 4096


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: a conversation in progress first, then dose replies, then help."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None:
        return
    repo = context.services.repo
    draft = await repo.draft(chat.id)
    if draft is not None and draft.flow == setup.FLOW:
        await setup.on_setup_text(update, context, draft.step, dict(draft.data))
        return
    if draft is not None and draft.flow == dose.SKIP_FLOW:
        await dose.on_skip_reason_text(update, context, dict(draft.data))
        return
    snap = await repo.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await message.reply_text(texts.NEED_SETUP)
        return
    if not await dose.on_reply_text(update, context, snap):
        await message.reply_text(texts.NOT_UNDERSTOOD)


async def on_callback(update: Update, context: BotContext) -> None:
    """Every inline button: decoded, then handed to its flow; anything malformed is stale."""
    query = update.callback_query
    if query is None or update.effective_chat is None:
        return
    callback = kb.decode(query.data)
    if callback is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if callback.prefix == kb.DOSE:
        await dose.on_dose_button(update, context, callback)
    elif callback.prefix == kb.SETUP:
        await setup.on_setup_button(update, context, callback.part(0), ":".join(callback.parts[1:]))
    elif callback.part(0) == "setup":
        await query.answer()
        await setup.begin(update, context)
    elif callback.part(0) == "keep":
        await query.answer()
        await query.edit_message_reply_markup(None)
    else:
        await query.answer(texts.STALE_BUTTON)


async def on_unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.NOT_UNDERSTOOD)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure by id and type only (no message text), and tell the patient."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handler failed update_id=%s error=%s", update_id, type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )  # fmt: skip
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, texts.TRY_AGAIN_LATER)
        except Exception:
            log.warning("could not send the error reply update_id=%s", update_id)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", commands.start, filters=private))
    app.add_handler(CommandHandler("help", commands.help_, filters=private))
    app.add_handler(CommandHandler("plan", commands.plan, filters=private))
    app.add_handler(CommandHandler("next", commands.next_, filters=private))
    app.add_handler(CommandHandler("history", commands.history, filters=private))
    app.add_handler(CommandHandler("cancel", commands.cancel, filters=private))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)
