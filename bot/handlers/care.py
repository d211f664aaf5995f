"""/caregiver: the patient's side of the care circle (diagram: docs/conversations/caregiver.mmd).

The list of caregivers; an invite (the name they will see, then a one-use link); confirming the
person who accepted; what each caregiver gets (switches); removing one, at once. The name step is
a draft (flow "care"); everything else is a button that carries the link's id, checked against
the pressing patient's own circle.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.care import ALERTS, DETAILS, MAX_CAREGIVERS, Alert, LinkView, clean_name
from bot.domain.emergency import emergency_number
from bot.domain.records import Snapshot
from bot.handlers.common import patient_with_plan, reply, tell

FLOW = "care"
NAME = "name"  # the only state: how the caregiver will see the patient's name


def _gets(link: LinkView) -> tuple[str, ...]:
    """What a caregiver gets, in words: each alert switched on, and whether your words go with them."""
    gets = [texts.SWITCH_LABELS[a.value].split(" ", 1)[1].lower() for a in ALERTS if a.value in link.switches]
    if gets and DETAILS in link.switches:
        gets.append(texts.WITH_YOUR_WORDS)
    return tuple(gets)


async def caregiver_help(context: BotContext, links: list[LinkView]) -> str:
    """What a caregiver who types is told: the emergency number where each patient is."""
    patients = []
    for link in links:
        snap = await context.services.patients.snapshot(link.patient_chat_id)
        zone = snap.plan.timezone if snap is not None and snap.plan is not None else None
        patients.append((link.display_name, emergency_number(zone)))
    return texts.caregiver_help(patients)


async def caregiver(update: Update, context: BotContext) -> None:
    """/caregiver: who hears from the bot about the patient, and what (to a caregiver who is not
    a patient: whom they look after)."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    if (await services.patients.snapshot(chat.id)) is None and (
        links := await services.care.looked_after(chat.id)
    ):
        await reply(update, await caregiver_help(context, links))
        return
    snap = await patient_with_plan(update, context)
    if snap is not None:
        await _show_circle(update, context, snap)


async def _show_circle(update: Update, context: BotContext, snap: Snapshot) -> None:
    links = await context.services.care.circle(snap.patient_id)
    rows = [(link.caregiver_name, link.active, _gets(link)) for link in links]
    buttons = []
    for link in links:
        if link.active:
            buttons.append((f"open:{link.id}", f"⚙️ {link.caregiver_name}"))
        else:
            buttons.append((f"ok:{link.id}", f"{texts.buttons.CONFIRM_CAREGIVER} ({link.caregiver_name})"))
            buttons.append((f"rm:{link.id}", texts.buttons.REMOVE_NAMED.format(name=link.caregiver_name)))
    if len(links) < MAX_CAREGIVERS:
        buttons.append(("inv", texts.buttons.INVITE_SOMEONE))
    await reply(update, texts.circle(rows), kb.actions(kb.CARE, buttons))


