"""Reminders that fall due while the bot is down are sent once after start-up, marked late."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import Harness

DUE = "Time for your B12 injection"


def berlin_utc(day: int, hour: int, minute: int = 0) -> datetime:
    # March 2026 before the DST switch: Berlin is UTC+1
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def test_reminder_due_during_downtime_is_sent_once_and_marked_late(
    api: BotApiFake, db_url: str, clock: time_machine.Coordinates
) -> None:
    first = Harness(api, db_url, clock)
    await first.start()
    await set_up(first.chat())
    await first.advance_to(berlin_utc(3, 7, 55))
    await first.stop()  # down from 07:55 ...

    clock.move_to(berlin_utc(3, 8, 20))  # ... to 08:20
    assert not [m for m in api.outbox if DUE in m.text]
    second = Harness(api, db_url, clock)
    await second.start()
    try:
        late = [m for m in api.outbox if DUE in m.text]
        assert len(late) == 1
        assert "Sorry, this reminder is late – it was due today 08:00" in late[0].text
        assert late[0].at == berlin_utc(3, 8, 20)
        assert late[0].buttons == ["✅ Done", "⏰ Snooze", "Skip", "⚠️ Report a problem"]
        await second.advance(minutes=30)  # sweeps and wake-ups run again: no duplicate
        assert len([m for m in api.outbox if DUE in m.text]) == 1
    finally:
        await second.stop()


async def test_days_of_downtime_become_one_message_not_a_burst(
    api: BotApiFake, db_url: str, clock: time_machine.Coordinates
) -> None:
    first = Harness(api, db_url, clock)
    await first.start()
    chat = first.chat()
    await set_up(chat)
    before = len(chat.messages())
    await first.stop()

    clock.move_to(berlin_utc(6, 9, 30))  # back three days later, after Friday's 08:00
    second = Harness(api, db_url, clock)
    await second.start()
    try:
        new = chat.messages()[before:]
        assert len(new) == 1, [m.text for m in new]
        text = new[0].text
        assert "wasn't recorded, so I've marked it missed" in text
        assert "Next dose: tomorrow 08:00" in text  # reminded at the next slot, not doubled
        await second.advance_to(berlin_utc(7, 8, 1))
        assert DUE in chat.last_reply().text
        assert chat.last_reply().at == berlin_utc(7, 8)
    finally:
        await second.stop()
