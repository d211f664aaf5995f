"""Photos of a reaction (diagram: docs/conversations/photo.mmd).

A photo is part of a report, never triaged by itself (there is no image analysis, and the reply
says so). Without words that name a sign, the patient is asked what it shows with the report's
sign buttons (flow "photo": the photos wait in the draft, as Telegram file ids), or taps the
report it belongs to. The router (`bot/routing/photos.py`) decides which way a photo goes; this
module keeps photos with a report: downloaded once with getFile, size-capped, into the database.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.photos import PhotoIn, PhotoSizeIn, best_size, too_big
from bot.domain.records import DraftView, Snapshot
from bot.domain.replies import IntentKind, parse_reply
from bot.domain.triage import BUTTON_SIGNS, Assessment, Sign
from bot.handlers.common import reply
from bot.services.safety import Recorded

log = logging.getLogger(__name__)
FLOW = "photo"
WHAT = "what"  # the only state: which signs the photo shows (or which report it belongs to)
ADD_TO = 2  # open reports offered as "it's about: ..."
ALBUM_KEY = "photo_album"  # chat_data: the album (media group) whose first photo was answered

Advise = Callable[..., Awaitable[Recorded]]


def received(update: Update, max_bytes: int) -> PhotoIn | int | None:
    """The photo in the message (the largest of Telegram's sizes that fits), or the size of one too
    big to keep, or None when the message holds no picture."""
    message = update.effective_message
    if message is None:
        return None
    caption = (message.caption or "").strip() or None
    if message.photo:
        sizes = [
            PhotoSizeIn(p.file_id, p.file_unique_id, p.file_size, p.width * p.height) for p in message.photo
        ]
        best = best_size(sizes, max_bytes)
        if best is None:
            return max(s.file_size or 0 for s in sizes)
        return PhotoIn(best.file_id, best.file_unique_id, best.file_size, caption)
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        if too_big(document.file_size, max_bytes):
            return document.file_size or 0
        return PhotoIn(document.file_id, document.file_unique_id, document.file_size, caption)
    return None


def repeat_in_album(update: Update, context: BotContext) -> bool:
    """Is this the second (third, ...) photo of an album whose first one was answered already?"""
    message = update.effective_message
    album = message.media_group_id if message is not None else None
    if album is None or context.chat_data is None:
        return False
    seen = context.chat_data.get(ALBUM_KEY) == album
    context.chat_data[ALBUM_KEY] = album
    return seen


async def _download(context: BotContext, photo: PhotoIn) -> bytes | None:
    """The photo's bytes, fetched once from Telegram (getFile, then the file itself); None when it
    cannot be had now (the file id is kept all the same)."""
    limit = context.services.photos.max_bytes
    try:
        file = await context.bot.get_file(photo.file_id)
        if too_big(file.file_size, limit):
            return None
        data = bytes(await file.download_as_bytearray())
    except (TelegramError, RuntimeError, OSError) as exc:
        log.warning("photo not downloaded error=%s", type(exc).__name__)
        return None
    return None if too_big(len(data), limit) else data


async def keep(
    update: Update, context: BotContext, report_id: int, photos: list[PhotoIn], note: str | None = None
) -> bool:
    """Keep the photos with one of the patient's reports; `note` (if any) says so."""
    chat = update.effective_chat
    assert chat is not None
    patient_id = await context.services.patients.ensure(chat.id)
    kept = False
    for photo in photos:
        kept = (
            await context.services.photos.keep(patient_id, report_id, photo, await _download(context, photo))
            or kept
        )
    if note is not None:
        await reply(update, note if kept else texts.PHOTO_NOT_SAVED)
    return kept


# --- "what does it show?" ---------------------------------------------------------------------------


def _keyboard(selected: set[str], reports: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    options = [(s.value, texts.SIGN_BUTTONS[s.value]) for s in BUTTON_SIGNS]
    markup = kb.toggles("t", options, selected, 2, kb.PHOTO)
    rows = [*markup.inline_keyboard]
    rows += kb.actions(
        kb.PHOTO, [(f"add:{rid}", texts.add_to_label(what)) for rid, what in reports]
    ).inline_keyboard
    return InlineKeyboardMarkup(rows)


async def _open_reports(context: BotContext, snap: Snapshot | None) -> list[tuple[int, str]]:
    if snap is None:
        return []
    reports = (await context.services.safety.open_reports(snap.patient_id))[:ADD_TO]
    return [(r.id, texts.shorten(texts.report_what(r.signs, r.site, r.words), 40)) for r in reports]


async def ask_what(
    update: Update, context: BotContext, snap: Snapshot | None, photo: PhotoIn, draft: DraftView | None
) -> None:
    """No words that name a sign: ask what the photo shows (signs already tapped in /report are
    kept); a further photo while the question is open waits with the first."""
    chat = update.effective_chat
    assert chat is not None
    conversations = context.services.conversations
    data: dict[str, Any] = dict(draft.data) if draft is not None else {}
    if draft is not None and draft.flow == FLOW:
        data["photos"] = [*data.get("photos", []), photo.as_data()]
        await conversations.save(chat.id, FLOW, WHAT, data)
        if not repeat_in_album(update, context):
            await reply(update, texts.PHOTO_ONE_MORE)
        return
    repeat_in_album(update, context)
    signs = list(data.get("signs", [])) if draft is not None else []
    fresh = {"signs": signs, "photos": [photo.as_data()], "words": photo.caption}
    await conversations.save(chat.id, FLOW, WHAT, fresh)
    await reply(update, texts.PHOTO_ASK, _keyboard(set(signs), await _open_reports(context, snap)))


def waiting_photos(data: dict[str, Any]) -> list[PhotoIn]:
    return [PhotoIn.of_data(p) for p in data.get("photos", [])]


async def on_button(update: Update, context: BotContext, callback: kb.Callback, advise: Advise) -> None:
    """A sign toggled, Done (the report is made, advice first, then the photos kept with it), or
    the open report the photo belongs to."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = context.services
    draft = await services.conversations.current(chat.id)
    if draft is None or draft.flow != FLOW:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    data = dict(draft.data)
    snap = await services.patients.snapshot(chat.id)
    action, value = callback.part(0), callback.part(1)
    if action == "add":
        report = (
            await services.safety.report_of(snap.patient_id, int(value))
            if snap and value.isdecimal()
            else None
        )
        if report is None or report.status != "open":
            await reply(update, texts.REPORT_CLOSED_ALREADY)
            return
        await services.conversations.end(chat.id)
        what = texts.report_what(report.signs, report.site, report.words)
        await keep(update, context, report.id, waiting_photos(data), texts.added_to(what))
        return
    if action != "t":
        return
    if value != "done":
        if value in {s.value for s in BUTTON_SIGNS}:
            data["signs"] = sorted(set(data.get("signs", [])) ^ {value})
            await services.conversations.save(chat.id, FLOW, WHAT, data)
            keyboard = _keyboard(set(data["signs"]), await _open_reports(context, snap))
            await query.edit_message_reply_markup(keyboard)
        return
    if not data.get("signs"):
        await reply(update, texts.NEED_A_SIGN)
        return
    await services.conversations.end(chat.id)
    signs = [Sign(s) for s in data["signs"]]
    recorded = await advise(update, context, snap, signs, words=data.get("words"), note=texts.PHOTO_KEPT)
    await keep(update, context, recorded.report_id, waiting_photos(data))


async def on_words(
    update: Update,
    context: BotContext,
    draft: DraftView,
    text: str,
    assessment: Assessment,
    typed_report: Callable[..., Awaitable[Recorded]],
) -> bool:
    """Words typed while the photo question is open: a report with its advice, the photos kept
    with it; other words are kept for the report. A dose reply ("done left thigh") is not about
    the photo: False (the photo is let go, the words handled as usual)."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    data = dict(draft.data)
    snap = await services.patients.snapshot(chat.id)
    if assessment.level is None and snap is not None and snap.plan is not None:
        intent = parse_reply(text, services.clock(), ZoneInfo(snap.plan.timezone))
        if intent.kind is not IntentKind.UNKNOWN:
            await services.conversations.end(chat.id)
            return False
    if assessment.level is None:
        data["words"] = " / ".join(w for w in (data.get("words"), text) if w)[:1000]
        await services.conversations.save(chat.id, FLOW, WHAT, data)
        await reply(update, texts.PHOTO_WAITING)
        return True
    await services.conversations.end(chat.id)
    words = " / ".join(w for w in (data.get("words"), text) if w)
    recorded = await typed_report(update, context, snap, words, assessment, note=texts.PHOTO_KEPT)
    await keep(update, context, recorded.report_id, waiting_photos(data))
    return True
