"""Schedule maths: every cadence, phase changes, counting from the last injection given,
month-end clamping, and daylight-saving switches, in several time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.domain.plan import (
    EXAMPLE_SCHEDULES,
    PRESETS,
    Cadence,
    CadenceKind,
    Length,
    LengthKind,
    Phase,
    Plan,
    Product,
    Route,
)
from bot.domain.schedule import (
    NextDose,
    Outcome,
    Progress,
    add_months,
    advance,
    next_day_slot,
    next_dose,
    preview,
)

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"]
OPEN = Length(LengthKind.OPEN)


def make_plan(
    phases: tuple[Phase, ...], zone: str = "Europe/Berlin", at: time = time(8, 0),
    start: date = date(2026, 3, 2),
) -> Plan:  # fmt: skip
    return Plan(
        product=Product.CYANOCOBALAMIN, strength="1000 mcg/mL", dose="1 mL",
        route=Route.SUBCUTANEOUS, phases=phases, time_of_day=at, timezone=zone,
        sites=("Abdomen left", "Abdomen right"), clinician_name="Dr A", clinician_contact="x",
        start_date=start,
    )  # fmt: skip


def local(dose: NextDose, zone: str) -> datetime:
    return dose.due_at.astimezone(ZoneInfo(zone))


def before(day: date, zone: str) -> datetime:
    """Midnight at the start of `day` in `zone` (a `now` before any slot that day)."""
    return datetime.combine(day, time(0, 0)).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def given_on_time(plan: Plan, count: int, now: datetime) -> list[NextDose]:
    return preview(plan, Progress(), now, count)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    ("cadence", "expected_gaps"),
    [
        (Cadence(CadenceKind.EVERY_N_DAYS, 1), [1, 1, 1]),
        (Cadence(CadenceKind.EVERY_N_DAYS, 3), [3, 3, 3]),
        (Cadence(CadenceKind.EVERY_N_WEEKS, 1), [7, 7, 7]),
        (Cadence(CadenceKind.EVERY_N_WEEKS, 2), [14, 14, 14]),
        (Cadence(CadenceKind.WEEKDAYS, weekdays=(0, 2, 4)), [2, 2, 3]),
        (Cadence(CadenceKind.EVERY_N_MONTHS, 1), [31, 30, 31]),  # 2 Mar -> 2 Apr -> 2 May -> 2 Jun
    ],
)
def test_every_cadence_keeps_local_time(zone: str, cadence: Cadence, expected_gaps: list[int]) -> None:
    plan = make_plan((Phase(cadence, OPEN),), zone)
    doses = given_on_time(plan, 4, before(date(2026, 3, 2), zone))
    assert local(doses[0], zone).date() == date(2026, 3, 2)  # a Monday
    assert [local(d, zone).time() for d in doses] == [time(8, 0)] * 4
    gaps = [(local(b, zone).date() - local(a, zone).date()).days for a, b in pairwise(doses)]
    assert gaps == expected_gaps


@pytest.mark.parametrize("zone", ZONES)
def test_a_loading_course_switches_phase_at_the_right_injection(zone: str) -> None:
    plan = make_plan(EXAMPLE_SCHEDULES["loading_monthly"], zone)
    doses = given_on_time(plan, 16, before(date(2026, 3, 2), zone))
    phases = [d.phase_index for d in doses]
    assert phases == [0] * 7 + [1] * 7 + [2] * 2
    assert [d.number_in_phase for d in doses[:8]] == [1, 2, 3, 4, 5, 6, 7, 1]
    assert [d.phase_changed for d in doses].count(True) == 2
    assert doses[7].phase_changed and doses[14].phase_changed
    days = [local(d, zone).date() for d in doses]
    assert days[6] == date(2026, 3, 8)  # 7th daily dose
    assert days[7] == date(2026, 3, 10)  # every other day from the last daily one
    assert days[13] == date(2026, 3, 22)
    assert days[14] == date(2026, 4, 22)  # monthly from the last alternate-day dose
    assert days[15] == date(2026, 5, 22)


def test_phase_length_in_weeks_ends_by_date() -> None:
    plan = make_plan(PRESETS["tiw_3monthly"].phases)
    doses = given_on_time(plan, 8, before(date(2026, 3, 2), "Europe/Berlin"))
    days = [local(d, "Europe/Berlin").date() for d in doses]
    # Mon/Wed/Fri for two weeks from Mon 2 Mar: six injections, then every 3 months
    assert days[:6] == [date(2026, 3, d) for d in (2, 4, 6, 9, 11, 13)]
    assert [d.phase_index for d in doses[:7]] == [0] * 6 + [1]
    assert days[6] == date(2026, 6, 13)


def test_counting_is_from_the_last_injection_given_not_the_due_date() -> None:
    zone = "Europe/Berlin"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_DAYS, 3), OPEN),))
    first = next_dose(plan, Progress(), before(date(2026, 3, 2), zone))
    assert first is not None
    late = datetime(2026, 3, 3, 19, 30, tzinfo=ZoneInfo(zone))  # given a day and a half late
    progress = advance(Progress(), first, Outcome.GIVEN, late)
    second = next_dose(plan, progress, late)
    assert second is not None
    assert local(second, zone) == datetime(2026, 3, 6, 8, 0, tzinfo=ZoneInfo(zone))


def test_fixed_weekdays_stay_fixed_after_a_late_injection() -> None:
    zone = "Europe/Berlin"
    plan = make_plan((Phase(Cadence(CadenceKind.WEEKDAYS, weekdays=(0, 3)), OPEN),))
    first = next_dose(plan, Progress(), before(date(2026, 3, 2), zone))
    assert first is not None
    late = datetime(2026, 3, 4, 12, 0, tzinfo=ZoneInfo(zone))  # Monday's dose given Wednesday
    second = next_dose(plan, advance(Progress(), first, Outcome.GIVEN, late), late)
    assert second is not None
    assert local(second, zone).date() == date(2026, 3, 5)  # still Thursday


def test_a_missed_dose_is_reminded_at_the_next_slot_never_doubled() -> None:
    zone = "Europe/Berlin"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_WEEKS, 1), OPEN),))
    first = next_dose(plan, Progress(), before(date(2026, 3, 2), zone))
    assert first is not None
    missed_at = next_day_slot(first.due_at, plan)  # the next day's reminder time
    again = next_dose(plan, advance(Progress(), first, Outcome.MISSED), missed_at)
    assert again is not None
    assert again.due_at == missed_at  # reminded again, once, at the next slot
    assert again.number_in_phase == 1  # a missed dose does not count as given


def test_a_skipped_dose_uses_up_its_slot() -> None:
    zone = "Europe/Berlin"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_WEEKS, 1), OPEN),))
    first = next_dose(plan, Progress(), before(date(2026, 3, 2), zone))
    assert first is not None
    progress = advance(Progress(), first, Outcome.SKIPPED)
    second = next_dose(plan, progress, first.due_at + timedelta(minutes=5))
    assert second is not None
    assert local(second, zone).date() == date(2026, 3, 9)
    assert second.number_in_phase == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_month_end_clamping(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_monthly_from_the_31st_lands_on_the_months_last_day() -> None:
    zone = "America/New_York"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_MONTHS, 1), OPEN),), zone, start=date(2026, 1, 31))
    doses = given_on_time(plan, 2, before(date(2026, 1, 31), zone))
    assert [local(d, zone).date() for d in doses] == [date(2026, 1, 31), date(2026, 2, 28)]


@pytest.mark.parametrize(
    ("zone", "switch_day"),
    [
        ("Europe/Berlin", date(2026, 3, 29)),  # spring forward
        ("Europe/Berlin", date(2026, 10, 25)),  # fall back
        ("America/New_York", date(2026, 3, 8)),
        ("America/New_York", date(2026, 11, 1)),
    ],
)
@pytest.mark.parametrize("at", [time(8, 0), time(2, 30), time(20, 30)])
def test_reminder_keeps_its_local_time_across_dst(zone: str, switch_day: date, at: time) -> None:
    start = switch_day - timedelta(days=2)
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_DAYS, 1), OPEN),), zone, at, start)
    doses = given_on_time(plan, 5, before(start, zone))
    tz = ZoneInfo(zone)
    days = [local(d, zone).date() for d in doses]
    assert days == [start + timedelta(days=i) for i in range(5)]
    offsets = {d.due_at.astimezone(tz).utcoffset() for d in doses}
    assert len(offsets) == 2  # the UTC offset changes...
    for dose in doses:
        wall = dose.due_at.astimezone(tz).time()
        if at == time(2, 30) and local(dose, zone).date() == switch_day and switch_day.month in (3,):
            assert wall == time(3, 30)  # 02:30 does not exist that night: the next real minute
        else:
            assert wall == at  # ...the local time does not


def test_weekly_across_dst_stays_at_eight() -> None:
    zone = "Europe/Berlin"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_WEEKS, 1), OPEN),), zone, start=date(2026, 3, 23))
    doses = given_on_time(plan, 3, before(date(2026, 3, 23), zone))
    assert [d.due_at.hour for d in doses] == [7, 6, 6]  # UTC hour moves...
    assert {local(d, zone).hour for d in doses} == {8}  # ...08:00 local stays


def test_a_finished_plan_has_no_next_dose() -> None:
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_DAYS, 1), Length(LengthKind.INJECTIONS, 2)),))
    doses = given_on_time(plan, 5, before(date(2026, 3, 2), "Europe/Berlin"))
    assert len(doses) == 2


def test_never_scheduled_in_the_past() -> None:
    zone = "Asia/Kolkata"
    plan = make_plan((Phase(Cadence(CadenceKind.EVERY_N_DAYS, 1), OPEN),), zone, start=date(2026, 3, 1))
    now = datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo(zone))  # start date and today's 08:00 passed
    dose = next_dose(plan, Progress(), now)
    assert dose is not None
    assert local(dose, zone) == datetime(2026, 3, 6, 8, 0, tzinfo=ZoneInfo(zone))
