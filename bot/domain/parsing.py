"""Free text to meaning: times of day, dates, time zones, counts and weekdays (replies: `replies.py`).

Forgiving by design: patients type on phones, often tired, sometimes with numb fingers. Every
function returns None (or an UNKNOWN intent) rather than guessing when the text is unclear.
"""

from __future__ import annotations

import calendar
import difflib
import re
from datetime import date, time, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

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


_DAY_PART = re.compile(  # "8 in the mornin", "about 9 at night", "7ish"
    r"\b(?:(?P<am>in the morn\w*|morn\w*|a\.?m\.?)|(?P<pm>in the (?:evening|afternoon)|at night|tonight"
    r"|evening|p\.?m\.?))\s*$"
)
_FILLER = re.compile(r"^(?:at|about|around|approx\.?|roughly)\s+|\s*(?:-?ish|o'?clock)\b")


def parse_time_of_day(text: str) -> time | None:
    """'8', '8am', '08:00', '20:30', '8.30 pm', '20h30', 'noon', '8 in the morning', 'about 9 at
    night', '7ish' -> time, else None."""
    cleaned = _FILLER.sub("", text.strip().lower()).strip()
    if cleaned in {"noon", "midday"}:
        return time(12, 0)
    if (part := _DAY_PART.search(cleaned)) is not None and re.fullmatch(
        r"\d{1,2}(?:[:.]\d{2})?", head := cleaned[: part.start()].strip()
    ):
        cleaned = f"{head} {'am' if part['am'] else 'pm'}"
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
    if close:
        return index[close[0]]
    # "london uk", "new york, usa": a city (or two-word city) with more words; one zone or none
    words = re.findall(r"[a-z]+", cleaned)
    spans = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)] + words
    found = {index[span] for span in spans if span in index}
    return found.pop() if len(found) == 1 else None


# --- injection sites ----------------------------------------------------------------------------


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


def words_of(text: str) -> list[str]:
    """The words of a text, lower case, letters only."""
    return re.findall(r"[a-z]+", text.lower())


def parse_weekdays(text: str) -> tuple[int, ...] | None:
    """'Mon Wed Fri', 'monday, thursday' -> (0, 2, 4); None when a word is not a weekday."""
    words = words_of(text)
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
