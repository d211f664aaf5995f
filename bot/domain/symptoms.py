"""Symptom check-ins: four symptoms, each none / mild / moderate / severe (0-3).

Pure logic: compare a check-in with the baseline (the first one) and the last one, in words; say
which nerve symptoms are new or worse (a clinician matter); decide whether, after the number of
weeks the clinician set, there has been no meaningful improvement (a reason to ask for a review).
"""

from __future__ import annotations

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
