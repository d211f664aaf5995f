"""The clinician's written plan: product, dose as written, route, phases, time and sites.

Pure data. The bot records these values exactly as the patient types them from the written plan;
nothing here computes or proposes a dose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Any


class Product(StrEnum):
    CYANOCOBALAMIN = "cyanocobalamin"
    HYDROXOCOBALAMIN = "hydroxocobalamin"
    METHYLCOBALAMIN = "methylcobalamin"
    OTHER = "other"


class Route(StrEnum):
    SUBCUTANEOUS = "subcutaneous"
    INTRAMUSCULAR = "intramuscular"


class CadenceKind(StrEnum):
    EVERY_N_DAYS = "days"
    WEEKDAYS = "weekdays"
    EVERY_N_WEEKS = "weeks"
    EVERY_N_MONTHS = "months"


class LengthKind(StrEnum):
    INJECTIONS = "injections"
    WEEKS = "weeks"
    OPEN = "open"


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Cadence:
    """How often: every N days / weeks / months, or on fixed weekdays (0 = Monday)."""

    kind: CadenceKind
    every: int = 1
    weekdays: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is CadenceKind.WEEKDAYS:
            if not self.weekdays or any(not 0 <= d <= 6 for d in self.weekdays):
                raise ValueError("fixed-weekday cadence needs weekdays 0..6")
            object.__setattr__(self, "weekdays", tuple(sorted(set(self.weekdays))))
        elif not 1 <= self.every <= 366:
            raise ValueError("interval must be between 1 and 366")

    @property
    def interval(self) -> timedelta:
        """The usual time between two doses (weekdays: the week shared out; months: 30 days)."""
        match self.kind:
            case CadenceKind.EVERY_N_DAYS:
                return timedelta(days=self.every)
            case CadenceKind.WEEKDAYS:
                return timedelta(days=7 / len(self.weekdays))
            case CadenceKind.EVERY_N_WEEKS:
                return timedelta(weeks=self.every)
        return timedelta(days=30 * self.every)

    def describe(self) -> str:
        """Plain words: 'every day', 'every 3 days', 'Mon, Wed, Fri', 'every month'."""
        n = self.every
        match self.kind:
            case CadenceKind.EVERY_N_DAYS:
                return {1: "every day", 2: "every other day"}.get(n, f"every {n} days")
            case CadenceKind.EVERY_N_WEEKS:
                return "every week" if n == 1 else f"every {n} weeks"
            case CadenceKind.EVERY_N_MONTHS:
                return "every month" if n == 1 else f"every {n} months"
            case CadenceKind.WEEKDAYS:
                return "every " + ", ".join(WEEKDAY_NAMES[d] for d in self.weekdays)
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class Length:
    """How long a phase lasts: a number of injections given, a number of weeks, or open-ended."""

    kind: LengthKind
    count: int | None = None

    def __post_init__(self) -> None:
        if self.kind is LengthKind.OPEN:
            object.__setattr__(self, "count", None)
        elif self.count is None or not 1 <= self.count <= 520:
            raise ValueError("phase length must be between 1 and 520")

    def describe(self) -> str:
        match self.kind:
            case LengthKind.INJECTIONS:
                return "1 injection" if self.count == 1 else f"{self.count} injections"
            case LengthKind.WEEKS:
                return "for 1 week" if self.count == 1 else f"for {self.count} weeks"
            case LengthKind.OPEN:
                return "until your clinician says to change"
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class Phase:
    cadence: Cadence
    length: Length

    def describe(self) -> str:
        return f"{self.cadence.describe()}, {self.length.describe()}"


@dataclass(frozen=True)
class Plan:
    """Everything the patient copied from the clinician's written plan."""

    product: Product
    strength: str
    dose: str
    route: Route
    phases: tuple[Phase, ...]
    time_of_day: time
    timezone: str
    sites: tuple[str, ...]
    clinician_name: str
    clinician_contact: str
    start_date: date
    product_name: str = ""  # the name as written when product is OTHER
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.phases:
            raise ValueError("a plan needs at least one phase")
        if not self.sites:
            raise ValueError("a plan needs at least one injection site")

    @property
    def product_label(self) -> str:
        if self.product is Product.OTHER and self.product_name:
            return self.product_name
        return self.product.value.capitalize()


