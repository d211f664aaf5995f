"""A photo (or an image sent as a file): which report it belongs to (see `on_photo`)."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.symptoms import CHECK_IN_FLOW
from bot.domain.triage import Level, assess
from bot.handlers import photos, report, screen
from bot.handlers.common import reply
from bot.routing.typed import resume

PHOTO_FLOWS = frozenset({report.FLOW, screen.FLOW, photos.FLOW})


async def on_photo(update: Update, context: BotContext) -> None:
    """A photo is part of a report. With a caption that names a problem: that report, triaged like
    typed words (advice first), the photo kept with it. During a report's details: it joins that
    report (its caption is a detail). Otherwise: what does it show? (the report buttons). It is
    never triaged by itself. Another conversation in progress is finished first."""
    chat = update.effective_chat
    services = context.services
    got = photos.received(update, services.photos.max_bytes)
    if chat is None or got is None:
        return
    if isinstance(got, int):
        await reply(update, texts.photo_too_big(services.photos.max_bytes // (1024 * 1024)))
        return
    photo, caption = got, got.caption
    assessment = assess(caption) if caption else None
    level = assessment.level if assessment is not None else None
    draft = await services.conversations.current(chat.id)
    if draft is not None and draft.flow == CHECK_IN_FLOW:  # a check-in question: not interrupted
        draft = None
    flow = draft.flow if draft is not None else None
    snap = await services.patients.snapshot(chat.id)
    if (
        draft is not None
        and flow == report.FLOW
        and draft.step != report.WHAT
        and level is not Level.EMERGENCY
    ):
        note = None if photos.repeat_in_album(update, context) else texts.PHOTO_ADDED
        await photos.keep(update, context, int(draft.data["report"]), [photo], note)
        if caption:  # words with it answer the question, as typed ones would
            await report.on_detail_text(update, context, draft.step, dict(draft.data), caption)
        return
    if caption and assessment is not None and level is not None:
        waiting = photos.waiting_photos(dict(draft.data)) if draft is not None and flow == photos.FLOW else []
        interrupted = draft if draft is not None and flow not in PHOTO_FLOWS else None
        if draft is not None and interrupted is None:
            await services.conversations.end(chat.id)  # replaced by this report
        recorded = await report.on_typed_report(
            update,
            context,
            snap,
            caption,
            assessment,
            details=interrupted is None,
            offer_setup=interrupted is None,
            note=texts.PHOTO_KEPT,
        )
        photos.repeat_in_album(update, context)
        await photos.keep(update, context, recorded.report_id, [*waiting, photo])
        if interrupted is not None:
            await resume(update, context, interrupted.flow, interrupted.step, dict(interrupted.data))
        return
    if flow == screen.FLOW:
        await reply(update, texts.PHOTO_SCREEN_FIRST)  # the red-flag question comes first
        return
    if draft is not None and flow not in PHOTO_FLOWS:
        await reply(update, texts.PHOTO_FINISH_FIRST)
        return
    await photos.ask_what(update, context, snap, photo, draft)
