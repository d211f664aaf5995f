"""Privacy and access: /delete (after a confirmation), /export, and ALLOWED_USER_IDS."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InputFile, Update
from telegram.ext import ApplicationHandlerStop

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain.labs import ANALYTES, show
from bot.domain.symptoms import LEVELS, SYMPTOMS
from bot.handlers.common import patient_with_plan, reply, tell

log = logging.getLogger(__name__)
REFUSED_KEY = "refused_users"  # users told once that this deployment is private


async def gate(update: Update, context: BotContext) -> None:
    """Runs before every handler when ALLOWED_USER_IDS is set: others get one polite refusal.
    Fails closed: whatever goes wrong here (the stranger blocked the bot, Telegram is down), the
    update goes no further."""
    allowed = context.services.settings.allowed_user_ids
    user = update.effective_user
    if not allowed or (user is not None and user.id in allowed):
        return
    try:
        refused: set[int] = context.bot_data.setdefault(REFUSED_KEY, set())
        if user is not None and user.id not in refused and update.effective_chat is not None:
            refused.add(user.id)
            await context.bot.send_message(update.effective_chat.id, texts.NOT_ALLOWED)
        if update.callback_query is not None:
            await update.callback_query.answer()
    except Exception as exc:
        log.warning("refusal not delivered update_id=%s error=%s", update.update_id, type(exc).__name__)
    raise ApplicationHandlerStop


async def ask_delete(update: Update, context: BotContext) -> None:
    """/delete: confirm first; nothing is erased by the command alone."""
    keyboard = kb.menu([("erase", texts.buttons.ERASE_EVERYTHING), ("keep_data", texts.buttons.KEEP_MY_DATA)])
    await reply(update, texts.CONFIRM_DELETE, keyboard)


async def on_delete_button(update: Update, context: BotContext, erase: bool) -> None:
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    await query.answer()
    if not erase:
        await query.edit_message_text(texts.KEPT)
        return
    services = context.services
    snap = await services.patients.snapshot(chat.id)
    circle = await services.care.before_erase(chat.id, snap.patient_id if snap else None)
    erased = await services.patients.erase(chat.id)
    await query.edit_message_text(texts.DELETED if erased else texts.NOTHING_TO_DELETE)
    for link in circle:  # the other side of each link knows it has ended
        if link.patient_chat_id == chat.id:
            await tell(context, link.caregiver_chat_id, texts.removed_you(link.display_name))
        else:
            await tell(context, link.patient_chat_id, texts.caregiver_left(link.caregiver_name))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def export(update: Update, context: BotContext) -> None:
    """/export: the patient's own data as JSON (everything), as CSV (doses, reports, check-ins,
    lab values), and a one-page PDF summary for their clinician."""
    chat = update.effective_chat
    assert chat is not None
    services = context.services
    if (await services.patients.snapshot(chat.id)) is None and await services.care.looked_after(chat.id):
        tables = await services.patients.export(None, chat.id)  # a caregiver who is not a patient
        await context.bot.send_document(
            chat.id,
            InputFile(_as_json(tables), filename="b12bot-export.json"),
            caption=texts.EXPORT_CAPTION.format(what=texts.EXPORT_ALL),
        )
        return
    snap = await patient_with_plan(update, context)
    if snap is None:
        return
    tables = await services.patients.export(snap, chat.id)
    as_json = _as_json(tables)
    pdf = await context.services.pictures.summary(snap)
    files = (
        (as_json, "b12bot-export.json", texts.EXPORT_ALL),
        (
            records_csv(tables, ZoneInfo(snap.plan.timezone) if snap.plan else ZoneInfo("UTC")),
            "b12bot-records.csv",
            texts.EXPORT_TABLE,
        ),
        (pdf, "b12bot-summary.pdf", texts.EXPORT_SUMMARY),
    )
    for data, name, what in files:
        caption = texts.EXPORT_CAPTION.format(what=what)
        await context.bot.send_document(chat.id, InputFile(data, filename=name), caption=caption)


def _as_json(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    clean = {name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in tables.items()}
    return json.dumps(clean, indent=2, ensure_ascii=False).encode()


def records_csv(tables: dict[str, list[dict[str, Any]]], tz: ZoneInfo) -> bytes:
    """Doses, reports, check-ins and lab values, one row each, at the patient's local time with its
    offset (a 20:35 New York dose is on its own day), lab values as /labs shows them."""

    def local(at: datetime | None) -> str:
        return at.astimezone(tz).isoformat(timespec="minutes") if at else ""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["type", "time", "status_or_level", "site", "details"])
    for dose in tables["doses"]:
        if dose["status"] == "cancelled":  # a plan changed before it was due: nothing happened
            continue
        when = local(dose["given_at"] or dose["due_at"])
        writer.writerow(["dose", when, dose["status"], dose["site"] or "", dose["skip_reason"] or ""])
    for report in tables["reports"]:
        details = "; ".join([", ".join(report["signs"]), report["words"] or ""]).strip("; ")
        writer.writerow(
            ["report", local(report["created_at"]), report["level"], report["site"] or "", details]
        )
    for checkin in tables["symptom_checkins"]:
        levels = checkin["levels"]
        words = "; ".join(f"{label}: {LEVELS[int(levels.get(key, 0))]}" for key, label in SYMPTOMS)
        details = words + (f"; note: {checkin['note']}" if checkin["note"] else "")
        writer.writerow(["symptom_checkin", local(checkin["created_at"]), "", "", details])
    for lab in tables["lab_results"]:
        for key, analyte in ANALYTES.items():
            if lab[key] is not None:
                writer.writerow(["lab", lab["taken_on"].isoformat(), show(key, lab[key]), "", analyte.label])
    return out.getvalue().encode()
