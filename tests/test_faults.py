"""Telegram errors while sending: flood control, time-outs, a patient who blocked the bot."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import time_machine
from telegram.error import TimedOut

from bot import texts
from bot.domain.plan import EXAMPLE_SCHEDULES, Plan, Product, Route
from bot.domain.rotation import DEFAULT_SITES
from tests.fake_telegram import ApiError, BotApiFake
from tests.flows import set_up
from tests.harness import Harness

DUE = "Time for your B12 injection"


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 3, day, hour - 1, minute, second, tzinfo=UTC)


async def test_flood_control_waits_the_time_telegram_asks_then_sends_once(
    bot: Harness, api: BotApiFake
) -> None:
    chat = bot.chat()
    await set_up(chat)
    api.fail_next("sendMessage", ApiError(429, "Too Many Requests: retry after 7", retry_after=7))
    await bot.advance_to(at(3, 8, 0, 5))
    assert not [m for m in chat.messages() if DUE in m.text]
    await bot.advance_to(at(3, 8, 1))
    due = [m for m in chat.messages() if DUE in m.text]
    assert len(due) == 1 and due[0].at == at(3, 8, 0, 8)  # 7 s asked + 1 s margin


async def test_time_outs_are_retried_with_back_off_and_never_dropped(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await set_up(chat)

    def time_out() -> None:
        raise TimedOut()

    for _ in range(3):
        api.fail_next("sendMessage", time_out)
    await bot.advance_to(at(3, 9, 0))
    attempts = [p for p in api.calls_of("sendMessage") if DUE in str(p.get("text", ""))]
    due = [m for m in chat.messages() if DUE in m.text]
    assert len(attempts) == 4 and len(due) == 1
    # back-off doubles: 30 s, 60 s, 120 s after the failed attempts at 08:00
    assert due[0].at == at(3, 8, 3, 30)


async def test_a_patient_who_blocked_the_bot_is_paused_and_resumed_without_a_backlog(
    bot: Harness, api: BotApiFake
) -> None:
    chat = bot.chat()
    await set_up(chat)
    api.fail_next("sendMessage", ApiError(403, "Forbidden: bot was blocked by the user"))
    await bot.advance_to(at(3, 9, 0))
    tries = len(api.calls_of("sendMessage"))
    await bot.advance_to(at(6, 12, 0))  # three days blocked
    assert len(api.calls_of("sendMessage")) == tries  # no retry loop
    replies = await chat.membership("kicked", "member")  # unblocked at 12:00 on Friday
    assert [m.text for m in replies] == [texts.WELCOME_BACK + "\nNext dose: tomorrow 08:00, at Abdomen left."]
    await bot.advance_to(at(7, 8, 1))
    due = [m for m in chat.messages() if DUE in m.text]
    assert [m.at for m in due] == [at(7, 8)]  # one reminder, on time, no backlog
    assert "Dose 1 of 7" in due[0].text


async def test_a_kicked_update_pauses_reminders_at_once(bot: Harness, api: BotApiFake) -> None:
    chat = bot.chat()
    await set_up(chat)
    await chat.membership("member", "kicked")
    sent = len(api.calls_of("sendMessage"))
    await bot.advance_to(at(5, 12, 0))
    assert len(api.calls_of("sendMessage")) == sent
    await chat.membership("kicked", "member")
    assert chat.last_reply().text.startswith(texts.WELCOME_BACK)


async def test_a_hundred_reminders_at_once_stay_within_telegrams_limits(
    api: BotApiFake, db_url: str, clock: time_machine.Coordinates
) -> None:
    bot = Harness(api, db_url, clock, rate_limit=True)
    await bot.start()
    try:
        plan = Plan(
            product=Product.CYANOCOBALAMIN, strength="1000 mcg/mL", dose="1 mL", route=Route.SUBCUTANEOUS,
            phases=EXAMPLE_SCHEDULES["weekly"], time_of_day=time(8, 0), timezone="Europe/Berlin",
            sites=DEFAULT_SITES,
            clinician_name="Dr A", clinician_contact="x", start_date=date(2026, 3, 3),
        )  # fmt: skip
        for chat_id in range(1, 101):
            patient_id = await bot.services.repo.patients.ensure_patient(chat_id, bot.now())
            await bot.services.dosing.start_plan(patient_id, plan)
        await bot.advance_to(at(3, 8, 1))
    finally:
        await bot.stop()
    sends = sorted(t for t, _ in api.send_times)
    assert len(sends) == 100 and len({c for _, c in api.send_times}) == 100  # each patient once
    busiest = max(sum(1 for t in sends if start <= t < start + 1.0) for start in sends)
    assert busiest <= 31, f"{busiest} messages within one second"
    assert sends[-1] - sends[0] >= 2.5  # spread out, not a burst


async def test_the_same_update_delivered_twice_is_processed_once(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 8, 1))
    update = chat.message_update("done left thigh")
    await chat._process(update)
    await chat._process(update)  # a webhook retry of the same delivery
    recorded = [m for m in chat.messages() if m.text.startswith("✅ Recorded")]
    assert len(recorded) == 1
    assert not [m for m in chat.messages() if "already recorded" in m.text]
