"""The patient blocks or unblocks the bot (`my_chat_member` updates)."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import ChatMember, Update

from bot import texts
from bot.context import BotContext

log = logging.getLogger(__name__)
SAFETY_RESUME_AFTER = timedelta(hours=1)


async def on_my_chat_member(update: Update, context: BotContext) -> None:
    """Kicked: pause every reminder. Member again: resume without a backlog burst."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    services = context.services
    snap = await services.repo.patients.snapshot(change.chat.id)
    if snap is None:
        return
    status = change.new_chat_member.status
    now = services.clock()
    if status in (ChatMember.BANNED, ChatMember.LEFT):
        await services.repo.patients.set_blocked(snap.patient_id, now)
        log.info("patient blocked the bot patient_id=%s", snap.patient_id)
        return
    if status != ChatMember.MEMBER or not snap.blocked:
        return
    await services.repo.patients.set_blocked(snap.patient_id, None)
    dose = await services.dosing.resume(snap.patient_id)
    services.timer.arm(await services.repo.reminders.rearm_safety(snap.patient_id, now + SAFETY_RESUME_AFTER))
    log.info("patient unblocked the bot patient_id=%s", snap.patient_id)
    text = texts.WELCOME_BACK
    fresh = await services.repo.patients.snapshot(change.chat.id)
    if fresh is not None:
        await services.monitor.rearm(fresh)
    if dose is not None and fresh is not None and fresh.plan is not None and fresh.open_dose is not None:
        order = services.dosing.site_order(fresh)
        tz = ZoneInfo(fresh.plan.timezone)
        text += "\n" + texts.next_due_line(fresh.open_dose.due_at, order[0] if order else None, tz, now)
    await context.bot.send_message(change.chat.id, text)
