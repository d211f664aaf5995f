"""A patient's first eight weeks on "daily ×7, every other day ×7, then monthly", end to end:
real Application, real scheduler, real database; only Telegram is fake and time is moved."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot import texts
from tests.fake_telegram import BotApiFake, SentMessage
from tests.flows import set_up
from tests.harness import Chat, Harness

BERLIN = ZoneInfo("Europe/Berlin")
DUE = "Time for your B12 injection"


def berlin(month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def due_messages(chat: Chat) -> list[SentMessage]:
    return [m for m in chat.messages() if DUE in m.text]


def suggested(message: SentMessage) -> str:
    found = re.search(r"Suggested site: (.+?) \(", message.text)
    assert found, message.text
    return found[1]


async def take_dose_with_suggested_site(chat: Chat) -> str:
    """Tap Done on the newest dose message, then the first (suggested) site button."""
    await chat.press("Done")
    question = chat.last_reply()
    assert question.buttons[0].startswith("⭐")
    await chat.press("⭐")
    reply = chat.last_reply().text
    assert reply.startswith("✅ Recorded:"), reply
    return reply


async def test_eight_weeks_of_the_label_schedule(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await set_up(chat)  # Mon 2 Mar, 07:00 Berlin; first dose "tomorrow"
    saved, baseline = chat.messages()[-2:]  # the plan is saved, then the symptom baseline is asked
    assert "Your first dose: tomorrow 08:00, at Abdomen left." in saved.text
    assert baseline.text.startswith(texts.BASELINE_INTRO) and baseline.buttons[:2] == ["None", "Mild"]

    # Tue 3 Mar - Fri 6 Mar: given with the suggested site; Thu 5 snoozed 30 minutes first.
    for day in (3, 4, 5, 6):
        await bot.advance_to(berlin(3, day, 8, 1))
        message = due_messages(chat)[-1]
        assert message.at == berlin(3, day)
        assert f"Dose {day - 2} of 7 in phase 1 of 3" in message.text
        if day == 5:
            await chat.press("Snooze")
            await chat.press("30 min")
            assert "I'll remind you again today 08:31" in chat.last_reply().text
            await bot.advance_to(berlin(3, 5, 8, 40))
            assert chat.last_reply().at == berlin(3, 5, 8, 31)
            assert DUE in chat.last_reply().text
        await take_dose_with_suggested_site(chat)
    rotation = [suggested(m) for m in due_messages(chat) if m.at.minute == 0]
    assert rotation == ["Abdomen left", "Abdomen right", "Thigh left", "Thigh right"]

    # Sat 7 Mar: skipped, with a reason.
    await bot.advance_to(berlin(3, 7, 8, 5))
    await chat.press("Skip")
    await chat.press("Travelling")
    assert "Skipped – reason noted: Travelling." in chat.last_reply().text
    assert "Next dose: tomorrow 08:00" in chat.last_reply().text

    # Sun 8 Mar: no answer. One gentle re-reminder 2 hours later, then missed by Monday 08:00.
    await bot.advance_to(berlin(3, 8, 12, 0))
    sunday = [m for m in chat.messages() if m.at.date() == berlin(3, 8).date()]
    assert [m.at for m in sunday] == [berlin(3, 8), berlin(3, 8, 10, 0)]
    assert "gentle nudge" in sunday[1].text
    await bot.advance_to(berlin(3, 9, 8, 1))
    monday = [m for m in chat.messages() if m.at == berlin(3, 9)]
    assert len(monday) == 1, "the missed note and today's dose come as one message"
    assert "wasn't recorded, so I've marked it missed" in monday[0].text
    assert "Never take two to make up for it" in monday[0].text
    assert "Dose 5 of 7 in phase 1 of 3" in monday[0].text  # skipped and missed don't count
    await take_dose_with_suggested_site(chat)

    # Tue 10, Wed 11: doses 6 and 7 of the daily phase.
    for day in (10, 11):
        await bot.advance_to(berlin(3, day, 8, 1))
        await take_dose_with_suggested_site(chat)
    assert "Next dose: Fri 13 Mar 08:00" in chat.last_reply().text

    # Phase 2, every other day from the last daily injection: 13, 15, ... 25 March.
    for number, day in enumerate(range(13, 26, 2), start=1):
        await bot.advance_to(berlin(3, day, 8, 1))
        message = due_messages(chat)[-1]
        assert message.at == berlin(3, day)
        assert f"Dose {number} of 7 in phase 2 of 3 (every other day)" in message.text
        assert ("New phase" in message.text) == (number == 1)
        await take_dose_with_suggested_site(chat)
    assert "Next dose: Sat 25 Apr 08:00" in chat.last_reply().text

    # Nothing until the monthly dose, which arrives at 08:00 Berlin summer time (06:00 UTC).
    count = len(api.outbox)
    await bot.advance_to(berlin(4, 25, 7, 59))
    assert len(api.outbox) == count
    await bot.advance_to(berlin(4, 25, 8, 1))
    message = due_messages(chat)[-1]
    assert message.at == datetime(2026, 4, 25, 6, 0, tzinfo=UTC)
    assert "New phase: from now on, every month" in message.text
    assert "Dose 1 in phase 3 of 3 (every month)" in message.text

    # Every dose message arrived exactly once per dose, at 08:00 local.
    firsts = [m for m in due_messages(chat) if "gentle" not in m.text and m.at.minute == 0]
    assert all(m.at.astimezone(BERLIN).hour == 8 for m in firsts)
    assert len({m.at for m in firsts}) == len(firsts)
    # Always taking the suggestion (the site unused the longest) walks the whole rotation.
    used = [re.findall(r"✅ Recorded: (.+?),", m.text)[0] for m in chat.messages() if "✅ Recorded" in m.text]
    cycle = ["Abdomen left", "Abdomen right", "Thigh left", "Thigh right"]
    assert used == [cycle[i % 4] for i in range(len(used))]
    assert len(used) == 14

    # /history lists the latest doses with sites and status.
    await chat.send("/history")
    history = chat.last_reply().text
    assert history.count("✅ done") == 10
    assert "Thigh" in history and "Abdomen" in history

    # Restart: a new process over the same database. Nothing lost, nothing sent twice.
    await chat.send("/next")
    next_before = chat.last_reply().text
    await bot.stop()
    sent_before = len(api.outbox)
    again = Harness(api, bot.settings.database_url, bot.clock)
    await again.start()
    try:
        assert len(api.outbox) == sent_before, "nothing is re-sent on start-up"
        chat_again = again.chat()
        await chat_again.send("/history")
        assert chat_again.last_reply().text == history
        await chat_again.send("/next")
        assert chat_again.last_reply().text == next_before
        await chat_again.press("Done", message=due_messages(chat_again)[-1])
        await chat_again.press("⭐")
        assert chat_again.last_reply().text.startswith("✅ Recorded:")
        await again.advance_to(berlin(5, 26, 9, 0))
        may = [m for m in due_messages(chat_again) if m.at == berlin(5, 25)]
        assert len(may) == 1  # the next monthly dose, once
    finally:
        await again.stop()
