"""The caregiver's side of the care circle (diagram: docs/conversations/caregiver.mmd).

`/start care-<code>` (the invite link) shows what they would get; Accept uses the invite and asks
the patient to confirm them; their time zone keeps alerts quiet at night; /stop ends it. The code
is only ever checked here, and only the draft it leaves (flow "care_in") lets Accept through: a
forged Accept button finds no invite. Anything wrong with a code gets one neutral reply.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.care import DEFAULT_SWITCHES, DETAILS, LinkView, Refusal, code_from_start
from bot.domain.parsing import parse_timezone
from bot.handlers.common import reply, tell

OFFER_FLOW, ZONE_FLOW = "care_in", "care_zone"
OFFER, ZONE = "offer", "zone"  # the offer shown (waiting for Accept); the time zone question


async def start_link(update: Update, context: BotContext) -> None:
    """/start care-<code>: what they would get, and Accept / No thanks. Wrong, expired or used
    codes (or a chat that keeps guessing) all get the same reply."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    code = code_from_start(context.args[0]) if context.args else None
    invite = await services.care.open_invite(chat.id, code)
    if invite is None:
        await reply(update, texts.INVITE_GONE)
        return
    if await services.care.patient_chat(invite) == chat.id:
        await reply(update, texts.OWN_INVITE)
        return
    name = invite.display_name
    await services.conversations.save(chat.id, OFFER_FLOW, OFFER, {"invite": invite.id, "name": name})
    gets = [line for key, line in texts.they_get(name).items() if key in DEFAULT_SWITCHES]
    keyboard = kb.actions(
        kb.CARE, [("acc", texts.buttons.ACCEPT_INVITE), ("no", texts.buttons.DECLINE_INVITE)], per_row=2
    )
    await reply(update, texts.invite_shown(name, gets, DETAILS in DEFAULT_SWITCHES), keyboard)


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    """Accept / No thanks (only with the offer's draft), a time zone, /stop's choices."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    assert query is not None and chat is not None
    services = context.services
    action = callback.part(0)
    if action in {"acc", "no"}:
        draft = await services.conversations.current(chat.id)
        if draft is None or draft.flow != OFFER_FLOW:
            await query.answer(texts.STALE_BUTTON)
            return
        await query.answer()
        await query.edit_message_reply_markup(None)
        await services.conversations.end(chat.id)
        if action == "no":
            await reply(update, texts.DECLINED)
            return
        result = await services.care.accept(
            int(draft.data["invite"]), chat.id, user.first_name if user else ""
        )
        await _accepted(update, context, result, str(draft.data["name"]))
        return
    await query.answer()
    if action == "tz":
        link = await services.care.set_zone(chat.id, callback.int_part(1) or 0, ":".join(callback.parts[2:]))
        await _zone_set(update, context, link)
    elif action == "stop":
        links = await services.care.looked_after(chat.id)
        chosen = [link for link in links if callback.part(1) in {"all", str(link.id)}]
        await query.edit_message_reply_markup(None)
        await _leave(update, context, chosen)


async def _accepted(update: Update, context: BotContext, result: LinkView | Refusal, name: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    if isinstance(result, Refusal):
        await reply(update, texts.refused(result.value, name))
        return
    link = result
    await context.services.conversations.save(chat.id, ZONE_FLOW, ZONE, {"link": link.id})
    zones = [link.zone, *(z for z in kb.COMMON_ZONES if z != link.zone)]
    labels = [texts.same_zone_as(name, link.zone), *zones[1:]]
    buttons = [
        InlineKeyboardButton(label, callback_data=kb.encode(kb.CARE, "tz", link.id, zone))
        for label, zone in zip(labels, zones, strict=True)
    ]
    await reply(
        update,
        texts.ask_zone(name),
        InlineKeyboardMarkup([[buttons[0]], *kb.rows(buttons[1:], 2).inline_keyboard]),
    )
    confirm = kb.actions(
        kb.CARE,
        [
            (f"ok:{link.id}", texts.buttons.CONFIRM_CAREGIVER),
            (f"rm:{link.id}", texts.buttons.REMOVE_CAREGIVER),
        ],
    )
    await tell(context, link.patient_chat_id, texts.caregiver_accepted(link.caregiver_name), confirm)


async def on_zone_text(update: Update, context: BotContext, data: dict[str, Any], text: str) -> None:
    """Their time zone, typed (a city or a zone name)."""
    zone = parse_timezone(text)
    chat = update.effective_chat
    assert chat is not None
    if zone is None:
        await reply(update, texts.BAD_CARE_ZONE)
        return
    link = await context.services.care.set_zone(chat.id, int(data.get("link", 0)), zone)
    await _zone_set(update, context, link)


async def _zone_set(update: Update, context: BotContext, link: LinkView | None) -> None:
    chat = update.effective_chat
    assert chat is not None
    draft = await context.services.conversations.current(chat.id)
    if draft is not None and draft.flow == ZONE_FLOW:
        await context.services.conversations.end(chat.id)
    await reply(update, texts.zone_set(link.zone) if link is not None else texts.STALE_BUTTON)


async def stop(update: Update, context: BotContext) -> None:
    """/stop: no more messages about the patient they look after (with several, which one)."""
    chat = update.effective_chat
    assert chat is not None
    links = await context.services.care.looked_after(chat.id)
    if len(links) <= 1:
        if links:
            await _leave(update, context, links)
        else:  # a patient who meant their reminders hears about /pause
            snap = await context.services.patients.snapshot(chat.id)
            await reply(update, texts.STOP_NOTHING_PATIENT if snap and snap.plan else texts.STOP_NOTHING)
        return
    options = [(f"stop:{link.id}", link.display_name) for link in links] + [("stop:all", texts.STOP_EVERYONE)]
    await reply(update, texts.STOP_WHOM, kb.actions(kb.CARE, options))


async def _leave(update: Update, context: BotContext, links: list[LinkView]) -> None:
    chat = update.effective_chat
    assert chat is not None
    left = [link for link in links if await context.services.care.leave(chat.id, link.id) is not None]
    if not left:
        await reply(update, texts.STALE_BUTTON)
        return
    await reply(update, texts.stopped([link.display_name for link in left]))
    for link in left:
        await tell(context, link.patient_chat_id, texts.caregiver_left(link.caregiver_name))
