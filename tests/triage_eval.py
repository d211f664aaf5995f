"""The triage evaluation: each corpus phrasing typed into the real bot, the first reply judged.

The corpus lives in `tests/data/` (a locked part written first and never tuned on, and a tuning
part). Each phrasing is sent by a fresh patient whose dose is due (plan: Dr Rivera) and by a
fresh patient with no plan yet; what matters is the *first* reply:

* `emergency`: the emergency instruction;
* `clinician`: advice to contact the clinician (named, or "your clinician" without a plan);
* `watch`: the usual care advice for a mild reaction;
* `screen`: the red-flag screen (a message that sounds like a symptom but reached no level);
* anything else (`other`): a dose recorded, "didn't catch that", a set-up prompt...

Used by `tests/test_triage_corpus.py` (the done criteria) and `python -m bench.triage` (figures).
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import time_machine

from bot.domain.plan import EXAMPLE_SCHEDULES, Plan, Product, Route
from bot.domain.rotation import DEFAULT_SITES
from tests.fake_telegram import BotApiFake
from tests.harness import Harness, sqlite_url

DATA = Path(__file__).parent / "data"
LOCKED = DATA / "triage_locked.csv"
TUNE = DATA / "triage_tune.csv"
TUNE2 = DATA / "triage_tune2.csv"
TUNE3 = DATA / "triage_tune3.csv"
TUNE4 = DATA / "triage_tune4.csv"
TUNE5 = DATA / "triage_tune5.csv"
TUNE6 = DATA / "triage_tune6.csv"
LEVELS = ("emergency", "clinician", "watch", "none")
CLINICIAN = "Dr Rivera"
CONTACT = "+44 20 7946 0000"
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
DUE = datetime(2026, 3, 3, 7, 1, tzinfo=UTC)  # 08:01 in Berlin, the first dose is due


@dataclass(frozen=True)
class Phrase:
    text: str
    level: str
    reason: str
    tags: tuple[str, ...]


def load(path: Path) -> list[Phrase]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(lines))
    return [Phrase(r["text"], r["level"], r["reason"], tuple(r["tags"].split())) for r in rows]


def kind_of(reply: str) -> str:
    """What a first reply does, in the evaluation's words."""
    if reply.startswith("🚨"):
        return "emergency"
    lowered = reply.lower()
    if "is any of these happening now" in lowered:
        return "screen"
    if "please contact" in lowered or "please ask" in lowered or "contact your clinician" in lowered:
        return "clinician"
    if "usually settle" in lowered or "check in tomorrow" in lowered:
        return "watch"
    return "other"


@dataclass
class Result:
    phrase: Phrase
    with_plan: str  # kind of the first reply from a patient with a plan and a dose due
    without_plan: str  # ... from a patient with no plan yet


@dataclass
class Figures:
    """Per expected level: how many phrasings got each kind of first reply."""

    results: list[Result] = field(default_factory=list)

    def table(self, variant: str) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = {level: Counter() for level in LEVELS}
        for r in self.results:
            out[r.phrase.level][r.with_plan if variant == "plan" else r.without_plan] += 1
        return out

    def misses(self) -> list[tuple[str, str, str, str]]:
        """(expected, with plan, without plan, text) for each phrasing not answered as it should be."""
        return [
            (r.phrase.level, r.with_plan, r.without_plan, r.phrase.text)
            for r in self.results
            if not (acceptable(r.phrase.level, r.with_plan) and acceptable(r.phrase.level, r.without_plan))
        ]


def acceptable(expected: str, got: str) -> bool:
    """Right level, or safe over-triage for clinician (emergency) and watch (clinician)."""
    match expected:
        case "emergency":
            return got == "emergency"
        case "clinician":
            return got in {"clinician", "emergency"}
        case "watch":
            return got in {"watch", "clinician", "screen"}
        case _:
            return got in {"other", "screen", "watch"}


def plan(start: date) -> Plan:
    return Plan(
        product=Product.CYANOCOBALAMIN, strength="1000 mcg/mL", dose="1 mL", route=Route.SUBCUTANEOUS,
        phases=EXAMPLE_SCHEDULES["weekly"], time_of_day=time(8, 0), timezone="Europe/Berlin",
        sites=DEFAULT_SITES,
        clinician_name=CLINICIAN, clinician_contact=CONTACT, start_date=start,
    )  # fmt: skip


async def evaluate(phrases: Iterable[Phrase], folder: Path | None = None) -> Figures:
    """Send every phrasing through the real Application (SQLite) and judge the first replies."""
    phrases = list(phrases)
    with tempfile.TemporaryDirectory() as tmp, time_machine.travel(START, tick=False) as clock:
        api = BotApiFake()
        bot = Harness(api, sqlite_url(folder or Path(tmp)), clock)
        await bot.start()
        try:
            for i in range(len(phrases)):
                patient_id = await bot.services.repo.patients.ensure_patient(10_000 + i, bot.now())
                await bot.services.dosing.start_plan(patient_id, plan(date(2026, 3, 3)))
            await bot.advance_to(DUE)
            figures = Figures()
            for i, phrase in enumerate(phrases):
                with_plan = await bot.chat(10_000 + i).send(phrase.text)
                without = await bot.chat(50_000 + i).send(phrase.text)
                figures.results.append(Result(phrase, _first(with_plan), _first(without)))
            return figures
        finally:
            await bot.stop()


def _first(replies: list[object]) -> str:
    if not replies:
        return "silent"
    text = getattr(replies[0], "text", "")
    return kind_of(text or "")
