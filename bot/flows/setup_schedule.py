"""Setup, the schedule: a sourced preset, or the plan built phase by phase (how often, for how long,
then another phase or not). One small handler per step."""

from __future__ import annotations

from datetime import datetime

from bot import keyboards as kb
from bot import texts
from bot.domain import plan as domain
from bot.domain.parsing import parse_count, parse_weekdays
from bot.flows.setup_draft import Answer, Building, Invalid, SetupDraft, Step
from bot.flows.setup_step import Question, StepHandler

CADENCE_CHOICES = texts.buttons.CADENCES
LENGTH_CHOICES = texts.buttons.LENGTHS
EVERY_MAX = {"days": 60, "weeks": 26, "months": 12}


def _weekday_options() -> list[tuple[str, str]]:
    return [(str(i), name) for i, name in enumerate(domain.WEEKDAY_NAMES)]


def _weekday(value: str) -> int | None:
    return int(value) if value.isdecimal() and 0 <= int(value) <= 6 else None


class Schedule(StepHandler):
    step = Step.SCHEDULE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        options = [(key, preset.label) for key, preset in domain.PRESETS.items()]
        return texts.ASK_SCHEDULE, kb.choices(self.step, [*options, ("custom", texts.buttons.BUILD_MY_OWN)])

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        if value == "custom":
            d.phases = []
            return Step.CADENCE
        if value not in domain.PRESETS:
            return Invalid(texts.USE_BUTTONS)
        preset = domain.PRESETS[value]
        d.preset, d.phases = value, domain.phases_to_json(preset.phases)
        if preset.choose_days:
            d.days = []
            return Step.PRESET_DAYS
        return Step.PRESET_CONFIRM


class PresetDays(StepHandler):
    """Toggle a weekday for a "N times a week" preset; Done needs exactly N."""

    step = Step.PRESET_DAYS

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        assert d.preset is not None
        preset = domain.PRESETS[d.preset]
        question = texts.ASK_PRESET_DAYS.format(count=preset.choose_days, source=preset.source)
        return question, kb.toggles(self.step, _weekday_options(), {str(x) for x in d.days}, 4)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        assert d.preset is not None
        preset = domain.PRESETS[d.preset]
        if value == "done":
            if len(d.days) != preset.choose_days:
                return Invalid(texts.NEED_DAYS.format(count=preset.choose_days))
            chosen = domain.Cadence(domain.CadenceKind.WEEKDAYS, weekdays=tuple(sorted(d.days)))
            phases = [
                domain.Phase(chosen, p.length) if p.cadence.kind is domain.CadenceKind.WEEKDAYS else p
                for p in preset.phases
            ]
            d.phases = domain.phases_to_json(tuple(phases))
            return Step.PRESET_CONFIRM
        if (day := _weekday(value)) is None:
            return Invalid(texts.USE_BUTTONS)
        d.days = sorted(set(d.days) ^ {day})
        return Step.PRESET_DAYS


class PresetConfirm(StepHandler):
    step = Step.PRESET_CONFIRM

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        source = domain.PRESETS[d.preset].source if d.preset else None
        question = texts.schedule_preview(domain.describe_phases(d.built_phases()), source)
        return question, kb.choices(
            self.step, [("yes", texts.buttons.PRESET_YES), ("no", texts.buttons.PRESET_NO)]
        )

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        if value == "no":
            d.phases, d.preset = [], None
            return Step.CADENCE
        return Step.TIME if value == "yes" else Invalid(texts.USE_BUTTONS)


class Cadence(StepHandler):
    step = Step.CADENCE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        question = texts.ASK_CADENCE.format(n=len(d.phases) + 1)
        return question, kb.choices(self.step, CADENCE_CHOICES, 2)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        kind, _, every = value.partition(":")
        if kind == "weekdays":
            d.cur = Building(kind="weekdays")
            return Step.WEEKDAYS
        if kind not in EVERY_MAX or every not in {"1", "2", "n"}:
            return Invalid(texts.USE_BUTTONS)
        d.cur = Building(kind=kind, every=1 if every == "n" else int(every))
        return Step.EVERY if every == "n" else Step.LENGTH


class Every(StepHandler):
    step = Step.EVERY

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        assert d.cur is not None
        return texts.ASK_EVERY.format(unit=d.cur.kind), None

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        assert d.cur is not None
        high = EVERY_MAX[d.cur.kind]
        value = parse_count(text, 1, high)
        if value is None:
            return Invalid(texts.BAD_NUMBER.format(low=1, high=high, example=3))
        d.cur.every = value
        return Step.LENGTH


class Weekdays(StepHandler):
    step = Step.WEEKDAYS

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        assert d.cur is not None
        return texts.ASK_WEEKDAYS, kb.toggles(
            self.step, _weekday_options(), {str(x) for x in d.cur.weekdays}, 4
        )

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        assert d.cur is not None
        if value == "done":
            return Step.LENGTH if d.cur.weekdays else Invalid(texts.BAD_WEEKDAYS)
        if (day := _weekday(value)) is None:
            return Invalid(texts.USE_BUTTONS)
        d.cur.weekdays = sorted(set(d.cur.weekdays) ^ {day})
        return Step.WEEKDAYS

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        assert d.cur is not None
        days = parse_weekdays(text)
        if not days:
            return Invalid(texts.BAD_WEEKDAYS)
        d.cur.weekdays = list(days)
        return Step.LENGTH


class Length(StepHandler):
    step = Step.LENGTH

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        assert d.cur is not None
        question = texts.ASK_LENGTH.format(n=len(d.phases) + 1, cadence=d.cur.cadence().describe())
        return question, kb.choices(self.step, LENGTH_CHOICES)

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        if value == "open":
            return d.add_phase(domain.OPEN)
        if value not in {"injections", "weeks"}:
            return Invalid(texts.USE_BUTTONS)
        d.len_kind = value
        return Step.COUNT


class Count(StepHandler):
    step = Step.COUNT

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        return texts.ASK_COUNT_WEEKS if d.len_kind == "weeks" else texts.ASK_COUNT_INJECTIONS, None

    def typed(self, d: SetupDraft, text: str, now: datetime) -> Answer:
        assert d.len_kind is not None
        high = 104 if d.len_kind == "weeks" else 200
        value = parse_count(text, 1, high)
        if value is None:
            return Invalid(texts.BAD_NUMBER.format(low=1, high=high, example=7))
        kind, d.len_kind = d.len_kind, None
        return d.add_phase(domain.Length(domain.LengthKind(kind), value))


class More(StepHandler):
    step = Step.MORE

    def ask(self, d: SetupDraft, now: datetime) -> Question:
        question = texts.ASK_MORE_PHASES.format(phases="\n".join(domain.describe_phases(d.built_phases())))
        return question, kb.choices(
            self.step, [("yes", texts.buttons.MORE_PHASE), ("no", texts.buttons.NO_MORE_PHASES)]
        )

    def pressed(self, d: SetupDraft, value: str, now: datetime) -> Answer:
        return Step.CADENCE if value == "yes" else Step.TIME


SCHEDULE_STEPS: tuple[StepHandler, ...] = (
    Schedule(), PresetDays(), PresetConfirm(), Cadence(), Every(), Weekdays(), Length(), Count(), More(),
)  # fmt: skip
