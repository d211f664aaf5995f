"""Free-text understanding: times, dates, zones, sites, and replies to a dose."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.parsing import parse_date, parse_time_of_day, parse_timezone, parse_weekdays
from bot.domain.replies import IntentKind, match_sites, parse_reply
from bot.domain.rotation import DEFAULT_SITES, rotation_order, suggest_site


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", time(8, 0)), ("8am", time(8, 0)), ("08:00", time(8, 0)), ("20:30", time(20, 30)),
        ("8.30 pm", time(20, 30)), ("8:30PM", time(20, 30)), ("12am", time(0, 0)),
        ("12pm", time(12, 0)), ("20h30", time(20, 30)), (" 7 ", time(7, 0)), ("noon", time(12, 0)),
        ("25:00", None), ("13pm", None), ("8:75", None), ("eight", None), ("", None),
        ("8 in the mornin", time(8, 0)), ("about 9 at night", time(21, 0)), ("7ish", time(7, 0)),
        ("8:30 in the evening", time(20, 30)), ("at 8am", time(8, 0)), ("13 in the morning", None),
    ],
)  # fmt: skip
def test_time_of_day(text: str, expected: time | None) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 24)), ("Tomorrow", date(2026, 11, 25)),
        ("2026-12-01", date(2026, 12, 1)), ("1 Dec", date(2026, 12, 1)),
        ("Dec 1", date(2026, 12, 1)), ("1st December", date(2026, 12, 1)),
        ("1/12", date(2026, 12, 1)), ("3 Jan", date(2027, 1, 3)), ("31 Feb", None),
        ("soon", None),
    ],
)  # fmt: skip
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text, date(2026, 11, 24)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"), ("berlin", "Europe/Berlin"),
        ("New York", "America/New_York"), ("new_york", "America/New_York"), ("London", "Europe/London"),
        ("UK", "Europe/London"), ("Sydney", "Australia/Sydney"), ("Berln", "Europe/Berlin"),
        ("Narnia", None), ("", None),
        ("london uk", "Europe/London"), ("New York, USA", "America/New_York"), ("london paris", None),
    ],
)  # fmt: skip
def test_time_zones(text: str, expected: str | None) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("left thigh", ["Thigh left"]), ("l thigh", ["Thigh left"]), ("left leg", ["Thigh left"]),
        ("Left Thigh", ["Thigh left"]), ("thigh left", ["Thigh left"]), ("R THIGH", ["Thigh right"]),
        ("right tummy", ["Abdomen right"]), ("belly l", ["Abdomen left"]), ("tigh right", ["Thigh right"]),
        ("thigh", ["Thigh left", "Thigh right"]), ("arm", []), ("banana", []),
    ],
)  # fmt: skip
def test_sites_are_matched_forgivingly(text: str, expected: list[str]) -> None:
    assert match_sites(text, DEFAULT_SITES) == expected


def test_custom_site_names_match_too() -> None:
    sites = ("Hip left", "Hip right", "Love handle")
    assert match_sites("left hip", sites) == ["Hip left"]
    assert match_sites("love handel", sites) == ["Love handle"]


NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "kind", "site", "given_local"),
    [
        ("done", IntentKind.DONE, "", None),
        ("Done!", IntentKind.DONE, "", None),
        ("done left thigh", IntentKind.DONE, "left thigh", None),
        ("done abdomen right 09:15", IntentKind.DONE, "abdomen right", datetime(2026, 11, 24, 9, 15)),
        ("done yesterday 21:00 right thigh", IntentKind.DONE, "right thigh", datetime(2026, 11, 23, 21, 0)),
        ("done 23:00", IntentKind.DONE, "", datetime(2026, 11, 23, 23, 0)),  # last night
        ("done at 9pm yesterday l thigh", IntentKind.DONE, "l thigh", datetime(2026, 11, 23, 21, 0)),
        ("done yday 8am right tummy", IntentKind.DONE, "right tummy", datetime(2026, 11, 23, 8, 0)),
        ("did it yest 9pm", IntentKind.DONE, "", datetime(2026, 11, 23, 21, 0)),
        ("done 2day 9:30 l thigh", IntentKind.DONE, "l thigh", datetime(2026, 11, 24, 9, 30)),
        ("injected left leg", IntentKind.DONE, "left leg", None),
        ("skip", IntentKind.SKIP, "", None),
        ("snooze", IntentKind.SNOOZE, "", None),
        ("what is this", IntentKind.UNKNOWN, "", None),
    ],
)  # fmt: skip
def test_dose_replies(text: str, kind: IntentKind, site: str, given_local: datetime | None) -> None:
    intent = parse_reply(text, NOW, BERLIN)
    assert intent.kind is kind
    assert intent.site_text == site
    expected = given_local.replace(tzinfo=BERLIN).astimezone(UTC) if given_local else None
    assert intent.given_at == expected


def test_reply_times_in_the_future_or_too_old_are_refused() -> None:
    assert parse_reply("done today 23:00", NOW, BERLIN).error == "future"
    old = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert parse_reply("done yesterday 10:00", old, BERLIN).error == ""
    assert parse_reply("snooze 45", NOW, BERLIN).minutes == 45
    assert parse_reply("snooze 1 hour", NOW, BERLIN).minutes == 60
    for typed, minutes in (("snooze 1hr", 60), ("snooze half an hour", 30), ("snooze 1.5 hours", 90)):
        assert parse_reply(typed, NOW, BERLIN).minutes == minutes
    assert parse_reply("skip feeling unwell", NOW, BERLIN).reason == "feeling unwell"


def test_weekdays() -> None:
    assert parse_weekdays("Mon Wed Fri") == (0, 2, 4)
    assert parse_weekdays("monday and thursday") == (0, 3)
    assert parse_weekdays("mon someday") is None


def test_rotation_suggests_the_site_unused_longest_ties_in_list_order() -> None:
    sites = DEFAULT_SITES
    assert suggest_site(sites, {}) == "Abdomen left"
    used = {
        "Abdomen left": datetime(2026, 3, 4, tzinfo=UTC),
        "Abdomen right": datetime(2026, 3, 2, tzinfo=UTC),
    }
    assert suggest_site(sites, used) == "Thigh left"  # never used beats used
    used |= {
        "Thigh left": datetime(2026, 3, 3, tzinfo=UTC),
        "Thigh right": datetime(2026, 3, 5, tzinfo=UTC),
    }
    assert rotation_order(sites, used) == [
        "Abdomen right",
        "Thigh left",
        "Abdomen left",
        "Thigh right",
    ]
    assert suggest_site(sites, used, unavailable={"Abdomen right"}) == "Thigh left"
    assert suggest_site((), {}) is None
