"""Crashes and several instances, with real processes, real signals and real databases.

Each bot process runs with its clock shifted (tests/bot_at.py), so a dose "due in 20 seconds"
needs no real minutes; processes started with the same offset share one clock.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fake_telegram import BotApiFake
from tests.pg import fresh_postgres_database
from tests.remote import (
    DUE,
    RemoteChat,
    kill_bot,
    offset_to,
    set_up_at,
    start_bot,
    stop_bot,
    virtual_now,
    wait_for,
)

pytestmark = pytest.mark.e2e
DAY = datetime(2026, 12, 1, tzinfo=UTC)


def clock(hour: int, minute: int, second: int = 0) -> datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


def start_at(folder: Path, base_url: str, virtual: datetime, **env: str) -> tuple[object, float]:
    offset = offset_to(virtual)
    return start_bot(folder, base_url, offset=offset, **env), offset


def patient(api: BotApiFake, chat_id: int, offset: float, due: datetime) -> RemoteChat:
    chat = RemoteChat(api, chat_id, now=lambda: virtual_now(offset))
    set_up_at(chat, due, today=virtual_now(offset))
    return chat


def reminder_states(folder: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / "data" / "b12bot.sqlite3") as db:
        return list(db.execute("SELECT kind, state FROM reminder WHERE kind = 'dose_due' ORDER BY id"))


def test_killed_a_minute_before_the_dose_and_back_five_minutes_after(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    api, base = http_api
    bot, offset = start_at(tmp_path, base, clock(7, 58, 45), LATE_AFTER_MINUTES="1")
    wait_for(lambda: api.calls_of("getUpdates"), 30, "polling")
    chat = patient(api, 601, offset, clock(8, 0))
    wait_for(lambda: virtual_now(offset) >= clock(7, 59), 30, "a minute before the dose")
    kill_bot(bot)  # SIGKILL: no shutdown at all
    assert not chat.due()

    bot, offset = start_at(tmp_path, base, clock(8, 5), LATE_AFTER_MINUTES="1")
    try:
        wait_for(chat.due, 30, "the late reminder")
        time.sleep(2)
        assert len(chat.due()) == 1
        assert "this reminder is late – it was due today 08:00" in chat.due()[0].text
    finally:
        stop_bot(bot)  # type: ignore[arg-type]
    assert reminder_states(tmp_path) == [("dose_due", "sent")]


def test_killed_between_claiming_and_sending(tmp_path: Path, http_api: tuple[BotApiFake, str]) -> None:
    api, base = http_api
    bot, offset = start_at(tmp_path, base, clock(7, 59, 45))
    wait_for(lambda: api.calls_of("getUpdates"), 30, "polling")
    chat = patient(api, 602, offset, clock(8, 0))
    api.hang_next("sendMessage", 60)  # the dose message never reaches Telegram
    wait_for(lambda: any(DUE in str(p.get("text")) for p in api.calls_of("sendMessage")), 40, "the send")
    kill_bot(bot)  # the reminder is claimed, not sent
    assert not chat.due()
    assert reminder_states(tmp_path) == [("dose_due", "claimed")]

    bot, offset = start_at(tmp_path, base, clock(8, 2, 30))  # the 2-minute claim lease has run out
    try:
        wait_for(chat.due, 40, "the reminder after the lease ran out")
        time.sleep(2)
        assert len(chat.due()) == 1
    finally:
        stop_bot(bot)  # type: ignore[arg-type]
    assert reminder_states(tmp_path) == [("dose_due", "sent")]


def test_killed_after_telegram_accepted_but_before_the_commit(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    api, base = http_api
    bot, offset = start_at(tmp_path, base, clock(7, 59, 45))
    wait_for(lambda: api.calls_of("getUpdates"), 30, "polling")
    chat = patient(api, 603, offset, clock(8, 0))
    api.hold_next("sendMessage", 60)  # Telegram takes the message; the answer never arrives
    wait_for(chat.due, 40, "the dose message")
    kill_bot(bot)
    assert reminder_states(tmp_path) == [("dose_due", "claimed")]

    bot, offset = start_at(tmp_path, base, clock(8, 3))
    try:
        wait_for(lambda: len(chat.due()) >= 2, 40, "the resend after the lease")
        time.sleep(2)
        assert len(chat.due()) == 2  # at most one duplicate
    finally:
        stop_bot(bot)  # type: ignore[arg-type]
    assert reminder_states(tmp_path) == [("dose_due", "sent")]


def leader_and_standby(
    folder: Path, base: str, url: str, offset: float
) -> tuple[subprocess.Popen[str], subprocess.Popen[str], dict[str, Path]]:
    """Two bot processes on one PostgreSQL database: "a" leads, "b" stands by."""
    logs = {name: folder / f"{name}.log" for name in ("a", "b")}
    for name in logs:
        (folder / name).mkdir()
    first = start_bot(folder / "a", base, offset=offset, log=logs["a"], DATABASE_URL=url)
    wait_for(lambda: "reminder leader acquired" in logs["a"].read_text(), 30, "a leader")
    second = start_bot(folder / "b", base, offset=offset, log=logs["b"], DATABASE_URL=url)
    try:
        wait_for(lambda: "started leader=False" in logs["b"].read_text(), 30, "a standby")
    except AssertionError:
        kill_bot(first)
        kill_bot(second)
        raise
    return first, second, logs


def test_two_instances_send_each_reminder_once_and_the_standby_takes_over(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    from bench.seed import seed

    api, base = http_api
    with fresh_postgres_database() as url:
        offset = offset_to(clock(7, 59, 30))
        seed(url, 3, lambda i: clock(8, 0), first_chat=720)  # besides the one who sets up by chat
        seed(url, 3, lambda i: clock(8, 0, 40), first_chat=710)
        first, second, logs = leader_and_standby(tmp_path, base, url, offset)
        try:
            chats = [patient(api, 700, offset, clock(8, 0))]  # answered by the leader (the one polling)
            early = chats + [RemoteChat(api, 720 + i) for i in range(3)]
            late = [RemoteChat(api, 710 + i) for i in range(3)]
            wait_for(lambda: all(c.due() for c in early), 60, "the 08:00 reminders")
            time.sleep(2)
            assert [len(c.due()) for c in early] == [1, 1, 1, 1]  # both running: exactly once each
            assert not any(c.due() for c in late)

            kill_bot(first)  # the leader dies
            killed = time.monotonic()
            wait_for(lambda: "reminder leader acquired" in logs["b"].read_text(), 30, "the takeover")
            assert time.monotonic() - killed <= 30
            wait_for(lambda: all(c.due() for c in late), 60, "the 08:00:40 reminders from the standby")
            time.sleep(2)
            assert [len(c.due()) for c in late] == [1, 1, 1]
            assert [len(c.due()) for c in early] == [1, 1, 1, 1]  # nothing re-sent by the new leader
        finally:
            stop_bot(second)
            if first.poll() is None:
                kill_bot(first)


# --- issue 14: a frozen leader, a crash mid-batch -------------------------------------------------------


def due_counts(api: BotApiFake, chats: range) -> dict[int, int]:
    return {c: sum(DUE in m.text for m in api.sent_to(c)) for c in chats}


def test_a_frozen_leader_is_replaced_and_sends_nothing_when_it_wakes(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    """Issue 14.3: a leader alive but stuck (SIGSTOP) kept its advisory lock, so the standby never
    took over. Now its lease runs out, the standby takes it within 30 s, and the frozen one, woken,
    finds its lease gone before it sends anything."""
    from bench.seed import seed

    api, base = http_api
    with fresh_postgres_database() as url:
        start = clock(7, 59, 0)
        offset = offset_to(start)
        due = start + timedelta(seconds=30)
        seed(url, 20, lambda i: due, first_chat=900)
        first, second, logs = leader_and_standby(tmp_path, base, url, offset)
        try:
            first.send_signal(signal.SIGSTOP)
            frozen = time.monotonic()
            time.sleep(1)
            polls = len(api.calls_of("getUpdates"))
            wait_for(lambda: "reminder leader acquired" in logs["b"].read_text(), 40, "the takeover")
            took = time.monotonic() - frozen
            # issue 14.10: the standby did not poll (a second poller gets 409 Conflict) until it led
            assert len(api.calls_of("getUpdates")) <= polls + 1
            print(f"FIGURE takeover from a frozen leader: {took:.1f} s")
            assert took <= 30, f"took over after {took:.0f} s"
            wait_for(lambda: all(due_counts(api, range(900, 920)).values()), 60, "the reminders")
            first.send_signal(signal.SIGCONT)
            wait_for(lambda: "leadership lost" in logs["a"].read_text(), 30, "the woken one to step down")
            time.sleep(3)
            assert set(due_counts(api, range(900, 920)).values()) == {1}  # each once, from the standby
        finally:
            first.send_signal(signal.SIGCONT)
            stop_bot(second)
            stop_bot(first)


def test_killed_mid_batch_the_new_leader_sends_the_rest_at_once(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    """Issue 14.4: kill -9 during a batch of 200 re-sent all already sent, and the rest waited out
    the claim lease. Now each wave is marked sent as Telegram takes it (duplicates: at most the
    sends in flight), and the new leader takes the dead one's claims at once (their token is old)."""
    from bench.seed import seed

    api, base = http_api
    with fresh_postgres_database() as url:
        start = clock(7, 59, 0)
        offset = offset_to(start)
        due = start + timedelta(seconds=15)
        seed(url, 200, lambda i: due, first_chat=1000)
        first, second, logs = leader_and_standby(tmp_path, base, url, offset)
        try:
            wait_for(lambda: sum(due_counts(api, range(1000, 1200)).values()) >= 60, 60, "60 sent")
            kill_bot(first)
            before = due_counts(api, range(1000, 1200))
            wait_for(lambda: "reminder leader acquired" in logs["b"].read_text(), 40, "the takeover")
            took_over = time.monotonic()
            wait_for(lambda: all(due_counts(api, range(1000, 1200)).values()), 30, "the rest")
            rest = time.monotonic() - took_over
            assert rest <= 10, f"the rest took {rest:.0f} s after the takeover"
            time.sleep(2)
            counts = due_counts(api, range(1000, 1200))
            duplicates = sum(n - 1 for n in counts.values())
            print(f"FIGURE kill -9 mid-batch: rest sent {rest:.1f} s after takeover, {duplicates} duplicates")
            assert duplicates <= 32, f"{duplicates} sent twice"  # at most one wave in flight
            assert sum(before.values()) < 200  # it was killed mid-batch
        finally:
            stop_bot(second)


