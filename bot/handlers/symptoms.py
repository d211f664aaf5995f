"""/symptoms and the weekly check-in: four one-tap questions, then a comparison in words.

The answers so far travel in the buttons (`y:q:<digits>`). While a question waits, a conversation
(`CHECK_IN_FLOW`) holds them too, so a typed answer that is plainly a level ("abit", "v bad",
"nah": `symptoms.level_in_words`) answers it; anything else is read as usual (the question still
waits, for 48 hours), so a typed "done" never lands in a check-in. One check-in per question
message (a double tap on the last answer saves once), and none from a question already answered
by typing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain import symptoms as sx
from bot.domain.records import Snapshot
from bot.handlers.common import patient_with_plan, question, reply

NOTE_FLOW = "checkin_note"
MAX_NOTE = 500
CHECK_IN_TIMES = ("09:00", "12:00", "18:00", "20:00")


async def symptoms(update: Update, context: BotContext) -> None:
    """/symptoms: a check-in now."""
    if await patient_with_plan(update, context) is None:
        return
    await ask(update, context, texts.SYMPTOMS_INTRO)


async def ask(update: Update, context: BotContext, intro: str) -> None:
    """The first question, and a typed answer waiting for it (unless another conversation is on)."""
    chat = update.effective_chat
    assert chat is not None
    await reply(update, *question(intro, ""))
    await context.services.monitor.wait_for_typed_answer(chat.id, intro, "")


async def on_typed_level(
    update: Update, context: BotContext, snap: Snapshot, data: dict[str, object], level: int
) -> None:
    """A typed answer ("abit", "v bad") to the question waiting: what was taken, then the next
    question, or the result."""
    chat = update.effective_chat
    assert chat is not None and snap.plan is not None
    intro, answers = str(data.get("intro") or texts.SYMPTOMS_INTRO), str(data.get("answers") or "")
    answers += str(level)
    values = sx.decode(answers)
    assert values is not None  # one digit per answer, ended at the last one
    taken = texts.typed_level(len(values) - 1, level)
    if len(values) < len(sx.KEYS):
        text, keyboard = question(intro, answers)
        await reply(update, f"{taken}\n\n{text}", keyboard)
        await context.services.monitor.wait_for_typed_answer(chat.id, intro, answers)
        return
    await context.services.monitor.stop_waiting(chat.id)
    await _record(update, context, snap, values, None, taken)


def _day_buttons() -> InlineKeyboardMarkup:
    days = [(f"day:{i}", name[:3]) for i, name in enumerate(texts.WEEKDAY_NAMES)]
    return kb.actions(kb.SYMPTOMS, [*days, ("day:off", texts.buttons.NO_CHECK_IN)], 4)


async def ask_check_in_day(update: Update) -> None:
    await reply(update, texts.ASK_CHECK_IN_DAY, _day_buttons())


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await query.answer()
        await reply(update, texts.NEED_SETUP)
        return
    match callback.part(0):
        case "q":
            await _answer(update, context, snap, callback.part(1))
        case "skip":
            await query.answer()
            await query.edit_message_text(texts.CHECK_IN_SKIPPED)
            await context.services.monitor.stop_waiting(chat.id)
        case "note" if (checkin_id := callback.int_part(1)) is not None and any(
            c.id == checkin_id for c in await context.services.monitor.check_ins(snap)
        ):
            await query.answer()
            await context.services.conversations.save(chat.id, NOTE_FLOW, "note", {"id": checkin_id})
            await reply(update, texts.NOTE_ASK)
        case "day":
            await query.answer()
            await _chose_day(update, context, snap, callback.part(1))
        case "at" if (day := callback.int_part(1)) is not None and day < 7:
            await query.answer()
            at = _time(callback.part(2))
            if at is None:
                await reply(update, texts.STALE_BUTTON)
                return
            nxt = await context.services.monitor.set_check_in(snap, day, at)
            await query.edit_message_text(_check_in_words(snap, day, at, nxt, context))
        case _:
            await query.answer(texts.STALE_BUTTON)


def _time(text: str) -> time | None:
    if len(text) != 4 or not text.isdecimal() or int(text[:2]) > 23 or int(text[2:]) > 59:
        return None
    return time(int(text[:2]), int(text[2:]))


def _check_in_words(snap: Snapshot, day: int, at: time, nxt: datetime | None, context: BotContext) -> str:
    assert snap.plan is not None and nxt is not None
    shown = texts.when(nxt, ZoneInfo(snap.plan.timezone), context.services.clock())
    return texts.CHECK_IN_SET.format(day=texts.WEEKDAY_NAMES[day], time=f"{at:%H:%M}", next=shown)


async def _chose_day(update: Update, context: BotContext, snap: Snapshot, value: str) -> None:
    query = update.callback_query
    assert query is not None and snap.plan is not None
    if value == "ask":
        await reply(update, texts.ASK_CHECK_IN_DAY, _day_buttons())
        return
    if value == "off":
        await context.services.monitor.set_check_in(snap, None, None)
        await query.edit_message_text(texts.CHECK_IN_OFF)
        return
    if not value.isdecimal() or int(value) > 6:
        await reply(update, texts.STALE_BUTTON)
        return
    day = int(value)
    dose_time = f"{snap.plan.time_of_day:%H:%M}"
    choices = list(dict.fromkeys([*CHECK_IN_TIMES, dose_time]))
    keyboard = kb.actions(kb.SYMPTOMS, [(f"at:{day}:{t.replace(':', '')}", t) for t in sorted(choices)], 3)
    await query.edit_message_text(
        texts.ASK_CHECK_IN_TIME.format(day=texts.WEEKDAY_NAMES[day]), reply_markup=keyboard
    )


async def _answer(update: Update, context: BotContext, snap: Snapshot, answers: str) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None and snap.plan is not None
    values = sx.decode(answers)
    if not values:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    chat_id = query.message.chat.id
    asked_at = query.message.date.astimezone(UTC) if query.message.date else None
    if asked_at is not None and await context.services.monitor.answered_since(snap, asked_at):
        await reply(update, texts.CHECK_IN_ALREADY)  # answered since this question, by typing
        return
    message_text = getattr(query.message, "text", None) or texts.SYMPTOMS_INTRO
    intro = message_text.split("\n\n")[-2] if "\n\n" in message_text else texts.SYMPTOMS_INTRO
    if len(values) < len(sx.KEYS):
        text, keyboard = question(intro, answers)
        await query.edit_message_text(text, reply_markup=keyboard)
        await context.services.monitor.wait_for_typed_answer(chat_id, intro, answers)
        return
    await context.services.monitor.stop_waiting(chat_id)
    await _record(update, context, snap, values, query.message.message_id, None)


async def _record(
    update: Update,
    context: BotContext,
    snap: Snapshot,
    values: list[int],
    message_id: int | None,
    taken: str | None,
) -> None:
    """The last answer given: store the check-in and show how it compares (in place of the
    question when it was tapped, as a new message when typed)."""
    assert snap.plan is not None
    query = update.callback_query
    result = await context.services.monitor.record_check_in(snap, values, message_id)
    if result is None:
        await reply(update, texts.CHECK_IN_ALREADY)
        return
    text = texts.check_in_result(result.lines, result.baseline)
    if query is not None:
        await query.edit_message_text(text, reply_markup=kb.note_button(result.checkin_id))
    else:
        await reply(update, f"{taken}\n\n{text}" if taken else text, kb.note_button(result.checkin_id))
    if result.nudge_id is not None:
        text = texts.nudge(snap.plan, "symptoms", tuple(result.worse_nerves))
        await reply(update, text, kb.nudge_buttons(result.nudge_id))
    if result.suggest_review:
        await reply(update, texts.review_suggestion(snap.plan, snap.monitoring.review_weeks))
    if result.baseline and snap.monitoring.checkin_weekday is None:
        await ask_check_in_day(update)


async def on_note_text(update: Update, context: BotContext, data: dict[str, object]) -> None:
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.text is not None and chat is not None
    snap = await patient_with_plan(update, context)
    note = " ".join(message.text.split())
    if snap is None or not note or len(note) > MAX_NOTE:
        if snap is not None:
            await reply(update, texts.bad_input(f"A note is up to {MAX_NOTE} characters."))
        return
    checkin_id = data.get("id")
    await context.services.conversations.end(chat.id)
    saved = isinstance(checkin_id, int) and await context.services.monitor.add_note(snap, checkin_id, note)
    await reply(update, texts.NOTE_SAVED if saved else texts.STALE_BUTTON)
