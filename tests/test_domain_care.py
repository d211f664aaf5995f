"""The care circle's pure rules: quiet hours in the caregiver's zone (DST included), one alert per
event, invite codes, when blocking the bot matters, which photo size is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.care import (
    Alert,
    blocked_matters,
    clean_name,
    code_from_start,
    deliver_at,
    emergency_is_new,
    hash_code,
    is_night,
)
from bot.domain.photos import PhotoSizeIn, best_size

BERLIN, LA = ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles")


def test_only_an_emergency_goes_at_night_the_rest_at_eight_local_time_across_dst() -> None:
    night = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # 00:30 Berlin, the night clocks go forward
    assert is_night(night, BERLIN)
    assert deliver_at(Alert.EMERGENCY, night, BERLIN) == night
    morning = deliver_at(Alert.MISSED, night, BERLIN)
    assert morning.astimezone(BERLIN).hour == 8 and morning == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # CEST
    late = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 Berlin: tomorrow 08:00
    assert deliver_at(Alert.NUDGE, late, BERLIN) == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    day = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert deliver_at(Alert.BLOCKED, day, BERLIN) == day
    assert deliver_at(Alert.BLOCKED, day, LA) == datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 04:00 there


def test_emergencies_close_together_are_one_alert() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert emergency_is_new(None, now)
    assert not emergency_is_new(now - timedelta(minutes=29), now)
    assert emergency_is_new(now - timedelta(minutes=30), now)


def test_invite_codes_are_checked_before_any_lookup_and_stored_hashed() -> None:
    assert code_from_start("care-" + "a" * 22) == "a" * 22
    for wrong in ("care-short", "care-" + "a" * 65, "care-../../etc", "setup", "care-a b c d e f g h i j k"):
        assert code_from_start(wrong) is None
    assert hash_code("abc") != "abc" and len(hash_code("abc")) == 64


def test_blocking_matters_only_while_the_plan_runs_and_a_dose_is_near() -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert blocked_matters(False, True, now + timedelta(hours=20), now)
    assert blocked_matters(False, True, now - timedelta(hours=3), now)  # open, overdue
    assert not blocked_matters(True, True, now + timedelta(hours=20), now)  # paused
    assert not blocked_matters(False, True, now + timedelta(days=20), now)  # monthly, far off
    assert not blocked_matters(False, False, None, now)


def test_names_and_photo_sizes() -> None:
    assert clean_name("  Mum  ") == "Mum" and clean_name("/start") is None and clean_name("x" * 33) is None
    sizes = [PhotoSizeIn("s", "u1", 2_000, 90 * 67), PhotoSizeIn("b", "u2", 6_000_000, 2560 * 1920)]
    assert best_size(sizes, 5 * 1024 * 1024) == sizes[0]  # the biggest that fits
    assert best_size(sizes[1:], 5 * 1024 * 1024) is None
