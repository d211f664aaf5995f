"""The patient blocks or unblocks the bot (`my_chat_member` updates)."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import ChatMember, Update

from bot import texts
from bot.context import BotContext

log = logging.getLogger(__name__)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Kicked: pause every reminder. Member again: resume without a backlog burst."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    services = context.services
    snap = await services.patients.snapshot(change.chat.id)
    if snap is None:
        return
    status = change.new_chat_member.status
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        await services.patients.blocked(snap)
        log.info("patient blocked the bot patient_id=%s", snap.patient_id)
        return
    if status != ChatMember.MEMBER or not snap.blocked:
        return
    fresh, planned = await services.patients.came_back(snap)
    log.info("patient unblocked the bot patient_id=%s", snap.patient_id)
    text = texts.WELCOME_BACK
    if planned and fresh is not None and fresh.plan is not None and fresh.open_dose is not None:
        site, tz = services.dosing.suggested_site(fresh), ZoneInfo(fresh.plan.timezone)
        text += "\n" + texts.next_due_line(fresh.open_dose.due_at, site, tz, services.clock())
    await context.bot.send_message(change.chat.id, text)