# --- presets: printed label / formulary examples, offered only as starting points -------------

DAILY = Cadence(CadenceKind.EVERY_N_DAYS, 1)
ALTERNATE_DAYS = Cadence(CadenceKind.EVERY_N_DAYS, 2)
MON_WED_FRI = Cadence(CadenceKind.WEEKDAYS, weekdays=(0, 2, 4))
WEEKLY = Cadence(CadenceKind.EVERY_N_WEEKS, 1)
MONTHLY = Cadence(CadenceKind.EVERY_N_MONTHS, 1)
OPEN = Length(LengthKind.OPEN)


@dataclass(frozen=True)
class Preset:
    """A schedule printed in a named source, offered only as a starting point, shown in full and
    confirmed by the patient against their written plan."""

    label: str
    source: str
    phases: tuple[Phase, ...]
    choose_days: int = 0  # the source says "N times a week": the patient picks which days


PRESETS: dict[str, Preset] = {
    "tiw_3monthly": Preset(
        "3 times a week for 2 weeks, then every 3 months",
        "BNF, hydroxocobalamin: pernicious anaemia without nerve symptoms",
        (
            Phase(MON_WED_FRI, Length(LengthKind.WEEKS, 2)),
            Phase(Cadence(CadenceKind.EVERY_N_MONTHS, 3), OPEN),
        ),
        choose_days=3,
    ),
    "alternate_2monthly": Preset(
        "Every other day until your clinician says to switch, then every 2 months",
        "BNF, hydroxocobalamin: pernicious anaemia with nerve symptoms",
        (Phase(ALTERNATE_DAYS, OPEN), Phase(Cadence(CadenceKind.EVERY_N_MONTHS, 2), OPEN)),
    ),
    "monthly": Preset(
        "Once a month",
        "US cyanocobalamin injection label: monthly maintenance",
        (Phase(MONTHLY, OPEN),),
    ),
}

# Schedules for examples, tests and benchmarks. Not offered in setup: no single source prints them
# exactly (the US label's loading course, for one, gives ranges: "every 3-4 days for 2-3 weeks").
EXAMPLE_SCHEDULES: dict[str, tuple[Phase, ...]] = {
    "loading_monthly": (
        Phase(DAILY, Length(LengthKind.INJECTIONS, 7)),
        Phase(ALTERNATE_DAYS, Length(LengthKind.INJECTIONS, 7)),
        Phase(MONTHLY, OPEN),
    ),
    "weekly": (Phase(WEEKLY, OPEN),),
    "monthly": (Phase(MONTHLY, OPEN),),
}


def describe_phases(phases: tuple[Phase, ...]) -> list[str]:
    """One line per phase, numbered when there is more than one."""
    lines = [p.describe()[:1].upper() + p.describe()[1:] for p in phases]
    if len(lines) == 1:
        return lines
    return [f"{i}. {line}" for i, line in enumerate(lines, 1)]


# --- JSON codec (the database stores the phases as JSON) -------------------------------------


def phases_to_json(phases: tuple[Phase, ...]) -> list[dict[str, Any]]:
    return [
        {
            "cadence": p.cadence.kind.value,
            "every": p.cadence.every,
            "weekdays": list(p.cadence.weekdays),
            "length": p.length.kind.value,
            "count": p.length.count,
        }
        for p in phases
    ]


def phases_from_json(data: list[dict[str, Any]]) -> tuple[Phase, ...]:
    return tuple(
        Phase(
            Cadence(CadenceKind(d["cadence"]), int(d.get("every", 1)), tuple(d.get("weekdays", ()))),
            Length(LengthKind(d["length"]), d.get("count")),
        )
        for d in data
    )
