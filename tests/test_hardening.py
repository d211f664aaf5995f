"""Issue 14, hold under fire: gates that fail closed, logs without health data on error paths,
everything kept in the export, nothing left behind after /delete. Through the real Application."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from telegram import Update

from bot import logs, texts
from bot.config import Settings
from storage.models import Draft, Patient, ProcessedUpdate
from tests.fake_telegram import ApiError, BotApiFake
from tests.flows import set_up
from tests.harness import TOKEN, Harness, sqlite_url
from tests.pg import fresh_postgres_database
from tests.tcp_proxy import StallingProxy

DUE = "Time for your B12 injection"


def files_under(folder: Path) -> list[tuple[Path, bytes]]:
    return [(file, file.read_bytes()) for file in folder.rglob("*.sqlite3*")]


async def count(bot: Harness, model: Any) -> int:
    async with bot.services.repo.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


def outage(*_: object, **__: object) -> None:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


# --- 5: gates fail closed ----------------------------------------------------------------------------


async def test_a_stranger_who_blocked_the_bot_gets_no_further_than_the_gate(
    api: BotApiFake, db_url: str, clock: object
) -> None:
    """The refusal fails (403: they blocked the bot); before, the next handler group ran and
    /start left a draft row for a stranger."""
    bot = Harness(api, db_url, clock, allowed_user_ids=frozenset({1001}))  # type: ignore[arg-type]
    await bot.start()
    try:
        api.fail_next("sendMessage", ApiError(403, "Forbidden: bot was blocked by the user"))
        await bot.chat(6666, "Eve").send("/start")
        assert await count(bot, Draft) == 0 and await count(bot, Patient) == 0
        assert not api.sent_to(6666)
    finally:
        await bot.stop()


async def test_when_the_duplicate_guard_cannot_reach_the_database_nothing_runs(
    bot: Harness, api: BotApiFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed: the update is not processed (no help, no draft) and the patient is asked to try
    again; before, the next groups ran, and two instances both answered one /help."""
    monkeypatch.setattr(bot.services.repo.patients, "first_delivery", outage)
    chat = bot.chat(1001)
    replies = await chat.send("/start")
    assert [m.text for m in replies] == [texts.TRY_AGAIN_LATER]
    assert await count(bot, Draft) == 0
    monkeypatch.undo()
    assert "Which B12 product" in (await chat.send("/start"))[-1].text  # back to normal


async def test_a_patient_taken_off_the_allow_list_gets_no_more_reminders(
    api: BotApiFake, db_url: str, clock: Any
) -> None:
    bot = Harness(api, db_url, clock, allowed_user_ids=frozenset({1001, 1002}))
    await bot.start()
    try:
        for chat_id in (1001, 1002):
            await set_up(bot.chat(chat_id))
        await bot.stop()
        bot = Harness(api, db_url, clock, allowed_user_ids=frozenset({1001}))  # 1002 removed
        await bot.start()
        before = len(api.sent_to(1002))
        await bot.advance(days=2)
        assert any(DUE in m.text for m in api.sent_to(1001))
        assert api.sent_to(1002)[before:] == []
    finally:
        await bot.stop()


# --- 6: no health data in logs on error paths ----------------------------------------------------------


BREAK_REPORT_INSERTS = {
    "sqlite": [
        "CREATE TRIGGER broken BEFORE INSERT ON side_effect_report "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION broken() RETURNS trigger "
        "AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER broken BEFORE INSERT ON side_effect_report FOR EACH ROW EXECUTE FUNCTION broken()",
    ],
}


