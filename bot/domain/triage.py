"""Side-effect triage: what the patient describes -> `emergency`, `clinician` or `watch`.

Two parts, both reviewable by a clinician without reading control flow:
* `SYMPTOMS`: the words that name each sign (regular expressions over normalised text), with
  negation ("no swelling", "not itchy anymore") and small typos understood;
* `RULES` (in `triage_rules.py`): plain data, each rule with an id, a level and a one-line
  rationale. The level of a report is the highest level of any rule it matches, so adding a sign
  can never lower it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
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
    RASH_HIVES = "rash_hives"  # rash or hives away from the site
    BREATHING = "breathing"  # difficulty breathing, wheeze, tight chest
    FACE_SWELLING = "face_swelling"  # face, lips, tongue, throat
    FAINT = "faint"  # fainting, collapse
    DIZZY = "dizzy"  # dizziness, feeling faint
    FEVER = "fever"
    PUS = "pus"
    NUMBNESS = "numbness"  # numbness, tingling, balance problems
    UNSURE = "unsure"  # unsure about the dose or the technique
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
    {Sign.REDNESS, Sign.SWELLING, Sign.PAIN, Sign.ITCHING, Sign.BRUISING, Sign.LUMP, Sign.WARMTH}
)
RED_FLAGS = frozenset({Sign.BREATHING, Sign.FACE_SWELLING, Sign.FAINT})

_FACE = r"(?:face|lips?|tongue|throat|mouth|eyelids?|eyes)"
_SWELL = r"(?:swell\w*|swollen|puff\w*|bloat\w*)"

SYMPTOMS: dict[Sign, tuple[str, ...]] = {
    Sign.BREATHING: (
        r"(?:can'?t|cannot|can not|unable to|not able to|struggl\w* to|hard to|difficult\w* to|trouble)"
        r"\s+(?:\w+\s+){0,2}breath\w*",
        r"(?:difficult\w*|trouble|problems?|hard|struggl\w*)\s+(?:with\s+)?breath\w*",
        r"short(?:ness)? of breath",
        r"breathless\w*",
        r"wheez\w*",
        r"gasp\w*",
        r"(?:chest|throat)\s+(?:is\s+|feels\s+|getting\s+)?(?:tight\w*|closing)",
        r"tight\w*\s+(?:in\s+)?(?:my\s+)?(?:chest|throat)",
        r"breath\w* (?:is |are )?(?:hard|difficult)",
        r"breath\w* (?:problems?|issues?|difficult\w*|troubles?)",
        r"no air",
        r"choking",
    ),
    Sign.FACE_SWELLING: (
        rf"{_FACE}\s+(?:\w+\s+){{0,3}}{_SWELL}",
        rf"{_SWELL}\s+(?:\w+\s+){{0,2}}{_FACE}",
        r"throat\s+(?:\w+\s+){0,2}closing",
    ),
    Sign.FAINT: (
        r"faint(?:ed|ing)\b",
        r"passed out",
        r"pass out",
        r"collaps\w*",
        r"black(?:ed)? out",
        r"blacking out",
        r"lost consciousness",
        r"unconscious",
    ),
    Sign.DIZZY: (r"dizz\w*", r"light\s*-?\s*headed\w*", r"(?:feel|feeling|felt)\s+faint", r"vertigo"),
    Sign.RASH_HIVES: (r"hives?", r"rash\w*", r"welts?", r"blotch\w*", r"itch\w* all over"),
    Sign.FEVER: (r"fever\w*", r"temperature", r"\btemp\b", r"chills?", r"shiver\w*", r"feverish"),
    Sign.PUS: (r"pus", r"ooz\w*", r"discharge", r"weeping", r"infected", r"infection"),
    Sign.NUMBNESS: (
        r"numb\w*",
        r"tingl\w*",
        r"pins and needles",
        r"balance",
        r"unsteady",
        r"wobbl\w*",
        r"falling over",
    ),
    Sign.UNSURE: (
        r"not sure (?:if|whether|about|i|how|the)",
        r"unsure",
        r"wrong (?:dose|amount|place|spot|site)",
        r"too much",
        r"double(?:d)? (?:dose|up)",
        r"injected twice",
        r"two doses",
        r"air bubble",
        r"hit a (?:vein|blood vessel)",
        r"into the muscle by mistake",
    ),
    Sign.REDNESS: (r"red\b", r"redness", r"reddish", r"redder", r"inflamed", r"pink\b"),
    Sign.SWELLING: (r"swell\w*", r"swollen", r"puff\w*", r"raised"),
    Sign.PAIN: (
        r"pain\w*",
        r"sore\w*",
        r"hurt\w*",
        r"ach\w*",
        r"tender\w*",
        r"sting\w*",
        r"burn\w*",
        r"throb\w*",
    ),
    Sign.ITCHING: (r"itch\w*",),
    Sign.BRUISING: (r"brui[sz]\w*", r"blue mark", r"purple mark"),
    Sign.LUMP: (r"lump\w*", r"bump\w*", r"knot\w*", r"hard (?:spot|bit|area)", r"nodule\w*"),
    Sign.WARMTH: (r"warm\w*", r"hot\b", r"heat\b"),
}

_MODIFIERS: dict[Modifier, tuple[str, ...]] = {
    Modifier.SPREADING: (r"spread\w*", r"getting (?:bigger|larger)", r"growing", r"bigger"),
    Modifier.WORSENING: (r"worse\w*", r"worsening", r"getting bad"),
    Modifier.PERSISTENT: (
        r"still (?:there|red|swollen|sore|itchy|hurts)",
        r"not going away",
        r"won'?t go away",
        r"hasn'?t gone",
        r"for (?:days|a week|weeks)",
    ),
}
_SEVERITY_WORDS = {
    Severity.SEVERE: (r"severe\w*", r"really bad", r"very bad", r"unbearable", r"excruciating",
                      r"agony", r"terrible", r"extreme\w*"),
    Severity.MODERATE: (r"moderate\w*", r"quite (?:bad|sore|red|swollen|itchy)", r"pretty bad"),
    Severity.MILD: (r"mild\w*", r"slight\w*", r"a (?:bit|little)", r"a tiny", r"minor"),
}  # fmt: skip

_NEGATORS = {
    "no", "not", "without", "never", "isn't", "isnt", "aren't", "arent", "wasn't", "wasnt",
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "nor", "none", "zero", "neither",
    "haven't", "havent", "hasn't", "hasnt", "nothing",
}  # fmt: skip
_RESOLVED_AFTER = re.compile(
    r"^\W*(?:\w+\s+){0,2}(?:is |are |has |have )?(?:gone|went (?:away|down)|disappeared|resolved|"
    r"cleared|faded|better now|stopped)"
)
_CLAUSE_BREAK = re.compile(r"[.;!?,]|\bbut\b|\bhowever\b|\bthough\b|\bexcept\b")

# Words the patterns care about: small typos in these are corrected before matching.
_VOCABULARY = sorted(
    {
        "redness", "swollen", "swelling", "itchy", "itching", "painful", "bruise", "bruising",
        "hives", "rash", "breathe", "breathing", "breath", "wheezing", "wheezy", "dizzy",
        "dizziness", "fainted", "fainting", "fever", "numbness", "tingling", "throat", "tongue",
        "spreading", "worse", "inflamed", "collapsed", "tender", "swallow", "balance", "lightheaded",
        "unconscious", "breathless", "feverish", "injection",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """What a piece of free text says, as far as triage is concerned."""

    signs: frozenset[Sign] = frozenset()
    modifiers: frozenset[Modifier] = frozenset()
    severity: Severity | None = None
    hours_since: float | None = None

    @property
    def is_report(self) -> bool:
        return bool(self.signs)


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


def triage(report: Report, rules: Iterable[Rule] | None = None) -> Triage:
    """The highest level of any matching rule (watch when none matches)."""
    from bot.domain.triage_rules import RULES

    matched = [rule for rule in (RULES if rules is None else rules) if rule.matches(report)]
    if not matched:
        return Triage(Level.WATCH, ())
    level = max(rule.level for rule in matched)
    top = [rule for rule in matched if rule.level == level]
    return Triage(level, tuple(r.id for r in matched), tuple(r.rationale for r in top))


# --- reading free text --------------------------------------------------------------------------


def _normalise(text: str) -> str:
    cleaned = text.lower().replace("’", "'").replace("`", "'")
    cleaned = re.sub(r"\bcant\b", "can't", cleaned)
    cleaned = re.sub(r"\bim\b", "i'm", cleaned)
    words = re.findall(r"[a-z']+|[^a-z'\s]", cleaned)
    fixed = []
    for word in words:
        if len(word) >= 5 and word.isalpha() and word not in _VOCABULARY:
            close = difflib.get_close_matches(word, _VOCABULARY, n=1, cutoff=0.84)
            word = close[0] if close else word
        fixed.append(word)
    return " ".join(fixed)


def _negated(text: str, start: int, end: int) -> bool:
    """A negator earlier in the same clause ('no redness or swelling'), or 'gone' right after."""
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(text, 0, start):
        clause_start = brk.end()
    before = text[clause_start:start].split()[-5:]
    negators = [i for i, word in enumerate(before) if word in _NEGATORS]
    # "not just red", "isn't only itchy" add to the sign rather than deny it
    if any(i + 1 >= len(before) or before[i + 1] not in {"just", "only"} for i in negators):
        return True
    after = _CLAUSE_BREAK.split(text[end:], maxsplit=1)[0]
    return bool(_RESOLVED_AFTER.match(after))


def _found(text: str, patterns: tuple[str, ...], spans: list[tuple[int, int]]) -> bool | None:
    """True: named and not negated; False: only negated; None: not named at all."""
    seen = None
    for pattern in patterns:
        for match in re.finditer(rf"\b(?:{pattern})", text):
            if any(s <= match.start() < e for s, e in spans):
                continue  # part of a longer sign already read ('throat swelling')
            if _negated(text, match.start(), match.end()):
                seen = seen or False
                continue
            spans.append(match.span())
            return True
    return seen


def read(text: str) -> Reading:
    """Signs, modifiers, severity and duration in a patient's own words."""
    normal = _normalise(text)
    spans: list[tuple[int, int]] = []
    signs = {sign for sign, patterns in SYMPTOMS.items() if _found(normal, patterns, spans)}
    modifiers = {m for m, patterns in _MODIFIERS.items() if _found(normal, patterns, [])}
    severity = next(
        (level for level, patterns in _SEVERITY_WORDS.items() if _found(normal, patterns, [])), None
    )
    return Reading(frozenset(signs), frozenset(modifiers), severity, _hours(normal))


def _hours(text: str) -> float | None:
    if m := re.search(r"(\d+)\s*(?:days?|d)\b", text):
        return int(m[1]) * 24.0
    if m := re.search(r"(\d+)\s*(?:hours?|hrs?|h)\b", text):
        return float(m[1])
    if re.search(r"\b(?:a|one) week\b", text):
        return 168.0
    if re.search(r"\b(?:two|couple of|few) days\b", text):
        return 48.0
    if re.search(r"\bsince yesterday\b|\ba day\b", text):
        return 24.0
    return None


def is_emergency(text: str) -> bool:
    """Does this text describe signs of a severe allergic reaction? (Checked on every message.)"""
    reading = read(text)
    if not reading.signs & (RED_FLAGS | {Sign.RASH_HIVES}):
        return False
    report = Report(reading.signs, reading.severity, reading.hours_since, reading.modifiers)
    return triage(report).level is Level.EMERGENCY
