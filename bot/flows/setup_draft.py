"""The setup conversation's typed state: its steps, and the answers so far as a pydantic model
(stored as JSON in the `draft` row, so a restart or another instance carries on)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import plan as domain
from bot.domain.rotation import site_choices

FLOW = "setup"
MAX_TEXT = 100
MAX_PHASES = 6
# A date without a year that went by this recently is a past date typed by mistake, not next year's.
PAST_DATE_DAYS = 180


class Step(StrEnum):
    """Each question of setup. The values are stored in drafts and buttons: never rename one."""

    PRODUCT = "product"
    PRODUCT_NAME = "pname"
    STRENGTH = "strength"
    DOSE = "dose"
    ROUTE = "route"
    SCHEDULE = "sched"
    PRESET_DAYS = "pdays"  # the source says "3 times a week": which days?
    PRESET_CONFIRM = "preset"
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


class End(StrEnum):
    """What the confirm step can end with instead of another question."""

    SAVE = "save"
    RESTART = "restart"
    CANCEL = "cancel"


# Steps that take words as written (a name, a contact): only an emergency interrupts them.
FREE_TEXT_STEPS = frozenset(
    {Step.PRODUCT_NAME, Step.STRENGTH, Step.DOSE, Step.SITES, Step.CLINICIAN_NAME, Step.CLINICIAN_CONTACT}
)
NAME_STEPS = frozenset({Step.PRODUCT_NAME, Step.SITES, Step.CLINICIAN_NAME, Step.CLINICIAN_CONTACT})


@dataclass(frozen=True)
class Invalid:
    """Re-ask the same question with this explanation."""

    message: str


Answer = Step | End | Invalid  # the next question, the end, or why the answer was not taken


class Building(BaseModel):
    """The phase being built: its cadence so far."""

    kind: str
    every: int = 1
    weekdays: list[int] = Field(default_factory=list)

    def cadence(self) -> domain.Cadence:
        return domain.Cadence(domain.CadenceKind(self.kind), self.every, tuple(self.weekdays))


class SetupDraft(BaseModel):
    """The answers so far. Other keys (the red-flag screen's words waiting inside setup) are kept."""

    model_config = ConfigDict(extra="allow")

    product: str | None = None
    product_name: str = ""
    strength: str | None = None
    dose: str | None = None
    route: str | None = None
    preset: str | None = None
    days: list[int] = Field(default_factory=list)
    phases: list[dict[str, Any]] = Field(default_factory=list)
    cur: Building | None = None
    len_kind: str | None = None
    time: str | None = None
    tz: str | None = None
    sites: list[str] | None = None
    clinician_name: str | None = None
    clinician_contact: str | None = None
    start_date: date | None = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> SetupDraft:
        return cls.model_validate(data)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)

    # --- derived -----------------------------------------------------------------------------

    def built_phases(self) -> tuple[domain.Phase, ...]:
        return domain.phases_from_json(self.phases)

    def add_phase(self, length: domain.Length) -> Step:
        """The phase being built is done: the next phase, or the reminder time."""
        assert self.cur is not None
        phases = (*self.built_phases(), domain.Phase(self.cur.cadence(), length))
        self.phases, self.cur = domain.phases_to_json(phases), None
        if length.kind is domain.LengthKind.OPEN or len(phases) >= MAX_PHASES:
            return Step.TIME
        return Step.MORE

    @property
    def intramuscular(self) -> bool:
        return self.route == domain.Route.INTRAMUSCULAR.value

    def site_choices(self) -> tuple[str, ...]:
        return site_choices(self.intramuscular)

    def local_today(self, now: datetime) -> date:
        assert self.tz is not None
        return now.astimezone(ZoneInfo(self.tz)).date()

    def at(self) -> TimeOfDay:
        assert self.time is not None
        hour, minute = (int(x) for x in self.time.split(":"))
        return TimeOfDay(hour, minute)

    def slot_today_ahead(self, now: datetime) -> bool:
        assert self.tz is not None
        slot = datetime.combine(self.local_today(now), self.at()).replace(tzinfo=ZoneInfo(self.tz))
        return slot > now

    def first_weekdays(self) -> tuple[int, ...]:
        """The weekdays of the first phase, when it is on fixed weekdays."""
        phases = self.built_phases()
        cadence = phases[0].cadence if phases else None
        return cadence.weekdays if cadence and cadence.kind is domain.CadenceKind.WEEKDAYS else ()

    def allowed_days(self, now: datetime, count: int) -> list[date]:
        """The next `count` days the plan allows for a first dose (today only if its time is ahead)."""
        days, found = self.first_weekdays(), list[date]()
        day = self.local_today(now) + timedelta(days=0 if self.slot_today_ahead(now) else 1)
        while len(found) < count:
            if day.weekday() in days:
                found.append(day)
            day += timedelta(days=1)
        return found

    def plan(self) -> domain.Plan:
        """The plan as written, once every answer is in."""
        assert self.product and self.strength and self.dose and self.route and self.tz and self.sites
        assert self.clinician_name and self.clinician_contact and self.start_date
        return domain.Plan(
            product=domain.Product(self.product),
            product_name=self.product_name,
            strength=self.strength,
            dose=self.dose,
            route=domain.Route(self.route),
            phases=self.built_phases(),
            time_of_day=self.at(),
            timezone=self.tz,
            sites=tuple(self.sites),
            clinician_name=self.clinician_name,
            clinician_contact=self.clinician_contact,
            start_date=self.start_date,
        )


def same_day(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def has_year(text: str) -> bool:
    return bool(re.search(r"\d{4}", text))