async def test_a_failed_statement_logs_no_parameters(
    bot: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    """A statement that fails is logged with its SQL but without its parameters (before: the
    patient's words, sites and symptoms, in the traceback of the error handler's log line)."""
    chat = bot.chat(1001, "Patricia")
    await set_up(chat)
    logs.configure(Settings(bot_token=TOKEN, log_level="INFO", _env_file=None))
    try:
        async with bot.services.repo.sessions() as s:  # the report's INSERT fails
            for statement in BREAK_REPORT_INSERTS[s.bind.dialect.name]:
                await s.execute(text(statement))
            await s.commit()
        replies = await chat.send("my left thigh is really itchy and puffy since the jab")
        assert replies[-1].text == texts.TRY_AGAIN_LATER
    finally:
        logging.getLogger().handlers[:] = []
    err = capsys.readouterr().err
    assert "handler failed" in err and "INSERT INTO side_effect_report" in err  # the error was logged...
    for secret in ("itchy", "puffy", "Thigh left", "Patricia", "Rivera"):
        assert secret not in err, f"{secret!r} appeared in the logs"  # ...without what was written


# --- 9: the export is everything kept; nothing lingers after /delete -------------------------------------


async def test_the_export_holds_settings_pending_reminders_and_a_conversation_in_progress(
    bot: Harness,
) -> None:
    chat = bot.chat(1001, "Pat")
    await set_up(chat)
    await chat.send("/supplies")
    await chat.press("Update my supplies")
    await chat.send("3")
    await chat.press("5")
    await chat.send("16")
    await chat.send("2026-05")
    await chat.send("/sites")
    await chat.press("Add a site")  # a conversation left half-way
    await chat.send("/export")
    files = {m.file_name: m.file_bytes for m in chat.messages() if m.file_name}
    data = json.loads(files["b12bot-export.json"] or b"")
    (me,) = data["patient"]
    assert me["stock_doses"] == 15 and me["stock_syringes"] == 16 and me["chat_id"] == 1001
    assert "checkin_weekday" in me and "lab_recheck_on" in me
    pending = [r for r in data["reminders"] if r["state"] == "pending"]
    assert {r["kind"] for r in pending} >= {"dose_due", "re_remind", "missed_check"}
    assert [(d["flow"], d["step"]) for d in data["conversation_in_progress"]] == [("sites", "add")]


async def test_after_delete_the_patients_words_are_not_left_in_the_sqlite_files(
    api: BotApiFake, tmp_path: Path, clock: Any
) -> None:
    """Before: the words stayed in the -wal file until a checkpoint (and in freed pages after it)."""
    bot = Harness(api, sqlite_url(tmp_path), clock)
    await bot.start()
    try:
        chat = bot.chat(1001, "Pat")
        await set_up(chat)
        await chat.send("my arm has a zorblax rash, Quillfeather here")
        await chat.send("/delete")
        await chat.press("Erase everything")
        assert chat.last_reply().text == texts.DELETED
        for file, content in files_under(tmp_path):
            for word in (b"zorblax", b"Quillfeather", b"Rivera"):
                assert word not in content, f"{word!r} is still in {file.name}"
    finally:
        await bot.stop()


async def test_update_ids_are_forgotten_after_a_few_days(bot: Harness) -> None:
    await bot.chat(1001).send("/help")
    assert await count(bot, ProcessedUpdate) == 1
    await bot.advance(days=3)
    assert await count(bot, ProcessedUpdate) == 0


# --- 1: no patient waits behind another; the emergency instruction never waits -------------------------


async def wait_until(check: Any, within: float) -> float:
    """Real seconds until `check()` holds (the update queue runs in the background)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not check():
        if loop.time() - start > within:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)
    return loop.time() - start


async def test_one_chat_flooding_holds_up_no_one_else_and_is_told_once(
    api: BotApiFake, db_url: str, clock: Any
) -> None:
    """Through the update queue, with Telegram's limits on. Before: updates were handled one at a
    time, each reply waiting on the flooding chat's 1-a-second limit, so the second patient's
    /help waited minutes."""
    bot = Harness(api, db_url, clock, rate_limit=True)
    await bot.start()
    try:
        bot.app.update_processor.flood_queue = 4  # type: ignore[attr-defined]
        flooder, other = bot.chat(1001, "Flo"), bot.chat(2002, "Pat")
        for i in range(150):
            await bot.app.update_queue.put(Update.de_json(flooder.message_update(f"hello {i}"), bot.app.bot))
        await asyncio.sleep(0.05)
        await bot.app.update_queue.put(Update.de_json(other.message_update("/help"), bot.app.bot))
        waited = await wait_until(lambda: api.sent_to(2002), 10)
        print(f"FIGURE second patient's reply during a flood: {waited * 1000:.0f} ms")
        assert waited < 1.0, f"the other patient waited {waited:.1f} s"
        await bot.app.update_queue.put(
            Update.de_json(flooder.message_update("my throat is closing up i cant breathe"), bot.app.bot)
        )
        waited = await wait_until(lambda: any("🚨" in m.text for m in api.sent_to(1001)), 10)
        print(f"FIGURE emergency instruction in the flooding chat: {waited * 1000:.0f} ms")
        assert waited < 1.0, f"the emergency instruction waited {waited:.1f} s"
        await wait_until(lambda: sum(m.text == texts.FLOOD for m in api.sent_to(1001)) == 1, 10)
        await asyncio.sleep(6)  # what was kept of the flood is answered, at the chat's own pace
        assert sum(m.text == texts.FLOOD for m in api.sent_to(1001)) == 1  # told once
        assert len(api.sent_to(1001)) < 15  # the rest was dropped, not answered one by one
    finally:
        await bot.stop()


async def test_the_emergency_instruction_needs_no_database(
    bot: Harness, api: BotApiFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database gone the duplicate guard stops the update (fail closed), but the
    instruction was already sent, with the number of the patient's country."""
    chat = bot.chat(1001)
    await set_up(chat)
    await chat.send("/next")  # this process has read the plan: Berlin
    monkeypatch.setattr(bot.services.repo.patients, "first_delivery", outage)
    monkeypatch.setattr(bot.services.repo.patients, "snapshot", outage)
    replies = await chat.send("my lips and tongue are swelling and i feel faint")
    assert replies[0].text.startswith("🚨 Please call 112")
    assert replies[-1].text == texts.TRY_AGAIN_LATER
    monkeypatch.undo()
    replies = await chat.send("my lips and tongue are swelling and i feel faint")  # once per message
    assert [m.text.startswith("🚨") for m in replies].count(True) == 1


# --- 2: a stalled database delays reminders, never replies or the emergency instruction ------------------


async def test_a_stalled_database_freezes_nothing_but_itself(api: BotApiFake, clock: Any) -> None:
    """PostgreSQL behind a proxy that stops passing bytes. Before: APScheduler's synchronous job
    store ran on the event loop, so a stalled wake-up froze every reply for the whole stall."""
    with fresh_postgres_database() as url:
        parsed = make_url(url)
        proxy = StallingProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
        bot = Harness(api, parsed.set(port=proxy.port).render_as_string(hide_password=False), clock)
        await bot.start()
        try:
            chat = bot.chat(1001)
            await set_up(chat)
            await chat.send("/next")
            loop = asyncio.get_running_loop()
            gaps: list[float] = []

            async def ticker() -> None:
                last = loop.time()
                while True:
                    await asyncio.sleep(0.05)
                    gaps.append(loop.time() - last)
                    last = loop.time()

            ticking = asyncio.create_task(ticker())
            proxy.stalled = True
            bot.services.timer.arm([bot.now() + timedelta(days=3)])  # a job-store write, now stuck
            bot.services.timer.scheduler.wakeup()  # and a job-store read
            started = time.monotonic()
            update = Update.de_json(
                chat.message_update("my throat is closing up and my lips are swelling"), bot.app.bot
            )
            sending = asyncio.create_task(bot.app.process_update(update))  # not waiting for the timer
            instruction = await wait_until(lambda: any("🚨" in m.text for m in api.sent_to(1001)[-3:]), 5)
            print(f"FIGURE emergency instruction during a database stall: {instruction * 1000:.0f} ms")
            assert instruction < 1.0, f"the emergency instruction waited {instruction:.1f} s"
            await asyncio.wait_for(asyncio.shield(sending), 15)
            assert api.sent_to(1001)[-1].text == texts.TRY_AGAIN_LATER  # fail closed, promptly
            assert time.monotonic() - started < 8
            print(f"FIGURE longest event-loop pause during the stall: {max(gaps) * 1000:.0f} ms")
            assert max(gaps) < 0.5, f"the event loop stood still for {max(gaps):.1f} s"
            proxy.stalled = False
            ticking.cancel()
        finally:
            proxy.stalled = False
            await bot.stop()
            proxy.close()
