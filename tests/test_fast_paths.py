"""Issue 15's fast paths, as budgets a change cannot quietly break: the statements a "done" costs,
and one write for a day of wake-ups. (The speed itself is measured by `python -m bench`.)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event

from bot.services.timer import JOB_PREFIX
from tests.flows import set_up
from tests.harness import Harness


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs meanwhile (their first word and table, no values)."""
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(" ".join(statement.split()[:3]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour - 1, minute, tzinfo=UTC)  # Berlin is UTC+1 in March


async def test_a_done_is_one_guard_one_read_and_one_write(bot: Harness) -> None:
    chat = bot.chat()
    await set_up(chat)
    await bot.advance_to(at(3, 8, 5))
    with statements(bot.services.engine.sync_engine) as seen:
        await chat.send("done left thigh")
    assert chat.last_reply().text.startswith("✅ Recorded: Thigh left")
    # the duplicate guard; the chat's state; then close, cancel, next dose and its reminders: four
    # statements in a transaction on SQLite, one on PostgreSQL
    postgres = bot.services.engine.dialect.name == "postgresql"
    assert len(seen) == 3 if postgres else len(seen) <= 7, seen
    assert sum(s.startswith("SELECT") for s in seen) == 1, seen


async def test_a_day_of_wake_ups_is_written_in_one_statement(bot: Harness) -> None:
    timer = bot.services.timer
    start = bot.now().replace(second=0, microsecond=0) + timedelta(days=1)
    minutes = [start + timedelta(minutes=i) for i in range(1440)]
    with statements(bot.services.sync_engine) as seen:
        timer.arm(minutes)
        await timer.armed()
    writes = [s for s in seen if s.startswith("INSERT")]
    assert len(writes) == 1, seen
    assert len(seen) <= 6, seen  # the existence checks in chunks, and the write
    ids = {job.id for job in timer.scheduler.get_jobs()}
    assert {f"{JOB_PREFIX}{int(m.timestamp())}" for m in minutes} <= ids  # every minute has its wake-up
    await timer.armed()
    with statements(bot.services.sync_engine) as again:
        timer.arm(minutes[:10])
        await timer.armed()
    asked = [s for s in again if s.startswith("INSERT") or s == "SELECT apscheduler_jobs.id FROM"]
    assert asked == []  # already armed: the job store is not even asked
