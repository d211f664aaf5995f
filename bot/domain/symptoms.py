"""Symptom check-ins: four symptoms, each none / mild / moderate / severe (0-3).

Pure logic: compare a check-in with the baseline (the first one) and the last one, in words; say
which nerve symptoms are new or worse (a clinician matter); decide whether, after the number of
weeks the clinician set, there has been no meaningful improvement (a reason to ask for a review).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.schedule import local_slot

SYMPTOMS: tuple[tuple[str, str], ...] = (
    ("fatigue", "Tiredness"),
    ("numbness", "Numbness or tingling"),
    ("balance", "Balance"),
    ("memory", "Memory or focus"),
)
KEYS: tuple[str, ...] = tuple(key for key, _ in SYMPTOMS)
LABELS: dict[str, str] = dict(SYMPTOMS)
LEVELS: tuple[str, ...] = ("none", "mild", "moderate", "severe")
NERVE_SYMPTOMS = frozenset({"numbness", "balance"})  # new or worse: tell the clinician
CHECK_IN_FLOW = "checkin"  # a check-in question waiting: a typed level ("abit") answers it
TYPED_ANSWER_FOR = timedelta(hours=48)  # after that, typed words are read afresh
DEFAULT_REVIEW_WEEKS = 8


@dataclass(frozen=True)
class CheckIn:
    at: datetime
    levels: Mapping[str, int]  # symptom key -> 0..3


def encode(levels: Sequence[int]) -> str:
    """Answers so far as digits, in SYMPTOMS order ("210" = tiredness moderate, tingling mild, ...)."""
    return "".join(str(level) for level in levels)


def decode(digits: str) -> list[int] | None:
    """The digits back, or None when they are not answers (0-3, at most one per symptom)."""
    if len(digits) > len(KEYS) or any(c not in "0123" for c in digits):
        return None
    return [int(c) for c in digits]


def as_levels(values: Sequence[int]) -> dict[str, int]:
    return dict(zip(KEYS, values, strict=True))


def worse_nerves(previous: Mapping[str, int] | None, current: Mapping[str, int]) -> list[str]:
    """Nerve symptoms that are new (none before) or worse than the previous check-in. The first
    check-in (the baseline) is what the plan was written for: nothing to compare with."""
    if previous is None:
        return []
    return [k for k in KEYS if k in NERVE_SYMPTOMS and current.get(k, 0) > previous.get(k, 0)]


def improved(baseline: Mapping[str, int], current: Mapping[str, int]) -> bool:
    """Meaningful improvement: at least one symptom a level better and none worse, or nothing
    left to improve (all none)."""
    if not any(current.get(k, 0) for k in KEYS):
        return True
    better = any(current.get(k, 0) < baseline.get(k, 0) for k in KEYS)
    worse = any(current.get(k, 0) > baseline.get(k, 0) for k in KEYS)
    return better and not worse


def review_due(baseline: CheckIn | None, current: CheckIn, weeks: int) -> bool:
    """At least `weeks` weeks since the baseline, and no meaningful improvement since."""
    if baseline is None or current.at - baseline.at < timedelta(weeks=weeks):
        return False
    return not improved(baseline.levels, current.levels)


def trend_word(before: int, now: int) -> str:
    return "better" if now < before else "worse" if now > before else "the same"


def compare(baseline: CheckIn | None, last: CheckIn | None, current: CheckIn) -> list[tuple[str, str]]:
    """One (label, words) per symptom: 'moderate → mild since you started, better than last time'."""
    lines = []
    for key, label in SYMPTOMS:
        now = current.levels.get(key, 0)
        parts = []
        if baseline is not None:
            start = baseline.levels.get(key, 0)
            if start == now:
                parts.append(f"{LEVELS[now]}, as when you started")
            else:
                parts.append(f"{LEVELS[start]} → {LEVELS[now]} since you started")
        else:
            parts.append(LEVELS[now])
        if last is not None and (baseline is None or last.at != baseline.at):
            parts.append(
                f"{trend_word(last.levels.get(key, 0), now)} than last time"
                if last.levels.get(key, 0) != now
                else "same as last time"
            )
        lines.append((label, "; ".join(parts)))
    return lines


def next_check_in(now: datetime, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    """The next weekly check-in (local weekday and time) strictly after `now`, in UTC."""
    today = now.astimezone(tz).date()
    for ahead in range(8):
        day: date = today + timedelta(days=ahead)
        if day.weekday() != weekday:
            continue
        slot = local_slot(day, at, tz)
        if slot > now:
            return slot
    raise AssertionError("a weekday within 8 days always comes")


# --- a typed answer to a check-in question -------------------------------------------------------
# Read only when the reply is plainly one level: anything else (two levels, a comparison, a
# question, a report, a dose reply) is left for the buttons and the bot's other readers.
_LEVEL_PHRASES: dict[int, tuple[str, ...]] = {
    0: ("none", "no", "nope", "nah", "naw", "not really", "not at all", "nothing", "zero", "fine",
        "no problems", "no problem", "no issues", "all good", "good", "great", "normal", "nil"),
    1: ("mild", "mildly", "a bit", "a little", "a touch", "a tiny bit", "slight", "slightly", "bit",
        "little", "a little bit", "a wee bit", "somewhat", "minor"),
    2: ("moderate", "moderately", "quite", "quite bad", "fairly", "fairly bad", "pretty bad",
        "medium", "middling", "so so", "average"),
    3: ("severe", "severely", "very bad", "really bad", "very very bad", "terrible", "awful", "horrendous",
        "horrible", "extremely", "extreme", "so bad", "dreadful", "unbearable", "worst"),
}  # fmt: skip
_DIGITS = {"0": 0, "1": 1, "2": 2, "3": 3}
_SPELLINGS = {  # as tired thumbs type them
    "abit": "a bit", "alil": "a little", "lil": "little", "mld": "mild", "mildd": "mild",
    "modrate": "moderate", "moderat": "moderate", "moderite": "moderate", "modarate": "moderate",
    "mod": "moderate", "sever": "severe", "severly": "severely", "servere": "severe",
    "v": "very", "rly": "really", "realy": "really", "reely": "really", "terible": "terrible",
    "awfull": "awful", "nothin": "nothing", "slighty": "slightly", "sligthly": "slightly",
}  # fmt: skip
# words that make a reply something other than one plain level
_NOT_AN_ANSWER = frozenset({
    "same", "worse", "better", "idea", "idk", "dunno", "sure", "skip", "later", "done", "what",
    "why", "how", "between", "to", "but", "except", "although", "though", "bad", "great", "ok",
    "okay", "mean", "means", "red", "swollen", "swelling", "itchy", "rash", "lump", "thigh",
    "arm", "tummy", "abdomen", "injection", "injected", "dose", "snooze",
})  # fmt: skip
_PHRASES = sorted(
    ((tuple(p.split()), level) for level, ps in _LEVEL_PHRASES.items() for p in ps),
    key=lambda item: -len(item[0]),
)


def level_in_words(text: str, *, alone: bool = False) -> int | None:
    """A typed check-in answer ("abit", "v bad", "nah", "2"): its level 0-3, or None unless it is
    plainly one level (`alone`: and nothing else is said: "feeling a bit off today" is not)."""
    words = [_SPELLINGS.get(w, w) for w in re.findall(r"[a-z0-9']+", text.lower())]
    tokens = " ".join(words).split()
    if not tokens or len(tokens) > 10:
        return None
    if len(tokens) == 1 and tokens[0] in _DIGITS:
        return _DIGITS[tokens[0]]
    if tokens in (["very"], ["really"]):  # an intensifier alone: "very" (much)
        return 3
    found: set[int] = set()
    used: set[int] = set()
    for phrase, level in _PHRASES:
        for start in range(len(tokens) - len(phrase) + 1):
            span = range(start, start + len(phrase))
            if tuple(tokens[start : start + len(phrase)]) == phrase and not used & set(span):
                negated = start > 0 and tokens[start - 1] in {"not", "no", "never", "isn't", "nt"}
                if negated:
                    return None  # "not bad", "not great": which level is not said
                found.add(level)
                used |= set(span)
    rest = [t for i, t in enumerate(tokens) if i not in used]
    if len(found) != 1 or _NOT_AN_ANSWER & set(rest) or any(t.isdigit() for t in rest) or (alone and rest):
        return None
    return found.pop()
