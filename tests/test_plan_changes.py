"""Plan changes over time: pausing (a hospital stay), travelling, moving to the next phase."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot import texts
from storage.models import Dose
from tests.flows import set_up
from tests.harness import Chat, Harness

DUE = "Time for your B12 injection"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Berlin wall time in March 2026 (UTC+1 before the DST switch on the 29th), as UTC."""
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


def due_times(chat: Chat) -> list[datetime]:
    return [m.at for m in chat.messages() if DUE in m.text]


async def statuses(bot: Harness) -> list[str]:
    async with bot.services.repo.sessions() as s:
        return list(await s.scalars(select(Dose.status).order_by(Dose.id)))


async def test_pause_until_a_date_sends_nothing_counts_nothing_missed_and_carries_on(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    await chat.send("done left thigh")
    await chat.send("/pause")
    assert chat.last_reply().text == texts.ASK_PAUSE
    await chat.press("Until a date")
    await chat.send("yesterday")
    assert "Please type a date after today" in chat.last_reply().text
    await chat.send("6 Mar")
    assert chat.last_reply().text == texts.PAUSED_UNTIL.format(until="Fri 06 Mar")
    await chat.send("/pause")
    assert "already paused until Fri 06 Mar" in chat.last_reply().text
    await bot.advance_to(at(6, 7, 59))
    assert due_times(chat) == [at(3, 8)]  # nothing on 4 and 5 March
    assert "missed" not in await statuses(bot)
    await bot.advance_to(at(6, 8, 1))
    last = chat.last_reply()
    assert last.at == at(6, 8)
    assert last.text.startswith(texts.PAUSE_ENDED) and DUE in last.text
    assert "Dose 2 of 7" in last.text  # counting carries on from before the pause


async def test_pause_until_resume(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/resume")
    assert chat.last_reply().text == texts.NOT_PAUSED
    await chat.send("/pause")
    await chat.press("Until I resume")
    assert chat.last_reply().text == texts.PAUSED_OPEN
    await bot.advance_to(at(5, 12, 0))
    assert due_times(chat) == []
    await chat.send("/resume")
    assert chat.last_reply().text == texts.RESUMED + "\nNext dose: tomorrow 08:00, at Abdomen left."
    await bot.advance_to(at(6, 8, 1))
    assert due_times(chat) == [at(6, 8)]
    assert "missed" not in await statuses(bot)


async def test_travelling_moves_future_reminders_to_the_new_local_time(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    await chat.send("done left thigh")
    await chat.send("/timezone")
    assert "stay at 08:00 local time" in chat.last_reply().text
    await chat.send("Tokyo")
    reply = chat.last_reply().text
    assert reply.startswith("Time zone set to Asia/Tokyo.")
    assert "Next dose: tomorrow 08:00" in reply  # 08:00 in Tokyo
    await bot.advance_to(datetime(2026, 3, 4, 0, 0, tzinfo=UTC))
    assert due_times(chat)[-1] == datetime(2026, 3, 3, 23, 0, tzinfo=UTC)  # 08:00 JST
    async with bot.services.repo.sessions() as s:
        first = await s.scalar(select(Dose).order_by(Dose.id))
    assert first is not None and first.given_at == at(3, 8, 1)  # the past record is unchanged
    await chat.send("/history")
    assert "✅ done Thigh left" in chat.last_reply().text


async def test_moving_to_the_next_phase_when_the_clinician_says_so(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat, schedule="Every other day until switched")
    await chat.send("/phase")
    assert "Now: every other day, until your clinician says to change" in chat.last_reply().text
    await chat.press("Not now")
    assert chat.last_reply().text == texts.CANCELLED
    await bot.advance_to(at(3, 8, 1))
    await chat.send("done left thigh")  # the last injection given: Tue 3 March
    await chat.send("/phase")
    await chat.press("Yes, my clinician said so")
    moved = chat.last_reply().text
    assert moved.startswith("Moved on: every 2 months, until your clinician says to change.")
    assert "Next dose: Sun 3 May 08:00" in moved  # two months after the last injection
    await chat.send("/phase")
    assert chat.last_reply().text == texts.LAST_PHASE
    await bot.advance_to(datetime(2026, 5, 3, 6, 1, tzinfo=UTC))  # 08:01 Berlin summer time
    last = [m for m in chat.messages() if DUE in m.text][-1]
    assert "New phase: from now on, every 2 months" in last.text


async def test_an_old_time_zone_button_neither_moves_the_plan_nor_ends_a_setup(bot: Harness) -> None:
    """Found by a patient walk: a zone button of an earlier /timezone message, tapped during
    "Set up again", changed the current plan's zone and silently dropped the setup in progress."""
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/timezone")
    old = chat.last_reply()
    await chat.send("Europe/Berlin")  # answered by typing; the buttons stay on the old message
    await chat.send("/start")
    await chat.press("Set up again")
    question = chat.last_reply().text
    replies = await chat.press("Europe/London", old)
    assert not replies  # only the "out of date" toast
    snap = await bot.services.patients.snapshot(chat.chat_id)
    assert snap is not None and snap.plan is not None and snap.plan.timezone == "Europe/Berlin"
    draft = await bot.services.conversations.current(chat.chat_id)
    assert draft is not None and draft.flow == "setup"  # the setup goes on
    assert chat.last_reply().text == question