def test_the_systemd_watchdog_hears_from_a_running_loop_and_not_from_a_frozen_one(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    """Issue 14.3: a process alive but stuck must be restarted. Under systemd (Type=notify,
    WatchdogSec) the bot says READY=1, then WATCHDOG=1 from its event loop; frozen, it goes quiet,
    which is what makes systemd restart it."""
    _api, base = http_api
    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(0.2)
    heard: list[tuple[float, str]] = []

    def listen(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with contextlib.suppress(TimeoutError):
                heard.append((time.monotonic(), listener.recv(256).decode()))

    bot = start_bot(tmp_path, base, NOTIFY_SOCKET=address, WATCHDOG_USEC="3000000")
    try:
        listen(8)
        assert any(m == "READY=1" for _, m in heard)
        pings = [t for t, m in heard if m == "WATCHDOG=1"]
        assert len(pings) >= 5  # every second (a third of the 3 s watchdog)
        bot.send_signal(signal.SIGSTOP)
        frozen = time.monotonic()
        listen(4)
        assert not [t for t, m in heard if m == "WATCHDOG=1" and t > frozen + 0.5]
        bot.send_signal(signal.SIGCONT)
        listen(3)
        assert [t for t, m in heard if m == "WATCHDOG=1" and t > frozen + 4]  # alive again
    finally:
        bot.send_signal(signal.SIGCONT)
        stop_bot(bot)
        listener.close()
    unit = (Path(__file__).parents[1] / "deploy" / "b12bot.service").read_text()
    assert "Type=notify" in unit and "WatchdogSec=" in unit
