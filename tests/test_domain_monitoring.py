"""Pure monitoring rules, table-tested: lab units and ranges, dates, symptom comparisons, run-out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import symptoms as sx
from bot.domain.labs import ANALYTES, Reading, Refused, read_value, show
from bot.domain.parsing import parse_date, parse_in_weeks, parse_month_or_date
from bot.domain.supplies import Stock, run_out

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("key", "typed", "stored", "shown"),
    [
        ("b12", "350 pg/mL", 350.0, "350 pg/mL"),
        ("b12", "350 ng/L", 350.0, "350 ng/L"),  # the same unit under another name
        ("b12", "260 pmol/L", 352.304, "260 pmol/L"),  # 260 / 0.738
        ("b12", "260pmol/l", 352.304, "260 pmol/L"),
        ("b12", ">2000 pg/ml", 2000.0, ">2000 pg/mL"),  # a lab's ceiling is kept as the number
        ("b12", "147,5 pmol/L", 199.864, "147,5 pmol/L"),  # decimal comma
        ("mma", "0.25 µmol/L", 0.25, "0.25 µmol/L"),
        ("mma", "250 nmol/L", 0.25, "250 nmol/L"),
        ("mma", "0.4", 0.4, "0.4 µmol/L"),  # no unit: µmol/L is the only plausible reading
        ("hcy", "12 umol/l", 12.0, "12 µmol/L"),
        ("hb", "13.5 g/dL", 135.0, "13.5 g/dL"),
        ("hb", "13.5", 135.0, "13.5 g/dL"),  # no unit: 13.5 can only be g/dL
        ("hb", "135", 135.0, "135 g/L"),  # ... and 135 only g/L
    ],
)
def test_lab_values_are_converted_to_one_stored_unit(key: str, typed: str, stored: float, shown: str) -> None:
    reading = read_value(ANALYTES[key], typed)
    assert isinstance(reading, Reading)
    assert reading.value == pytest.approx(stored, abs=0.01)
    assert reading.typed == shown


@pytest.mark.parametrize(
    ("key", "typed", "reason"),
    [
        ("b12", "350", "unit"),  # pg/mL or pmol/L: the bot asks, it does not guess
        ("b12", "350 mg", "unit"),
        ("b12", "25000 pg/mL", "range"),
        ("b12", "20 pmol/L", "range"),  # 27 pg/mL: a typo or a wrong unit
        ("b12", "lots", "unreadable"),
        ("b12", "", "unreadable"),
        ("mma", "900 µmol/L", "range"),
        ("hcy", "0.1 µmol/L", "range"),
        ("hb", "27", "range"),  # neither g/dL nor g/L
        ("hb", "400 g/L", "range"),
    ],
)
def test_implausible_or_unreadable_lab_values_are_refused(key: str, typed: str, reason: str) -> None:
    assert read_value(ANALYTES[key], typed) == Refused(reason)


def test_stored_values_are_shown_in_their_unit() -> None:
    assert show("b12", 352.304) == "352 pg/mL"
    assert show("mma", 0.25) == "0.25 µmol/L"
    assert show("hb", 135.0) == "135 g/L"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Nov", date(2026, 11, 12)),  # a past result: this year's, not next year's
        ("30 Nov", date(2025, 11, 30)),  # not yet this year: last year's
        ("yesterday", date(2026, 11, 23)),
        ("2026-11-20", date(2026, 11, 20)),
        ("3/11/2026", date(2026, 11, 3)),
    ],
)
def test_a_blood_test_date_without_a_year_is_the_last_one_gone_by(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, past=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-03", date(2027, 3, 31)),
        ("03/2027", date(2027, 3, 31)),
        ("Feb 2028", date(2028, 2, 29)),
        ("15 Mar 2027", date(2027, 3, 15)),
        ("2027-13", None),
        ("soon", None),
    ],
)
def test_expiry_dates_read_as_the_end_of_the_month(text: str, expected: date | None) -> None:
    assert parse_month_or_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("in 8 weeks", date(2027, 1, 19)), ("8 weeks", date(2027, 1, 19)), ("in 3 months", date(2027, 2, 24)),
     ("in a while", None)],
)  # fmt: skip
def test_in_n_weeks(text: str, expected: date | None) -> None:
    assert parse_in_weeks(text, TODAY) == expected


def levels(*values: int) -> dict[str, int]:
    return sx.as_levels(values)


START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def test_check_ins_are_compared_with_the_start_and_last_time_in_words() -> None:
    baseline = sx.CheckIn(START, levels(2, 2, 1, 0))
    last = sx.CheckIn(START + timedelta(weeks=1), levels(2, 1, 1, 0))
    now = sx.CheckIn(START + timedelta(weeks=2), levels(1, 1, 2, 0))
    assert sx.compare(baseline, last, now) == [
        ("Tiredness", "moderate → mild since you started; better than last time"),
        ("Numbness or tingling", "moderate → mild since you started; same as last time"),
        ("Balance", "mild → moderate since you started; worse than last time"),
        ("Memory or focus", "none, as when you started; same as last time"),
    ]
    assert sx.compare(None, None, baseline)[0] == ("Tiredness", "moderate")


@pytest.mark.parametrize(
    ("before", "after", "worse"),
    [
        (None, (0, 3, 3, 0), []),  # the baseline itself: nothing to compare with
        ((0, 0, 0, 0), (0, 1, 0, 0), ["numbness"]),  # new
        ((0, 1, 1, 0), (3, 1, 2, 3), ["balance"]),  # tiredness and memory are not nerve signs here
        ((0, 2, 2, 0), (0, 1, 1, 0), []),
    ],
)
def test_new_or_worse_nerve_symptoms(
    before: tuple[int, ...] | None, after: tuple[int, ...], worse: list[str]
) -> None:
    assert sx.worse_nerves(levels(*before) if before else None, levels(*after)) == worse


@pytest.mark.parametrize(
    ("start", "now", "weeks", "due"),
    [
        ((2, 2, 1, 1), (2, 2, 1, 1), 8, True),  # no change after 8 weeks
        ((2, 2, 1, 1), (2, 2, 1, 1), 7, False),  # not yet
        ((2, 2, 1, 1), (1, 2, 1, 1), 8, False),  # one level better, nothing worse
        ((2, 2, 1, 1), (0, 2, 2, 1), 8, True),  # better here, worse there: not meaningful
        ((0, 0, 0, 0), (0, 0, 0, 0), 8, False),  # nothing to improve
    ],
)
def test_review_after_the_clinicians_weeks_without_improvement(
    start: tuple[int, ...], now: tuple[int, ...], weeks: int, due: bool
) -> None:
    baseline = sx.CheckIn(START, levels(*start))
    current = sx.CheckIn(START + timedelta(weeks=weeks), levels(*now))
    assert sx.review_due(baseline, current, 8) is due


def test_next_weekly_check_in_is_at_local_time_on_the_chosen_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    monday_noon = datetime(2026, 3, 2, 11, tzinfo=UTC)
    assert sx.next_check_in(monday_noon, 6, time(18), berlin) == datetime(2026, 3, 8, 17, tzinfo=UTC)
    # Sunday 29 March is the DST switch: 18:00 is then UTC+2
    assert sx.next_check_in(datetime(2026, 3, 28, tzinfo=UTC), 6, time(18), berlin) == datetime(
        2026, 3, 29, 16, tzinfo=UTC
    )
    # the chosen day is today, and its time has passed: next week
    assert sx.next_check_in(monday_noon, 0, time(9), berlin) == datetime(2026, 3, 9, 8, tzinfo=UTC)


def test_run_out_counts_in_days_from_the_cadence() -> None:
    now = datetime(2026, 11, 24, tzinfo=UTC)
    monthly = [now + timedelta(days=30 * i) for i in range(1, 5)]
    daily = [now + timedelta(days=i) for i in range(1, 5)]
    stock = Stock(doses=3, syringes=10)
    # 3 left on a monthly plan: the 4th dose (in 120 days) is uncovered; warn 14 days before it
    monthly_out = run_out(stock, monthly, now)
    assert monthly_out is not None and monthly_out.first_uncovered == monthly[3]
    assert monthly_out.warn_at == monthly[3] - timedelta(days=14)
    # 3 left on a daily plan: warn now
    daily_out = run_out(stock, daily, now)
    assert daily_out is not None and daily_out.warn_at == now
    # syringes are the scarcer: they decide
    assert run_out(Stock(doses=10, syringes=1), daily, now).first_uncovered == daily[1]  # type: ignore[union-attr]
    assert run_out(Stock(None, None), daily, now) is None
    assert run_out(Stock(doses=9, syringes=None), daily, now) is None  # lasts past every dose shown
    assert Stock(doses=1, syringes=0).after_injection() == Stock(doses=0, syringes=0)


def test_the_stock_lasts_until_the_earlier_of_running_out_and_the_expiry() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.domain.supplies import Stock, run_out

    days = [datetime(2026, 3, d, 7, tzinfo=UTC) for d in range(3, 31)]
    now = datetime(2026, 3, 1, tzinfo=UTC)
    by_count = run_out(Stock(5, None), days, now)
    assert by_count is not None and by_count.first_uncovered == days[5] and not by_count.expired
    expiry = datetime(2026, 3, 6, 23, tzinfo=UTC)  # the end of 6 March in Berlin
    by_date = run_out(Stock(20, None, None), days, now, expiry, ZoneInfo("Europe/Berlin"))
    assert by_date is not None and by_date.expired
    assert by_date.last_covered == days[3] and by_date.first_uncovered == days[4]  # 6 Mar, then 7 Mar
    assert run_out(Stock(2, None), days, now, expiry) is not None  # the count comes first here
    assert run_out(Stock(None, None), days, now) is None
