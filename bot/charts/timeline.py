"""The /chart picture: doses with phase bands, symptoms and blood tests on one time axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.charts.style import (
    B12_COLOUR,
    GIVEN,
    HB_COLOUR,
    LABEL_BOX,
    MISSED,
    PHASE_COLOURS,
    SKIPPED,
    SYMPTOM_COLOURS,
    local,
    png,
)
from bot.domain import symptoms as sx
from bot.domain.labs import ANALYTES
from bot.texts import pictures as words


@dataclass(frozen=True)
class DosePoint:
    at: datetime  # given_at for given doses, due_at otherwise
    status: str  # done / skipped / missed
    phase_index: int


@dataclass(frozen=True)
class ChartData:
    tz: ZoneInfo
    phases: Sequence[str]  # each phase in words
    doses: Sequence[DosePoint]
    checkins: Sequence[tuple[datetime, Mapping[str, int]]]
    labs: Sequence[tuple[date, Mapping[str, float]]]

    @property
    def empty(self) -> bool:
        return not (self.doses or self.checkins or self.labs)


SYMPTOM_STYLES = {  # distinct marks and small offsets: two symptoms at the same level stay visible
    "fatigue": ("o", "-", 0.15), "numbness": ("s", "--", 0.05), "balance": ("^", ":", -0.05),
    "memory": ("D", "-.", -0.15),
}  # fmt: skip


def draw_timeline(axes: Sequence[Axes], data: ChartData) -> None:
    """Three axes sharing the time axis: doses with phase bands, symptoms, lab values."""
    doses_ax, symptoms_ax, labs_ax = axes
    tz = data.tz
    _draw_doses(doses_ax, axes, data, tz)
    _draw_symptoms(symptoms_ax, data, tz)
    _draw_labs(labs_ax, data)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    labs_ax.xaxis.set_major_locator(locator)
    labs_ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    for ax in axes:
        ax.grid(axis="x", color="#ddd", lw=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)


def _draw_doses(doses_ax: Axes, axes: Sequence[Axes], data: ChartData, tz: ZoneInfo) -> None:
    """Phase bands (named in a legend, not on the bands: short phases would overlap), and each
    dose as a thin mark that stays readable when a daily phase is seen over a year."""
    by_phase: dict[int, list[datetime]] = {}
    for dose in data.doses:
        by_phase.setdefault(dose.phase_index, []).append(local(dose.at, tz))
    phase_handles = []
    for index, times in sorted(by_phase.items()):
        start, end = min(times) - timedelta(hours=12), max(times) + timedelta(hours=12)
        colour = PHASE_COLOURS[index % len(PHASE_COLOURS)]
        for ax in axes:
            ax.axvspan(start, end, color=colour, zorder=0)  # type: ignore[arg-type]
        label = data.phases[index] if index < len(data.phases) else ""
        phase_handles.append(Patch(facecolor=colour, edgecolor="#bbb", label=f"{index + 1}. {label}".strip()))
    every = [t for times in by_phase.values() for t in times]
    days = max((max(every) - min(every)).days, 1) if every else 1
    size = max(14.0, min(70.0, 3000 / days))  # the longer the span, the thinner the marks
    status_handles = []
    for status, colour, marker in (("done", GIVEN, "|"), ("skipped", SKIPPED, "s"), ("missed", MISSED, "X")):
        label = words.DOSE_STATUS[status]
        times = [local(d.at, tz) for d in data.doses if d.status == status]
        if times:
            status_handles.append(
                doses_ax.scatter(
                    times,  # type: ignore[arg-type]
                    [1] * len(times),
                    c=colour,
                    marker=marker,
                    s=size if marker == "|" else size * 0.6,
                    linewidths=1.4,
                    label=f"{label} ({len(times)})",
                    zorder=3,
                )
            )
    doses_ax.set_ylim(0.55, 1.75)
    doses_ax.set_yticks([])
    doses_ax.set_title(words.INJECTIONS, loc="left", fontsize=10)
    if phase_handles:
        phases = doses_ax.legend(
            handles=phase_handles,
            loc="upper left",
            fontsize=6.5,
            ncol=min(len(phase_handles), 2),
            frameon=False,
            handlelength=1.2,
            columnspacing=1.2,
        )
        doses_ax.add_artist(phases)
    if status_handles:
        doses_ax.legend(handles=status_handles, loc="lower right", fontsize=7, ncol=3, frameon=False)


def _draw_symptoms(symptoms_ax: Axes, data: ChartData, tz: ZoneInfo) -> None:
    for key, label in sx.SYMPTOMS:
        marker, style, offset = SYMPTOM_STYLES.get(key, ("o", "-", 0.0))
        points = [(local(at, tz), levels.get(key, 0) + offset) for at, levels in data.checkins]
        if points:
            symptoms_ax.plot(
                *zip(*points, strict=True),
                marker=marker,
                ms=3.5,
                lw=1.4,
                ls=style,
                color=SYMPTOM_COLOURS[key],
                label=label,
            )
    symptoms_ax.set_ylim(-0.3, 3.3)
    symptoms_ax.set_yticks(range(4), ["none", "mild", "moderate", "severe"], fontsize=7)
    symptoms_ax.set_title(words.SYMPTOMS, loc="left", fontsize=10)
    if data.checkins:  # above the plot, so it never covers a line
        symptoms_ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=7,
            ncol=4,
            frameon=False,
            borderaxespad=0.2,
            handlelength=2.4,
        )
    else:
        symptoms_ax.text(
            0.5, 0.5, words.NO_CHECK_INS, transform=symptoms_ax.transAxes, ha="center", color="#777"
        )


def _draw_labs(labs_ax: Axes, data: ChartData) -> None:
    """B12 on the left axis, haemoglobin on the right, each axis in its line's colour, and a
    legend that says which is which."""
    handles = []
    b12 = [(datetime.combine(day, datetime.min.time()), v["b12"]) for day, v in data.labs if "b12" in v]
    hb = [(datetime.combine(day, datetime.min.time()), v["hb"]) for day, v in data.labs if "hb" in v]
    top = labs_ax.twinx() if hb else labs_ax  # the twin axes draw over the first: words go there
    if b12:
        (line,) = labs_ax.plot(
            *zip(*b12, strict=True), marker="D", ms=5, lw=1.6, color=B12_COLOUR, label=words.B12_LEGEND
        )
        handles.append(line)
        b12_top = max(v for _, v in b12) * 1.35
        hb_at = {at: value / (max(v for _, v in hb) * 1.35) for at, value in hb}
        for at, value in b12:  # the value above its point, or below when haemoglobin sits just above
            above = not 0 <= hb_at.get(at, -1) - value / b12_top < 0.2
            top.annotate(
                f"{value:.0f}",
                (float(date2num(at)), value),  # type: ignore[no-untyped-call]
                xycoords=labs_ax.transData,
                textcoords="offset points",
                xytext=(0, 6 if above else -7),
                ha="center",
                va="bottom" if above else "top",
                fontsize=7,
                color=B12_COLOUR,
                bbox=LABEL_BOX,
            )
        labs_ax.set_ylabel(words.B12_AXIS, fontsize=8, color=B12_COLOUR)
        labs_ax.tick_params(axis="y", colors=B12_COLOUR, labelsize=7)
        labs_ax.set_ylim(0, b12_top)
    if hb:
        (line,) = top.plot(
            *zip(*hb, strict=True), marker="o", ms=4, lw=1, ls="--", color=HB_COLOUR, label=words.HB_LEGEND
        )
        handles.append(line)
        top.set_ylabel(words.HB_AXIS, fontsize=8, color=HB_COLOUR)
        top.tick_params(axis="y", colors=HB_COLOUR, labelsize=7)
        top.set_ylim(0, max(v for _, v in hb) * 1.35)
        top.spines["top"].set_visible(False)
    others = [
        f"{ANALYTES[k].label.split(' (')[0]} {v:g} {ANALYTES[k].unit} ({day:%d %b})"
        for day, values in data.labs
        for k, v in values.items()
        if k in ("mma", "hcy")
    ]
    if others:
        top.text(
            0.01,
            0.04,
            "; ".join(others[-3:]),
            transform=labs_ax.transAxes,
            fontsize=6.5,
            color="#333",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none", "pad": 1.5},
            zorder=5,
        )
    if handles:
        labs_ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=7,
            ncol=2,
            frameon=False,
            borderaxespad=0.2,
        )
    if not data.labs:
        labs_ax.text(0.5, 0.5, words.NO_BLOOD_TESTS, transform=labs_ax.transAxes, ha="center", color="#777")
    labs_ax.set_title(words.BLOOD_TESTS, loc="left", fontsize=10)


def chart_figure(data: ChartData) -> Figure:
    """The /chart picture: doses with phase bands, symptoms and labs on one time axis."""
    figure = Figure(figsize=(8, 7.2), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(3, 1, sharex=True, height_ratios=[0.75, 1.6, 1.4])
    draw_timeline(list(axes), data)
    figure.suptitle(words.CHART_TITLE, fontsize=13, x=0.02, ha="left")
    return figure


def progress_chart(data: ChartData) -> bytes:
    return png(chart_figure(data))
