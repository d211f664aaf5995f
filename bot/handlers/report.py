"""Side-effect reports: /report, the "Report a problem" button, free text, emergencies,
follow-up answers and clinician nudges (diagram: report.mmd).

Emergency signs get the emergency instruction as the very first reply, wherever the patient is.
The report conversation lives in a `draft` row (flow "report") like setup does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.parsing import match_sites
from bot.domain.triage import BUTTON_SIGNS, LOCAL_SIGNS, RED_FLAGS, Level, Severity, Sign, read
from bot.handlers.common import patient_with_plan, reply
from bot.safety import Answer, Recorded
from storage.repository import Snapshot

FLOW = "report"

# --- states ---------------------------------------------------------------------------------------
CONFIRM = "confirm"  # free text that looks like a report: save it?
WHAT = "what"
WHERE = "where"
SEVERITY = "sev"
SINCE = "since"
WORDS = "words"

NO_SITE = "none"
SINCE_CHOICES = (("0", "Today"), ("24", "Since yesterday"), ("48", "2–3 days"), ("96", "Longer"))
SEVERITY_CHOICES = (("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"))
MAX_WORDS = 1000
Data = dict[str, Any]


_ORDER = {sign.value: i for i, sign in enumerate((*BUTTON_SIGNS, Sign.WARMTH, Sign.PUS, Sign.UNSURE))}


def in_button_order(signs: Iterable[str]) -> list[str]:
    """Signs as the patient sees them in the list (redness before itching), not alphabetical."""
    return sorted({str(s) for s in signs}, key=lambda s: _ORDER.get(s, len(_ORDER)))


def _signs(data: Data) -> frozenset[Sign]:
    return frozenset(Sign(s) for s in data.get("signs", []))


def next_step(data: Data, snap: Snapshot) -> str | None:
    """The first question still unanswered, or None when the report is complete."""
    signs = _signs(data)
    if not signs:
        return WHAT
    if signs & RED_FLAGS:
        return None  # an emergency is saved at once: no more questions
    if "site" not in data:
        if signs & LOCAL_SIGNS and snap.plan is not None:
            return WHERE
        data["site"] = None
    if "severity" not in data:
        return SEVERITY
    if "hours" not in data:
        return SINCE
    if "words" not in data:
        return WORDS
    return None


def ask(step: str, data: Data, snap: Snapshot) -> tuple[str, InlineKeyboardMarkup | None]:
    match step:
        case "what":
            options = [(s.value, texts.SIGN_BUTTONS[s.value]) for s in BUTTON_SIGNS]
            return texts.ASK_WHAT, kb.toggles(WHAT, options, set(data.get("signs", [])), 2, kb.REPORT)
        case "where":
            assert snap.plan is not None
            sites = list(snap.plan.sites)
            # the last site used first (the usual place for a reaction), then by recency
            order = sorted(
                sites,
                key=lambda x: (0, -snap.last_used[x].timestamp()) if x in snap.last_used else (1, 0.0),
            )
            options = [(str(sites.index(x)), x) for x in order] + [(NO_SITE, "Not where I injected")]
            return texts.ASK_WHERE, kb.choices(WHERE, options, 1, kb.REPORT)
        case "sev":
            return texts.ASK_SEVERITY, kb.choices(SEVERITY, SEVERITY_CHOICES, 3, kb.REPORT)
        case "since":
            return texts.ASK_SINCE, kb.choices(SINCE, SINCE_CHOICES, 2, kb.REPORT)
        case "words":
            return texts.ASK_WORDS, kb.choices(WORDS, [("skip", "Skip")], 1, kb.REPORT)
    raise KeyError(step)


# --- emergency ------------------------------------------------------------------------------------


async def emergency(update: Update, context: BotContext, words: str) -> None:
    """Signs of a severe allergic reaction: the instruction first, then record it."""
    await reply(update, texts.EMERGENCY)
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    patient_id = await services.repo.ensure_patient(chat.id, services.clock())
    snap = await services.repo.snapshot(chat.id)
    reading = read(words)
    site_matches = match_sites(words, snap.plan.sites) if snap and snap.plan else []
    recorded = await services.safety.record(
        patient_id, reading.signs, site=site_matches[0] if len(site_matches) == 1 else None,
        severity=reading.severity, since_at=None, words=words[:MAX_WORDS],
    )  # fmt: skip
    await _after_emergency(update, snap, recorded)


async def _after_emergency(update: Update, snap: Snapshot | None, recorded: Recorded) -> None:
    plan = snap.plan if snap else None
    keyboard = kb.nudge_buttons(recorded.nudge_id) if recorded.nudge_id and plan else None
    await reply(update, texts.emergency_recorded(plan), keyboard)


# --- the conversation -----------------------------------------------------------------------------


async def begin(update: Update, context: BotContext, prefill: Data | None = None) -> None:
    """Start a report (from /report, the button, or confirmed free text)."""
    snap = await patient_with_plan(update, context)
    if snap is not None:
        await _continue(update, context, snap, dict(prefill or {}))


async def _continue(update: Update, context: BotContext, snap: Snapshot, data: Data) -> None:
    """Ask the next question, or save the report when nothing is left to ask."""
    chat = update.effective_chat
    assert chat is not None
    repo = context.services.repo
    step = next_step(data, snap)
    if step is None:
        await repo.delete_draft(chat.id)
        await _save(update, context, snap, data)
        return
    await repo.save_draft(chat.id, FLOW, step, data, context.services.clock())
    text, keyboard = ask(step, data, snap)
    await reply(update, text, keyboard)


async def _save(update: Update, context: BotContext, snap: Snapshot, data: Data) -> None:
    services = context.services
    signs = _signs(data)
    if signs & RED_FLAGS:
        await reply(update, texts.EMERGENCY)
    hours = data.get("hours")
    severity = Severity[data["severity"].upper()] if data.get("severity") else None
    recorded = await services.safety.record(
        snap.patient_id, [Sign(x) for x in in_button_order(signs)], site=data.get("site"), severity=severity,
        since_at=services.clock() - timedelta(hours=hours) if hours is not None else None,
        words=data.get("words") or None,
    )  # fmt: skip
    await reply_to_triage(update, snap, recorded, in_button_order(signs), data.get("site"))


async def reply_to_triage(
    update: Update, snap: Snapshot, recorded: Recorded, signs: list[str], site: str | None
) -> None:
    """Word the reply by triage level (the emergency instruction was already sent)."""
    assert snap.plan is not None
    level = recorded.result.level
    if level is Level.EMERGENCY:
        await _after_emergency(update, snap, recorded)
    elif level is Level.CLINICIAN and recorded.nudge_id is not None:
        text = texts.nudge(snap.plan, "report", tuple(signs), recorded.result.reasons)
        await reply(update, text, kb.nudge_buttons(recorded.nudge_id))
    else:
        await reply(update, texts.watch_advice(tuple(signs), site))


async def _at_step(update: Update, context: BotContext, step: str) -> tuple[Data, Snapshot] | None:
    """The report draft's answers and the patient, when the report is at `step`; otherwise the
    pressed button is out of date (answered so) and None is returned."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    repo = context.services.repo
    draft = await repo.draft(chat.id)
    snap = await repo.snapshot(chat.id)
    if draft is None or draft.flow != FLOW or draft.step != step or snap is None or snap.plan is None:
        await query.answer(texts.STALE_BUTTON)
        return None
    await query.answer()
    return dict(draft.data), snap


