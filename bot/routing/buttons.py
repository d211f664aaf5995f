"""Buttons: one CallbackQueryHandler per family, by the callback data's prefix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.handlers import (
    care,
    caregiver,
    dose,
    follow_ups,
    labs,
    photos,
    plan_changes,
    privacy,
    report,
    screen,
    settings,
    setup,
    sites,
    supplies,
    symptoms,
)
from bot.routing.typed import resume

Button = Callable[[Update, BotContext, kb.Callback], Awaitable[Any]]


def decoded(handle: Button) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """The family's handler, given the decoded callback; anything malformed is a stale button."""

    async def run(update: Update, context: BotContext) -> None:
        query = update.callback_query
        callback = kb.decode(query.data if query else None)
        if query is None or update.effective_chat is None or callback is None:
            if query is not None:
                await query.answer(texts.STALE_BUTTON)
            return
        await handle(update, context, callback)

    return run


async def _answered(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


async def _on_problem(update: Update, context: BotContext, callback: kb.Callback) -> None:
    await _answered(update)
    await report.begin(update, context)


async def _on_screen(update: Update, context: BotContext, callback: kb.Callback) -> None:
    if interrupted := await screen.on_button(update, context, callback, report.advise):
        await resume(update, context, *interrupted)


async def _on_setup_again(update: Update, context: BotContext, callback: kb.Callback) -> None:
    await _answered(update)
    await setup.begin(update, context)


async def _on_zone(update: Update, context: BotContext, callback: kb.Callback) -> None:
    await plan_changes.on_zone_button(update, context, ":".join(callback.parts[1:]))


async def _on_keep(update: Update, context: BotContext, callback: kb.Callback) -> None:
    await _answered(update)
    if update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(None)


async def _on_delete(update: Update, context: BotContext, callback: kb.Callback) -> None:
    await privacy.on_delete_button(update, context, callback.part(0) == "erase")


def _rest(callback: kb.Callback) -> str:
    return ":".join(callback.parts[1:])


# (pattern, handler): tried in order, the first match wins; the more specific patterns first.
BUTTONS: tuple[tuple[str, Button], ...] = (
    (rf"^{kb.SITES}:hu:", settings.on_button),
    (rf"^{kb.SYMPTOMS}:rw:", settings.on_button),
    (rf"^{kb.DOSE}:", dose.on_dose_button),
    (rf"^{kb.SETUP}:", lambda u, c, cb: setup.on_setup_button(u, c, cb.part(0), _rest(cb))),
    (rf"^{kb.PROBLEM}:", _on_problem),
    (rf"^{kb.REPORT}:", lambda u, c, cb: report.on_report_button(u, c, cb.part(0), _rest(cb))),
    (rf"^{kb.SCREEN}:", _on_screen),
    (rf"^{kb.CLOSE}:", follow_ups.on_close_button),
    (rf"^{kb.CARRY_ON}:", lambda u, c, cb: follow_ups.on_carry_on_button(u, c)),
    (rf"^{kb.FOLLOW_UP}:", follow_ups.on_follow_up_button),
    (rf"^{kb.NUDGE}:", follow_ups.on_nudge_button),
    (rf"^{kb.SITES}:", sites.on_button),
    (rf"^{kb.SYMPTOMS}:", symptoms.on_button),
    (rf"^{kb.LABS}:", labs.on_button),
    (rf"^{kb.SUPPLIES}:", supplies.on_button),
    (rf"^{kb.MENU}:setup$", _on_setup_again),
    (rf"^{kb.MENU}:pause_", lambda u, c, cb: plan_changes.on_pause_button(u, c, cb.part(0))),
    (rf"^{kb.MENU}:phase_", lambda u, c, cb: plan_changes.on_phase_button(u, c, cb.part(0))),
    (rf"^{kb.MENU}:tz:", _on_zone),
    (
        rf"^{kb.MENU}:(erase|keep_data)$",
        _on_delete,
    ),
    (rf"^{kb.MENU}:keep$", _on_keep),
    (rf"^{kb.PHOTO}:", lambda u, c, cb: photos.on_button(u, c, cb, report.advise)),
    (rf"^{kb.CARE}:(acc|no|tz|stop)(:|$)", caregiver.on_button),
    (rf"^{kb.CARE}:", care.on_button),
)


async def on_stale_button(update: Update, context: BotContext) -> None:
    """A button no family claims (an old keyboard, or data that was never ours)."""
    if update.callback_query is not None:
        await update.callback_query.answer(texts.STALE_BUTTON)
