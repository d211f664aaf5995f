"""Privacy and access: erase everything, export only your own data, logs without health data."""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot import logs, texts
from bot.config import Settings
from storage.models import Base
from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import TOKEN, Harness


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def rows_per_table(bot: Harness) -> dict[str, int]:
    counts = {}
    async with bot.services.repo.sessions() as s:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_update":  # update ids only: nothing about anyone
                continue
            counts[table.name] = int(await s.scalar(select(func.count()).select_from(table)) or 0)
    return counts


async def two_patients_one_dose_and_a_report(bot: Harness, names: dict[int, str]) -> None:
    """Both set up on Monday; on Tuesday both inject and report a mild reaction."""
    for chat_id, name in names.items():
        await set_up(bot.chat(chat_id, name))
    await bot.advance_to(at(3, 8, 1))
    for chat_id, name in names.items():
        chat = bot.chat(chat_id, name)
        await chat.send("done left thigh")
        await chat.send("my left thigh is red and itchy")
        await chat.press("Mild")
        await chat.press("Today")


async def test_delete_erases_every_table_after_a_confirmation(bot: Harness) -> None:
    await two_patients_one_dose_and_a_report(bot, {1001: "Pat", 2002: "Sam"})
    before = await rows_per_table(bot)
    assert all(before[t] >= 2 for t in ("plan", "dose", "reminder", "side_effect_report"))
    chat = bot.chat(1001)
    await chat.send("/delete")
    assert chat.last_reply().text == texts.CONFIRM_DELETE
    assert await rows_per_table(bot) == before  # the command alone erases nothing
    await chat.press("Keep my data")
    assert chat.last_reply().text == texts.KEPT
    await chat.send("/delete")
    await chat.press("Erase everything")
    assert chat.last_reply().text == texts.DELETED
    async with bot.services.repo.sessions() as s:
        for table in Base.metadata.sorted_tables:
            columns = table.columns
            if "chat_id" in columns:
                left = await s.scalar(
                    select(func.count()).select_from(table).where(columns["chat_id"] == 1001)
                )
            elif "patient_id" in columns:
                left = await s.scalar(
                    select(func.count()).select_from(table).where(columns["patient_id"] == 1)
                )
            else:
                continue
            assert left == 0, f"{table.name} still holds rows of the erased patient"
    after = await rows_per_table(bot)
    assert after["patient"] == 1 and after["plan"] == 1  # the other patient is untouched
    await chat.send("/next")
    assert chat.last_reply().text == texts.NEED_SETUP
    await bot.advance(days=3)
    assert not [m for m in chat.messages() if m.at > at(3, 8, 30)]  # no reminders after erasing


async def test_export_contains_only_your_own_data(bot: Harness) -> None:
    await two_patients_one_dose_and_a_report(bot, {1001: "Pat", 2002: "Sam"})
    chat = bot.chat(2002)
    await chat.send("/export")
    files = {m.file_name: m.file_bytes for m in chat.messages() if m.file_name}
    assert set(files) == {"b12bot-export.json", "b12bot-records.csv", "b12bot-summary.pdf"}
    data = json.loads(files["b12bot-export.json"] or b"")
    assert len(data["plans"]) == 1 and len(data["doses"]) == 2 and len(data["reports"]) == 1
    own_dose_ids = {d["id"] for d in data["doses"]}
    async with bot.services.repo.sessions() as s:
        from storage.models import Dose, Patient

        sam = await s.scalar(select(Patient.id).where(Patient.chat_id == 2002))
        all_sams = set(await s.scalars(select(Dose.id).where(Dose.patient_id == sam)))
    assert own_dose_ids == all_sams
    table = list(csv.reader(io.StringIO((files["b12bot-records.csv"] or b"").decode())))
    assert table[0] == ["type", "time", "status_or_level", "site", "details"]
    assert sorted({row[0] for row in table[1:]}) == ["dose", "report"]
    assert any(row[3] == "Thigh left" and row[2] == "done" for row in table[1:])


async def test_logs_carry_no_words_names_sites_or_symptoms(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    logs.configure(Settings(bot_token=TOKEN, log_level="DEBUG", _env_file=None))
    logging.getLogger().addHandler(caplog.handler)  # configure() replaced the root handlers
    caplog.set_level(logging.DEBUG)
    try:
        await two_patients_one_dose_and_a_report(bot, {1001: "Patricia"})
        chat = bot.chat(1001)
        await chat.send("skip feeling unwell")
        await chat.send("/history")
        await bot.advance(days=2)
    finally:
        logging.getLogger().handlers[:] = []
    text = caplog.text
    assert "reminder sent" in text  # logging did happen, at DEBUG
    for secret in ("Patricia", "Rivera", "7946", "Thigh left", "left thigh", "itchy", "red and",
                   "unwell", "Cyanocobalamin", "1000 mcg", TOKEN):  # fmt: skip
        assert secret not in text, f"{secret!r} appeared in the logs"


async def test_allowed_user_ids_keep_a_private_deployment_private(
    api: BotApiFake, db_url: str, clock: object
) -> None:
    bot = Harness(api, db_url, clock, allowed_user_ids=frozenset({1001}))  # type: ignore[arg-type]
    await bot.start()
    try:
        stranger = bot.chat(6666, "Eve")
        await stranger.send("/start")
        await stranger.send("hello")
        assert [m.text for m in stranger.messages()] == [texts.NOT_ALLOWED]  # one polite refusal
        member = bot.chat(1001)
        await member.send("/start")
        assert "Which B12 product" in member.last_reply().text
    finally:
        await bot.stop()
