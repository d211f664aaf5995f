"""Recovery: the database goes away and comes back, an old release's database is upgraded, the
system clock steps forward."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot import texts
from storage.models import Reminder
from tests.fake_telegram import BotApiFake
from tests.flows import set_up
from tests.harness import Harness
from tests.pg import POSTGRES_ADMIN_URL

DUE = "Time for your B12 injection"
FIXTURES = Path(__file__).with_name("fixtures")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)


async def test_a_clock_step_of_two_hours_sends_once(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 7, 59))
    bot.clock.move_to(at(3, 10, 1))  # the system clock jumps: 08:00 and the 10:00 nudge both passed
    await bot.settle()
    sent = [m for m in chat.messages() if m.at == at(3, 10, 1)]
    assert len(sent) == 1 and DUE in sent[0].text
    assert "it was due today 08:00" in sent[0].text
    await bot.advance_to(at(3, 12, 0))
    assert len([m for m in chat.messages() if m.at > at(3, 7, 59)]) == 1  # no burst of duplicates


def set_connections(url: str, allowed: bool) -> None:
    """Open or shut the test database, and drop its sessions when shutting (an outage)."""
    name = make_url(url).database
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))


async def test_database_outage_replies_try_again_and_loses_nothing(
    api: BotApiFake, db_url: str, clock: time_machine.Coordinates, caplog: pytest.LogCaptureFixture
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("the outage is made on PostgreSQL (SQLite has no server to stop)")
    bot = Harness(api, db_url, clock)
    await bot.start()
    try:
        chat = bot.chat()
        await set_up(chat)
        await bot.advance_to(at(3, 7, 50))
        set_connections(db_url, allowed=False)
        try:
            await chat.send("done left thigh")
            assert chat.last_reply().text == texts.TRY_AGAIN_LATER
            await bot.advance_to(at(3, 8, 1))  # the dose falls due while the database is away
            assert not [m for m in chat.messages() if DUE in m.text]
        finally:
            set_connections(db_url, allowed=True)
        await bot.services.leadership.check()  # takes the lock again (its loop does this every 5 s)
        await bot.advance_to(at(3, 8, 3))  # the next sweep delivers what fell due
        due = [m for m in chat.messages() if DUE in m.text]
        assert len(due) == 1
        await chat.send("done left thigh")
        assert chat.last_reply().text.startswith("✅ Recorded: Thigh left")
    finally:
        await bot.stop()


async def test_an_old_releases_database_upgrades_with_its_reminders_and_lost_jobs_come_back(
    api: BotApiFake, tmp_path: Path, clock: time_machine.Coordinates
) -> None:
    main, jobs = tmp_path / "b12bot.sqlite3", tmp_path / "b12bot.jobs.sqlite3"
    for path, fixture in ((main, "release_0002.sql"), (jobs, "release_0002.jobs.sql")):
        with sqlite3.connect(path) as db:
            db.executescript((FIXTURES / fixture).read_text())
    bot = Harness(api, f"sqlite+aiosqlite:///{main}", clock)
    await bot.start()
    try:
        async with bot.services.repo.sessions() as s:
            pending = list(await s.scalars(select(Reminder.kind).where(Reminder.state == "pending")))
        assert sorted(pending) == ["dose_due", "missed_check", "re_remind"]  # intact after upgrade
        # the stored wake-up could not be unpickled: start-up made a readable one from the table
        assert bot.services.timer.has_job(at(3, 8))
        chat = bot.chat(1001)
        await bot.advance_to(at(3, 8, 1))
        due = [m for m in chat.messages() if DUE in m.text]
        assert [m.at for m in due] == [at(3, 8)]  # on time
    finally:
        await bot.stop()
