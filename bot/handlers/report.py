"""Side-effect reports, advice first (diagram: docs/conversations/report.mmd).

Every way in (typed words anywhere, the /report buttons, the red-flag screen) goes through one
triage, and the first reply carries the level's advice: the emergency instruction, "contact your
clinician" (named), or the usual care advice. Only then, and only if useful, a few optional
details are asked (where, how bad, since when); they can only raise the level. The details
conversation lives in a `draft` row (flow "report"), like setup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.emergency import emergency_number, out_of_hours
from bot.domain.plan import Plan
from bot.domain.records import Snapshot
from bot.domain.replies import match_sites
from bot.domain.triage import (
    BUTTON_SIGNS,
    LOCAL_SIGNS,
    Assessment,
    Level,
    Modifier,
    Report,
    Severity,
    Sign,
    read,
    triage,
)
from bot.handlers.common import MAX_WORDS, emergency_instruction, emergency_sent, reply
from bot.services.safety import Recorded

FLOW = "report"

# --- states ---------------------------------------------------------------------------------------
WHAT = "what"  # /report: which signs (buttons)
WHERE = "where"  # optional details, after the advice
SEVERITY = "sev"
SINCE = "since"

NO_SITE = "none"
STOP_WORDS = frozenset(
    {"skip", "stop", "no", "no thanks", "nope", "none", "n/a", "dont know", "don't know", "idk"}
)
SKIP = "skip"
SINCE_CHOICES = texts.buttons.SINCE
SEVERITY_CHOICES = texts.buttons.SEVERITIES
Data = dict[str, Any]

_ORDER = {s.value: i for i, s in enumerate((*BUTTON_SIGNS, *Sign))}


def in_button_order(signs: Iterable[str]) -> list[str]:
    """Signs as the patient sees them in the list (redness before itching), not alphabetical."""
    return sorted({str(s) for s in signs}, key=lambda s: _ORDER.get(s, len(_ORDER)))


def instruction(plan: Plan | None, signs: Iterable[Sign] = ()) -> str:
    return emergency_instruction(plan.timezone if plan else None, signs)


def _zone(plan: Plan | None) -> str | None:
    return plan.timezone if plan else None


# --- advice first ---------------------------------------------------------------------------------


async def advise(
    update: Update,
    context: BotContext,
    snap: Snapshot | None,
    signs: Iterable[Sign],
    *,
    words: str | None = None,
    site: str | None = None,
    assessment: Assessment | None = None,
    modifiers: frozenset[Modifier] | None = None,
    details: bool = True,
    watch_reply: bool = True,
    offer_setup: bool = True,
    note: str | None = None,
) -> Recorded:
    """Record a report and reply with its level's advice, the emergency instruction before anything
    is written; then offer the optional details (with a plan and `details`) or the set-up (without
    a plan). Without `watch_reply` the caller words a watch-level reply itself."""
    services = context.services
    plan = snap.plan if snap else None
    ordered = [Sign(s) for s in in_button_order(str(s) for s in signs)]
    reading = assessment.reading if assessment else None
    level = (
        assessment.level
        if assessment
        else triage(Report(frozenset(ordered), modifiers=modifiers or frozenset())).level
    )
    if level is Level.EMERGENCY and not emergency_sent(update, context):
        await reply(update, instruction(plan, ordered))  # before anything is written
    chat = update.effective_chat
    assert chat is not None
    patient_id = snap.patient_id if snap else await services.patients.ensure(chat.id)
    hours = reading.hours_since if reading else None
    recorded = await services.safety.record(
        patient_id,
        ordered,
        site=site,
        severity=reading.severity if reading else None,
        since_at=services.clock() - timedelta(hours=hours) if hours is not None else None,
        words=words[:MAX_WORDS] if words else None,
        modifiers=reading.modifiers if reading else modifiers,
        with_plan=plan is not None,
    )
    if not watch_reply and recorded.result.level is Level.WATCH:
        return recorded
    await _advice(update, plan, recorded, ordered, site, words)
    if note is not None:  # after the advice, before any question (a photo kept with the report)
        await reply(update, note)
    if plan is None:
        if offer_setup:  # not when they are setting up right now
            await reply(update, texts.NO_PLAN_YET)
        return recorded
    data: Data = {"report": recorded.report_id, "signs": [s.value for s in ordered], "site": site}
    if reading is not None:
        data["sev"] = reading.severity is not None
        data["since"] = reading.hours_since is not None
    if recorded.result.level is not Level.EMERGENCY and details:
        await _next_detail(update, context, snap, data, first=True)
    return recorded


_MISSING = re.compile(
    r"\b(?:miss\w*|forg[eo]t\w*|catch\w*|double\w*|extra|two|2|twice|another|skip\w*)\b", re.I
)


def _about_missing(words: str | None) -> bool:
    """Is a dose question about a missed, extra or double dose ("don't double up" applies)?"""
    return words is None or bool(_MISSING.search(words))


async def _advice(
    update: Update,
    plan: Plan | None,
    recorded: Recorded,
    signs: list[Sign],
    site: str | None,
    words: str | None = None,
) -> None:
    keyboard = kb.nudge_buttons(recorded.nudge_id) if recorded.nudge_id else None
    keys = tuple(s.value for s in signs)
    match recorded.result.level:
        case Level.EMERGENCY:
            await reply(update, texts.emergency_recorded(plan), keyboard)
        case Level.CLINICIAN if set(signs) <= {Sign.UNSURE} or recorded.result.rule_ids == ("C10-unsure",):
            await reply(update, texts.dose_question(plan, missed=_about_missing(words)), keyboard)
        case Level.CLINICIAN:
            text = texts.clinician_advice(
                plan, keys, recorded.result.reasons, emergency_number(_zone(plan)), out_of_hours(_zone(plan))
            )
            await reply(update, text, keyboard)
        case _:
            await reply(update, texts.watch_advice(keys, site))


async def on_typed_report(
    update: Update,
    context: BotContext,
    snap: Snapshot | None,
    text: str,
    assessment: Assessment,
    site: str | None = None,
    details: bool = True,
    offer_setup: bool = True,
    note: str | None = None,
) -> Recorded:
    """Typed words that describe a problem: advice first, then (with `details`) the details."""
    if site is None and snap is not None and snap.plan is not None:
        found = match_sites(text, snap.plan.sites)
        site = found[0] if len(found) == 1 else None
    signs = assessment.reading.signs
    return await advise(
        update,
        context,
        snap,
        signs,
        words=text,
        site=site,
        assessment=assessment,
        details=details,
        offer_setup=offer_setup,
        note=note,
    )


# --- /report: the signs by buttons ----------------------------------------------------------------


async def begin(update: Update, context: BotContext) -> None:
    """/report or "Report a problem": which signs? (With or without a plan.)"""
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, WHAT, {"signs": []})
    await reply(update, texts.ASK_WHAT, _what_keyboard(set()))


def _what_keyboard(selected: set[str]) -> InlineKeyboardMarkup:
    options = [(s.value, texts.SIGN_BUTTONS[s.value]) for s in BUTTON_SIGNS]
    return kb.toggles(WHAT, options, selected, 2, kb.REPORT)


async def _at_step(update: Update, context: BotContext, step: str) -> tuple[Data, Snapshot | None] | None:
    """The report draft's answers when it is at `step`; otherwise the button is out of date."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    draft = await context.services.conversations.current(chat.id)
    if draft is None or draft.flow != FLOW or draft.step != step:
        await query.answer(texts.STALE_BUTTON)
        return None
    await query.answer()
    return dict(draft.data), await context.services.patients.snapshot(chat.id)


