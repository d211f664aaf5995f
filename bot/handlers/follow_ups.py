"""After a report: follow-up answers (better / the same / worse), the "contact your clinician"
nudge's buttons, closing a report, "my clinician says carry on", and /reports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InputMediaPhoto, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.records import Snapshot
from bot.handlers.common import reply
from bot.services.safety import Answer

SHOWN_ALBUMS = 5  # /reports shows the photos of the newest five reports that have any


async def on_follow_up(
    update: Update, context: BotContext, snap: Snapshot, report_id: int, answer: str
) -> None:
    """Better / the same / worse, by button or typed, about one of the patient's reports."""
    services = context.services
    report = await services.safety.report_of(snap.patient_id, report_id)
    outcome = await services.safety.follow_up(snap.patient_id, report_id, Answer(answer))
    if not outcome.ok or report is None:
        await reply(update, texts.REPORT_CLOSED_ALREADY)
    elif outcome.closed:
        await reply(update, texts.follow_up_better(report.site))
    elif outcome.asked_again:
        await reply(update, texts.FOLLOW_UP_SAME)
    elif outcome.nudge_id is not None:
        why = (texts.WORSE_NOW,) if answer == "worse" else (texts.STILL_THERE,)
        text = texts.nudge(snap.plan, "follow_up", report.signs, why) if snap.plan else texts.NEED_SETUP
        await reply(update, text, kb.nudge_buttons(outcome.nudge_id))


async def on_follow_up_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    report_id = callback.int_part(0)
    if (
        snap is None
        or snap.plan is None
        or report_id is None
        or callback.part(1) not in {"better", "same", "worse"}
    ):
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    await on_follow_up(update, context, snap, report_id, callback.part(1))


async def on_nudge_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = context.services
    snap = await services.patients.snapshot(chat.id)
    nudge_id = callback.int_part(0)
    if snap is None or nudge_id is None or callback.part(1) not in {"done", "later"}:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    if callback.part(1) == "done":
        done = await services.safety.contacted(snap.patient_id, nudge_id)
        await reply(update, texts.CONTACTED if done else texts.NUDGE_ALREADY_DONE)
        return
    at = await services.safety.later(snap.patient_id, nudge_id)
    if at is None or snap.plan is None:
        await reply(update, texts.NUDGE_ALREADY_DONE)
        return
    await reply(update, texts.LATER.format(at=texts.when(at, ZoneInfo(snap.plan.timezone), services.clock())))


async def on_close_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    """/reports' close button: the report is closed, its site back in the rotation."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    report_id = callback.int_part(0)
    closed = None
    if snap is not None and report_id is not None:
        closed = await context.services.safety.close(snap.patient_id, report_id, "closed by patient")
    if closed is None:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    await reply(update, texts.report_closed(closed.signs, closed.site))


async def on_carry_on_button(update: Update, context: BotContext) -> None:
    """ "My clinician says carry on": dose messages stop asking to check first."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    await query.answer()
    done = snap is not None and await context.services.safety.carry_on(snap.patient_id)
    await reply(update, texts.CARRIED_ON if done else texts.CARRY_ON_ALREADY)


async def list_reports(update: Update, context: BotContext) -> None:
    """/reports: open and closed reports, newest first, each with its photos; a close button for
    each open one."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    snap = await services.patients.snapshot(chat.id)
    if snap is None:
        await reply(update, texts.reports_list([]))
        return
    tz, now = ZoneInfo(snap.plan.timezone if snap.plan else "UTC"), services.clock()
    rows, buttons = [], []
    albums: list[tuple[str, list[str]]] = []
    reports = await services.safety.reports(snap.patient_id)
    photos = await services.photos.of_reports([r.id for r in reports])
    for report in reports:
        what = texts.report_what(report.signs, report.site, report.words)
        state = texts.report_state(report.status, report.outcome) + texts.photo_count(len(photos[report.id]))
        rows.append((texts.when(report.created_at, tz, now), what, texts.LEVEL_WORDS[report.level], state))
        if report.status == "open":
            buttons.append((f"{report.id}", texts.CLOSE_LABEL.format(what=texts.shorten(what, 48))))
        if photos[report.id] and len(albums) < SHOWN_ALBUMS:
            caption = texts.photo_caption(texts.when(report.created_at, tz, now), what)
            albums.append((caption, [p.file_id for p in photos[report.id]]))
    await reply(update, texts.reports_list(rows), kb.actions(kb.CLOSE, buttons) if buttons else None)
    for caption, file_ids in albums:  # each report's photos, newest reports first
        if len(file_ids) == 1:
            await context.bot.send_photo(chat.id, file_ids[0], caption=caption)
        else:
            media = [InputMediaPhoto(f, caption=caption if i == 0 else None) for i, f in enumerate(file_ids)]
            await context.bot.send_media_group(chat.id, media)
