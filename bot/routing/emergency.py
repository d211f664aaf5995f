"""The emergency lane: typed words that describe a severe allergic reaction (or chest pain, a
stroke) get the emergency instruction before anything else runs: before the duplicate guard and
the allow-list read the database, before a conversation is looked up. It needs no database: the
patient's country (for the ambulance number) comes from what this process last saw of their plan,
and without it the instruction names the common numbers. The report is recorded afterwards by the
usual path, which then does not send the instruction a second time."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import Update
from telegram.ext import ExtBot

from bot.context import BotContext
from bot.domain.triage import Level, assess
from bot.handlers.common import emergency_instruction, mark_emergency_sent
from bot.ratelimit import URGENT

log = logging.getLogger(__name__)


def is_urgent(update: Update) -> bool:
    """Is this update a patient typing an emergency? (Cheap: no I/O.)"""
    message = update.message
    words = message.text or message.caption if message is not None else None  # a photo's caption too
    return bool(words) and assess(words or "").level is Level.EMERGENCY


async def emergency_first(update: Update, context: BotContext) -> None:
    message, chat, user = update.message, update.effective_chat, update.effective_user
    words = (message.text or message.caption) if message is not None else None  # a photo's caption too
    if not words or chat is None or chat.type != chat.PRIVATE:
        return
    allowed = context.services.settings.allowed_user_ids
    if allowed and (user is None or user.id not in allowed):
        return  # the gate refuses them
    assessment = assess(words)
    if assessment.level is not Level.EMERGENCY:
        return
    zone = context.services.patients.known_zone(chat.id)
    try:
        bot = cast("ExtBot[Any]", context.bot)  # its rate_limit_args type is the limiter's
        await bot.send_message(
            chat.id, emergency_instruction(zone, assessment.reading.signs), rate_limit_args=URGENT
        )
    except Exception as exc:  # the usual path sends it, then
        log.warning("emergency lane failed update_id=%s error=%s", update.update_id, type(exc).__name__)
        return
    mark_emergency_sent(context, update.update_id)
    log.info("emergency instruction sent first update_id=%s", update.update_id)
