"""Typed dose replies ("done yday 8pm left thigh", "snooze 1hr", "skip, away") on a locked set.

`tests/data/replies_locked.csv` was written by another hand from a brief naming only the kinds
(done with its day and time, snooze with its length, skip, unknown), after this session's reading
rules ("yday", "1hr") and never tuned on. A reply not understood gets buttons and "didn't catch
that", which is safe; a reply read as "done" when it was not records an injection that did not
happen, which is not.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.replies import IntentKind, parse_reply

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday 10:00, as the brief said


def read_right(row: dict[str, str]) -> bool:
    intent = parse_reply(row["text"], NOW, ZoneInfo("UTC"))
    if intent.kind.value != row["kind"]:
        return False
    if intent.kind is IntentKind.SNOOZE:
        return (str(intent.minutes) if intent.minutes is not None else "") == row["minutes"]
    if intent.kind is not IntentKind.DONE:
        return True
    given = intent.given_at
    day = None if given is None else {0: "today", 1: "yesterday"}.get((NOW.date() - given.date()).days)
    if row["day"] and day != row["day"]:
        return False
    if row["time"]:
        return given is not None and given.strftime("%H:%M") == row["time"]
    return given is None or (bool(row["day"]) and given.time() == time(12, 0))  # a day alone: midday


def test_typed_replies_never_tuned_on() -> None:
    with (Path(__file__).parent / "data" / "replies_locked.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    right = sum(read_right(row) for row in rows)
    false_done = sum(
        parse_reply(row["text"], NOW, ZoneInfo("UTC")).kind is IntentKind.DONE
        for row in rows
        if row["kind"] != "done"
    )
    # at writing: 74 of 120 right (66 before "yday" and "1hr" were read); 1 read as done wrongly
    assert right >= 74 and false_done <= 1
