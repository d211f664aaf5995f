"""Free text to meaning, for the dose-due message: which site a patient names ("left thigh",
"tummy R") and what a reply means ("done left thigh at 8", "skip", "later")."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.parsing import find_time_in_text, words_of

_SIDES = {
    "left": "left", "l": "left", "lt": "left", "lft": "left", "lef": "left",
    "right": "right", "r": "right", "rt": "right", "rght": "right", "rigth": "right",
}  # fmt: skip
_AREAS = {
    "abdomen": "abdomen", "abd": "abdomen", "belly": "abdomen", "tummy": "abdomen",
    "stomach": "abdomen", "tum": "abdomen", "abdominal": "abdomen", "navel": "abdomen",
    "thigh": "thigh", "thighs": "thigh", "leg": "thigh", "legs": "thigh", "quad": "thigh",
    "arm": "arm", "arms": "arm", "tricep": "arm", "triceps": "arm",
    "buttock": "buttock", "bum": "buttock", "butt": "buttock", "glute": "buttock",
    "hip": "hip", "flank": "flank", "back": "back",
}  # fmt: skip
_AREA_WORDS = sorted(_AREAS)
_CLAUSES = re.compile(r"[,;!?\n]|\.(?!\d)|\s-\s|\b(?:but|now|though|tho|and)\b", re.IGNORECASE)


def _site_parts(text: str) -> tuple[str | None, str | None]:
    """(side, area) named in a piece of text, forgiving typos in area names."""
    side = area = None
    for word in words_of(text):
        if side is None and word in _SIDES:
            side = _SIDES[word]
        elif area is None:
            if word in _AREAS:
                area = _AREAS[word]
            elif len(word) >= 4:
                close = difflib.get_close_matches(word, _AREA_WORDS, n=1, cutoff=0.75)
                area = _AREAS[close[0]] if close else None
    return side, area


def find_site(text: str, sites: Sequence[str]) -> list[str]:
    """Sites a sentence names: the first clause that names exactly one ("done left thigh, it's a
    bit red" -> thigh left), else whatever the whole text matches."""
    for clause in _CLAUSES.split(text):
        found = match_sites(clause, sites) if clause.strip() else []
        if len(found) == 1:
            return found
    return match_sites(text, sites)


def match_sites(text: str, sites: Sequence[str]) -> list[str]:
    """Sites from the patient's list that the text could mean: one is a match, more ambiguous."""
    cleaned = " ".join(words_of(text))
    if not cleaned:
        return []
    exact = [s for s in sites if " ".join(words_of(s)) == cleaned]
    if exact:
        return exact
    side, area = _site_parts(text)
    if area is not None:
        found = []
        for site in sites:
            site_side, site_area = _site_parts(site)
            if site_area == area and (side is None or site_side in (None, side)):
                found.append(site)
        if found:
            return found
    names = {" ".join(words_of(s)): s for s in sites}
    close = difflib.get_close_matches(cleaned, list(names), n=1, cutoff=0.75)
    return [names[close[0]]] if close else []


# --- replies to a dose ------------------------------------------------------------------------


class IntentKind(StrEnum):
    DONE = "done"
    SKIP = "skip"
    SNOOZE = "snooze"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    site_text: str = ""  # what is left after the keyword and the time, for site matching
    given_at: datetime | None = None  # UTC, when the patient named a time
    minutes: int | None = None  # snooze length
    reason: str = ""  # skip reason as written
    error: str = ""  # why a named time was refused ('future', 'too_old')


_DONE_WORDS = re.compile(
    r"^\s*(?:done|did it|did|injected|taken|took it|finished|complete|completed|ok done|✅|✔️?)\b[\s,:.!-]*",
    re.IGNORECASE,
)
_DONE_ANYWHERE = re.compile(
    r"\b(?:done|did it|did my (?:jab|injection|shot|b12)|(?:jab|injection|shot) (?:is )?done|"
    r"injected|(?:have |just )?finished (?:the|my) (?:injection|jab|shot)|(?:have )?(?:done|did) the "
    r"(?:injection|jab|shot))\b[\s,:.!-]*",
    re.IGNORECASE,
)
_DENIED = re.compile(
    r"\b(?:not|never|haven'?t|hasn'?t|didn'?t|not yet|yet to|will|going to|gonna|should)\W+\w*\W*$", re.I
)
_SKIP_WORDS = re.compile(r"^\s*(?:skip|skipping|skipped|not today)\b[\s,:.!-]*", re.IGNORECASE)
_SNOOZE_WORDS = re.compile(r"^\s*(?:snooze|later|remind me later)\b[\s,:.!-]*", re.IGNORECASE)
_MAX_BACKDATE = timedelta(days=7)


def parse_reply(text: str, now: datetime, tz: ZoneInfo) -> Intent:
    """'done', 'done left thigh', 'done abdomen right 20:15', 'done yesterday 21:00 right thigh',
    'all good, jab done left arm', 'skip travelling', 'snooze 30' -> Intent. Times are the
    patient's local times."""
    if m := _DONE_WORDS.match(text) or _done_later_on(text):
        rest = text[m.end() :]
        given_at, rest, error = _given_time(rest, now, tz)
        return Intent(IntentKind.DONE, site_text=rest.strip(), given_at=given_at, error=error)
    if m := _SKIP_WORDS.match(text):
        return Intent(IntentKind.SKIP, reason=text[m.end() :].strip())
    if m := _SNOOZE_WORDS.match(text):
        return Intent(IntentKind.SNOOZE, minutes=_snooze_minutes(text[m.end() :].lower()))
    return Intent(IntentKind.UNKNOWN)


def _snooze_minutes(text: str) -> int | None:
    """'30', '30 mins', '1hr', '1.5 hours', 'an hour', 'half an hour' -> minutes."""
    if re.search(r"\bhalf an? (?:hour|hr)\b", text):
        return 30
    if re.search(r"\ban? (?:hour|hr)\b", text):
        return 60
    if hours := re.search(r"(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\b", text):
        return round(float(hours[1]) * 60)
    minutes = re.search(r"\d+", text)
    return int(minutes[0]) if minutes else None


def _done_later_on(text: str) -> re.Match[str] | None:
    """'all good, jab done left arm': a done word later in the message counts when it is not a
    question, not denied ("haven't done it yet"), and names a site or a time, or ends the message."""
    m = _DONE_ANYWHERE.search(text)
    if m is None or "?" in text or _DENIED.search(text[: m.start()][-30:]):
        return None
    after = text[m.end() :]
    names_something = _site_parts(after)[1] is not None or find_time_in_text(after) is not None
    return m if names_something or not after.strip(" .!💉✅👍") else None


# as typed by tired thumbs: "yday", "yest", "yesterdy"...; "2day", "tday"
_YESTERDAY = re.compile(
    r"\b(?:yesterday|yesterdy|yesturday|yesteday|yestrday|yestday|yest|yday|y'day|ystrdy)\b", re.I
)
_TODAY = re.compile(r"\b(?:today|todya|tday|2day)\b", re.I)


def _given_time(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str, str]:
    """Pull 'yesterday', 'today' and a clock time out of the text; returns (UTC time, rest, error)."""
    local_now = now.astimezone(tz)
    day: date | None = None
    words = text
    if _YESTERDAY.search(words):
        day = local_now.date() - timedelta(days=1)
        words = _YESTERDAY.sub(" ", words)
    elif _TODAY.search(words):
        day = local_now.date()
        words = _TODAY.sub(" ", words)
    words = re.sub(r"\b(at|around|about)\b", " ", words, flags=re.IGNORECASE)
    found = find_time_in_text(words)
    if found is None:
        if day is None:
            return None, words, ""
        # 'done yesterday' with no clock time: the patient's usual time is not known here;
        # take the middle of that day so the record lands on the right date.
        at = time(12, 0)
    else:
        at, words = found
    explicit_day = day is not None
    day = day or local_now.date()
    given = datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)
    if given > now + timedelta(minutes=5):
        if explicit_day:
            return None, words, "future"
        # 'done 23:00' typed at 07:00 means last night.
        given = datetime.combine(day - timedelta(days=1), at).replace(tzinfo=tz).astimezone(UTC)
    if now - given > _MAX_BACKDATE:
        return None, words, "too_old"
    return given, words, ""
