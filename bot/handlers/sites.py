"""/sites: list, add, remove, rename, rest period."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.rotation import MAX_SITE_NAME, MAX_SITES
from bot.handlers.common import patient_with_plan, reply

FLOW = "sites"
ADD = "add"  # typing a new site's name
RENAME_TO = "rename_to"  # typing the new name for a site
REST = "rest"  # typing a rest period
REST_CHOICES = (3, 5, 7, 10, 14)


def _menu() -> InlineKeyboardMarkup:
    return kb.rows(
        [
            InlineKeyboardButton(label, callback_data=kb.encode(kb.SITES, action))
            for action, label in texts.buttons.SITES_MENU
        ],
        2,
    )


async def show(update: Update, context: BotContext) -> None:
    """/sites: every site with its last use and any open reaction."""
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    now = context.services.clock()
    rows = [
        (
            site,
            texts.ago(snap.last_used.get(site), now, ZoneInfo(snap.plan.timezone)),
            " ⚠️ open reaction" if site in snap.reaction_sites else "",
        )
        for site in snap.plan.sites
    ]
    chat = update.effective_chat
    if update.callback_query is None and chat is not None:  # the picture with /sites, not after every button
        png = await context.services.pictures.body_map(snap)
        picture = InputFile(png, filename="b12-sites.png")
        await context.bot.send_photo(chat.id, picture, caption=texts.BODY_MAP_CAPTION)
    fitting = max(1, context.services.dosing.rotation_rest(snap).days)
    await reply(update, texts.sites_list(rows, snap.rest_days, fitting), _menu())


def _site_buttons(action: str, sites: tuple[str, ...]) -> InlineKeyboardMarkup:
    return kb.rows(
        [InlineKeyboardButton(s, callback_data=kb.encode(kb.SITES, action, i)) for i, s in enumerate(sites)],
        1,
    )


def _clean(name: str) -> str:
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


async def on_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    await query.answer()
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    services, sites = context.services, snap.plan.sites
    action, index = callback.part(0), callback.int_part(1)
    match action:
        case "add":
            await services.conversations.save(chat.id, FLOW, ADD, {})
            await reply(update, texts.ASK_NEW_SITE)
        case "rm" if index is None:
            await reply(update, texts.ASK_REMOVE_SITE, _site_buttons("rm", sites))
        case "rm" if index is not None and index < len(sites):
            if len(sites) == 1:
                await reply(update, texts.LAST_SITE)
                return
            await services.patients.set_sites(snap, [s for s in sites if s != sites[index]])
            await show(update, context)
        case "ren" if index is None:
            await reply(update, texts.ASK_RENAME_SITE, _site_buttons("ren", sites))
        case "ren" if index is not None and index < len(sites):
            await services.conversations.save(chat.id, FLOW, RENAME_TO, {"site": sites[index]})
            await reply(update, texts.ASK_RENAME_TO.format(site=sites[index]))
        case "rest" if index is None:
            buttons = [
                InlineKeyboardButton(f"{d} days", callback_data=kb.encode(kb.SITES, "rest", d))
                for d in REST_CHOICES
            ]
            await services.conversations.save(chat.id, FLOW, REST, {})
            await reply(update, texts.ASK_REST, kb.rows(buttons, 5))
        case "rest" if index in REST_CHOICES:
            await services.conversations.end(chat.id)
            await services.patients.set_rest_days(snap, index)
            await show(update, context)
        case _:
            await reply(update, texts.STALE_BUTTON)


async def on_text(update: Update, context: BotContext, step: str, data: dict[str, Any]) -> None:
    """Typed names (add, rename) and rest periods."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.text is not None and chat is not None
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    services, sites = context.services, list(snap.plan.sites)
    name = _clean(message.text)
    if step == REST:
        days = int(name) if name.isdecimal() else 0
        if not 1 <= days <= 60:
            await reply(update, texts.BAD_NUMBER.format(low=1, high=60, example=7))
            return
        await services.patients.set_rest_days(snap, days)
    else:
        if not name or len(name) > MAX_SITE_NAME or (len(sites) >= MAX_SITES and step == ADD):
            await reply(update, texts.bad_input(f"A site name is up to {MAX_SITE_NAME} characters."))
            return
        if name.lower() in {s.lower() for s in sites}:
            await reply(update, texts.SITE_EXISTS)
            return
        if step == ADD:
            await services.patients.set_sites(snap, [*sites, name])
        else:
            old = str(data.get("site"))
            if old not in sites:
                await reply(update, texts.STALE_BUTTON)
                return
            await services.patients.set_sites(snap, [name if s == old else s for s in sites], (old, name))
    await services.conversations.end(chat.id)
    await show(update, context)
