"""Free text to meaning: times of day, dates, time zones, sites, and dose replies.

Forgiving by design: patients type on phones, often tired, sometimes with numb fingers. Every
function returns None (or an UNKNOWN intent) rather than guessing when the text is unclear.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

# --- time of day -------------------------------------------------------------------------------

_TIME_RE = re.compile(
    r"^(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?$", re.IGNORECASE
)
_TIME_IN_TEXT_RE = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2})|\s*(?=[ap]\.?m\b))(?:\s*(?P<ampm>[ap]\.?m\.?))?"
    r"(?![\w/-])",
    re.IGNORECASE,
)


def _to_time(hour: int, minute: int, ampm: str | None) -> time | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm.lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def parse_time_of_day(text: str) -> time | None:
    """'8', '8am', '08:00', '20:30', '8.30 pm', '20h30', 'noon' -> time, else None."""
    cleaned = text.strip().lower()
    if cleaned in {"noon", "midday"}:
        return time(12, 0)
    match = _TIME_RE.match(cleaned)
    if not match:
        return None
    return _to_time(int(match["h"]), int(match["m"] or 0), match["ampm"])


def find_time_in_text(text: str) -> tuple[time, str] | None:
    """The first clock time inside a sentence ('done 20:15 left'), with the text without it."""
    for match in _TIME_IN_TEXT_RE.finditer(text):
        found = _to_time(int(match["h"]), int(match["m"] or 0), match["ampm"])
        if found is not None:
            rest = (text[: match.start()] + " " + text[match.end() :]).strip()
            return found, rest
    return None


# --- dates ---------------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}


def parse_date(text: str, today: date, *, past: bool = False) -> date | None:
    """'today', 'tomorrow', '2026-12-01', '1 Dec', 'Dec 1', '1/12/2026' (day first) -> date.
    A date without a year is the next one to come, or with `past` the last one gone by."""
    found = _parse_date(text, today)
    relative = text.strip().lower() in {"today", "yesterday", "tomorrow"}
    if found is None or not past or relative or re.search(r"\d{4}|/\d{2}$", text) or found <= today:
        return found
    try:
        return found.replace(year=found.year - 1)
    except ValueError:  # 29 Feb
        return found.replace(year=found.year - 1, day=28)


def _parse_date(text: str, today: date) -> date | None:
    cleaned = text.strip().lower().rstrip(".")
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?", cleaned):
            year = int(m[3]) if m[3] else today.year
            year = year + 2000 if year < 100 else year
            found = date(year, int(m[2]), int(m[1]))
            return found if m[3] or found >= today else date(year + 1, found.month, found.day)
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)(?:\s+(\d{4}))?", cleaned):
            day, month_name, year_text = int(m[1]), m[2], m[3]
        elif m := re.fullmatch(r"([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", cleaned):
            day, month_name, year_text = int(m[2]), m[1], m[3]
        else:
            return None
        month = _MONTHS.get(month_name)
        if month is None:
            return None
        found = date(int(year_text) if year_text else today.year, month, day)
        if not year_text and found < today:
            found = date(found.year + 1, month, day)
        return found
    except ValueError:
        return None


def parse_month_or_date(text: str, today: date) -> date | None:
    """An expiry date: '2027-03', '03/2027', 'Mar 2027' (the month's last day) or a full date."""
    cleaned = text.strip().lower().rstrip(".")
    month = year = None
    if m := re.fullmatch(r"(\d{4})[-/](\d{1,2})", cleaned):
        year, month = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})[-/](\d{4})", cleaned):
        month, year = int(m[1]), int(m[2])
    elif (m := re.fullmatch(r"([a-z]+)\s+(\d{4})", cleaned)) and m[1] in _MONTHS:
        month, year = _MONTHS[m[1]], int(m[2])
    if month is not None and year is not None:
        if not 1 <= month <= 12:
            return None
        return date(year, month, calendar.monthrange(year, month)[1])
    return parse_date(text, today)


def parse_in_weeks(text: str, today: date) -> date | None:
    """'in 8 weeks', '8 weeks', 'in 3 months' -> the date that far from today."""
    m = re.fullmatch(r"\s*(?:in\s+)?(\d{1,3})\s*(weeks?|wks?|w|months?)\s*", text.lower())
    if m is None:
        return None
    count = int(m[1])
    if m[2].startswith("m"):
        index = today.month - 1 + count
        year, month = today.year + index // 12, index % 12 + 1
        return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    return today + timedelta(weeks=count)


