"""Setup as a state machine (diagram: docs/conversations/setup.mmd): the product and dose as written, the
schedule (`setup_schedule.py`), the reminder time and zone, the sites, the clinician, the first
dose, then the summary to confirm. One small handler per step; `ask`, `typed`, `pressed` and
`accepts` are what the Telegram side calls."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta
from typing import Any

from bot import keyboards as kb
from bot import texts
from bot.domain import plan as domain
from bot.domain.parsing import parse_date, parse_time_of_day, parse_timezone
from bot.domain.rotation import MAX_SITE_NAME, MAX_SITES
from bot.domain.schedule import Progress, preview
from bot.flows.setup_draft import (
    MAX_TEXT,
    PAST_DATE_DAYS,
    Answer,
    End,
    Invalid,
    SetupDraft,
    Step,
    has_year,
    same_day,
)  # fmt: skip
from bot.flows.setup_schedule import SCHEDULE_STEPS
from bot.flows.setup_step import Question, StepHandler

SC_WORDS = frozenset({"sc", "subcutaneous", "subcut", "under the skin", "sq", "subq", "s/c"})
IM_WORDS = frozenset({"im", "intramuscular", "into the muscle", "muscle", "i/m"})
TIME_CHOICES = ("08:00", "12:00", "18:00", "20:00")


class TextStep(StepHandler):
    """Words as written (a name, a strength, a dose, a contact), up to MAX_TEXT characters."""

    def __init__(
        self, step: Step, key: str, question: str, then: Step, needs_digit: str | None = None
    ) -> None:
        self.step, self.key, self.question, self.then, self.needs_digit = (
            step,
            key,
            question,
            then,
            needs_digit,
        )

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return self.question, None

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        value = " ".join(text.split())
        if len(value) > MAX_TEXT:  # it was read: too long is not "couldn't read"
            return Invalid(texts.TOO_LONG.format(limit=MAX_TEXT, example=texts.TEXT_EXAMPLES[self.key]))
        if not value:
            return Invalid(texts.BAD_TEXT.format(limit=MAX_TEXT))
        if self.needs_digit and not re.search(r"\d", value):
            return Invalid(self.needs_digit)
        setattr(d, self.key, value)
        return self.then


class Product(StepHandler):
    step = Step.PRODUCT

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        options = [(p.value, p.value.capitalize()) for p in domain.Product]
        return texts.ASK_PRODUCT, kb.choices(self.step, options, 2)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return self.typed(d, value, now)

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        cleaned = text.strip().lower()
        named = [p for p in domain.Product if p is not domain.Product.OTHER]
        found = next((p for p in named if len(cleaned) >= 4 and p.value.startswith(cleaned)), None)
        # "it's hydroxocobalamin 1mg/ml ..." names it inside a sentence
        found = found or next((p for p in named if re.search(rf"\b{p.value}\b", cleaned)), None)
        if cleaned == domain.Product.OTHER.value:
            d.product = cleaned
            return Step.PRODUCT_NAME
        if found is not None:
            d.product = found.value
            return Step.STRENGTH
        if cleaned in {"b12", "vitamin b12", "b 12"}:
            return Invalid(texts.bad_input(texts.TAP_THE_PRODUCT))
        # anything else is taken as the name of another product, as written on the label
        d.product = domain.Product.OTHER.value
        return PRODUCT_NAME.typed(d, text, now)


class Strength(TextStep):
    def __init__(self) -> None:
        super().__init__(Step.STRENGTH, "strength", texts.ASK_STRENGTH, Step.DOSE, texts.BAD_STRENGTH)

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return self.question, kb.choices(self.step, [("1000", texts.buttons.STRENGTH_1000)])

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        d.strength = "1000 mcg/mL"
        return Step.DOSE


class Route(StepHandler):
    step = Step.ROUTE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return texts.ASK_ROUTE, kb.choices(self.step, texts.buttons.ROUTES)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return self.typed(d, value, now)

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        cleaned = text.strip().lower()
        if cleaned in SC_WORDS:
            d.route = domain.Route.SUBCUTANEOUS.value
        elif cleaned in IM_WORDS:
            d.route = domain.Route.INTRAMUSCULAR.value
        else:
            return Invalid(texts.USE_BUTTONS)
        return Step.SCHEDULE


class Time(StepHandler):
    step = Step.TIME

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return texts.ASK_TIME, kb.choices(self.step, [(t, t) for t in TIME_CHOICES], 4)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return self.typed(d, value, now)

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        at = parse_time_of_day(text)
        if at is None:
            return Invalid(texts.BAD_TIME)
        d.time = at.strftime("%H:%M")
        return Step.TIMEZONE


class Zone(StepHandler):
    step = Step.TIMEZONE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return texts.ASK_TIMEZONE, kb.choices(self.step, [(z, z) for z in kb.COMMON_ZONES], 2)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return self.typed(d, value, now)

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        zone = parse_timezone(text)
        if zone is None:
            return Invalid(texts.BAD_ZONE)
        d.tz = zone
        if d.sites is None:
            d.sites = list(d.site_choices()[:4])
        return Step.SITES


class Sites(StepHandler):
    step = Step.SITES

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        choices, chosen = d.site_choices(), d.sites or []
        options = [(str(i), s) for i, s in enumerate(choices)]
        selected = {str(i) for i, s in enumerate(choices) if s in chosen}
        extra = [s for s in chosen if s not in choices]
        question = texts.ASK_IM_SITES if d.intramuscular else texts.ASK_SITES
        question += f"\nYour own: {', '.join(extra)}" if extra else ""
        return question, kb.toggles(self.step, options, selected, 2)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        sites, choices = list(d.sites or []), d.site_choices()
        if value == "done":
            return Step.CLINICIAN_NAME if sites else Invalid(texts.NEED_A_SITE)
        if not value.isdecimal() or int(value) >= len(choices):
            return Invalid(texts.USE_BUTTONS)
        site = choices[int(value)]
        d.sites = [s for s in sites if s != site] if site in sites else [*sites, site]
        return Step.SITES

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        names = [" ".join(p.split()) for p in re.split(r"[,;\n]", text)]
        names = [n[:1].upper() + n[1:] for n in names if n]
        if not names or any(len(n) > MAX_SITE_NAME for n in names) or len(names) > MAX_SITES:
            return Invalid(texts.bad_input(texts.SITE_NAMES_RULE))
        sites = list(d.sites or [])
        d.sites = sites + [n for n in names if n.lower() not in {s.lower() for s in sites}]
        return Step.SITES


class Start(StepHandler):
    """The first dose: today or tomorrow at the reminder time, or a date (a plan on fixed weekdays
    offers only its days)."""

    step = Step.START

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        days = d.first_weekdays()
        if days:  # "Mon, Wed, Fri": only those days are offered
            today = d.local_today(now)
            names_of = {today: texts.buttons.TODAY, today + timedelta(days=1): texts.buttons.TOMORROW}
            options = [
                (day.isoformat(), f"{names_of.get(day) or texts.day_short(day)} {d.time}")
                for day in d.allowed_days(now, 2)
            ]
            question = texts.ASK_START_ON_DAYS.format(days=", ".join(domain.WEEKDAY_NAMES[x] for x in days))
            return question, kb.choices(self.step, [*options, ("date", texts.buttons.ANOTHER_DATE)])
        options = [("today", f"{texts.buttons.TODAY} {d.time}")] if d.slot_today_ahead(now) else []
        options += [("tomorrow", f"{texts.buttons.TOMORROW} {d.time}"), ("date", texts.buttons.ANOTHER_DATE)]
        return texts.ASK_START, kb.choices(self.step, options)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        if value == "date":
            return Step.START_DATE
        if value == "today" and not d.slot_today_ahead(now):
            return Invalid(texts.BAD_DATE)
        return self.typed(d, value, now)

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        today = d.local_today(now)
        day = parse_date(text, today)
        if day is None or day < today or day > today + timedelta(days=366):
            return Invalid(texts.BAD_DATE)
        if day.year > today.year and not has_year(text):
            this_year = same_day(day, today.year)
            if this_year < today and (today - this_year).days <= PAST_DATE_DAYS:
                return Invalid(texts.DATE_PASSED.format(today=texts.day(today)))  # "30 Nov" on 1 Dec
        if day == today and not d.slot_today_ahead(now):
            return Invalid(texts.bad_input(texts.TODAY_PASSED.format(time=d.time)))
        days = d.first_weekdays()
        if days and day.weekday() not in days:  # the plan would silently start on another day
            names = ", ".join(domain.WEEKDAY_NAMES[x] for x in days)
            return Invalid(texts.NOT_A_PLAN_DAY.format(day=texts.day_short(day), days=names))
        d.start_date = day
        return Step.CONFIRM


class StartDate(Start):
    step = Step.START_DATE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return texts.ASK_START_DATE, None

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return Invalid(texts.USE_BUTTONS)


class Confirm(StepHandler):
    step = Step.CONFIRM

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        plan = d.plan()
        upcoming = [dose.due_at for dose in preview(plan, Progress(), now)]
        return texts.confirm_plan(plan, upcoming, now), kb.choices(self.step, texts.buttons.CONFIRM_PLAN)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        ends = {"yes": End.SAVE, "restart": End.RESTART, "cancel": End.CANCEL}
        return ends.get(value) or Invalid(texts.USE_BUTTONS)


PRODUCT_NAME = TextStep(Step.PRODUCT_NAME, "product_name", texts.ASK_PRODUCT_NAME, Step.STRENGTH)
STEPS: dict[Step, StepHandler] = {
    handler.step: handler
    for handler in (
        Product(), PRODUCT_NAME, Strength(),
        TextStep(Step.DOSE, "dose", texts.ASK_DOSE, Step.ROUTE, texts.BAD_DOSE),  # typed: never one tap
        Route(), *SCHEDULE_STEPS, Time(), Zone(), Sites(),
        TextStep(Step.CLINICIAN_NAME, "clinician_name", texts.ASK_CLINICIAN_NAME, Step.CLINICIAN_CONTACT),
        TextStep(Step.CLINICIAN_CONTACT, "clinician_contact", texts.ASK_CLINICIAN_CONTACT, Step.START),
        Start(), StartDate(), Confirm(),
    )
}  # fmt: skip
assert set(STEPS) == set(Step), set(Step) - set(STEPS)


def ask(step: Step, d: SetupDraft, now: datetime) -> Question:
    """The question for `step`, with its buttons."""
    return STEPS[step].ask(d, now)


def typed(step: Step, d: SetupDraft, text: str, now: datetime) -> Answer:
    """Read a typed answer for `step` (changing `d`)."""
    return STEPS[step].typed(d, text, now)


def pressed(step: Step, d: SetupDraft, value: str, now: datetime) -> Answer:
    """Read a button for `step` (the value comes from our own keyboard, but is checked)."""
    return STEPS[step].pressed(d, value, now)


def accepts(step: str, data: dict[str, Any], text: str, now: datetime) -> bool:
    """Would `text` answer the question at `step`? ("under the skin" at the route question is an
    answer, not a report.)"""
    try:
        at = Step(step)
    except ValueError:
        return False
    return not isinstance(typed(at, SetupDraft.of(copy.deepcopy(data)), text, now), Invalid)
