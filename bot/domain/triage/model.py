"""What triage works with: levels, signs, modifiers, a report, a rule and its result."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Level(IntEnum):
    WATCH = 1
    CLINICIAN = 2
    EMERGENCY = 3

    @property
    def key(self) -> str:
        return self.name.lower()


class Severity(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3


class Sign(StrEnum):
    REDNESS = "redness"
    SWELLING = "swelling"
    PAIN = "pain"
    ITCHING = "itching"
    BRUISING = "bruising"
    LUMP = "lump"
    WARMTH = "warmth"
    BLEEDING = "bleeding"  # at the site
    RASH_HIVES = "rash_hives"  # rash or hives away from the site
    BREATHING = "breathing"  # difficulty breathing, wheeze, tight chest
    THROAT = "throat"  # throat tight or closing, trouble swallowing, a hoarse or changed voice
    FACE_SWELLING = "face_swelling"  # face, lips, tongue, eyes, mouth, throat
    FAINT = "faint"  # fainting, collapse, about to pass out, a fall they can't remember
    ANAPHYLAXIS = "anaphylaxis"  # named as such, or an adrenaline pen used
    CHEST_PAIN = "chest_pain"  # pain, pressure or a crushing feeling in the chest
    STROKE = "stroke"  # slurred speech, a drooping face, sudden weakness on one side
    HEART = "heart"  # a racing or pounding heart, palpitations
    DIZZY = "dizzy"  # dizziness, light-headedness, feeling faint
    MOUTH = "mouth"  # tingling or itching of the lips, mouth, tongue or throat
    ALLERGY = "allergy"  # "an allergic reaction", in those words
    FEVER = "fever"
    PUS = "pus"
    NUMBNESS = "numbness"  # numbness, tingling, balance problems
    CONFUSION = "confusion"  # memory or thinking getting worse, confusion
    UNSURE = "unsure"  # unsure about the dose, the product or the technique
    UNWELL = "unwell"  # headache, feeling sick, tiredness, spots, flushing
    OTHER = "other"


class Modifier(StrEnum):
    SPREADING = "spreading"
    WORSENING = "worsening"
    PERSISTENT = "persistent"


# Signs offered as buttons in a report, in this order (the patient can pick several).
BUTTON_SIGNS: tuple[Sign, ...] = (
    Sign.REDNESS, Sign.SWELLING, Sign.PAIN, Sign.ITCHING, Sign.BRUISING, Sign.LUMP,
    Sign.RASH_HIVES, Sign.BREATHING, Sign.FACE_SWELLING, Sign.FAINT, Sign.DIZZY, Sign.FEVER,
    Sign.NUMBNESS, Sign.OTHER,
)  # fmt: skip
LOCAL_SIGNS = frozenset(
    {
        Sign.REDNESS,
        Sign.SWELLING,
        Sign.PAIN,
        Sign.ITCHING,
        Sign.BRUISING,
        Sign.LUMP,
        Sign.WARMTH,
        Sign.BLEEDING,
    }
)
# Signs of a severe allergic reaction: each one alone is an emergency.
RED_FLAGS = frozenset({Sign.BREATHING, Sign.THROAT, Sign.FACE_SWELLING, Sign.FAINT, Sign.ANAPHYLAXIS})
# Signs of a severe allergic reaction are red flags; so are these, worded for what they are.
# Emergencies that are not (or not only) an allergy: the instruction is worded for them.
OTHER_EMERGENCIES = frozenset({Sign.CHEST_PAIN, Sign.STROKE})
# Signs that the body may be reacting to the product: check with the clinician before the next dose.
ALLERGY_SIGNS = RED_FLAGS | {Sign.RASH_HIVES, Sign.MOUTH, Sign.ALLERGY}


@dataclass(frozen=True)
class Report:
    """A side-effect report as triage sees it."""

    signs: frozenset[Sign]
    severity: Severity | None = None
    hours_since: float | None = None
    modifiers: frozenset[Modifier] = frozenset()


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    rationale: str
    any_of: frozenset[Sign] = frozenset()  # matches if the report has at least one of these
    all_of: frozenset[Sign] = frozenset()  # ...and all of these
    modifiers: frozenset[Modifier] = frozenset()  # ...and at least one of these
    min_severity: Severity | None = None
    min_hours: float | None = None

    def matches(self, report: Report) -> bool:
        if self.any_of and not (self.any_of & report.signs):
            return False
        if not self.all_of <= report.signs:
            return False
        if self.modifiers and not (self.modifiers & report.modifiers):
            return False
        if self.min_severity is not None and (report.severity or 0) < self.min_severity:
            return False
        return self.min_hours is None or (report.hours_since or 0) >= self.min_hours


@dataclass(frozen=True)
class Triage:
    level: Level
    rule_ids: tuple[str, ...]
    reasons: tuple[str, ...] = field(default=())  # the matching rules' rationales
