"""Replies to a dose: Done (with a site), Snooze, Skip, by button or typed text.

Every button carries a dose id; it only counts if that dose belongs to the pressing patient and
is still open. Everything else ("already recorded", "out of date") changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.records import Outcome, Snapshot
from bot.domain.replies import Intent, IntentKind, find_site, parse_reply
from bot.domain.rotation import rotation_issue
from bot.domain.schedule import PhaseTally
from bot.domain.status import DoseStatus
from bot.handlers.common import reply
from bot.services.dosing import NO_OPEN_DOSE, NOT_DUE_YET, Result

SKIP_FLOW = "skip_reason"
MIN_SNOOZE, MAX_SNOOZE, DEFAULT_SNOOZE = 5, 240, 30
MAX_REASON = 200


def _site_keyboard(
    snap: Snapshot,
    dose_id: int,
    context: BotContext,
    given_at: datetime | None,
    only: list[str] | None = None,
) -> InlineKeyboardMarkup:
    """Site buttons, suggested first, each with when it was last used; a site with an open
    reaction comes last, marked (the patient may still choose it)."""
    assert snap.plan is not None
    now = context.services.clock()
    order = context.services.dosing.site_order(snap)
    order += [s for s in snap.plan.sites if s not in order]
    order = [s for s in order if only is None or s in only]
    sites = list(snap.plan.sites)
    stamp = int(given_at.timestamp()) if given_at else None
    buttons = []
    for rank, site in enumerate(order):
        label = f"{site} · {texts.ago(snap.last_used.get(site), now, ZoneInfo(snap.plan.timezone))}"
        if site in snap.reaction_sites:
            label = "⚠️ " + label + " · reaction"
        elif rank == 0 and only is None:
            label = "⭐ " + label
        parts: list[object] = [dose_id, "site", sites.index(site)]
        if stamp is not None:
            parts.append(stamp)
        buttons.append(InlineKeyboardButton(label, callback_data=kb.encode(kb.DOSE, *parts)))
    return kb.rows(buttons, 1)


def _outcome_text(result: Result, snap: Snapshot, context: BotContext) -> str:
    """Words for a confirmation/skip that did not go through."""
    assert snap.plan is not None
    now = context.services.clock()
    tz = ZoneInfo(snap.plan.timezone)
    open_dose = snap.open_dose
    if result.outcome == NOT_DUE_YET and open_dose is not None:
        return texts.NOT_DUE_YET.format(next=texts.when(open_dose.due_at, tz, now))
    if result.outcome == NO_OPEN_DOSE:
        return texts.PLAN_FINISHED
    if result.outcome == Outcome.ALREADY and result.dose is not None:
        return texts.ALREADY_RECORDED.format(status=result.dose.status)
    return texts.STALE_BUTTON


def _after_close(result: Result, snap: Snapshot, context: BotContext, first_line: str) -> str:
    assert snap.plan is not None
    now = context.services.clock()
    tz = ZoneInfo(snap.plan.timezone)
    lines = [first_line]
    nxt = result.next_dose
    if nxt is not None:
        site = context.services.dosing.suggested_site(snap)
        lines.append(texts.next_due_line(nxt.due_at, site, tz, now))
    elif result.plan_finished:
        lines.append(texts.PLAN_FINISHED)
    return "\n".join(lines)


async def _confirm(
    update: Update,
    context: BotContext,
    snap: Snapshot,
    dose_id: int | None,
    site: str,
    given_at: datetime | None,
) -> tuple[str, bool]:
    """Record the dose; the reply, and whether anything was recorded."""
    services = context.services
    assert snap.plan is not None
    result = await services.dosing.confirm(snap, dose_id, site, given_at)
    if result.outcome != Outcome.OK or result.dose is None:
        return _outcome_text(result, snap, context), False
    if snap.progress.missed_in_phase:  # a dose given after missed ones: their nudge is over
        await services.safety.missed_streak_ended(snap.patient_id)
    tz = ZoneInfo(snap.plan.timezone)
    given = result.dose.given_at or services.clock()
    stock = snap.monitoring.stock
    if stock.tracked or stock.expires_on:  # the supplies projection needs the real progress
        fresh = await services.patients.snapshot(snap.chat_id) or snap
    else:  # what the next-site suggestion needs, without reading it all back
        latest = max(given, snap.last_used.get(site, given))
        fresh = replace(snap, last_used={**snap.last_used, site: latest}, open_dose=result.next_dose)
    text = _after_close(result, fresh, context, texts.recorded(site, given, tz, services.clock()))
    suggested = services.dosing.suggested_site(snap)  # what was suggested before this dose
    rest = context.services.dosing.rotation_rest(snap)
    issue = rotation_issue(
        site,
        previous_site=snap.last_site,
        last_used=snap.last_used,
        rest=rest,
        reaction_sites=snap.reaction_sites,
        at=given,
        suggested=suggested,
    )
    if issue is not None:
        better = [s for s in services.dosing.site_order(fresh) if s != site]
        text += "\n" + texts.rotation_note(issue, better[0] if better else None, rest.days)
    if stock.tracked or stock.expires_on:
        await services.monitor.plan_supplies(fresh)
    if (covered := fresh.monitoring.stock.covered) is not None:
        text += "\n" + texts.supplies_line(covered)
    if snap.clinician_check:  # recorded, and the reaction is not forgotten
        text += "\n" + texts.check_before_dose(snap.plan)
    return text, True


async def _skip(update: Update, context: BotContext, snap: Snapshot, dose_id: int | None, reason: str) -> str:
    result = await context.services.dosing.skip(snap, dose_id, reason)
    if result.outcome != Outcome.OK:
        return _outcome_text(result, snap, context)
    fresh = await context.services.patients.snapshot(snap.chat_id) or snap
    text = _after_close(result, fresh, context, texts.skipped(reason))
    plan, progress = fresh.plan, fresh.progress
    if plan is not None and result.next_dose is not None and progress.phase_index < len(plan.phases):
        total = plan.phases[progress.phase_index].length.count
        if plan.phases[progress.phase_index].length.kind.value == "injections" and total:
            text += "\n" + texts.tally_words(PhaseTally.of(plan, progress), total)  # the phase grows by one
    return text


async def _snooze(context: BotContext, snap: Snapshot, dose_id: int | None, minutes: int) -> str:
    assert snap.plan is not None
    result = await context.services.dosing.snooze(snap, dose_id, minutes)
    if result.outcome != Outcome.OK:
        return _outcome_text(result, snap, context)
    now = context.services.clock()
    at = now + timedelta(minutes=minutes)
    return texts.SNOOZED.format(at=texts.when(at, ZoneInfo(snap.plan.timezone), now))


# --- buttons --------------------------------------------------------------------------------------


async def on_dose_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    dose_id, action = callback.int_part(0), callback.part(1)
    snap = await context.services.patients.snapshot(chat.id)
    dose = await context.services.dosing.dose_of(snap, dose_id) if snap is not None else None
    if snap is None or snap.plan is None or dose is None:
        await query.answer(texts.STALE_BUTTON)
        return
    open_ = snap.open_dose is not None and snap.open_dose.id == dose.id
    if action == "took" and dose.status == DoseStatus.MISSED:  # given after all: which site?
        await query.answer()
        tz = ZoneInfo(snap.plan.timezone)
        due = texts.when(dose.due_at, tz, context.services.clock())
        await reply(
            update, texts.ASK_SITE_TOOK.format(due=due), _site_keyboard(snap, dose.id, context, dose.due_at)
        )
        return
    if not open_ and action != "site":
        await query.answer()
        await reply(update, texts.ALREADY_RECORDED.format(status=dose.status))
        return
    await query.answer()
    match action:
        case "done":
            await reply(update, texts.ASK_SITE, _site_keyboard(snap, dose.id, context, None))
        case "site":
            await _site_pressed(update, context, snap, dose.id, callback)
        case "snz" if callback.part(2) == "":
            await query.edit_message_reply_markup(kb.snooze_choices(dose.id))
        case "snz":
            minutes = callback.int_part(2)
            if minutes not in kb.SNOOZE_MINUTES:
                await reply(update, texts.STALE_BUTTON)
                return
            note = await _snooze(context, snap, dose.id, minutes)
            original = query.message.text if isinstance(query.message, Message) else None
            await query.edit_message_text(f"{original}\n\n⏰ {note}" if original else note)
        case "skip":
            await reply(update, texts.ASK_SKIP_REASON, kb.skip_reasons(dose.id, texts.SKIP_REASONS))
        case "why":
            await _why_pressed(update, context, snap, dose.id, callback.part(2))
        case _:
            await reply(update, texts.STALE_BUTTON)


async def _site_pressed(
    update: Update, context: BotContext, snap: Snapshot, dose_id: int, callback: kb.Callback
) -> None:
    assert snap.plan is not None
    query = update.callback_query
    assert query is not None
    index = callback.int_part(2)
    if index is None or index >= len(snap.plan.sites):
        await reply(update, texts.STALE_BUTTON)
        return
    given_at = None
    stamp = callback.int_part(3)
    if stamp is not None:
        given_at = datetime.fromtimestamp(stamp, UTC)
        now = context.services.clock()
        if given_at > now + timedelta(minutes=5) or now - given_at > timedelta(days=7):
            await reply(update, texts.STALE_BUTTON)
            return
    text, recorded = await _confirm(update, context, snap, dose_id, snap.plan.sites[index], given_at)
    await query.edit_message_text(text, reply_markup=kb.problem_button(dose_id) if recorded else None)


async def _why_pressed(update: Update, context: BotContext, snap: Snapshot, dose_id: int, which: str) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    if which == "other":
        await context.services.conversations.save(chat.id, SKIP_FLOW, "reason", {"dose": dose_id})
        await reply(update, texts.ASK_SKIP_REASON_TEXT)
        return
    index = int(which) if which.isdecimal() else -1
    if not 0 <= index < len(texts.SKIP_REASONS):
        await reply(update, texts.STALE_BUTTON)
        return
    await query.edit_message_text(await _skip(update, context, snap, dose_id, texts.SKIP_REASONS[index]))


# --- typed replies --------------------------------------------------------------------------------


async def on_skip_reason_text(update: Update, context: BotContext, data: dict[str, object]) -> None:
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None and message is not None and message.text is not None
    reason = " ".join(message.text.split())[:MAX_REASON]
    await context.services.conversations.end(chat.id)
    snap = await context.services.patients.snapshot(chat.id)
    dose_id = data.get("dose")
    if snap is None or snap.plan is None or not isinstance(dose_id, int):
        await reply(update, texts.STALE_BUTTON)
        return
    await reply(update, await _skip(update, context, snap, dose_id, reason or "no reason given"))


async def on_reply_text(update: Update, context: BotContext, snap: Snapshot) -> bool:
    """Handle 'done …', 'skip …', 'snooze …'; False when the text is none of these."""
    message = update.effective_message
    assert message is not None and message.text is not None and snap.plan is not None
    now = context.services.clock()
    intent = parse_reply(message.text, now, ZoneInfo(snap.plan.timezone))
    match intent.kind:
        case IntentKind.DONE:
            await _done_text(update, context, snap, intent)
        case IntentKind.SKIP:
            await _skip_text(update, context, snap, intent)
        case IntentKind.SNOOZE:
            minutes = intent.minutes or DEFAULT_SNOOZE
            if not MIN_SNOOZE <= minutes <= MAX_SNOOZE:
                await reply(update, texts.bad_input('Snooze takes 5 to 240 minutes, e.g. "snooze 30".'))
                return True
            await reply(update, await _snooze(context, snap, None, minutes))
        case IntentKind.UNKNOWN:
            return False
    return True


async def _done_text(update: Update, context: BotContext, snap: Snapshot, intent: Intent) -> None:
    assert snap.plan is not None
    if intent.error:
        await reply(
            update, texts.BAD_GIVEN_TIME_FUTURE if intent.error == "future" else texts.BAD_GIVEN_TIME_OLD
        )
        return
    target = context.services.dosing.target_for(snap, None)
    back_dated = intent.given_at is not None and context.services.dosing.is_back_dated(snap, intent.given_at)
    if isinstance(target, str) and not back_dated:
        await reply(update, _outcome_text(Result(target, snap.open_dose), snap, context))
        return
    dose_id = snap.open_dose.id if snap.open_dose else 0
    matches = find_site(intent.site_text, snap.plan.sites) if intent.site_text else []
    if len(matches) == 1:
        text, recorded = await _confirm(update, context, snap, None, matches[0], intent.given_at)
        await reply(update, text, kb.problem_button(dose_id) if recorded else None)
        return
    if intent.site_text and not matches:
        text = texts.UNKNOWN_SITE.format(text=intent.site_text[:40])
        await reply(update, text, _site_keyboard(snap, dose_id, context, intent.given_at))
        return
    question = texts.ASK_SITE_AGAIN if matches else texts.ASK_SITE
    keyboard = _site_keyboard(snap, dose_id, context, intent.given_at, matches or None)
    await reply(update, question, keyboard)


async def _skip_text(update: Update, context: BotContext, snap: Snapshot, intent: Intent) -> None:
    if intent.reason:
        await reply(update, await _skip(update, context, snap, None, intent.reason[:MAX_REASON]))
        return
    target = context.services.dosing.target_for(snap, None)
    if isinstance(target, str):
        await reply(update, _outcome_text(Result(target, snap.open_dose), snap, context))
        return
    await reply(update, texts.ASK_SKIP_REASON, kb.skip_reasons(target.id, texts.SKIP_REASONS))
