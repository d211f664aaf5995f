"""/start and the setup conversation, on the Telegram side (the steps: `bot.flows.setup`).

The conversation's state is a `draft` row (step + answers so far), not memory, so it survives a
restart and works with several instances. Nothing becomes a plan until the patient confirms the
summary; /cancel deletes the draft.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain import plan as domain
from bot.flows import setup as flow
from bot.flows.setup_draft import FLOW, End, Invalid, SetupDraft, Step
from bot.handlers.common import ask_baseline, reply

__all__ = ["FLOW", "accepts", "ask_again", "begin", "on_setup_button", "on_setup_text", "start"]
accepts = flow.accepts


async def start(update: Update, context: BotContext) -> None:
    """/start: set up a plan, or offer to set it up again."""
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is not None and snap.plan is not None:
        keyboard = kb.menu([("setup", texts.buttons.SET_UP_AGAIN), ("keep", texts.buttons.KEEP_PLAN)])
        await reply(update, texts.ALREADY_SET_UP, keyboard)
        return
    await begin(update, context)


async def begin(update: Update, context: BotContext) -> None:
    """Start (or restart) setup from the first question."""
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, Step.PRODUCT, {})
    await reply(update, texts.WELCOME)
    await _ask(update, context, Step.PRODUCT, SetupDraft())


async def _ask(update: Update, context: BotContext, step: Step, d: SetupDraft) -> None:
    await reply(update, *flow.ask(step, d, context.services.clock()))


async def ask_again(update: Update, context: BotContext, step: str, data: dict[str, Any]) -> None:
    """After a safety message mid-setup: setup goes on where it was, with its question again."""
    await reply(update, texts.SETUP_RESUMES)
    await _ask(update, context, Step(step), SetupDraft.of(data))


async def on_setup_text(update: Update, context: BotContext, step: str, data: dict[str, Any]) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    d = SetupDraft.of(data)
    answer = flow.typed(Step(step), d, message.text, context.services.clock())
    await _advance(update, context, Step(step), d, answer, edit=False)


async def on_setup_button(update: Update, context: BotContext, field: str, value: str) -> None:
    """A setup button: only the current step's buttons count; older ones are stale."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    draft = await context.services.conversations.current(chat.id)
    if draft is None or draft.flow != FLOW or draft.step != field:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    d = SetupDraft.of(draft.data)
    answer = flow.pressed(Step(field), d, value, context.services.clock())
    await _advance(update, context, Step(field), d, answer, edit=True)


async def _advance(
    update: Update,
    context: BotContext,
    step: Step,
    d: SetupDraft,
    answer: Step | End | Invalid,
    *,
    edit: bool,
) -> None:
    """Store the answer and ask the next question (or re-ask, or save the plan)."""
    conversations = context.services.conversations
    chat = update.effective_chat
    assert chat is not None
    match answer:
        case Invalid(message=message):
            await reply(update, message)
            await _ask(update, context, step, d)
            return
        case End.CANCEL:
            await conversations.end(chat.id)
            await reply(update, texts.CANCELLED)
            return
        case End.SAVE:
            await _save(update, context, d)
            return
        case End.RESTART:
            answer, d = Step.PRODUCT, SetupDraft()
    assert isinstance(answer, Step)
    await conversations.save(chat.id, FLOW, answer, d.dump())
    query = update.callback_query
    if edit and answer == step and query is not None:  # a toggle: the same question, updated in place
        text, keyboard = flow.ask(step, d, context.services.clock())
        await query.edit_message_text(text, reply_markup=keyboard)
        return
    if step is Step.ROUTE and d.route == domain.Route.INTRAMUSCULAR.value:
        await reply(update, texts.ROUTE_IM_NOTE)
    await _ask(update, context, answer, d)


async def _save(update: Update, context: BotContext, d: SetupDraft) -> None:
    services = context.services
    chat = update.effective_chat
    assert chat is not None
    plan = d.plan()
    patient_id = await services.patients.ensure(chat.id)
    first = await services.dosing.start_plan(patient_id, plan)
    await services.conversations.end(chat.id)
    if first is None:
        await reply(update, texts.SAVED_NO_DOSE)
        return
    snap = await services.patients.snapshot(chat.id)
    if snap is not None:
        await services.monitor.rearm(snap)  # the new plan's zone, time and cadence
    site = services.dosing.suggested_site(snap) if snap else plan.sites[0]
    first_at = texts.when(first.due_at, ZoneInfo(plan.timezone), services.clock())
    saved = texts.SAVED.format(
        time=f"{plan.time_of_day:%H:%M}", zone=plan.timezone, first=first_at, site=site
    )
    if snap is not None and snap.clinician_check:  # a reaction was reported: check first
        saved += "\n" + texts.check_before_dose(plan)
    await reply(update, saved)
    await ask_baseline(update, context)
