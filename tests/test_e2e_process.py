"""The bot as a real process (`python -m bot`) against the fake Bot API served over HTTP.

Proves the real request path, settings from the environment, start-up, migrations, long polling,
SIGTERM shutdown and restart. Uses the real clock, so due times are a minute or two ahead.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fake_telegram import BotApiFake
from tests.harness import TOKEN
from tests.remote import RemoteChat, set_up_at, start_bot, stop_bot, wait_for

DUE = "Time for your B12 injection"
pytestmark = pytest.mark.e2e


def test_real_process_setup_reminder_done_restart_and_late_reminder(
    tmp_path: Path, http_api: tuple[BotApiFake, str]
) -> None:
    api, base_url = http_api
    now = datetime.now(UTC)
    first_due = (now + timedelta(seconds=90)).replace(second=0, microsecond=0)
    if first_due - now < timedelta(seconds=35):
        first_due += timedelta(minutes=1)
    second_due = first_due + timedelta(minutes=1)

    bot = start_bot(tmp_path, base_url, LATE_AFTER_MINUTES="1")
    try:
        wait_for(lambda: api.calls_of("getUpdates"), 30, "the bot to start polling")
        assert next(c["command"] for c in api.commands) == "start"
        assert (tmp_path / "data" / "b12bot.sqlite3").exists()  # created and migrated
        alice, bob = RemoteChat(api, 501), RemoteChat(api, 502)
        set_up_at(alice, first_due)
        set_up_at(bob, second_due)

        wait_for(lambda: any(DUE in m.text for m in alice.messages()), 150, "alice's reminder")
        reminder = next(m for m in alice.messages() if DUE in m.text)
        assert abs((reminder.at - first_due).total_seconds()) < 5  # on time
        alice.press("Done")
        alice.press("⭐")
        assert alice.messages()[-1].text.startswith("✅ Recorded: Abdomen left")
    finally:
        stderr = stop_bot(bot)
    assert TOKEN not in stderr and "Rivera" not in stderr  # no token, no patient words in logs
    assert not any(DUE in m.text for m in bob.messages())  # bob's dose fell due while down

    wait_for(lambda: datetime.now(UTC) > second_due + timedelta(seconds=62), 200, "bob's due time")
    bot = start_bot(tmp_path, base_url, LATE_AFTER_MINUTES="1")
    try:
        wait_for(lambda: any(DUE in m.text for m in bob.messages()), 30, "bob's late reminder")
        time.sleep(2)
        late = [m for m in bob.messages() if DUE in m.text]
        assert len(late) == 1
        assert "this reminder is late – it was due" in late[0].text
        assert f"{second_due:%H:%M}" in late[0].text
        alice.send("/history")
        assert "✅ done Abdomen left" in alice.messages()[-1].text  # nothing recorded was lost
        assert len([m for m in alice.messages() if DUE in m.text]) == 1  # nothing re-sent
    finally:
        stop_bot(bot)