def _settings_keyboard(link: LinkView) -> InlineKeyboardMarkup:
    options = [(a.value, texts.SWITCH_LABELS[a.value]) for a in ALERTS] + [
        (DETAILS, texts.SWITCH_LABELS[DETAILS])
    ]
    toggles = kb.toggles(f"sw:{link.id}", options, set(link.switches), 1, kb.CARE)
    remove = kb.actions(  # asks first: one stray tap must not silence their alerts
        kb.CARE, [(f"ask:{link.id}", texts.buttons.REMOVE_NAMED.format(name=link.caregiver_name))]
    )
    return InlineKeyboardMarkup([*toggles.inline_keyboard, *remove.inline_keyboard])


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    """The patient's care buttons: invite, their own name, a caregiver's settings, a switch,
    confirm, remove. Every id is checked against the patient's own circle."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    assert query is not None and chat is not None
    services = context.services
    snap = await services.patients.snapshot(chat.id)
    action, link_id = callback.part(0), callback.int_part(1)
    if snap is None:
        await query.answer(texts.STALE_BUTTON)
        return
    if action in {"inv", "me"}:
        await query.answer()
        if action == "inv":
            await _ask_name(update, context, user.first_name if user else None)
            return
        draft = await services.conversations.current(chat.id)
        name = clean_name(user.first_name if user else "")
        if draft is None or draft.flow != FLOW or name is None:
            await reply(update, texts.STALE_BUTTON)
            return
        await _invite(update, context, snap, name)
        return
    link = await services.care.link_of_patient(snap.patient_id, link_id)
    if link is None or link_id is None:
        await query.answer(texts.LINK_GONE)
        return
    await query.answer()
    match action:
        case "open":
            await reply(update, texts.link_settings(link.caregiver_name), _settings_keyboard(link))
        case "ask":
            yes = texts.buttons.YES_REMOVE.format(name=link.caregiver_name)
            keyboard = kb.actions(
                kb.CARE, [(f"rm:{link.id}", yes), (f"keep:{link.id}", texts.buttons.KEEP_THEM)]
            )
            await reply(update, texts.confirm_remove(link.caregiver_name), keyboard)
        case "keep":
            await query.edit_message_text(texts.kept(link.caregiver_name))
        case "sw" if callback.part(2) == "done":
            await query.edit_message_reply_markup(None)
            await _show_circle(update, context, snap)
        case "sw":
            changed = await services.care.toggle(snap.patient_id, link_id, callback.part(2))
            if changed is not None:
                await query.edit_message_reply_markup(_settings_keyboard(changed))
                if (
                    callback.part(2) == Alert.EMERGENCY.value
                    and Alert.EMERGENCY.value not in changed.switches
                ):
                    await reply(update, texts.emergencies_off(changed.caregiver_name))
        case "ok":
            confirmed = await services.care.confirm(snap.patient_id, link_id)
            if confirmed is None:
                await reply(update, texts.STALE_BUTTON)
                return
            await query.edit_message_reply_markup(None)
            await reply(update, texts.confirmed(link.caregiver_name))
            await tell(context, link.caregiver_chat_id, texts.now_connected(link.display_name))
        case "rm":
            removed = await services.care.remove(snap.patient_id, link_id)
            if removed is None:
                await reply(update, texts.LINK_GONE)
                return
            await query.edit_message_reply_markup(None)
            await reply(update, texts.removed(link.caregiver_name))
            await tell(context, link.caregiver_chat_id, texts.removed_you(link.display_name))


async def _ask_name(update: Update, context: BotContext, first_name: str | None) -> None:
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is None or len(await context.services.care.circle(snap.patient_id)) >= MAX_CAREGIVERS:
        await reply(update, texts.CIRCLE_FULL)
        return
    await context.services.conversations.save(chat.id, FLOW, NAME, {})
    name = clean_name(first_name or "")
    keyboard = kb.actions(kb.CARE, [("me", name)]) if name else None
    await reply(update, texts.ASK_DISPLAY_NAME, keyboard)


async def on_name_text(update: Update, context: BotContext, text: str) -> None:
    """The name typed for the invite."""
    chat = update.effective_chat
    assert chat is not None
    name = clean_name(text)
    snap = await context.services.patients.snapshot(chat.id)
    if name is None or snap is None:
        await reply(update, texts.BAD_DISPLAY_NAME)
        return
    await _invite(update, context, snap, name)


async def _invite(update: Update, context: BotContext, snap: Snapshot, name: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    await services.conversations.end(chat.id)
    invite = await services.care.invite(snap.patient_id, name, context.bot.username)
    if invite is None:
        await reply(update, texts.CIRCLE_FULL)
        return
    tz = ZoneInfo(snap.plan.timezone if snap.plan else "UTC")
    await reply(update, texts.invite_ready(invite.link, texts.when(invite.expires_at, tz, services.clock())))
