"""/labs: blood test results (B12 with its unit, optionally MMA, homocysteine, haemoglobin, and
the date), shown as a trend; and the next re-check date, reminded 7 days before and on the day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.labs import ANALYTES, Reading, read_value, show
from bot.domain.parsing import parse_date, parse_in_weeks
from bot.domain.records import Snapshot
from bot.handlers.common import flow_button, patient_with_plan, reply

FLOW = "labs"
DATE, MORE, RECHECK = "date", "more", "recheck"
UNITS = {"pg": "pg/mL", "pmol": "pmol/L"}


def _today(snap: Snapshot, context: BotContext) -> date:
    assert snap.plan is not None
    return context.services.clock().astimezone(ZoneInfo(snap.plan.timezone)).date()


async def labs(update: Update, context: BotContext) -> None:
    """/labs: results so far, the re-check date, and what to do next."""
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    results = await context.services.monitor.labs(snap)
    day = snap.monitoring.lab_recheck_on
    recheck = texts.LAB_RECHECK.format(day=texts.day(day)) if day else texts.LAB_RECHECK_NONE
    keyboard = kb.actions(kb.LABS, [("add", texts.buttons.ADD_LAB), ("rc", texts.buttons.SET_RECHECK)])
    await reply(update, f"{texts.labs_trend(results)}\n\n{recheck}", keyboard)


def _more_buttons(data: dict[str, Any]) -> InlineKeyboardMarkup:
    values = data.get("values", {})
    options = [
        (f"m:{key}", ("✅ " if key in values else "") + ANALYTES[key].label) for key in ("mma", "hcy", "hb")
    ]
    return kb.actions(kb.LABS, [*options, ("save", "💾 Save")])


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    chat = update.effective_chat
    assert chat is not None
    state = await flow_button(update, context, FLOW)
    if state is None:
        return
    snap, step, data = state
    conversations = context.services.conversations
    action, value = callback.part(0), callback.part(1)
    match action:
        case "add":
            await conversations.save(chat.id, FLOW, "b12", {"values": {}})
            await reply(update, texts.ASK_LAB_B12, kb.actions(kb.LABS, [("nob12", texts.buttons.NO_B12)]))
        case "nob12" if step == "b12":
            await _ask_date(update, context, data)
        case "unit" if step == "b12" and value in UNITS and "pending" in data:
            await _got(update, context, snap, "b12", f"{data.pop('pending')} {UNITS[value]}", data)
        case "d" if step == DATE and value in {"0", "1"}:
            await _set_date(update, context, snap, data, _today(snap, context) - timedelta(days=int(value)))
        case "m" if step == MORE and value in ANALYTES and value != "b12":
            await conversations.save(chat.id, FLOW, value, data)
            analyte = ANALYTES[value]
            await reply(update, texts.ASK_LAB_VALUE.format(label=analyte.label, example=analyte.example))
        case "save" if step == MORE:
            await _save(update, context, snap, data)
        case "rc":
            await conversations.save(chat.id, FLOW, RECHECK, {})
            await reply(update, texts.ASK_LAB_RECHECK)
        case _:
            await reply(update, texts.STALE_BUTTON)


async def _ask_date(update: Update, context: BotContext, data: dict[str, Any]) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, DATE, data)
    keyboard = kb.actions(kb.LABS, [("d:0", texts.buttons.TODAY), ("d:1", texts.buttons.YESTERDAY)], 2)
    await reply(update, texts.ASK_LAB_DATE + " " + texts.ASK_LAB_DATE_TEXT, keyboard)


async def _set_date(
    update: Update, context: BotContext, snap: Snapshot, data: dict[str, Any], day: date
) -> None:
    chat = update.effective_chat
    assert chat is not None
    data["taken_on"] = day.isoformat()
    await context.services.conversations.save(chat.id, FLOW, MORE, data)
    await reply(update, texts.ASK_LAB_MORE, _more_buttons(data))


async def _got(
    update: Update, context: BotContext, snap: Snapshot, key: str, text: str, data: dict[str, Any]
) -> None:
    """A typed value for `key`: stored in the draft, or refused with the reason."""
    analyte = ANALYTES[key]
    reading = read_value(analyte, text)
    if not isinstance(reading, Reading):
        number = text.strip()
        if key == "b12" and reading.reason == "unit" and number.replace(".", "", 1).isdecimal():
            chat = update.effective_chat
            assert chat is not None
            data["pending"] = number
            await context.services.conversations.save(chat.id, FLOW, "b12", data)
            keyboard = kb.actions(kb.LABS, [("unit:pg", "pg/mL (or ng/L)"), ("unit:pmol", "pmol/L")], 2)
            await reply(update, texts.ASK_LAB_UNIT.format(value=number), keyboard)
            return
        low, high = show(key, analyte.low), show(key, analyte.high)
        await reply(update, texts.bad_lab_value(reading.reason, analyte.label, analyte.example, low, high))
        return
    data.setdefault("values", {})[key] = reading.value
    if key == "b12":
        await _ask_date(update, context, data)
        return
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, MORE, data)
    await reply(update, texts.ASK_LAB_MORE, _more_buttons(data))


async def on_text(update: Update, context: BotContext, step: str, data: dict[str, Any]) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    text, today = message.text, _today(snap, context)
    if step == RECHECK:
        day = parse_in_weeks(text, today) or parse_date(text, today)
        if day is None or day <= today or day > today + timedelta(days=731):
            await reply(update, texts.BAD_RECHECK)
            return
        chat = update.effective_chat
        assert chat is not None
        await context.services.conversations.end(chat.id)
        await context.services.monitor.set_lab_date(snap, day)
        await reply(update, texts.LAB_RECHECK_SET.format(day=texts.day(day)))
    elif step == DATE:
        day = parse_date(text, today, past=True)
        if day is None or day > today or day < today - timedelta(days=366):
            await reply(update, texts.BAD_LAB_DATE)
            return
        await _set_date(update, context, snap, data, day)
    elif step in ANALYTES:
        await _got(update, context, snap, step, text, data)
    else:
        await reply(update, texts.USE_BUTTONS)


async def _save(update: Update, context: BotContext, snap: Snapshot, data: dict[str, Any]) -> None:
    chat = update.effective_chat
    assert chat is not None
    values = {k: float(v) for k, v in dict(data.get("values", {})).items() if k in ANALYTES}
    if not values or "taken_on" not in data:
        await reply(update, texts.LAB_NOTHING)
        return
    taken_on = date.fromisoformat(str(data["taken_on"]))
    await context.services.monitor.add_lab(snap, taken_on, values)
    await context.services.conversations.end(chat.id)
    results = await context.services.monitor.labs(snap)
    await reply(update, texts.LAB_SAVED.format(day=texts.day(taken_on)) + "\n\n" + texts.labs_trend(results))