async def on_report_button(update: Update, context: BotContext, step: str, value: str) -> None:
    """A button of the report conversation; only the current step's buttons count."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    repo = context.services.repo
    current = await _at_step(update, context, step)
    if current is None:
        return
    data, snap = current
    assert snap.plan is not None  # checked by _at_step
    match step:
        case "what" if value == "done":
            if not data.get("signs"):
                await reply(update, texts.NEED_A_SIGN)
                return
        case "what":
            if value not in {s.value for s in BUTTON_SIGNS}:
                return
            data["signs"] = in_button_order(set(data.get("signs", [])) ^ {value})
            await repo.save_draft(chat.id, FLOW, WHAT, data, context.services.clock())
            text, keyboard = ask(WHAT, data, snap)
            await query.edit_message_text(text, reply_markup=keyboard)
            return
        case "where":
            index = int(value) if value.isdigit() else -1
            data["site"] = snap.plan.sites[index] if 0 <= index < len(snap.plan.sites) else None
        case "sev":
            data["severity"] = value if value in {"mild", "moderate", "severe"} else None
        case "since":
            data["hours"] = int(value) if value in {v for v, _ in SINCE_CHOICES} else None
        case "words":
            data["words"] = ""
    await _continue(update, context, snap, data)


async def on_report_text(update: Update, context: BotContext, step: str, data: Data) -> None:
    """Typed answers in the report conversation."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and message.text is not None and chat is not None
    snap = await context.services.repo.snapshot(chat.id)
    if snap is None or snap.plan is None:
        await context.services.repo.delete_draft(chat.id)
        await reply(update, texts.NEED_SETUP)
        return
    text = message.text.strip()[:MAX_WORDS]
    reading = read(text)
    match step:
        case "what":
            signs = set(data.get("signs", [])) | {s.value for s in reading.signs} or {Sign.OTHER.value}
            data["signs"] = in_button_order(signs)
            data.setdefault("words", text)
        case "where":
            found = match_sites(text, snap.plan.sites)
            if len(found) != 1:
                await reply(update, texts.USE_BUTTONS, ask(WHERE, data, snap)[1])
                return
            data["site"] = found[0]
        case "sev":
            if reading.severity is None and text.lower() not in {"mild", "moderate", "severe"}:
                await reply(update, texts.USE_BUTTONS, ask(SEVERITY, data, snap)[1])
                return
            data["severity"] = reading.severity.name.lower() if reading.severity else text.lower()
        case "since":
            data["hours"] = reading.hours_since if reading.hours_since is not None else 0
        case "words" | "confirm":
            data["words"] = text
    await _continue(update, context, snap, data)


