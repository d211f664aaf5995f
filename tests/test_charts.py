"""The pictures a clinician reads (/chart and the PDF summary), drawn for a four-phase plan at
1, 3 and 12 months: nothing printed over anything else, every line told apart, every axis named."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from bot import texts
from bot.charts import ChartData, DosePoint, Summary, chart_figure, summary_figure

START = datetime(2026, 1, 5, 7, tzinfo=UTC)
PHASES = ["every day, 7 injections", "every other day, 7 injections", "every week, 4 injections",
          "every month, until your clinician says"]  # fmt: skip


def four_phases(months: int, daily_for: int = 7) -> ChartData:
    """Daily, then alternate days, then weekly, then monthly; numbness and balance always
    the same level (the two lines that used to hide each other)."""
    end = START + timedelta(days=30 * months)
    doses, t = [], START
    for phase, (count, gap) in enumerate(((daily_for, 1), (7, 2), (4, 7), (99, 30))):
        for i in range(count):
            doses.append(DosePoint(t, "skipped" if (phase, i) == (0, 3) else "done", phase))
            t += timedelta(days=gap)
    keys = ("fatigue", "numbness", "balance", "memory")
    checkins = [
        (START + timedelta(weeks=w, hours=10), dict(zip(keys, (max(3 - w // 3, 0), 1, 1, 0), strict=True)))
        for w in range(months * 4)
    ]
    labs = [(date(2026, 1, 2), {"b12": 150.0, "hb": 112.0, "mma": 0.6}),
            (date(2026, 3, 20), {"b12": 820.0, "hb": 130.0, "hcy": 11.0}),
            (date(2026, 9, 20), {"b12": 640.0, "hb": 138.0})]  # fmt: skip
    taken = [lab for lab in labs if datetime.combine(lab[0], datetime.min.time(), UTC) < end]
    return ChartData(ZoneInfo("Europe/London"), PHASES, [d for d in doses if d.at < end], checkins, taken)


def words(figure: Figure) -> list[tuple[str, Bbox]]:
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    found = [(t.get_text(), t.get_window_extent(renderer)) for t in figure.findobj(Text)]
    return [(text, box) for text, box in found if text.strip() and box.width > 0]


def overlapping(figure: Figure) -> list[tuple[str, str]]:
    placed = words(figure)
    return [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(placed, 2)
            if box_a.overlaps(box_b) and Bbox.intersection(box_a, box_b).height > 1]  # fmt: skip


@pytest.mark.parametrize("months", [1, 3, 12])
def test_no_words_on_the_chart_print_over_each_other(months: int) -> None:
    figure = chart_figure(four_phases(months))
    assert overlapping(figure) == []
    legend_text = [t for t, _ in words(figure)]
    for phase in PHASES[: 2 if months == 1 else 4]:  # each phase is named once, in a legend
        assert sum(phase in t for t in legend_text) == 1, phase


def test_a_daily_phase_over_six_months_is_still_separate_marks() -> None:
    figure = chart_figure(four_phases(6, daily_for=60))
    doses_ax: Axes = figure.axes[0]
    given = next(c for c in doses_ax.collections if (c.get_label() or "").startswith("given"))
    xs = sorted(doses_ax.transData.transform(given.get_offsets())[:, 0])  # type: ignore[arg-type]
    gaps = [b - a for a, b in itertools.pairwise(xs[:50])]
    mark_width = max(given.get_linewidths()) * figure.dpi / 72
    assert min(gaps) > mark_width * 1.5  # a day's gap is wider than the mark: not one blob


def test_two_symptoms_at_the_same_level_can_both_be_seen() -> None:
    figure = chart_figure(four_phases(3))
    lines = {line.get_label(): line for line in figure.axes[1].get_lines()}
    numbness, balance = lines["Numbness or tingling"], lines["Balance"]
    assert list(numbness.get_ydata()) != list(balance.get_ydata())  # type: ignore[arg-type]
    assert (numbness.get_marker(), numbness.get_linestyle()) != (
        balance.get_marker(),
        balance.get_linestyle(),
    )


def test_the_lab_panel_says_which_axis_is_which_and_covers_no_point() -> None:
    figure = chart_figure(four_phases(12))
    labs_ax = figure.axes[2]
    legend = labs_ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["Vitamin B12, pg/mL (left axis)",
                                                          "Haemoglobin, g/L (right axis)"]  # fmt: skip
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    assert legend.get_window_extent(renderer).y0 >= labs_ax.get_window_extent(renderer).y1 - 1
    assert labs_ax.get_ylabel() == "B12, pg/mL" and figure.axes[-1].get_ylabel() == "Haemoglobin, g/L"


def test_the_pdf_summary_wraps_long_reactions_without_printing_over_the_next() -> None:
    long = ("09 Jan 2026: redness, swelling and a lump at Thigh left – contact clinician; closed (better "
            "after the clinician saw it and said it was fine, the lump went down over a week)")  # fmt: skip
    one = texts.summary_symptom("Tiredness", "severe", "none", date(2026, 1, 5), date(2026, 1, 5), 1)
    summary = Summary(
        title="B12 injections: summary for Dr Rivera",
        generated="25 Nov 2026",
        plan_lines=["Product: cyanocobalamin 1 mg/mL"] * 6,
        adherence=["Phase 1 (every day ×7): 6 of 7 given"] * 4,
        rotation=["Abdomen left: 4 injections"] * 4,
        reactions=[long, long, "12 Jan 2026: itching – watching; open"],
        symptoms=[one],
        labs=["Vitamin B12: 150 pg/mL (02 Jan 2026) → 820 pg/mL (20 Mar 2026)"],
        chart=four_phases(12),
    )
    figure = summary_figure(summary)
    assert overlapping(figure) == []
    page = figure.bbox
    assert all(page.x0 <= box.x0 and box.x1 <= page.x1 for _, box in words(figure))  # nothing runs off
    printed = [t for t, _ in words(figure)]
    assert "Tiredness: severe (05 Jan) → none (05 Jan); 1 check-in" in printed  # not "1 check-ins"
    assert sum(t.startswith("09 Jan 2026: redness") for t in printed) == 2  # both wrapped, both whole
    assert sum("the lump went down over a week)" in t for t in printed) == 2
