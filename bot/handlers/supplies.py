"""/supplies: vials (and doses in each), syringes and the expiry date. Each Done uses one of each;
a refill warning comes by the projected run-out date, an expiry warning 14 days before."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.parsing import parse_count, parse_month_or_date
from bot.domain.records import Snapshot
from bot.domain.supplies import Stock
from bot.handlers.common import flow_button, patient_with_plan, reply

FLOW = "supplies"
VIALS, PER_VIAL, SYRINGES, EXPIRY = "vials", "per_vial", "syringes", "expiry"
MAX_VIALS, MAX_PER_VIAL, MAX_SYRINGES = 200, 60, 2000


def status(snap: Snapshot, context: BotContext) -> str:
    """The stock in words, and how long it lasts on this plan."""
    stock = snap.monitoring.stock
    if not stock.tracked or snap.plan is None:
        return texts.SUPPLIES_NONE
    now = context.services.clock()
    tz = ZoneInfo(snap.plan.timezone)
    out = context.services.monitor.run_out(snap)  # the earlier of running out and the expiry date
    expires = texts.day(stock.expires_on) if stock.expires_on else None
    if out is None:
        return texts.supplies(stock.doses, stock.syringes, expires, texts.lasts_until(None, None))
    last = texts.when(out.last_covered, tz, now) if out.last_covered else None
    first = texts.when(out.first_uncovered, tz, now)
    lasts = texts.lasts_until(last, first, expires if out.expired else None)
    return texts.supplies(stock.doses, stock.syringes, expires, lasts)


async def supplies(update: Update, context: BotContext) -> None:
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    options = [("set", texts.buttons.UPDATE_SUPPLIES)]
    if snap.monitoring.stock.tracked:
        options.append(("off", texts.buttons.STOP_COUNTING))
    await reply(update, status(snap, context), kb.actions(kb.SUPPLIES, options))


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    chat = update.effective_chat
    assert chat is not None
    state = await flow_button(update, context, FLOW)
    if state is None:
        return
    snap, step, data = state
    conversations = context.services.conversations
    match callback.part(0):
        case "set":
            await conversations.save(chat.id, FLOW, VIALS, {})
            await reply(update, texts.ASK_STOCK_VIALS)
        case "off":
            await conversations.end(chat.id)
            await context.services.monitor.set_stock(snap, Stock(None, None))
            await reply(update, texts.SUPPLIES_NONE)
        case "per" if step == PER_VIAL and (n := callback.int_part(1)) is not None and 1 <= n <= MAX_PER_VIAL:
            await _next(update, context, data | {"per_vial": n}, SYRINGES)
        case "nosyr" if step == SYRINGES:
            await _next(update, context, data | {"syringes": None}, EXPIRY)
        case "noexp" if step == EXPIRY:
            await _save(update, context, snap, data)
        case _:
            await reply(update, texts.STALE_BUTTON)


async def _next(update: Update, context: BotContext, data: dict[str, Any], step: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, step, data)
    if step == PER_VIAL:
        options = [(f"per:{n}", str(n)) for n in (1, 2, 5, 10)]
        await reply(update, texts.ASK_STOCK_PER_VIAL, kb.actions(kb.SUPPLIES, options, 4))
    elif step == SYRINGES:
        keyboard = kb.actions(kb.SUPPLIES, [("nosyr", "I don't count syringes")])
        await reply(update, texts.ASK_STOCK_SYRINGES, keyboard)
    else:
        await reply(update, texts.ASK_STOCK_EXPIRY, kb.actions(kb.SUPPLIES, [("noexp", texts.buttons.SKIP)]))


async def on_text(update: Update, context: BotContext, step: str, data: dict[str, Any]) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    text = message.text
    limits = {VIALS: MAX_VIALS, PER_VIAL: MAX_PER_VIAL, SYRINGES: MAX_SYRINGES}
    if step in limits:
        low = 1 if step == PER_VIAL else 0
        count = parse_count(text, low, limits[step])
        if count is None:
            await reply(update, texts.BAD_NUMBER.format(low=low, high=limits[step], example=low + 4))
            return
        following = {VIALS: PER_VIAL, PER_VIAL: SYRINGES, SYRINGES: EXPIRY}[step]
        await _next(update, context, data | {step: count}, following)
        return
    today = context.services.clock().astimezone(ZoneInfo(snap.plan.timezone)).date()
    expires = parse_month_or_date(text, today)
    if expires is None or expires < today:
        await reply(update, texts.BAD_EXPIRY)
        return
    await _save(update, context, snap, data | {"expires_on": expires.isoformat()})


async def _save(update: Update, context: BotContext, snap: Snapshot, data: dict[str, Any]) -> None:
    chat = update.effective_chat
    assert chat is not None
    if "vials" not in data or "per_vial" not in data:
        await reply(update, texts.STALE_BUTTON)
        return
    expires = date.fromisoformat(data["expires_on"]) if data.get("expires_on") else None
    stock = Stock(int(data["vials"]) * int(data["per_vial"]), data.get("syringes"), expires)
    await context.services.conversations.end(chat.id)
    await context.services.monitor.set_stock(snap, stock)
    fresh = await context.services.patients.snapshot(chat.id) or snap
    await reply(update, status(fresh, context))
