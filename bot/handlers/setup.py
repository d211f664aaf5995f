"""Setup conversation: record the clinician's written plan, step by step (diagram: setup.mmd).

The conversation's state is a `draft` row (step + answers so far), not memory, so it survives a
restart and works with several instances. Nothing becomes a plan until the patient confirms the
summary; /cancel deletes the draft.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update

from bot import keyboards as kb
from bot import texts
from bot.context import BotContext
from bot.domain import plan as domain
from bot.domain.parsing import (
    parse_count,
    parse_date,
    parse_time_of_day,
    parse_timezone,
    parse_weekdays,
)
from bot.domain.rotation import site_choices
from bot.domain.schedule import Progress, preview
from bot.handlers.common import ask_baseline, reply

FLOW = "setup"

# --- states ---------------------------------------------------------------------------------------
PRODUCT = "product"
PRODUCT_NAME = "pname"
STRENGTH = "strength"
DOSE = "dose"
ROUTE = "route"
SCHEDULE = "sched"
PRESET_CONFIRM = "preset"
PRESET_DAYS = "pdays"  # the source says "3 times a week": which days?
CADENCE = "cad"
EVERY = "every"
WEEKDAYS = "wd"
LENGTH = "len"
COUNT = "count"
MORE = "more"
TIME = "time"
TIMEZONE = "tz"
SITES = "sites"
CLINICIAN_NAME = "cname"
CLINICIAN_CONTACT = "ccontact"
START = "start"
START_DATE = "sdate"
CONFIRM = "confirm"
SAVE = "save"  # not a state: the confirm step returns it to save the plan

# Steps that take words as written (a name, a contact): only an emergency interrupts them.
FREE_TEXT_STEPS = frozenset({"pname", "strength", "dose", "sites", "cname", "ccontact"})
NAME_STEPS = frozenset({"pname", "sites", "cname", "ccontact"})  # names and contacts, as written
MAX_TEXT = 100
# A date without a year that went by this recently is a past date typed by mistake, not next year's.
PAST_DATE_DAYS = 180
MAX_PHASES = 6

CADENCE_CHOICES = (
    ("days:1", "Every day"), ("days:2", "Every other day"), ("days:n", "Every … days"),
    ("weekdays", "Set weekdays"), ("weeks:1", "Every week"), ("weeks:n", "Every … weeks"),
    ("months:1", "Every month"), ("months:n", "Every … months"),
)  # fmt: skip


@dataclass(frozen=True)
class Invalid:
    """Re-ask the same question with this explanation."""

    message: str


Answer = str | Invalid  # the next step, or why the answer was not taken
Data = dict[str, Any]


# --- pure helpers ---------------------------------------------------------------------------------


TEXT_EXAMPLES = {
    "product_name": "Cytamen", "strength": "1000 mcg/mL", "dose": "1 mL (1000 mcg)",
    "clinician_name": "Dr Rivera, Park Lane Surgery",
    "clinician_contact": "020 7946 0000 or nurse@clinic.example",
}  # fmt: skip


def _text_field(key: str, next_step: str, needs_digit: str | None = None) -> Callable[..., Answer]:
    def take(data: Data, text: str, now: datetime) -> Answer:
        value = " ".join(text.split())
        if len(value) > MAX_TEXT:  # it was read: too long is not "couldn't read"
            return Invalid(texts.TOO_LONG.format(limit=MAX_TEXT, example=TEXT_EXAMPLES[key]))
        if not value:
            return Invalid(texts.BAD_TEXT.format(limit=MAX_TEXT))
        if needs_digit and not re.search(r"\d", value):
            return Invalid(needs_digit)
        data[key] = value
        return next_step

    return take


def _phases(data: Data) -> tuple[domain.Phase, ...]:
    return domain.phases_from_json(data.get("phases", []))


def _add_phase(data: Data, length: domain.Length) -> str:
    cur = data.pop("cur")
    cadence = domain.Cadence(
        domain.CadenceKind(cur["kind"]), int(cur.get("every", 1)), tuple(cur.get("weekdays", ()))
    )
    phases = [*_phases(data), domain.Phase(cadence, length)]
    data["phases"] = domain.phases_to_json(tuple(phases))
    if length.kind is domain.LengthKind.OPEN or len(phases) >= MAX_PHASES:
        return TIME
    return MORE


def build_plan(data: Data) -> domain.Plan:
    hour, minute = (int(x) for x in data["time"].split(":"))
    return domain.Plan(
        product=domain.Product(data["product"]),
        product_name=data.get("product_name", ""),
        strength=data["strength"],
        dose=data["dose"],
        route=domain.Route(data["route"]),
        phases=_phases(data),
        time_of_day=time(hour, minute),
        timezone=data["tz"],
        sites=tuple(data["sites"]),
        clinician_name=data["clinician_name"],
        clinician_contact=data["clinician_contact"],
        start_date=date.fromisoformat(data["start_date"]),
    )


def _local_today(data: Data, now: datetime) -> date:
    return now.astimezone(ZoneInfo(data["tz"])).date()


def _slot_today_ahead(data: Data, now: datetime) -> bool:
    tz = ZoneInfo(data["tz"])
    hour, minute = (int(x) for x in data["time"].split(":"))
    slot = datetime.combine(_local_today(data, now), time(hour, minute)).replace(tzinfo=tz)
    return slot > now


# --- steps: each has a question, and readers for a typed answer and a button ------------------


def ask(step: str, data: Data, now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    """The question for `step`, with its buttons."""
    match step:
        case "product":
            options = [(p.value, p.value.capitalize()) for p in domain.Product]
            return texts.ASK_PRODUCT, kb.choices(step, options, 2)
        case "pname":
            return texts.ASK_PRODUCT_NAME, None
        case "strength":
            return texts.ASK_STRENGTH, kb.choices(step, [("1000", "1000 mcg/mL")])
        case "dose":  # typed as written: a dose is never one tap
            return texts.ASK_DOSE, None
        case "route":
            return texts.ASK_ROUTE, kb.choices(
                step, [("sc", "Under the skin (subcutaneous)"), ("im", "Into the muscle (IM)")]
            )
        case "sched":
            options = [(key, preset.label) for key, preset in domain.PRESETS.items()]
            return texts.ASK_SCHEDULE, kb.choices(step, [*options, ("custom", "Build my own")])
        case "pdays":
            preset = domain.PRESETS[data["preset"]]
            selected = {str(d) for d in data.get("days", [])}
            options = [(str(i), name) for i, name in enumerate(domain.WEEKDAY_NAMES)]
            question = texts.ASK_PRESET_DAYS.format(count=preset.choose_days, source=preset.source)
            return question, kb.toggles(step, options, selected, 4)
        case "preset":
            lines = domain.describe_phases(_phases(data))
            source = domain.PRESETS[data["preset"]].source if data.get("preset") else None
            return texts.schedule_preview(lines, source), kb.choices(
                step, [("yes", "Yes, that's my plan"), ("no", "No, build my own")]
            )
        case "cad":
            n = len(data.get("phases", [])) + 1
            return texts.ASK_CADENCE.format(n=n), kb.choices(step, CADENCE_CHOICES, 2)
        case "every":
            unit = data["cur"]["kind"]
            return texts.ASK_EVERY.format(unit=unit), None
        case "wd":
            selected = {str(d) for d in data["cur"].get("weekdays", [])}
            options = [(str(i), name) for i, name in enumerate(domain.WEEKDAY_NAMES)]
            return texts.ASK_WEEKDAYS, kb.toggles(step, options, selected, 4)
        case "len":
            cur = data["cur"]
            cadence = domain.Cadence(
                domain.CadenceKind(cur["kind"]), int(cur.get("every", 1)),
                tuple(cur.get("weekdays", ())),
            )  # fmt: skip
            n = len(data.get("phases", [])) + 1
            return texts.ASK_LENGTH.format(n=n, cadence=cadence.describe()), kb.choices(
                step,
                [
                    ("injections", "A number of injections"),
                    ("weeks", "A number of weeks"),
                    ("open", "Until my clinician says to change"),
                ],
            )
        case "count":
            question = texts.ASK_COUNT_WEEKS if data["len_kind"] == "weeks" else texts.ASK_COUNT_INJECTIONS
            return question, None
        case "more":
            phases = "\n".join(domain.describe_phases(_phases(data)))
            return texts.ASK_MORE_PHASES.format(phases=phases), kb.choices(
                step, [("yes", "Add the next phase"), ("no", "No, that's all")]
            )
        case "time":
            options = [(t, t) for t in ("08:00", "12:00", "18:00", "20:00")]
            return texts.ASK_TIME, kb.choices(step, options, 4)
        case "tz":
            return texts.ASK_TIMEZONE, kb.choices(step, [(z, z) for z in kb.COMMON_ZONES], 2)
        case "sites":
            choices = _site_choices(data)
            chosen = set(data.get("sites", []))
            options = [(str(i), s) for i, s in enumerate(choices)]
            selected = {str(i) for i, s in enumerate(choices) if s in chosen}
            extra = [s for s in data.get("sites", []) if s not in choices]
            question = texts.ASK_IM_SITES if _intramuscular(data) else texts.ASK_SITES
            question += f"\nYour own: {', '.join(extra)}" if extra else ""
            return question, kb.toggles(step, options, selected, 2)
        case "cname":
            return texts.ASK_CLINICIAN_NAME, None
        case "ccontact":
            return texts.ASK_CLINICIAN_CONTACT, None
        case "start":
            days = _first_weekdays(data)
            if days:  # "Mon, Wed, Fri": only those days are offered
                today = _local_today(data, now)
                names_of = {today: "Today", today + timedelta(days=1): "Tomorrow"}
                options = [
                    (d.isoformat(), f"{names_of.get(d) or texts.day_short(d)} {data['time']}")
                    for d in _allowed_days(data, now, 2)
                ]
                names = ", ".join(domain.WEEKDAY_NAMES[d] for d in days)
                question = texts.ASK_START_ON_DAYS.format(days=names)
                return question, kb.choices(step, [*options, ("date", "Another date…")])
            options = []
            if _slot_today_ahead(data, now):
                options.append(("today", f"Today {data['time']}"))
            options += [("tomorrow", f"Tomorrow {data['time']}"), ("date", "Another date…")]
            return texts.ASK_START, kb.choices(step, options)
        case "sdate":
            return texts.ASK_START_DATE, None
        case "confirm":
            plan = build_plan(data)
            upcoming = [d.due_at for d in preview(plan, Progress(), now)]
            return texts.confirm_plan(plan, upcoming, now), kb.choices(
                step,
                [("yes", "✅ Yes, it matches"), ("restart", "Start again"), ("cancel", "Cancel")],
            )
    raise KeyError(step)


def on_text(step: str, data: Data, text: str, now: datetime) -> Answer:
    """Read a typed answer for `step`."""
    readers: dict[str, Callable[[Data, str, datetime], Answer]] = {
        PRODUCT: _product_text,
        PRODUCT_NAME: _text_field("product_name", STRENGTH),
        STRENGTH: _text_field("strength", DOSE, texts.BAD_STRENGTH),
        DOSE: _text_field("dose", ROUTE, texts.BAD_DOSE),
        ROUTE: _route_text,
        EVERY: _every_text,
        WEEKDAYS: _weekdays_text,
        COUNT: _count_text,
        TIME: _time_text,
        TIMEZONE: _zone_text,
        SITES: _sites_text,
        CLINICIAN_NAME: _text_field("clinician_name", CLINICIAN_CONTACT),
        CLINICIAN_CONTACT: _text_field("clinician_contact", START),
        START: _start_date_text,
        START_DATE: _start_date_text,
    }
    reader = readers.get(step)
    return reader(data, text, now) if reader else Invalid(texts.USE_BUTTONS)


def accepts(step: str, data: Data, text: str, now: datetime) -> bool:
    """Would `text` answer the question at `step`? ("under the skin" at the route question is an
    answer, not a report.)"""
    return not isinstance(on_text(step, copy.deepcopy(data), text, now), Invalid)


def on_button(step: str, data: Data, value: str, now: datetime) -> Answer:
    """Read a button press for `step` (the value comes from our own keyboard, but is checked)."""
    match step:
        case "product":
            return _product_text(data, value, now)
        case "strength":
            return _text_field("strength", DOSE)(data, "1000 mcg/mL", now)
        case "route":
            return _route_text(data, value, now)
        case "sched":
            if value == "custom":
                data["phases"] = []
                return CADENCE
            if value not in domain.PRESETS:
                return Invalid(texts.USE_BUTTONS)
            preset = domain.PRESETS[value]
            data["preset"] = value
            data["phases"] = domain.phases_to_json(preset.phases)
            if preset.choose_days:
                data["days"] = []
                return PRESET_DAYS
            return PRESET_CONFIRM
        case "pdays":
            return _preset_day_button(data, value)
        case "preset":
            if value == "no":
                data["phases"] = []
                data.pop("preset", None)
                return CADENCE
            return TIME if value == "yes" else Invalid(texts.USE_BUTTONS)
        case "cad":
            return _cadence_button(data, value)
        case "wd":
            return _weekday_button(data, value)
        case "len":
            if value == "open":
                return _add_phase(data, domain.OPEN)
            if value not in {"injections", "weeks"}:
                return Invalid(texts.USE_BUTTONS)
            data["len_kind"] = value
            return COUNT
        case "more":
            return CADENCE if value == "yes" else TIME
        case "time":
            return _time_text(data, value, now)
        case "tz":
            return _zone_text(data, value, now)
        case "sites":
            return _site_button(data, value)
        case "start":
            if value == "date":
                return START_DATE
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return _start_date_text(data, value, now)
            if value == "today" and not _slot_today_ahead(data, now):
                return Invalid(texts.BAD_DATE)
            return _start_date_text(data, value, now)
        case "confirm":
            if value in {"yes", "restart", "cancel"}:
                return {"yes": SAVE, "restart": PRODUCT, "cancel": "cancel"}[value]
    return Invalid(texts.USE_BUTTONS)


def _product_text(data: Data, text: str, now: datetime) -> Answer:
    cleaned = text.strip().lower()
    named = [p for p in domain.Product if p is not domain.Product.OTHER]
    found = next((p for p in named if len(cleaned) >= 4 and p.value.startswith(cleaned)), None)
    # "it's hydroxocobalamin 1mg/ml ..." names it inside a sentence
    found = found or next((p for p in named if re.search(rf"\b{p.value}\b", cleaned)), None)
    if cleaned == domain.Product.OTHER.value:
        data["product"] = cleaned
        return PRODUCT_NAME
    if found is not None:
        data["product"] = found.value
        return STRENGTH
    if cleaned in {"b12", "vitamin b12", "b 12"}:
        return Invalid(texts.bad_input("Please tap the product named on your plan."))
    # anything else is taken as the name of another product, as written on the label
    data["product"] = domain.Product.OTHER.value
    return _text_field("product_name", STRENGTH)(data, text, now)


def _route_text(data: Data, text: str, now: datetime) -> Answer:
    cleaned = text.strip().lower()
    if cleaned in {"sc", "subcutaneous", "subcut", "under the skin", "sq", "subq", "s/c"}:
        data["route"] = domain.Route.SUBCUTANEOUS.value
    elif cleaned in {"im", "intramuscular", "into the muscle", "muscle", "i/m"}:
        data["route"] = domain.Route.INTRAMUSCULAR.value
    else:
        return Invalid(texts.USE_BUTTONS)
    return SCHEDULE


def _cadence_button(data: Data, value: str) -> Answer:
    kind, _, every = value.partition(":")
    if kind == "weekdays":
        data["cur"] = {"kind": "weekdays", "weekdays": []}
        return WEEKDAYS
    if kind not in {"days", "weeks", "months"} or every not in {"1", "2", "n"}:
        return Invalid(texts.USE_BUTTONS)
    data["cur"] = {"kind": kind, "every": 1 if every == "n" else int(every)}
    return EVERY if every == "n" else LENGTH


def _every_text(data: Data, text: str, now: datetime) -> Answer:
    high = {"days": 60, "weeks": 26, "months": 12}[data["cur"]["kind"]]
    value = parse_count(text, 1, high)
    if value is None:
        return Invalid(texts.BAD_NUMBER.format(low=1, high=high, example=3))
    data["cur"]["every"] = value
    return LENGTH


def _weekday_button(data: Data, value: str) -> Answer:
    selected = set(data["cur"].get("weekdays", []))
    if value == "done":
        return LENGTH if selected else Invalid(texts.BAD_WEEKDAYS)
    if not value.isdecimal() or not 0 <= int(value) <= 6:
        return Invalid(texts.USE_BUTTONS)
    selected ^= {int(value)}
    data["cur"]["weekdays"] = sorted(selected)
    return WEEKDAYS


def _weekdays_text(data: Data, text: str, now: datetime) -> Answer:
    days = parse_weekdays(text)
    if not days:
        return Invalid(texts.BAD_WEEKDAYS)
    data["cur"]["weekdays"] = list(days)
    return LENGTH


def _count_text(data: Data, text: str, now: datetime) -> Answer:
    high = 104 if data["len_kind"] == "weeks" else 200
    value = parse_count(text, 1, high)
    if value is None:
        return Invalid(texts.BAD_NUMBER.format(low=1, high=high, example=7))
    return _add_phase(data, domain.Length(domain.LengthKind(data.pop("len_kind")), value))


def _time_text(data: Data, text: str, now: datetime) -> Answer:
    at = parse_time_of_day(text)
    if at is None:
        return Invalid(texts.BAD_TIME)
    data["time"] = at.strftime("%H:%M")
    return TIMEZONE


def _zone_text(data: Data, text: str, now: datetime) -> Answer:
    zone = parse_timezone(text)
    if zone is None:
        return Invalid(texts.BAD_ZONE)
    data["tz"] = zone
    data.setdefault("sites", list(_site_choices(data)[:4]))
    return SITES


def _intramuscular(data: Data) -> bool:
    return data.get("route") == domain.Route.INTRAMUSCULAR.value


def _site_choices(data: Data) -> tuple[str, ...]:
    return site_choices(_intramuscular(data))


def _preset_day_button(data: Data, value: str) -> Answer:
    """Toggle a weekday for a "N times a week" preset; Done needs exactly N."""
    preset = domain.PRESETS[data["preset"]]
    days = set(data.get("days", []))
    if value == "done":
        if len(days) != preset.choose_days:
            return Invalid(texts.NEED_DAYS.format(count=preset.choose_days))
        phases = [
            domain.Phase(domain.Cadence(domain.CadenceKind.WEEKDAYS, weekdays=tuple(sorted(days))), p.length)
            if p.cadence.kind is domain.CadenceKind.WEEKDAYS
            else p
            for p in preset.phases
        ]
        data["phases"] = domain.phases_to_json(tuple(phases))
        return PRESET_CONFIRM
    if not value.isdecimal() or not 0 <= int(value) <= 6:
        return Invalid(texts.USE_BUTTONS)
    data["days"] = sorted(days ^ {int(value)})
    return PRESET_DAYS


def _site_button(data: Data, value: str) -> Answer:
    sites: list[str] = list(data.get("sites", []))
    choices = _site_choices(data)
    if value == "done":
        return CLINICIAN_NAME if sites else Invalid(texts.NEED_A_SITE)
    if not value.isdecimal() or int(value) >= len(choices):
        return Invalid(texts.USE_BUTTONS)
    site = choices[int(value)]
    data["sites"] = [s for s in sites if s != site] if site in sites else [*sites, site]
    return SITES


def _sites_text(data: Data, text: str, now: datetime) -> Answer:
    names = [" ".join(p.split()) for p in re.split(r"[,;\n]", text)]
    names = [n[:1].upper() + n[1:] for n in names if n]
    if not names or any(len(n) > 40 for n in names) or len(names) > 12:
        return Invalid(texts.bad_input("Type site names separated by commas, e.g. Hip left, Hip right."))
    sites = list(data.get("sites", []))
    data["sites"] = sites + [n for n in names if n.lower() not in {s.lower() for s in sites}]
    return SITES


def _first_weekdays(data: Data) -> tuple[int, ...]:
    """The weekdays of the first phase, when it is on fixed weekdays."""
    phases = _phases(data)
    cadence = phases[0].cadence if phases else None
    return cadence.weekdays if cadence and cadence.kind is domain.CadenceKind.WEEKDAYS else ()


def _allowed_days(data: Data, now: datetime, count: int) -> list[date]:
    """The next `count` days the plan allows for a first dose (today only if its time is ahead)."""
    days, today = _first_weekdays(data), _local_today(data, now)
    found: list[date] = []
    day = today if _slot_today_ahead(data, now) else today + timedelta(days=1)
    while len(found) < count:
        if day.weekday() in days:
            found.append(day)
        day += timedelta(days=1)
    return found


def _start_date_text(data: Data, text: str, now: datetime) -> Answer:
    today = _local_today(data, now)
    day = parse_date(text, today)
    if day is None or day < today or day > today + timedelta(days=366):
        return Invalid(texts.BAD_DATE)
    if day.year > today.year and not re.search(r"\d{4}", text):
        this_year = _same_day(day, today.year)
        if this_year < today and (today - this_year).days <= PAST_DATE_DAYS:
            return Invalid(texts.DATE_PASSED.format(today=texts.day(today)))  # "30 Nov" on 1 Dec
    if day == today and not _slot_today_ahead(data, now):
        return Invalid(texts.bad_input(f"Today's {data['time']} has passed – pick tomorrow or later."))
    days = _first_weekdays(data)
    if days and day.weekday() not in days:  # the plan would silently start on another day
        names = ", ".join(domain.WEEKDAY_NAMES[d] for d in days)
        return Invalid(texts.NOT_A_PLAN_DAY.format(day=texts.day_short(day), days=names))
    data["start_date"] = day.isoformat()
    return CONFIRM


def _same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


# --- Telegram side ----------------------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    """/start: set up a plan, or offer to set it up again."""
    chat = update.effective_chat
    assert chat is not None
    snap = await context.services.patients.snapshot(chat.id)
    if snap is not None and snap.plan is not None:
        await reply(
            update,
            texts.ALREADY_SET_UP,
            kb.menu([("setup", "Set up again"), ("keep", "Keep my plan")]),
        )
        return
    await begin(update, context)


async def begin(update: Update, context: BotContext) -> None:
    """Start (or restart) setup from the first question."""
    chat = update.effective_chat
    assert chat is not None
    await context.services.conversations.save(chat.id, FLOW, PRODUCT, {})
    await reply(update, texts.WELCOME, None)
    await _ask(update, context, PRODUCT, {})


async def _ask(update: Update, context: BotContext, step: str, data: Data) -> None:
    text, keyboard = ask(step, data, context.services.clock())
    await reply(update, text, keyboard)


async def ask_again(update: Update, context: BotContext, step: str, data: Data) -> None:
    """After a safety message mid-setup: setup goes on where it was, with its question again."""
    await reply(update, texts.SETUP_RESUMES, None)
    await _ask(update, context, step, data)


async def _advance(
    update: Update, context: BotContext, step: str, data: Data, answer: Answer, *, edit: bool
) -> None:
    """Store the answer and ask the next question (or re-ask, or save the plan)."""
    services = context.services
    chat = update.effective_chat
    assert chat is not None
    now = services.clock()
    if isinstance(answer, Invalid):
        await reply(update, answer.message, None)
        await _ask(update, context, step, data)
        return
    if answer == "cancel":
        await services.conversations.end(chat.id)
        await reply(update, texts.CANCELLED, None)
        return
    if answer == SAVE:
        await _save(update, context, data)
        return
    if answer == PRODUCT:
        data = {}
    await services.conversations.save(chat.id, FLOW, answer, data)
    query = update.callback_query
    if edit and answer == step and query is not None:
        text, keyboard = ask(step, data, now)
        await query.edit_message_text(text, reply_markup=keyboard)
        return
    if step == ROUTE and data.get("route") == domain.Route.INTRAMUSCULAR.value:
        await reply(update, texts.ROUTE_IM_NOTE, None)
    await _ask(update, context, answer, data)


async def _save(update: Update, context: BotContext, data: Data) -> None:
    services = context.services
    chat = update.effective_chat
    assert chat is not None
    plan = build_plan(data)
    patient_id = await services.patients.ensure(chat.id)
    first = await services.dosing.start_plan(patient_id, plan)
    await services.conversations.end(chat.id)
    now = services.clock()
    if first is None:
        await reply(update, texts.SAVED_NO_DOSE, None)
        return
    tz = ZoneInfo(plan.timezone)
    snap = await services.patients.snapshot(chat.id)
    if snap is not None:
        await services.monitor.rearm(snap)  # the new plan's zone, time and cadence
    site = services.dosing.site_order(snap)[0] if snap else plan.sites[0]
    saved = texts.SAVED.format(
        time=plan.time_of_day.strftime("%H:%M"), zone=plan.timezone, first=texts.when(first.due_at, tz, now),
        site=site,
    )  # fmt: skip
    if snap is not None and snap.clinician_check:  # a reaction was reported: check first
        saved += "\n" + texts.check_before_dose(plan)
    await reply(update, saved, None)
    await ask_baseline(update, context)


async def on_setup_text(update: Update, context: BotContext, step: str, data: Data) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    answer = on_text(step, data, message.text, context.services.clock())
    await _advance(update, context, step, data, answer, edit=False)


async def on_setup_button(update: Update, context: BotContext, field: str, value: str) -> None:
    """A setup button: only the current step's buttons count; older ones are stale."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    draft = await context.services.conversations.current(chat.id)
    if draft is None or draft.flow != FLOW or draft.step != field:
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    data = dict(draft.data)
    answer = on_button(field, data, value, context.services.clock())
    await _advance(update, context, field, data, answer, edit=True)
