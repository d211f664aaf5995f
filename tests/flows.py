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
    await set_up_to_the_contact(chat, schedule, time, zone)
    await chat.send("+44 20 7946 0000")
    await chat.press(start)
    await chat.press("Yes, it matches")


async def set_up_to_the_contact(
    chat: Chat,
    schedule: str = "Daily ×7",
    time: str = "08:00",
    zone: str = "Europe/Berlin",
    *,
    again: bool = False,
) -> None:
    """Setup up to the question for the clinician's contact (`again`: over an existing plan)."""
    await chat.send("/start")
    if again:
        assert "already have a plan" in chat.last_reply().text
        await chat.press("Set up again")
    await chat.press("Cyanocobalamin")
    await chat.press("1000 mcg/mL")
    await chat.send("1 mL")  # a dose is typed as written, never one tap
    await chat.press("Under the skin")
    await choose_schedule(chat, schedule)
    await chat.send(time)
    await chat.send(zone)
    await chat.press("Done")
    await chat.send("Dr Rivera")


# The schedule step, by name: a preset (with its source) or built phase by phase.
SCHEDULES: dict[str, list[tuple[str, str]]] = {
    # daily ×7, then every other day ×7, then monthly (built: no source prints it exactly)
    "Daily ×7": [
        ("press", "Build my own"), ("press", "Every day"), ("press", "A number of injections"),
        ("send", "7"), ("press", "Add the next phase"), ("press", "Every other day"),
        ("press", "A number of injections"), ("send", "7"), ("press", "Add the next phase"),
        ("press", "Every month"), ("press", "Until my clinician says to change"),
    ],
    "Weekly": [
        ("press", "Build my own"), ("press", "Every week"), ("press", "Until my clinician says to change"),
    ],
    "Every day": [
        ("press", "Build my own"), ("press", "Every day"), ("press", "Until my clinician says to change"),
    ],
    "Monthly": [("press", "Once a month"), ("press", "Yes, that's my plan")],
    "3 times a week": [
        ("press", "3 times a week"), ("press", "Mon"), ("press", "Wed"), ("press", "Fri"), ("press", "Done"),
        ("press", "Yes, that's my plan"),
    ],
    "Every other day until switched": [
        ("press", "Every other day until your clinician says"), ("press", "Yes, that's my plan"),
    ],
}  # fmt: skip


async def choose_schedule(chat: Chat, schedule: str) -> None:
    """Answer "How often?" the way a patient would for this schedule."""
    for action, value in SCHEDULES[schedule]:
        await (chat.press(value) if action == "press" else chat.send(value))
