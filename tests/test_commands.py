"""Commands: the menu set on start-up, /help, /next, /plan, /history before and after setup."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import texts
from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import Harness


async def test_command_menu_is_set_on_start_up_and_help_lists_every_command(
    bot: Harness, api: BotApiFake
) -> None:
    menu = [c["command"] for c in api.commands]
    assert menu == [
        "start", "next", "plan", "history", "report", "reports", "sites", "settings", "pause",
        "resume", "timezone", "phase", "calendar", "symptoms", "labs", "supplies", "chart", "caregiver",
        "export", "delete", "cancel", "stop", "help",
    ]  # fmt: skip
    chat = bot.chat()
    await chat.send("/help")
    for command in menu:
        assert f"/{command}" in chat.last_reply().text
    assert "never change a dose" in chat.last_reply().text


async def test_commands_before_setup_point_to_start(bot: Harness) -> None:
    chat = bot.chat()
    for command in ("/next", "/plan", "/history"):
        await chat.send(command)
        assert chat.last_reply().text == texts.NEED_SETUP


async def test_next_plan_and_history(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.send("/next")
    assert chat.last_reply().text == "Next dose: tomorrow 08:00, at Abdomen left."
    await chat.send("/plan")
    plan = chat.last_reply().text
    assert "Product: Cyanocobalamin" in plan and "Dose: 1 mL" in plan
    assert "1. Every day, 7 injections" in plan
    await chat.send("/history")
    assert chat.last_reply().text == "No doses recorded yet."
    await bot.advance_to(datetime(2026, 3, 3, 7, 1, tzinfo=UTC))
    await chat.send("/next")
    assert "(due now – tap Done when it's done)" in chat.last_reply().text
    await chat.send("done right thigh")
    await chat.send("/history")
    assert chat.last_reply().text == ("Your last doses (newest first):\ntoday 08:01 – ✅ done Thigh right")
