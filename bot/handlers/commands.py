"""Commands: /help, /plan, /next, /history, /cancel."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.schedule import PhaseTally
from bot.domain.status import DoseStatus
from bot.handlers.common import patient_with_plan, reply


async def help_(update: Update, context: BotContext) -> None:
    """/help: every command, and what typed replies work."""
    await reply(update, texts.HELP)


async def plan(update: Update, context: BotContext) -> None:
    """/plan: the plan as entered."""
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    day = snap.monitoring.lab_recheck_on
    recheck = texts.LAB_RECHECK.format(day=texts.day(day)) if day else texts.LAB_RECHECK_NONE
    progress = snap.progress
    now = ""
    if snap.open_dose is not None and progress.phase_index < len(snap.plan.phases):
        now = texts.where_you_are(snap.plan, progress.phase_index, PhaseTally.of(snap.plan, progress))
    await reply(
        update, texts.PLAN_SHOWN.format(plan=texts.plan_summary(snap.plan), recheck=recheck, progress=now)
    )


async def next_(update: Update, context: BotContext) -> None:
    """/next: when and where the next dose is."""
    services = context.services
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    if snap.open_dose is None:
        await reply(update, texts.PLAN_FINISHED)
        return
    site, tz = services.dosing.suggested_site(snap), ZoneInfo(snap.plan.timezone)
    text = texts.next_summary(snap.open_dose.due_at, site, tz, services.clock(), snap.open_dose.status)
    await reply(update, text)


async def history(update: Update, context: BotContext) -> None:
    """/history: the last 10 doses with their sites and status."""
    services = context.services
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    tz, now = ZoneInfo(snap.plan.timezone), services.clock()
    rows = []
    for dose in await services.dosing.history(snap, 10):
        at = dose.given_at if dose.status == DoseStatus.DONE and dose.given_at else dose.due_at
        detail = dose.site or (dose.skip_reason or "")
        rows.append((texts.when(at, tz, now), texts.status_word(dose.status), detail))
    await reply(update, texts.history(rows))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: drop the conversation in progress; nothing half-done is saved."""
    chat = update.effective_chat
    assert chat is not None
    draft = await context.services.conversations.current(chat.id)
    if draft is None:
        await reply(update, texts.NOTHING_TO_CANCEL)
        return
    await context.services.conversations.end(chat.id)
    await reply(update, texts.CANCELLED)