async def on_report_button(update: Update, context: BotContext, step: str, value: str) -> None:
    """A button of the report conversation; only the current step's buttons count."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    current = await _at_step(update, context, step)
    if current is None:
        return
    data, snap = current
    if step == WHAT:
        if value != "done":
            if value in {s.value for s in BUTTON_SIGNS}:
                data["signs"] = in_button_order(set(data.get("signs", [])) ^ {value})
                await context.services.conversations.save(chat.id, FLOW, WHAT, data)
                await query.edit_message_text(texts.ASK_WHAT, reply_markup=_what_keyboard(set(data["signs"])))
            return
        if not data.get("signs"):
            await reply(update, texts.NEED_A_SIGN)
            return
        await context.services.conversations.end(chat.id)
        await advise(update, context, snap, [Sign(s) for s in data["signs"]])
        return
    await _detail_answer(update, context, snap, step, data, _button_detail(step, value, snap))


# --- optional details, after the advice -----------------------------------------------------------


def _wanted(data: Data, snap: Snapshot | None) -> str | None:
    """The next detail worth asking, or None."""
    signs = {Sign(s) for s in data.get("signs", [])}
    local = bool(signs & LOCAL_SIGNS)
    if not local or snap is None or snap.plan is None:
        return None
    if data.get("site") is None and "where" not in data:
        return WHERE
    if not data.get("sev"):
        return SEVERITY
    if not data.get("since"):
        return SINCE
    return None


def _detail_question(step: str, snap: Snapshot) -> tuple[str, InlineKeyboardMarkup]:
    skip = [(SKIP, texts.buttons.SKIP)]
    match step:
        case "where":
            assert snap.plan is not None
            sites = list(snap.plan.sites)
            order = sorted(
                sites, key=lambda x: (0, -snap.last_used[x].timestamp()) if x in snap.last_used else (1, 0.0)
            )
            options = [(str(sites.index(x)), x) for x in order] + [
                (NO_SITE, texts.buttons.NOT_AT_A_SITE),
                *skip,
            ]
            return texts.ASK_WHERE, kb.choices(WHERE, options, 1, kb.REPORT)
        case "sev":
            return texts.ASK_SEVERITY, kb.choices(SEVERITY, [*SEVERITY_CHOICES, *skip], 4, kb.REPORT)
    return texts.ASK_SINCE, kb.choices(SINCE, [*SINCE_CHOICES, *skip], 2, kb.REPORT)


async def _next_detail(
    update: Update, context: BotContext, snap: Snapshot | None, data: Data, first: bool = False
) -> None:
    chat = update.effective_chat
    assert chat is not None
    conversations = context.services.conversations
    step = _wanted(data, snap)
    if step is None or snap is None:
        await conversations.end(chat.id)
        if not first:
            await reply(update, texts.DETAILS_DONE)
        return
    await conversations.save(chat.id, FLOW, step, data)
    text, keyboard = _detail_question(step, snap)
    await reply(update, (texts.ASK_DETAILS + "\n" + text) if first else text, keyboard)


Detail = dict[str, Any]  # what an answer adds: site, severity, hours, words, signs; {} = skip


def _button_detail(step: str, value: str, snap: Snapshot | None) -> Detail | None:
    if value == SKIP:
        return None
    match step:
        case "where" if snap is not None and snap.plan is not None:
            index = int(value) if value.isdecimal() else -1
            sites = snap.plan.sites
            return {"site": sites[index]} if 0 <= index < len(sites) else {}
        case "sev" if value in {"mild", "moderate", "severe"}:
            return {"severity": Severity[value.upper()]}
        case "since" if value in {v for v, _ in SINCE_CHOICES}:
            return {"hours": float(value)}
    return {}


def _typed_detail(step: str, text: str, snap: Snapshot) -> Detail:
    reading = read(text)
    detail: Detail = {"words": text[:MAX_WORDS], "signs": reading.signs}
    if step == WHERE and snap.plan is not None and len(found := match_sites(text, snap.plan.sites)) == 1:
        detail["site"] = found[0]
    if reading.severity is not None:
        detail["severity"] = reading.severity
    if reading.hours_since is not None:
        detail["hours"] = reading.hours_since
    elif step == SINCE and text.strip().lower() in {"today", "this morning", "tonight"}:
        detail["hours"] = 0.0
    return detail


async def on_detail_text(
    update: Update, context: BotContext, step: str, data: Data, text: str | None = None
) -> None:
    """A typed answer to a details question (anything else in it is added to the report too);
    `text`: words that came another way (a photo's caption)."""
    message, chat = update.effective_message, update.effective_chat
    text = text if text is not None else message.text if message is not None else None
    assert text is not None and chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if step == WHAT or snap is None:
        await context.services.conversations.end(chat.id)
        await reply(update, texts.USE_BUTTONS if step == WHAT else texts.NOT_UNDERSTOOD)
        return
    if text.strip().lower().rstrip(".!") in STOP_WORDS:  # "skip" typed: stop, as the button
        await _detail_answer(update, context, snap, step, data, None)
        return
    await _detail_answer(update, context, snap, step, data, _typed_detail(step, text.strip(), snap))


async def _detail_answer(
    update: Update, context: BotContext, snap: Snapshot | None, step: str, data: Data, detail: Detail | None
) -> None:
    """Store one detail; a raised level gets its advice at once; then the next question."""
    chat = update.effective_chat
    assert chat is not None
    if detail is None or snap is None:  # Skip: no more questions
        await context.services.conversations.end(chat.id)
        await reply(update, texts.DETAILS_STOPPED)
        return
    data[{"where": "where", "sev": "sev", "since": "since"}[step]] = True
    if "site" in detail:
        data["site"] = detail["site"]
    recorded = await context.services.safety.add_details(
        snap.patient_id,
        int(data["report"]),
        site=detail.get("site"),
        severity=detail.get("severity"),
        hours=detail.get("hours"),
        words=detail.get("words"),
        signs=detail.get("signs", ()),
    )
    if recorded is None:  # closed meanwhile
        await context.services.conversations.end(chat.id)
        await reply(update, texts.REPORT_CLOSED_ALREADY)
        return
    if recorded.raised:
        signs = [Sign(s) for s in in_button_order([*data["signs"], *map(str, detail.get("signs", ()))])]
        data["signs"] = [s.value for s in signs]
        if recorded.result.level is Level.EMERGENCY:
            await reply(update, instruction(snap.plan, signs))
        await _advice(update, snap.plan, recorded, signs, data.get("site"))
        if recorded.result.level is Level.EMERGENCY:
            await context.services.conversations.end(chat.id)
            return
    await _next_detail(update, context, snap, data)
