"""Thin Telegram handlers: parse the update, call a use-case, word the reply."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.triage import is_emergency
from bot.handlers import (
    commands,
    dose,
    labs,
    membership,
    pictures,
    plan_changes,
    privacy,
    report,
    setup,
    sites,
    supplies,
    symptoms,
)

log = logging.getLogger(__name__)
MAX_TEXT = 4096


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: emergencies first, wherever the patient is; then a conversation in progress;
    then dose replies; then side effects described in free text; then help."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None:
        return
    repo = context.services.repo
    draft = await repo.draft(chat.id)
    if is_emergency(message.text):
        if draft is not None and draft.flow == report.FLOW:
            await repo.delete_draft(chat.id)  # the emergency replaces the report in progress
        await report.emergency(update, context, message.text)
        return
    if draft is not None:
        data = dict(draft.data)
        match draft.flow:
            case setup.FLOW:
                await setup.on_setup_text(update, context, draft.step, data)
            case dose.SKIP_FLOW:
                await dose.on_skip_reason_text(update, context, data)
            case report.FLOW:
                await report.on_report_text(update, context, draft.step, data)
            case sites.FLOW:
                await sites.on_text(update, context, draft.step, data)
            case plan_changes.PAUSE_FLOW:
                await plan_changes.on_pause_text(update, context, data)
            case plan_changes.ZONE_FLOW:
                await plan_changes.set_zone(update, context, message.text)
            case symptoms.NOTE_FLOW:
                await symptoms.on_note_text(update, context, data)
            case labs.FLOW:
                await labs.on_text(update, context, draft.step, data)
            case supplies.FLOW:
                await supplies.on_text(update, context, draft.step, data)
            case _:
                await repo.delete_draft(chat.id)
                await message.reply_text(texts.NOT_UNDERSTOOD)
        return
    snap = await repo.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await message.reply_text(texts.NEED_SETUP)
        return
    if await dose.on_reply_text(update, context, snap):
        return
    if not await report.offer_free_text_report(update, context, snap, message.text):
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
    rest = ":".join(callback.parts[1:])
    match callback.prefix:
        case kb.DOSE:
            await dose.on_dose_button(update, context, callback)
        case kb.SETUP:
            await setup.on_setup_button(update, context, callback.part(0), rest)
        case kb.PROBLEM:
            await query.answer()
            await report.begin(update, context)
        case kb.REPORT:
            await report.on_report_button(update, context, callback.part(0), rest)
        case kb.FREE_TEXT:
            await report.on_free_text_button(update, context, rest)
        case kb.FOLLOW_UP:
            await report.on_follow_up_button(update, context, callback)
        case kb.NUDGE:
            await report.on_nudge_button(update, context, callback)
        case kb.SITES:
            await sites.on_button(update, context, callback)
        case kb.SYMPTOMS:
            await symptoms.on_button(update, context, callback)
        case kb.LABS:
            await labs.on_button(update, context, callback)
        case kb.SUPPLIES:
            await supplies.on_button(update, context, callback)
        case kb.MENU if callback.part(0) == "setup":
            await query.answer()
            await setup.begin(update, context)
        case kb.MENU if callback.part(0).startswith("pause_"):
            await plan_changes.on_pause_button(update, context, callback.part(0))
        case kb.MENU if callback.part(0).startswith("phase_"):
            await plan_changes.on_phase_button(update, context, callback.part(0))
        case kb.MENU if callback.part(0) == "tz":
            await query.answer()
            await plan_changes.set_zone(update, context, rest)
        case kb.MENU if callback.part(0) in {"erase", "keep_data"}:
            await privacy.on_delete_button(update, context, callback.part(0) == "erase")
        case kb.MENU if callback.part(0) == "keep":
            await query.answer()
            await query.edit_message_reply_markup(None)
        case _:
            await query.answer(texts.STALE_BUTTON)


async def once(update: Update, context: BotContext) -> None:
    """First in line: an update id seen before (a webhook retry) is not processed again."""
    services = context.services
    if not await services.repo.first_delivery(update.update_id, services.clock()):
        log.info("duplicate update ignored update_id=%s", update.update_id)
        raise ApplicationHandlerStop


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
    app.add_handler(TypeHandler(Update, once), group=-2)
    app.add_handler(TypeHandler(Update, privacy.gate), group=-1)
    app.add_handler(CommandHandler("start", commands.start, filters=private))
    app.add_handler(CommandHandler("help", commands.help_, filters=private))
    app.add_handler(CommandHandler("plan", commands.plan, filters=private))
    app.add_handler(CommandHandler("next", commands.next_, filters=private))
    app.add_handler(CommandHandler("history", commands.history, filters=private))
    app.add_handler(CommandHandler("cancel", commands.cancel, filters=private))
    app.add_handler(CommandHandler("report", report.begin, filters=private))
    app.add_handler(CommandHandler("reports", report.list_reports, filters=private))
    app.add_handler(CommandHandler("sites", sites.show, filters=private))
    app.add_handler(CommandHandler("settings", sites.settings, filters=private))
    app.add_handler(CommandHandler("pause", plan_changes.pause, filters=private))
    app.add_handler(CommandHandler("resume", plan_changes.resume, filters=private))
    app.add_handler(CommandHandler("timezone", plan_changes.timezone, filters=private))
    app.add_handler(CommandHandler("phase", plan_changes.phase, filters=private))
    app.add_handler(CommandHandler("calendar", plan_changes.calendar, filters=private))
    app.add_handler(CommandHandler("symptoms", symptoms.symptoms, filters=private))
    app.add_handler(CommandHandler("labs", labs.labs, filters=private))
    app.add_handler(CommandHandler("supplies", supplies.supplies, filters=private))
    app.add_handler(CommandHandler("chart", pictures.chart, filters=private))
    app.add_handler(CommandHandler("export", privacy.export, filters=private))
    app.add_handler(CommandHandler("delete", privacy.ask_delete, filters=private))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)
