"""The triage pipeline: normalise -> find concepts -> read their context -> level.

`read(text)` says what a message describes (signs, modifiers, severity, how long); `assess(text)`
adds the level from the rule table. Both are pure and fast (no I/O after the first call, which
loads the spelling dictionary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from bot.domain.triage import lexicon
from bot.domain.triage.context import Context, hedged, settled
from bot.domain.triage.matcher import find
from bot.domain.triage.model import LOCAL_SIGNS, RED_FLAGS, Level, Modifier, Report, Severity, Sign, Triage
from bot.domain.triage.normalize import Vocabulary
from bot.domain.triage.normalize import tokens as normalise
from bot.domain.triage.rules import triage


@cache
def vocabulary() -> Vocabulary:
    """Every word the lexicon names (the spelling corrector's targets), weighted by the most
    serious sign it names: red flags 100, clinician-level signs 10, others 2; words of the classes
    a sign's patterns use a tenth of that; filler words 3."""
    weights: dict[str, int] = {}

    def add(words: set[str] | frozenset[str], weight: int) -> None:
        for word in words:
            if len(word) >= 4:
                weights[word] = max(weights.get(word, 0), weight)

    for sign, patterns in lexicon.CONCEPTS:
        level = triage(Report(frozenset({sign}))).level
        weight = 100 if sign in RED_FLAGS else 10 if level >= Level.CLINICIAN else 2
        for pattern in patterns:  # a sign's own words first, then the words of the classes it uses
            add(set(re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", pattern))), weight)
            for name in re.findall(r"\{(\w+)\}", pattern):
                add(lexicon.WORDS[name], max(1, weight // 10))
    for _, patterns in lexicon.MODIFIERS:
        for pattern in patterns:
            add(set(re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", pattern))), 1)
    add(lexicon.FILLER, 3)  # "relly" is really, not belly
    for group in lexicon.WORDS.values():
        add(group, 1)
    return Vocabulary(tuple(sorted(weights.items())))


@dataclass(frozen=True)
class Reading:
    """What a piece of free text says, as far as triage is concerned."""

    signs: frozenset[Sign] = frozenset()
    modifiers: frozenset[Modifier] = frozenset()
    severity: Severity | None = None
    hours_since: float | None = None
    hedged: bool = False
    question: bool = False
    settled: bool = False  # says something went away or got better
    resolved: frozenset[Sign] = frozenset()  # signs it says have gone ("the hives are gone now")
    symptom_like: bool = False  # names the body, a feeling or the injection, but no sign

    @property
    def is_report(self) -> bool:
        return bool(self.signs)

    @property
    def report(self) -> Report:
        return Report(self.signs, self.severity, self.hours_since, self.modifiers)


@dataclass(frozen=True)
class Assessment:
    reading: Reading
    result: Triage | None  # None: not a report
    tokens: list[str] = field(default_factory=list)  # the normalised words

    @property
    def level(self) -> Level | None:
        return self.result.level if self.result else None


def read(text: str) -> Reading:
    """Signs, modifiers, severity and duration in a patient's own words."""
    return _read(text, normalise(text, vocabulary()))


def _read(text: str, tokens: list[str]) -> Reading:
    context = Context(tokens)
    taken = {i for found in find(tokens, lexicon.NOT_SIGNS, set()) for i in range(found.start, found.end)}
    signs: set[Sign] = set()
    resolved: set[Sign] = set()
    modifiers: set[Modifier] = set()
    for sign, patterns in lexicon.CONCEPTS:
        for found in find(tokens, patterns, taken):
            if context.negated(found, sign in RED_FLAGS) or context.in_the_past(found, sign in RED_FLAGS):
                continue  # its words stay free: "mouth itchy, nothing swollen" is still an itchy mouth
            resolution = context.resolution(found)
            taken |= found.own
            if resolution == "resolved":
                resolved.add(sign)
                continue
            if resolution == "persists":
                modifiers.add(Modifier.PERSISTENT)
            signs.add(sign)
    for modifier, patterns in lexicon.MODIFIERS:
        if any(not context.negated(f, False) for f in find(tokens, patterns, set())):
            modifiers.add(modifier)
    question = "?" in text or _asks(tokens)
    if not signs and question and set(tokens) & lexicon.INJECTION_TALK and not about_the_bot(tokens):
        signs.add(Sign.UNSURE)  # "is it ok to keep the vials in the fridge door?"
    if signs - LOCAL_SIGNS == {Sign.RASH_HIVES} and _only_at_the_site(tokens):
        signs = (signs - {Sign.RASH_HIVES}) | {Sign.REDNESS}  # "a welt where the needle went in"
    if _growing(text):
        modifiers.add(Modifier.SPREADING)  # "3cm yesterday, 6cm today"
    spreading = modifiers & {Modifier.SPREADING, Modifier.WORSENING}
    if not signs and (spreading or any(find(tokens, lexicon.LINGERING, set()))):
        signs.add(Sign.OTHER)  # "no pain but it's spreading", "it hasn't gone down": something has
    severity = next(
        (
            level
            for level, patterns in lexicon.SEVERITY
            if any(not context.negated(f, False) for f in find(tokens, patterns, set()))
        ),
        None,
    )
    return Reading(
        frozenset(signs),
        frozenset(modifiers),
        severity,
        _hours(" ".join(tokens)) or _days_between(text),
        hedged=hedged(tokens),
        question=question,
        settled=settled(tokens),
        resolved=frozenset(resolved - signs),
        symptom_like=not signs and _sounds_like_a_symptom(tokens),
    )


def _sounds_like_a_symptom(tokens: list[str]) -> bool:
    """A word about the body, a feeling or a problem ("no problems" does not count), and not
    plainly good news."""
    hints = {t for i, t in enumerate(tokens) if t in lexicon.SYMPTOM_HINTS and tokens[i - 1 : i] != ["no"]}
    if not hints:
        return False
    uneasy = set(tokens) & (lexicon.UNEASY - {"feel", "feels", "feeling", "felt"})
    return not (set(tokens) & lexicon.GOOD_NEWS and not uneasy)


@lru_cache(maxsize=1024)
def assess(text: str) -> Assessment:
    """The reading and, when it describes a problem, its level. Pure, so cached: one message is
    read by the update queue (is it urgent?), the emergency lane and the typed-text router, and
    is triaged once. (The result is frozen; its tokens are never changed by a caller.)"""
    tokens = normalise(text, vocabulary())
    reading = _read(text, tokens)
    return Assessment(reading, triage(reading.report) if reading.is_report else None, tokens)


def is_emergency(text: str) -> bool:
    """Does this text describe signs of a severe allergic reaction?"""
    return assess(text).level is Level.EMERGENCY


_QUESTION_WORDS = {"what", "when", "why", "how", "should", "can", "could", "is", "are", "do", "does", "will"}


def _asks(tokens: list[str]) -> bool:
    return bool(tokens) and tokens[0] in _QUESTION_WORDS


_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "couple": 2, "few": 3, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "several": 3,
}  # fmt: skip


def _hours(text: str) -> float | None:
    number = r"(\d+|a|an|one|two|three|four|five|six|seven|couple of|few|several)"
    if m := re.search(rf"\b{number}\s+days?\b|\b(\d+)d\b", text):
        return _count(m[1] or m[2]) * 24.0
    if m := re.search(rf"\b{number}\s+(?:weeks?|wks?)\b", text):
        return _count(m[1]) * 168.0
    if m := re.search(rf"\b{number}\s+hours?\b|\b(\d+)h\b", text):
        return _count(m[1] or m[2])
    if re.search(r"\bday before yesterday\b|\bfor days\b|\ball week\b|\bsince the weekend\b", text):
        return 48.0
    if re.search(r"\bsince yesterday\b|\bsince last night\b|\byesterday\b", text):
        return 24.0
    return None


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm|centimet(?:er|re)s?|inch(?:es)?|in)\b", re.IGNORECASE)
_ORDINAL_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)


def about_the_bot(tokens: list[str]) -> bool:
    """ "how do I see my history?", "what time is my reminder?": for the bot, not the clinician."""
    asks_time = any(t == "time" and tokens[i - 1 : i] in (["what"], ["which"]) for i, t in enumerate(tokens))
    text = f" {' '.join(tokens)} "
    asks_how_many_left = " how many " in text and any(w in text for w in (" left ", " remaining ", " to go "))
    return asks_time or asks_how_many_left or bool(set(tokens) & lexicon.BOT_TALK)


def _only_at_the_site(tokens: list[str]) -> bool:
    """A welt or rash where the needle went in, and nowhere else ("not where I injected", "away
    from the site" and any other sign of the whole body keep it an allergy sign)."""
    text = f" {' '.join(tokens)} "
    at_site = any(
        f" {p} " in text and not re.search(rf"\b(?:not|away from|nowhere near|far from) {p}\b", text)
        for p in lexicon.AT_THE_SITE
    )
    return at_site and not set(tokens) & lexicon.ELSEWHERE


_BEFORE = re.compile(
    r"\b(?:was|were|earlier|yesterday|last|before|first|originally|initially|started)\b", re.IGNORECASE
)


def _growing(text: str) -> bool:
    """Sizes that grew ("3cm yesterday, 6cm today", "6cm now, was 2cm this morning"): the size
    said to be from before is the earlier one, otherwise the first named."""
    unit = {"mm": 0.1, "cm": 1.0, "in": 2.54}
    found = [
        (
            float(m[1]) * unit.get(m[2].lower()[:2], 2.54),
            bool(_BEFORE.search(_around(text, m.start(), m.end()))),
        )
        for m in _SIZE.finditer(text)
    ]
    if len(found) < 2:
        return False
    earlier = [size for size, before in found if before]
    later = [size for size, before in found if not before]
    if earlier and later:
        return max(later) > min(earlier)
    return found[-1][0] > found[0][0]


_WEEKDAY = re.compile(r"\b(mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b", re.IGNORECASE)
_WEEKDAY_INDEX = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}


def _around(text: str, start: int, end: int) -> str:
    """The words just before a size ("was about") and after it up to a comma ("this morning")."""
    return text[max(0, start - 15) : start] + " " + re.split(r"[,;.]", text[end : end + 25], maxsplit=1)[0]


def _days_between(text: str) -> float | None:
    """'injected on the 3rd, it's the 7th', 'from Monday's injection, now Saturday': the hours
    between the two days named."""
    days = [int(d) for d in _ORDINAL_DAY.findall(text) if 1 <= int(d) <= 31]
    if len(days) >= 2 and days[-1] > days[0]:
        return (days[-1] - days[0]) * 24.0
    weekdays = [_WEEKDAY_INDEX[m.lower()[:2]] for m in _WEEKDAY.findall(text)]
    if len(weekdays) >= 2 and weekdays[-1] != weekdays[0]:
        return ((weekdays[-1] - weekdays[0]) % 7) * 24.0
    return None


def _count(word: str) -> float:
    word = word.replace(" of", "")
    return float(word) if word.isdecimal() else float(_NUMBERS.get(word, 1))


_WORSE = lexicon.words("worse worsening worsened spreading spread bigger redder sorer hotter angrier")
_BETTER = lexicon.words(
    "better gone improving improved settled settling fading faded healing healed cleared clearing "
    "smaller less fine disappeared"
)
_SAME = lexicon.words("same unchanged")
_NEGATED_BY = lexicon.words("no not never")
MAX_ANSWER_WORDS = 25  # a longer message is a new report, not an answer


def follow_up_answer(text: str) -> str | None:
    """A typed answer to "better, the same, or worse?": 'better', 'same', 'worse' or None."""
    tokens = normalise(text, vocabulary())
    if not tokens or len(tokens) > MAX_ANSWER_WORDS:
        return None

    def negated(i: int) -> bool:
        return any(t in _NEGATED_BY for t in tokens[max(0, i - 3) : i])

    found = {
        name: [negated(i) for i, t in enumerate(tokens) if t in group]
        for name, group in (("worse", _WORSE), ("better", _BETTER), ("same", _SAME))
    }
    if False in found["worse"]:
        return "worse"
    if True in found["better"] or found["same"] or ("change" in tokens and "no" in tokens):
        return "same"
    if False in found["better"]:
        return "better"
    return "same" if "still" in tokens else None


_WHO = lexicon.words(
    "gp doctor doctors doc dr nurse clinic surgery pharmacist chemist hospital clinician consultant "
    "specialist paramedic paramedics 111"
)
_DID = lexicon.words(
    "spoke spoken speak rang rung called phoned saw seen been went visited talked told said says saying "
    "emailed messaged checked"
)
_CARRY_ON = (
    "carry on",
    "keep going",
    "continue",
    "fine to",
    "ok to",
    "safe to",
    "go ahead",
    "keep taking",
    "keep injecting",
    "fine to carry",
    "no problem to",
)


def spoke_to_clinician(text: str) -> tuple[bool, bool]:
    """'rang the gp, she said it's fine to carry on': (they contacted a clinician, they were told
    to carry on with the injections)."""
    tokens = normalise(text, vocabulary())
    words = set(tokens)
    contacted = bool(words & _WHO) and bool(words & _DID)
    joined = " ".join(tokens)
    return contacted, contacted and any(phrase in joined for phrase in _CARRY_ON)
