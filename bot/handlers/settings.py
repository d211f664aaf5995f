"""/settings: the optional heads-up before each dose, the weekly check-in day and the review
period; its buttons change them and show the screen again."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.symptoms import DEFAULT_REVIEW_WEEKS
from bot.handlers.common import patient_with_plan, reply

HEADS_UP_CHOICES = texts.buttons.HEADS_UP
REVIEW_WEEKS = (4, DEFAULT_REVIEW_WEEKS, 12, 16)


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    """A heads-up choice (`s:hu:<hours>`) or a review period (`y:rw:<weeks>`)."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    value = callback.int_part(1)
    if callback.prefix == kb.SITES and value in {h for h, _ in HEADS_UP_CHOICES}:
        await context.services.patients.set_heads_up(snap, value or None)
    elif callback.prefix == kb.SYMPTOMS and value in REVIEW_WEEKS:
        await context.services.patients.set_review_weeks(snap, value)
    else:
        await reply(update, texts.STALE_BUTTON)
        return
    await settings(update, context)


async def settings(update: Update, context: BotContext) -> None:
    """/settings: the optional heads-up before each dose."""
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    current = texts.heads_up_setting(dict(HEADS_UP_CHOICES).get(snap.heads_up_hours or 0))
    buttons = [
        InlineKeyboardButton(
            ("✅ " if (snap.heads_up_hours or 0) == h else "") + label,
            callback_data=kb.encode(kb.SITES, "hu", h),
        )
        for h, label in HEADS_UP_CHOICES
    ]
    m = snap.monitoring
    checkin = "off"
    if m.checkin_weekday is not None and m.checkin_time is not None:
        checkin = f"{texts.WEEKDAY_NAMES[m.checkin_weekday]}s at {m.checkin_time:%H:%M}"
    rows = kb.rows(buttons, 3).inline_keyboard
    reviews = [
        (f"rw:{w}", ("✅ " if w == m.review_weeks else "") + texts.buttons.REVIEW_WEEKS.format(weeks=w))
        for w in REVIEW_WEEKS
    ]
    more = kb.actions(
        kb.SYMPTOMS, [("day:ask", texts.buttons.CHANGE_CHECK_IN_DAY), *reviews], 1
    ).inline_keyboard
    keyboard = InlineKeyboardMarkup([*rows, more[0], [b for (b,) in more[1:]]])
    text = texts.SETTINGS.format(current=current, checkin=checkin, review=m.review_weeks)
    await reply(update, text, keyboard)
