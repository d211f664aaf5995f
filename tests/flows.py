"""Reusable conversation steps (set up a plan by buttons, the way a patient would)."""

from __future__ import annotations

from tests.harness import Chat


async def set_up(
    chat: Chat,
    schedule: str = "Daily ×7",
    time: str = "08:00",
    zone: str = "Europe/Berlin",
    start: str = "Tomorrow",
) -> None:
    """Walk setup: cyanocobalamin 1000 mcg/mL, 1 mL, under the skin, default sites."""
    await chat.send("/start")
    await chat.press("Cyanocobalamin")
    await chat.press("1000 mcg/mL")
    await chat.press("1 mL")
    await chat.press("Under the skin")
    await chat.press(schedule)
    await chat.press("Yes, that's my plan")
    await chat.send(time)
    await chat.send(zone)
    await chat.press("Done")
    await chat.send("Dr Rivera")
    await chat.send("+44 20 7946 0000")
    await chat.press(start)
    await chat.press("Yes, it matches")