# --- free text that describes a problem -----------------------------------------------------------


async def offer_free_text_report(update: Update, context: BotContext, snap: Snapshot, text: str) -> bool:
    """If the text describes a side effect, offer to save it (never silently dropped)."""
    assert snap.plan is not None
    reading = read(text)
    if not reading.is_report:
        return False
    found = match_sites(text, snap.plan.sites)
    data: Data = {"signs": in_button_order(reading.signs), "words": text[:MAX_WORDS]}
    if len(found) == 1:
        data["site"] = found[0]
    if reading.severity is not None:
        data["severity"] = reading.severity.name.lower()
    if reading.hours_since is not None:
        data["hours"] = reading.hours_since
    chat = update.effective_chat
    assert chat is not None
    await context.services.repo.save_draft(chat.id, FLOW, CONFIRM, data, context.services.clock())
    keyboard = kb.choices("ok", [("yes", "Yes, save it"), ("no", "No")], 2, kb.FREE_TEXT)
    await reply(update, texts.confirm_free_text_report(tuple(data["signs"]), data.get("site")), keyboard)
    return True


async def on_free_text_button(update: Update, context: BotContext, value: str) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    current = await _at_step(update, context, CONFIRM)
    if current is None:
        return
    data, snap = current
    if value != "yes":
        await context.services.repo.delete_draft(chat.id)
        await query.edit_message_text(texts.NOT_RECORDED)
        return
    await _continue(update, context, snap, data)


# --- follow-ups and nudges -------------------------------------------------------------------------


async def on_follow_up_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = context.services
    snap = await services.repo.snapshot(chat.id)
    report_id = callback.int_part(0)
    try:
        answer = Answer(callback.part(1))
    except ValueError:
        answer = None
    if snap is None or snap.plan is None or report_id is None or answer is None:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    report = await services.repo.report(report_id)
    outcome = await services.safety.follow_up(snap.patient_id, report_id, answer)
    if not outcome.ok or report is None:
        await reply(update, texts.REPORT_CLOSED_ALREADY)
    elif outcome.closed:
        await reply(update, texts.follow_up_better(report.site))
    elif outcome.asked_again:
        await reply(update, texts.FOLLOW_UP_SAME)
    elif outcome.nudge_id is not None:
        why = ("It's getting worse.",) if answer is Answer.WORSE else ("It's still there after 2 days.",)
        text = texts.nudge(snap.plan, "follow_up", report.signs, why)
        await reply(update, text, kb.nudge_buttons(outcome.nudge_id))


async def on_nudge_button(update: Update, context: BotContext, callback: kb.Callback) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    services = context.services
    snap = await services.repo.snapshot(chat.id)
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
    if at is None:
        await reply(update, texts.NUDGE_ALREADY_DONE)
        return
    assert snap.plan is not None
    await reply(update, texts.LATER.format(at=texts.when(at, ZoneInfo(snap.plan.timezone), services.clock())))


async def list_reports(update: Update, context: BotContext) -> None:
    """/reports: open and closed reports, newest first."""
    services = context.services
    snap = await patient_with_plan(update, context)
    if snap is None or snap.plan is None:
        return
    tz, now = ZoneInfo(snap.plan.timezone), services.clock()
    rows = []
    for report in await services.repo.reports(snap.patient_id):
        what = texts.signs_text(report.signs) + (f" at {report.site}" if report.site else "")
        state = "open" if report.status == "open" else f"closed ({report.outcome or 'done'})"
        rows.append((texts.when(report.created_at, tz, now), what, texts.LEVEL_WORDS[report.level], state))
    await reply(update, texts.reports_list(rows))
