"""Typed text: one router for every message a patient types (see `on_text`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.records import DraftView, Snapshot
from bot.domain.replies import IntentKind, find_site, parse_reply
from bot.domain.symptoms import CHECK_IN_FLOW, TYPED_ANSWER_FOR, level_in_words
from bot.domain.triage import ALLERGY_SIGNS, Assessment, Level, assess
from bot.domain.triage.reader import follow_up_answer, spoke_to_clinician
from bot.flows.setup_draft import FREE_TEXT_STEPS, NAME_STEPS
from bot.handlers import (
    care,
    caregiver,
    dose,
    follow_ups,
    labs,
    photos,
    plan_changes,
    report,
    screen,
    setup,
    sites,
    supplies,
    symptoms,
)
from bot.handlers.common import reply

log = logging.getLogger(__name__)
MAX_TEXT = 4096


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text, through one triage wherever the patient is: an emergency first, always; a report
    with its advice first; then a conversation in progress, a dose reply, a follow-up answer; then
    the red-flag screen for anything that sounds like a symptom; then help."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None:
        return
    text = message.text
    services = context.services
    assessment = assess(text)
    level = assessment.level
    draft, snap = await services.patients.with_draft(chat.id)
    if draft is not None and draft.flow == photos.FLOW:  # words about a photo just sent
        if await photos.on_words(update, context, draft, text, assessment, report.on_typed_report):
            return
        draft = None  # a dose reply: the photo question is let go
    if draft is not None and draft.flow == CHECK_IN_FLOW:  # "abit", "v bad": the check-in's answer
        reading = assessment.reading  # unwell in general words ("feeling a bit off today"): the
        vague = reading.symptom_like and not reading.signs  # red-flag check, unless only a level
        answer = level_in_words(text, alone=vague) if level is not Level.EMERGENCY else None
        fresh = services.clock() - draft.updated_at < TYPED_ANSWER_FOR
        if answer is not None and fresh and snap is not None and snap.plan is not None:
            await symptoms.on_typed_level(update, context, snap, dict(draft.data), answer)
            return
        draft = None  # anything else is read as usual; the question still waits
    if (
        draft is not None
        and level is not Level.EMERGENCY
        and _answers_the_question(draft, text, services.clock())
    ):
        await _continue_flow(update, context, draft.flow, draft.step, dict(draft.data))
        return
    if draft is not None:
        if level is not None and level >= _interrupts_at(draft):
            if draft.flow in {report.FLOW, screen.FLOW}:
                await services.conversations.end(chat.id)  # replaced by this report
                draft = None
            await report.on_typed_report(
                update, context, snap, text, assessment, details=draft is None, offer_setup=draft is None
            )
            if draft is not None:
                await resume(update, context, draft.flow, draft.step, dict(draft.data))
            return
        if level is None and assessment.reading.symptom_like and not _takes_names(draft):
            await screen.offer(update, context, text, draft)  # "my arm feels weird" mid-setup
            return
        if level is not None and level >= Level.CLINICIAN and draft.flow != report.FLOW:
            # e.g. a skip reason that is a warning sign
            await report.on_typed_report(update, context, snap, text, assessment, details=False)
        await _continue_flow(update, context, draft.flow, draft.step, dict(draft.data))
        return
    if snap is not None and level is not Level.EMERGENCY:
        if await _spoke_to_them(update, context, snap, text, assessment):
            return
        if await _answered_follow_up(update, context, snap, text, assessment):
            return
    if snap is not None and snap.plan is not None:
        intent = parse_reply(text, services.clock(), ZoneInfo(snap.plan.timezone))
        if intent.kind is not IntentKind.UNKNOWN:
            # "injected left thigh, now it's hot and oozing": both (a skip reason only when it is a
            # warning sign: "skip, feeling unwell" is a reason, not a report)
            if level is not None and (intent.kind is IntentKind.DONE or level >= Level.CLINICIAN):
                found = find_site(intent.site_text, snap.plan.sites) if intent.site_text else []
                site = found[0] if len(found) == 1 else None
                await report.on_typed_report(
                    update, context, snap, text, assessment, site=site, details=False
                )
            await dose.on_reply_text(update, context, snap)
            return
    if level is not None:
        await report.on_typed_report(update, context, snap, text, assessment)
        return
    if snap is None and (looked_after := await services.care.looked_after(chat.id)):
        await reply(update, await care.caregiver_help(context, looked_after))
        return  # a caregiver who is not a patient: what this chat is for
    settled = assessment.reading.settled or assessment.reading.resolved
    if snap is not None and settled and await _closed_settled(update, context, snap, assessment):
        return
    no_plan = snap is None or snap.plan is None
    if no_plan and parse_reply(text, services.clock(), ZoneInfo("UTC")).kind is not IntentKind.UNKNOWN:
        await message.reply_text(texts.NEED_SETUP)  # "done left thigh" before any plan
        return
    if assessment.reading.symptom_like:
        await screen.offer(update, context, text)
        return
    await message.reply_text(texts.NEED_SETUP if snap is None or snap.plan is None else texts.NOT_UNDERSTOOD)


WORDS_FLOWS = frozenset({dose.SKIP_FLOW, symptoms.NOTE_FLOW, sites.FLOW, report.FLOW, care.FLOW})


def _interrupts_at(draft: DraftView) -> Level:
    """From which level a report interrupts the conversation in progress (advice, then its question
    again): words kept as written (a skip reason, a note) only for an emergency; a name or a
    strength typed at setup from `clinician` ("Dr Redd" is not a report); anything else always."""
    if draft.flow in WORDS_FLOWS:
        return Level.EMERGENCY
    if draft.flow == setup.FLOW and draft.step in FREE_TEXT_STEPS:
        return Level.CLINICIAN
    return Level.WATCH


def _answers_the_question(draft: DraftView, text: str, now: datetime) -> bool:
    """A typed answer a set-up question with a fixed form can take ("under the skin", "into the
    muscle" at the route question) goes to set-up, whatever words it contains. (Words taken as
    written, a name or a contact, are not checked: anything fits them.)"""
    fixed_form = draft.step not in FREE_TEXT_STEPS
    return draft.flow == setup.FLOW and fixed_form and setup.accepts(draft.step, dict(draft.data), text, now)


def _takes_names(draft: DraftView) -> bool:
    """Words as written (a reason, a note, a name): never read as an unclear symptom."""
    return draft.flow in WORDS_FLOWS or (draft.flow == setup.FLOW and draft.step in NAME_STEPS)


async def _continue_flow(
    update: Update, context: BotContext, flow: str, step: str, data: dict[str, Any]
) -> None:
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.text is not None and chat is not None
    match flow:
        case setup.FLOW:
            await setup.on_setup_text(update, context, step, data)
        case dose.SKIP_FLOW:
            await dose.on_skip_reason_text(update, context, data)
        case report.FLOW:
            await report.on_detail_text(update, context, step, data)
        case sites.FLOW:
            await sites.on_text(update, context, step, data)
        case plan_changes.PAUSE_FLOW:
            await plan_changes.on_pause_text(update, context, data)
        case plan_changes.ZONE_FLOW:
            await plan_changes.set_zone(update, context, message.text)
        case symptoms.NOTE_FLOW:
            await symptoms.on_note_text(update, context, data)
        case labs.FLOW:
            await labs.on_text(update, context, step, data)
        case supplies.FLOW:
            await supplies.on_text(update, context, step, data)
        case care.FLOW:  # the name a caregiver sees
            await care.on_name_text(update, context, message.text)
        case caregiver.ZONE_FLOW:
            await caregiver.on_zone_text(update, context, data, message.text)
        case _:  # the red-flag screen waits for a tap; anything else typed starts afresh
            await context.services.conversations.end(chat.id)
            await message.reply_text(texts.NOT_UNDERSTOOD)


async def resume(update: Update, context: BotContext, flow: str, step: str, data: dict[str, Any]) -> None:
    """After a report interrupted a conversation: its question again, so nothing is lost."""
    if flow == setup.FLOW:
        await setup.ask_again(update, context, step, data)
        return
    await reply(update, texts.RESUME_FLOW)


async def _answered_follow_up(
    update: Update, context: BotContext, snap: Snapshot, text: str, assessment: Assessment
) -> bool:
    """A typed "same" / "a bit better" / "worse" when a follow-up question waits for its answer
    (not when it names something new: "better, but the spot on my tummy is red now" is a report)."""
    answer = follow_up_answer(text)  # the words first: most messages are no answer at all
    if answer is None:
        return False
    waiting = await context.services.safety.waiting_answer(snap.patient_id)
    if waiting is None or {str(s) for s in assessment.reading.signs} - set(waiting.signs):
        return False
    await follow_ups.on_follow_up(update, context, snap, waiting.id, answer)
    return True


async def _spoke_to_them(
    update: Update, context: BotContext, snap: Snapshot, text: str, assessment: Assessment
) -> bool:
    """ "Rang the GP, she said it's fine to carry on": the reminders to contact them stop, and the
    clinician's go-ahead is noted (unless it also names a new sign of an allergy)."""
    contacted, carry_on = spoke_to_clinician(text)
    safety = context.services.safety
    if not contacted or not (snap.clinician_check or await safety.waiting_on_clinician(snap.patient_id)):
        return False
    reported = {s for r in await safety.open_reports(snap.patient_id) for s in r.signs}
    if {str(s) for s in assessment.reading.signs & ALLERGY_SIGNS} - reported:
        return False
    await safety.contacted_all(snap.patient_id)
    lines = [texts.CONTACTED_ALL]
    if carry_on and await safety.carry_on(snap.patient_id):
        lines.append(texts.CARRY_ON_NOTED)
    await reply(update, "\n".join(lines))
    return True


async def _closed_settled(
    update: Update, context: BotContext, snap: Snapshot, assessment: Assessment
) -> bool:
    """ "The hives are gone now": the open reports about that sign are closed; "it's gone", "all
    better": the newest open watch-level report is."""
    safety = context.services.safety
    reports = await safety.open_reports(snap.patient_id)
    named = {str(s) for s in assessment.reading.resolved}
    targets = [r for r in reports if named & set(r.signs)] if named else []
    targets = targets or [r for r in reports if r.level == Level.WATCH.key][:1]
    closed = [c for r in targets if (c := await safety.close(snap.patient_id, r.id, "better")) is not None]
    if not closed:
        return False
    lines = [texts.follow_up_better(closed[0].site)] + [
        texts.report_closed(c.signs, c.site) for c in closed[1:]
    ]
    await reply(update, "\n".join(lines))
    return True
