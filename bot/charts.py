"""Pictures and the clinician summary, drawn with matplotlib's object API on the Agg canvas
(headless, no pyplot global state, safe to run in a worker thread).

Inputs are plain data (no Telegram, no database): the handlers gather it, these draw it.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Patch

from bot.domain import symptoms as sx
from bot.domain.labs import ANALYTES
from bot.texts import pictures as words

LABEL_BOX = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5}
GIVEN, SKIPPED, MISSED = "#2e7d32", "#9e9e9e", "#c62828"
PHASE_COLOURS = ("#e3f2fd", "#fff8e1", "#f3e5f5", "#e8f5e9")
B12_COLOUR, HB_COLOUR = "#ef6c00", "#455a64"
SYMPTOM_COLOURS = {"fatigue": "#6d4c41", "numbness": "#1565c0", "balance": "#00838f", "memory": "#8e24aa"}


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


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=110)
    return out.getvalue()


def _local(at: datetime, tz: ZoneInfo) -> datetime:
    return at.astimezone(tz).replace(tzinfo=None)


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
        by_phase.setdefault(dose.phase_index, []).append(_local(dose.at, tz))
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
        times = [_local(d.at, tz) for d in data.doses if d.status == status]
        if times:
            status_handles.append(
                doses_ax.scatter(
                    times, [1] * len(times), c=colour, marker=marker,  # type: ignore[arg-type]
                    s=size if marker == "|" else size * 0.6, linewidths=1.4,
                    label=f"{label} ({len(times)})", zorder=3,
                )
            )  # fmt: skip
    doses_ax.set_ylim(0.55, 1.75)
    doses_ax.set_yticks([])
    doses_ax.set_title(words.INJECTIONS, loc="left", fontsize=10)
    if phase_handles:
        phases = doses_ax.legend(
            handles=phase_handles, loc="upper left", fontsize=6.5, ncol=min(len(phase_handles), 2),
            frameon=False, handlelength=1.2, columnspacing=1.2,
        )  # fmt: skip
        doses_ax.add_artist(phases)
    if status_handles:
        doses_ax.legend(handles=status_handles, loc="lower right", fontsize=7, ncol=3, frameon=False)


def _draw_symptoms(symptoms_ax: Axes, data: ChartData, tz: ZoneInfo) -> None:
    for key, label in sx.SYMPTOMS:
        marker, style, offset = SYMPTOM_STYLES.get(key, ("o", "-", 0.0))
        points = [(_local(at, tz), levels.get(key, 0) + offset) for at, levels in data.checkins]
        if points:
            symptoms_ax.plot(*zip(*points, strict=True), marker=marker, ms=3.5, lw=1.4, ls=style,
                             color=SYMPTOM_COLOURS[key], label=label)  # fmt: skip
    symptoms_ax.set_ylim(-0.3, 3.3)
    symptoms_ax.set_yticks(range(4), ["none", "mild", "moderate", "severe"], fontsize=7)
    symptoms_ax.set_title(words.SYMPTOMS, loc="left", fontsize=10)
    if data.checkins:  # above the plot, so it never covers a line
        symptoms_ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=7, ncol=4, frameon=False,
                           borderaxespad=0.2, handlelength=2.4)  # fmt: skip
    else:
        symptoms_ax.text(0.5, 0.5, words.NO_CHECK_INS, transform=symptoms_ax.transAxes, ha="center",
                         color="#777")  # fmt: skip


def _draw_labs(labs_ax: Axes, data: ChartData) -> None:
    """B12 on the left axis, haemoglobin on the right, each axis in its line's colour, and a
    legend that says which is which."""
    handles = []
    b12 = [(datetime.combine(day, datetime.min.time()), v["b12"]) for day, v in data.labs if "b12" in v]
    hb = [(datetime.combine(day, datetime.min.time()), v["hb"]) for day, v in data.labs if "hb" in v]
    top = labs_ax.twinx() if hb else labs_ax  # the twin axes draw over the first: words go there
    if b12:
        (line,) = labs_ax.plot(*zip(*b12, strict=True), marker="D", ms=5, lw=1.6, color=B12_COLOUR,
                               label=words.B12_LEGEND)  # fmt: skip
        handles.append(line)
        b12_top = max(v for _, v in b12) * 1.35
        hb_at = {at: value / (max(v for _, v in hb) * 1.35) for at, value in hb}
        for at, value in b12:  # the value above its point, or below when haemoglobin sits just above
            above = not 0 <= hb_at.get(at, -1) - value / b12_top < 0.2
            top.annotate(
                f"{value:.0f}", (float(date2num(at)), value), xycoords=labs_ax.transData,  # type: ignore[no-untyped-call]
                textcoords="offset points", xytext=(0, 6 if above else -7), ha="center",
                va="bottom" if above else "top", fontsize=7, color=B12_COLOUR, bbox=LABEL_BOX,
            )  # fmt: skip
        labs_ax.set_ylabel(words.B12_AXIS, fontsize=8, color=B12_COLOUR)
        labs_ax.tick_params(axis="y", colors=B12_COLOUR, labelsize=7)
        labs_ax.set_ylim(0, b12_top)
    if hb:
        (line,) = top.plot(*zip(*hb, strict=True), marker="o", ms=4, lw=1, ls="--", color=HB_COLOUR,
                           label=words.HB_LEGEND)  # fmt: skip
        handles.append(line)
        top.set_ylabel(words.HB_AXIS, fontsize=8, color=HB_COLOUR)
        top.tick_params(axis="y", colors=HB_COLOUR, labelsize=7)
        top.set_ylim(0, max(v for _, v in hb) * 1.35)
        top.spines["top"].set_visible(False)
    others = [f"{ANALYTES[k].label.split(' (')[0]} {v:g} {ANALYTES[k].unit} ({day:%d %b})"
              for day, values in data.labs for k, v in values.items() if k in ("mma", "hcy")]  # fmt: skip
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
        labs_ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=7, ncol=2,
                       frameon=False, borderaxespad=0.2)  # fmt: skip
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
    return _png(chart_figure(data))


# --- body map -------------------------------------------------------------------------------------

SITE_POSITIONS: dict[str, tuple[float, float]] = {
    "abdomen left": (-0.33, 0.45), "abdomen right": (0.33, 0.45),
    "thigh left": (-0.36, -0.75), "thigh right": (0.36, -0.75),
    "arm left": (-1.02, 0.95), "arm right": (1.02, 0.95),
    "buttock left": (-0.35, -0.2), "buttock right": (0.35, -0.2),
    "hip left": (-0.6, 0.02), "hip right": (0.6, 0.02),
}  # fmt: skip


@dataclass(frozen=True)
class SiteState:
    name: str
    days_since: int | None  # None: not used yet
    reaction: bool = False
    next_up: bool = False


def _site_colour(state: SiteState, rest_days: int) -> str:
    if state.days_since is None:
        return "#bdbdbd"
    return "#ef6c00" if state.days_since < rest_days else "#43a047"


def _outline(ax: Axes, arms: bool) -> None:
    style: dict[str, Any] = {"fill": False, "lw": 2, "ec": "#8d6e63"}
    ax.add_patch(
        FancyBboxPatch((-0.75, -0.15), 1.5, 1.45, boxstyle="round,pad=0.02,rounding_size=0.3", **style)
    )
    ax.add_patch(Ellipse((0, 1.55), 0.55, 0.5, **style))  # head
    ax.add_patch(Circle((0, 0.5), 0.03, color="#8d6e63"))  # navel
    for x in (-0.36, 0.36):  # thighs
        ax.add_patch(FancyBboxPatch((x - 0.3, -1.35), 0.6, 1.15, boxstyle="round,pad=0.02,rounding_size=0.2",
                                    **style))  # fmt: skip
    if arms:
        for x in (-1.02, 1.02):
            ax.add_patch(FancyBboxPatch((x - 0.15, 0.0), 0.3, 1.25,
                                        boxstyle="round,pad=0.02,rounding_size=0.12", **style))  # fmt: skip


def body_map(sites: Sequence[SiteState], rest_days: int) -> bytes:
    """The patient's sites on an outline of the body (as they look down at themselves)."""
    placed = [s for s in sites if s.name.lower() in SITE_POSITIONS]
    others = [s for s in sites if s.name.lower() not in SITE_POSITIONS]
    arms = any(s.name.lower().startswith("arm") for s in placed)
    figure = Figure(figsize=(6.4, 6.4), layout="constrained")
    ax = figure.subplots()
    _outline(ax, arms)
    for state in placed:
        x, y = SITE_POSITIONS[state.name.lower()]
        ax.add_patch(Circle((x, y), 0.13, color=_site_colour(state, rest_days), zorder=3))
        if state.reaction:
            ax.add_patch(Circle((x, y), 0.19, fill=False, ec="#c62828", lw=3, zorder=4))
        if state.next_up:
            ax.text(x, y, "★", ha="center", va="center", fontsize=14, color="white", zorder=5)
        when = words.NOT_USED_YET if state.days_since is None else words.days_ago(state.days_since)
        label = f"{state.name}\n{when}" + (f"\n{words.REACTION}" if state.reaction else "")
        if state.name.lower().startswith("hip"):  # beside the hip, not over the thigh's outline
            side = -1 if x < 0 else 1
            ax.text(x + side * 0.22, y, label, ha="right" if side < 0 else "left", va="center", fontsize=8,
                    zorder=5)  # fmt: skip
        else:
            ax.text(x, y - 0.22, label, ha="center", va="top", fontsize=8, zorder=5)
    for i, state in enumerate(others):
        y = 1.4 - i * 0.32
        ax.add_patch(Circle((1.55, y), 0.09, color=_site_colour(state, rest_days), zorder=3))
        if state.reaction:
            ax.add_patch(Circle((1.55, y), 0.14, fill=False, ec="#c62828", lw=2.5, zorder=4))
        when = words.NOT_USED_YET if state.days_since is None else words.days_ago(state.days_since)
        ax.text(1.7, y, f"{state.name} ({when})", va="center", fontsize=8)
    ax.set_xlim(-1.45, 2.6 if others else 1.45)
    ax.set_ylim(-1.6, 1.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(words.MAP_TITLE, fontsize=11)
    legend = [
        ("#43a047", words.RESTED.format(days=rest_days)),
        ("#ef6c00", words.USED_RECENTLY),
        ("#bdbdbd", words.NOT_USED_YET),
    ]
    for i, (colour, label) in enumerate(legend):
        figure.text(0.05 + i * 0.3, 0.02, "●", color=colour, fontsize=12)
        figure.text(0.08 + i * 0.3, 0.025, label, fontsize=8)
    figure.text(0.05, 0.06, words.MAP_KEY, fontsize=8, color="#c62828")
    return _png(figure)


# --- clinician summary (PDF) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    title: str
    generated: str
    plan_lines: Sequence[str]
    adherence: Sequence[str]
    rotation: Sequence[str]
    reactions: Sequence[str]
    symptoms: Sequence[str]
    labs: Sequence[str]
    chart: ChartData


def _section(
    figure: Figure, y: float, heading: str, lines: Sequence[str], x: float = 0.06, width: int = 150
) -> float:
    """A heading and its lines from `y` down; a long line wraps onto the next (at `width`
    characters) and what follows moves down with it. Returns where the next section starts."""
    figure.text(x, y, heading, fontsize=10, weight="bold", va="top")
    y -= 0.018
    for line in lines or ["–"]:
        for i, part in enumerate(textwrap.wrap(line, width) or [""]):
            figure.text(x + 0.01 + (0.012 if i else 0), y, part, fontsize=7.5, va="top")
            y -= 0.0145
    return y - 0.008


COLUMN = 72  # characters of 7.5 pt text in half an A4 page


def summary_figure(summary: Summary) -> Figure:
    """One A4 page for the clinician: the plan as written, adherence, rotation, reactions,
    symptom and lab trends, and the timeline chart."""
    figure = Figure(figsize=(8.27, 11.69))
    FigureCanvasAgg(figure)
    figure.text(0.06, 0.965, summary.title, fontsize=14, weight="bold", va="top")
    figure.text(0.06, 0.94, summary.generated, fontsize=8, color="#555", va="top")
    left = _section(figure, 0.915, words.PLAN_AS_WRITTEN, summary.plan_lines, width=COLUMN)
    left = _section(figure, left, words.ADHERENCE, summary.adherence, width=COLUMN)
    right = _section(figure, 0.915, words.SITE_ROTATION, summary.rotation, x=0.53, width=COLUMN)
    right = _section(figure, right, words.REACTIONS, summary.reactions[-8:], x=0.53, width=COLUMN)
    y = min(left, right)
    y = _section(figure, y, words.SYMPTOM_TREND, summary.symptoms)
    y = _section(figure, y, words.BLOOD_TESTS, summary.labs)
    bottom, top = 0.05, min(y - 0.04, 0.55)
    grid = figure.add_gridspec(3, 1, left=0.08, right=0.92, bottom=bottom, top=top, hspace=0.55,
                               height_ratios=[1, 1.5, 1.3])  # fmt: skip
    axes = [figure.add_subplot(grid[0])]
    axes += [figure.add_subplot(grid[i], sharex=axes[0]) for i in (1, 2)]
    draw_timeline(axes, summary.chart)
    figure.text(0.06, 0.02, words.FOOTER, fontsize=6.5, color="#777")
    return figure


def summary_pdf(summary: Summary) -> bytes:
    figure = summary_figure(summary)
    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": summary.title, "Creator": "b12bot"}) as pdf:
        pdf.savefig(figure)
    return out.getvalue()
