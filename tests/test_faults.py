"""Telegram errors while sending: flood control, time-outs, a patient who blocked the bot."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from pathlib import Path

import time_machine
from telegram.error import TimedOut

from bench.telegram_limits import LimitedBotApi, LimitedRequest
from bot import texts
from bot.domain.plan import EXAMPLE_SCHEDULES, Plan, Product, Route
from bot.domain.rotation import DEFAULT_SITES
from bot.ratelimit import PatientRateLimiter
from tests.fake_telegram import ApiError, BotApiFake
from tests.flows import set_up
from tests.harness import Harness, sqlite_url

DUE = "Time for your B12 injection"


def limiter_of(bot: Harness) -> PatientRateLimiter:
    limiter = bot.app.bot.rate_limiter
    assert isinstance(limiter, PatientRateLimiter)
    return limiter


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


async def _due_at_eight(bot: Harness, patients: int = 100) -> None:
    plan = Plan(
        product=Product.CYANOCOBALAMIN, strength="1000 mcg/mL", dose="1 mL", route=Route.SUBCUTANEOUS,
        phases=EXAMPLE_SCHEDULES["weekly"], time_of_day=time(8, 0), timezone="Europe/Berlin",
        sites=DEFAULT_SITES,
        clinician_name="Dr A", clinician_contact="x", start_date=date(2026, 3, 3),
    )  # fmt: skip
    for chat_id in range(1, patients + 1):
        patient_id = await bot.services.repo.patients.ensure_patient(chat_id, bot.now())
        await bot.services.dosing.start_plan(patient_id, plan)


async def test_a_hundred_reminders_at_once_go_at_telegrams_full_pace_and_never_over(
    db_url: str, clock: time_machine.Coordinates
) -> None:
    """Issue 15: against a Telegram that answers 429 beyond 30 a second (counted as requests
    arrive, which is not quite as they were sent), every patient gets their reminder once, none
    is refused, and the pace is close to the 30 allowed."""
    api = LimitedBotApi()
    bot = Harness(api, db_url, clock, request=LimitedRequest(api), rate_limit=True)
    await bot.start()
    try:
        await _due_at_eight(bot)
        await bot.advance_to(at(3, 8, 1))
    finally:
        await bot.stop()
    assert not api.refused, api.refused
    assert sorted(chat for _, chat in api.accepted) == list(range(1, 101))  # each patient once
    assert 28.5 <= api.sustained_rate() <= 30, api.sustained_rate()


async def test_after_a_429_sending_waits_as_asked_slows_down_then_climbs_back(
    tmp_path: Path, clock: time_machine.Coordinates
) -> None:
    """Issue 15: Telegram's first 429 stops every send for the time it asks and slows the pace;
    the pace climbs back on its own; the refused reminder is sent later, once. (The limiter is
    the same whatever the database: SQLite only.)"""
    api = LimitedBotApi()
    bot = Harness(api, sqlite_url(tmp_path), clock, request=LimitedRequest(api), rate_limit=True)
    budget = limiter_of(bot).budget
    budget.climb_every = 0.2
    paces: list[float] = []
    told = budget.too_many

    def too_many(seconds: float) -> None:
        told(seconds)
        paces.append(budget.rate)

    budget.too_many = too_many  # type: ignore[method-assign]
    await bot.start()
    try:
        await _due_at_eight(bot, 30)
        api.too_many_next(retry_after=1)
        await bot.advance_to(at(3, 8, 1))
        await bot.advance_to(at(3, 8, 5))  # the refused one, re-planned
        await asyncio.sleep(1.5)  # 0.2 s a step, from 23.6 back to 29.5
        await bot.advance_to(at(3, 8, 6))
    finally:
        await bot.stop()
    assert paces == [budget.max_rate * 0.8]  # slowed down by a fifth, once
    assert budget.rate == budget.max_rate  # and back up
    refused_at = api.refused[0][0]
    assert [why for _, _, why in api.refused] == ["forced"]
    assert not [t for t, _ in api.accepted if refused_at < t < refused_at + 1.0]  # waited as asked
    assert sorted(chat for _, chat in api.accepted) == list(range(1, 31))  # each once, none lost


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
