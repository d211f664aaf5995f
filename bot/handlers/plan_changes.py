"""Plan changes over time: /pause and /resume, /timezone (travel), /phase (the clinician said to
move on). Each re-plans only what is still to come; past records stay as they were."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InputFile, Update

from bot import keyboards as kb
from bot import texts
from bot.calendar_file import build_ics
from bot.context import BotContext
from bot.domain.parsing import parse_date, parse_timezone
from bot.domain.records import Snapshot
from bot.domain.schedule import local_slot
from bot.domain.status import DoseStatus
from bot.handlers.common import flow_state, patient_with_plan, reply

PAUSE_FLOW, ZONE_FLOW = "pause", "zone"
UNTIL = "until"


def _next_line(snap: Snapshot, context: BotContext) -> str:
    if snap.plan is None or snap.open_dose is None:
        return ""
    site, tz = context.services.dosing.suggested_site(snap), ZoneInfo(snap.plan.timezone)
    return "\n" + texts.next_due_line(snap.open_dose.due_at, site, tz, context.services.clock())


async def _fresh(update: Update, context: BotContext) -> Snapshot | None:
    chat = update.effective_chat
    assert chat is not None
    return await context.services.patients.snapshot(chat.id)


# --- pause / resume -------------------------------------------------------------------------------


async def pause(update: Update, context: BotContext) -> None:
    """/pause: no reminders until a date (or until /resume); nothing counts as missed."""
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    if snap.paused:
        until = f" until {snap.paused_until:%a %d %b}" if snap.paused_until else ""
        await reply(update, texts.ALREADY_PAUSED.format(until=until))
        return
    keyboard = kb.menu(list(texts.buttons.PAUSE_CHOICES))
    await reply(update, texts.ASK_PAUSE, keyboard)


async def on_pause_button(update: Update, context: BotContext, action: str) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    await query.answer()
    snap = await patient_with_plan(update, context)
    if snap is None or snap.paused:
        return
    if action == "pause_no":
        await query.edit_message_text(texts.CANCELLED)
    elif action == "pause_date":
        await context.services.conversations.save(chat.id, PAUSE_FLOW, UNTIL, {})
        await reply(update, texts.ASK_PAUSE_UNTIL)
    else:
        await context.services.dosing.pause(snap, None)
        await query.edit_message_text(texts.PAUSED_OPEN)


async def on_pause_text(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.text is not None and chat is not None
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        await context.services.conversations.end(chat.id)
        return
    today = context.services.clock().astimezone(ZoneInfo(snap.plan.timezone)).date()
    until = parse_date(message.text, today)
    if until is None or until <= today or until > today + timedelta(days=366):
        await reply(update, texts.bad_input(texts.PAUSE_DATE_RULE))
        return
    await context.services.conversations.end(chat.id)
    await context.services.dosing.pause(snap, until)
    await reply(update, texts.PAUSED_UNTIL.format(until=f"{until:%a %d %b}"))


async def resume(update: Update, context: BotContext) -> None:
    """/resume: reminders start again, counting as before the pause."""
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    if not snap.paused:
        await reply(update, texts.NOT_PAUSED)
        return
    await context.services.dosing.end_pause(snap)
    fresh = await _fresh(update, context) or snap
    await reply(update, texts.RESUMED + _next_line(fresh, context))


# --- time zone ------------------------------------------------------------------------------------


async def timezone(update: Update, context: BotContext) -> None:
    """/timezone: ask for the zone the patient is in now."""
    snap = await patient_with_plan(update, context)
    chat = update.effective_chat
    if snap is None or snap.plan is None or chat is None:
        return
    await context.services.conversations.save(chat.id, ZONE_FLOW, "zone", {})
    buttons = kb.rows(
        [InlineKeyboardButton(z, callback_data=kb.encode(kb.MENU, "tz", z)) for z in kb.COMMON_ZONES], 2
    )
    text = texts.ASK_TIMEZONE_NOW.format(time=f"{snap.plan.time_of_day:%H:%M}")
    await reply(update, text, buttons)


async def on_zone_button(update: Update, context: BotContext, zone: str) -> None:
    """A zone button: only while /timezone's question is open. An old message's button must not
    move the plan, nor end another conversation (a setup in progress)."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    step, _ = await flow_state(context, chat.id, ZONE_FLOW)
    if step is None:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    await set_zone(update, context, zone)


async def set_zone(update: Update, context: BotContext, text: str) -> None:
    """A zone typed or tapped: future reminders move, past records stay."""
    chat = update.effective_chat
    assert chat is not None
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    zone = parse_timezone(text)
    if zone is None:
        await reply(update, texts.BAD_ZONE)
        return
    await context.services.conversations.end(chat.id)
    await context.services.dosing.change_timezone(snap, zone)
    fresh = await _fresh(update, context) or snap
    await context.services.monitor.rearm(fresh)  # check-in, blood test, supplies: new local times
    changed = texts.TIMEZONE_CHANGED.format(zone=zone, time=f"{snap.plan.time_of_day:%H:%M}")
    waiting = snap.open_dose
    if waiting is not None and waiting.status == DoseStatus.DUE:  # reminded before the move: still open
        old = ZoneInfo(snap.plan.timezone)
        await reply(update, changed + "\n" + texts.still_open(waiting.due_at, old, context.services.clock()))
        return
    await reply(update, changed + _next_line(fresh, context))


# --- phase ------------------------------------------------------------------------------------------


async def phase(update: Update, context: BotContext) -> None:
    """/phase: move to the next phase, after a confirmation."""
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    index = snap.progress.phase_index
    if index + 1 >= len(snap.plan.phases):
        await reply(update, texts.LAST_PHASE)
        return
    current, following = snap.plan.phases[index].describe(), snap.plan.phases[index + 1].describe()
    keyboard = kb.menu(
        [(f"phase_{index + 1}", texts.buttons.CLINICIAN_SAID_SO), ("phase_no", texts.buttons.NOT_NOW)]
    )
    await reply(update, texts.confirm_next_phase(current, following), keyboard)


async def on_phase_button(update: Update, context: BotContext, action: str) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    target = action.removeprefix("phase_")
    if (
        not target.isdecimal()
        or int(target) != snap.progress.phase_index + 1
        or int(target) >= len(snap.plan.phases)
    ):
        await query.edit_message_text(texts.CANCELLED if target == "no" else texts.STALE_BUTTON)
        return
    await context.services.dosing.next_phase(snap)
    fresh = await _fresh(update, context) or snap
    moved = texts.PHASE_MOVED.format(phase=snap.plan.phases[int(target)].describe())
    await query.edit_message_text(moved + _next_line(fresh, context))


# --- calendar ----------------------------------------------------------------------------------------


async def calendar(update: Update, context: BotContext) -> None:
    """/calendar: the next six months of doses as an .ics file."""
    snap = await patient_with_plan(update, context)
    chat = update.effective_chat
    if snap is None or snap.plan is None or chat is None:
        return
    now = context.services.clock()
    start = min(now, snap.open_dose.due_at) if snap.open_dose else now
    if snap.paused:
        if snap.paused_until is None:
            await reply(update, texts.CALENDAR_PAUSED)
            return
        start = local_slot(snap.paused_until, snap.plan.time_of_day, ZoneInfo(snap.plan.timezone))
    data, count = build_ics(snap, now, start)
    await context.bot.send_document(
        chat.id, InputFile(data, filename="b12-doses.ics"), caption=texts.CALENDAR_CAPTION.format(count=count)
    )