# --- time zones ---------------------------------------------------------------------------------

_ZONE_ALIASES = {
    "uk": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "ireland": "Europe/Dublin",
    "germany": "Europe/Berlin",
    "france": "Europe/Paris",
    "spain": "Europe/Madrid",
    "italy": "Europe/Rome",
    "netherlands": "Europe/Amsterdam",
    "india": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "utc": "UTC",
    "gmt": "Europe/London",
    "eastern": "America/New_York",
    "central": "America/Chicago",
    "mountain": "America/Denver",
    "pacific": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles",
    "washington": "America/New_York",
    "boston": "America/New_York",
    "seattle": "America/Los_Angeles",
    "beijing": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "japan": "Asia/Tokyo",
}


@lru_cache(maxsize=1)
def _zone_index() -> dict[str, str]:
    """Lower-case IANA names and their city parts ('new york') -> canonical zone name."""
    index: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in name:
            continue
        index.setdefault(name.lower(), name)
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        index.setdefault(city, name)
    index.update(_ZONE_ALIASES)
    index["utc"] = "UTC"
    return index


def parse_timezone(text: str) -> str | None:
    """An IANA name ('Europe/Berlin'), a city ('berlin', 'New York') or a country alias."""
    cleaned = re.sub(r"\s+", " ", text.strip().lower().replace("_", " "))
    if not cleaned or len(cleaned) > 64:
        return None
    index = _zone_index()
    for key in (cleaned, cleaned.replace(" ", "_")):
        if key in index:
            return index[key]
    close = difflib.get_close_matches(cleaned, list(index), n=1, cutoff=0.85)
    return index[close[0]] if close else None


# --- injection sites ----------------------------------------------------------------------------

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


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def _site_parts(text: str) -> tuple[str | None, str | None]:
    """(side, area) named in a piece of text, forgiving typos in area names."""
    side = area = None
    for word in _words(text):
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
    cleaned = " ".join(_words(text))
    if not cleaned:
        return []
    exact = [s for s in sites if " ".join(_words(s)) == cleaned]
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
    names = {" ".join(_words(s)): s for s in sites}
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
        minutes = re.search(r"\d+", text[m.end() :])
        value = int(minutes[0]) if minutes else None
        if value is not None and re.search(r"\b(h|hr|hrs|hour|hours)\b", text, re.IGNORECASE):
            value *= 60
        return Intent(IntentKind.SNOOZE, minutes=value)
    return Intent(IntentKind.UNKNOWN)


def _done_later_on(text: str) -> re.Match[str] | None:
    """'all good, jab done left arm': a done word later in the message counts when it is not a
    question, not denied ("haven't done it yet"), and names a site or a time, or ends the message."""
    m = _DONE_ANYWHERE.search(text)
    if m is None or "?" in text or _DENIED.search(text[: m.start()][-30:]):
        return None
    after = text[m.end() :]
    names_something = _site_parts(after)[1] is not None or find_time_in_text(after) is not None
    return m if names_something or not after.strip(" .!💉✅👍") else None


def _given_time(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime | None, str, str]:
    """Pull 'yesterday', 'today' and a clock time out of the text; returns (UTC time, rest, error)."""
    local_now = now.astimezone(tz)
    day: date | None = None
    words = text
    if re.search(r"\byesterday\b", words, re.IGNORECASE):
        day = local_now.date() - timedelta(days=1)
        words = re.sub(r"\byesterday\b", " ", words, flags=re.IGNORECASE)
    elif re.search(r"\btoday\b", words, re.IGNORECASE):
        day = local_now.date()
        words = re.sub(r"\btoday\b", " ", words, flags=re.IGNORECASE)
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


def parse_count(text: str, low: int, high: int) -> int | None:
    """A whole number in [low, high] from text like '7', '7 injections', 'seven' is not read."""
    m = re.fullmatch(r"\s*(\d{1,4})\s*[a-z ]*", text.lower())
    if not m:
        return None
    value = int(m[1])
    return value if low <= value <= high else None


_WEEKDAY_WORDS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip


def parse_weekdays(text: str) -> tuple[int, ...] | None:
    """'Mon Wed Fri', 'monday, thursday' -> (0, 2, 4); None when a word is not a weekday."""
    words = _words(text)
    if not words:
        return None
    days = set()
    for word in words:
        if word in {"and"}:
            continue
        if word not in _WEEKDAY_WORDS:
            return None
        days.add(_WEEKDAY_WORDS[word])
    return tuple(sorted(days)) or None
