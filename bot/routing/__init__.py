"""The router: which handler gets an update. The first groups guard every update (a duplicate
delivery, the allow-list); commands, buttons (`buttons.py`) and typed text (`typed.py`) follow."""

from __future__ import annotations

import asyncio
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

from bot import texts
from bot.context import BotContext
from bot.handlers import (
    care,
    caregiver,
    commands,
    follow_ups,
    labs,
    membership,
    pictures,
    plan_changes,
    privacy,
    report,
    settings,
    setup,
    sites,
    supplies,
    symptoms,
)
from bot.routing.buttons import BUTTONS, decoded, on_stale_button
from bot.routing.emergency import emergency_first
from bot.routing.photos import on_photo
from bot.routing.typed import on_text

log = logging.getLogger(__name__)
GUARD_SECONDS = 3.0  # a stalled database: "try again" after this, not after the statement time-out


async def once(update: Update, context: BotContext) -> None:
    """First in line: an update id seen before (a webhook retry) is not processed again. Fails
    closed: when the database cannot say whether it was seen, the update is not processed (Telegram
    delivers it again for a webhook; the patient is asked to try again), never processed twice. A
    database that does not answer within GUARD_SECONDS counts as one that cannot say."""
    recording = asyncio.ensure_future(context.services.patients.first_delivery(update.update_id))
    try:
        # not wait_for: cancelling a statement on a stalled connection waits for the connection
        done, _ = await asyncio.wait({recording}, timeout=GUARD_SECONDS)
        if not done:
            recording.add_done_callback(_consume)  # it finishes (or fails) on its own
            raise TimeoutError
        first = recording.result()
    except Exception as exc:
        log.warning("update not processed update_id=%s error=%s", update.update_id, type(exc).__name__)
        await _try_again_later(update, context)
        raise ApplicationHandlerStop from None
    if not first:
        log.info("duplicate update ignored update_id=%s", update.update_id)
        raise ApplicationHandlerStop


def _consume(task: asyncio.Future[bool]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("late update-id record failed error=%s", type(task.exception()).__name__)


async def _try_again_later(update: object, context: BotContext) -> None:
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, texts.TRY_AGAIN_LATER)
        except Exception:
            log.warning("could not send the error reply update_id=%s", update.update_id)


async def on_unknown_command(update: Update, context: BotContext) -> None:
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.NOT_UNDERSTOOD)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure by id and type only (no message text), and tell the patient."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "handler failed update_id=%s error=%s",
        update_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
    await _try_again_later(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(TypeHandler(Update, emergency_first), group=-3)
    app.add_handler(TypeHandler(Update, once), group=-2)
    app.add_handler(TypeHandler(Update, privacy.gate), group=-1)
    invite_link = filters.Regex(r"^/start(@\w+)? care-")  # a caregiver's invite (bot/handlers/caregiver.py)
    app.add_handler(CommandHandler("start", caregiver.start_link, filters=private & invite_link))
    app.add_handler(CommandHandler("start", setup.start, filters=private))
    app.add_handler(CommandHandler("help", commands.help_, filters=private))
    app.add_handler(CommandHandler("plan", commands.plan, filters=private))
    app.add_handler(CommandHandler("next", commands.next_, filters=private))
    app.add_handler(CommandHandler("history", commands.history, filters=private))
    app.add_handler(CommandHandler("cancel", commands.cancel, filters=private))
    app.add_handler(CommandHandler("report", report.begin, filters=private))
    app.add_handler(CommandHandler("reports", follow_ups.list_reports, filters=private))
    app.add_handler(CommandHandler("sites", sites.show, filters=private))
    app.add_handler(CommandHandler("settings", settings.settings, filters=private))
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
    app.add_handler(CommandHandler("caregiver", care.caregiver, filters=private))
    app.add_handler(CommandHandler("stop", caregiver.stop, filters=private))
    for pattern, handle in BUTTONS:
        app.add_handler(CallbackQueryHandler(decoded(handle), pattern=pattern))
    app.add_handler(CallbackQueryHandler(on_stale_button))
    app.add_handler(ChatMemberHandler(membership.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(private & (filters.PHOTO | filters.Document.IMAGE), on_photo))
    app.add_handler(MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(MessageHandler(private & filters.COMMAND, on_unknown_command))
    app.add_error_handler(on_error)
