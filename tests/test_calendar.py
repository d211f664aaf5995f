"""/calendar: an .ics of the next six months that a calendar app reads back at local times."""

from __future__ import annotations

from datetime import UTC, date, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot import texts
from tests.flows import set_up
from tests.harness import Harness

BERLIN = ZoneInfo("Europe/Berlin")


async def test_calendar_lists_six_months_of_doses_at_local_times_across_dst(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)  # daily ×7 from Tue 3 March, every other day ×7, then monthly
    await chat.send("/calendar")
    document = chat.last_reply()
    assert document.file_name == "b12-doses.ics" and document.file_bytes
    assert document.text == texts.CALENDAR_CAPTION.format(count=19)
    events = list(Calendar.from_ical(document.file_bytes).walk("VEVENT"))
    starts = [event.get("dtstart").dt for event in events]
    days = [start.date() for start in starts]
    assert days[:7] == [date(2026, 3, d) for d in range(3, 10)]
    assert days[7:14] == [date(2026, 3, d) for d in range(11, 24, 2)]
    assert days[14:] == [date(2026, m, 23) for m in range(4, 9)]  # monthly, until September
    assert all(start.tzinfo is not None and start.astimezone(BERLIN).time() == time(8, 0) for start in starts)
    # the same 08:00 on both sides of the DST switch (29 March): different UTC hours
    assert {starts[13].astimezone(UTC).hour, starts[14].astimezone(UTC).hour} == {7, 6}
    summaries = [str(event.get("summary")) for event in events]
    assert summaries[:5] == [
        "B12 injection – Abdomen left", "B12 injection – Abdomen right", "B12 injection – Thigh left",
        "B12 injection – Thigh right", "B12 injection – Abdomen left",
    ]  # fmt: skip
    assert "as your clinician's plan says" in str(events[0].get("description"))
    assert len({str(event.get("uid")) for event in events}) == len(events)


async def test_no_calendar_while_paused_until_resumed(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/pause")
    await chat.press("Until I resume")
    await chat.send("/calendar")
    assert chat.last_reply().text == texts.CALENDAR_PAUSED
    await chat.send("/resume")
    await chat.send("/calendar")
    assert chat.last_reply().file_name == "b12-doses.ics"
