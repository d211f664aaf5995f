"""Pictures and the clinician summary, drawn with matplotlib's object API on the Agg canvas
(headless, no pyplot global state, safe to run in a worker thread).

Inputs are plain data (no Telegram, no database): the handlers gather it, these draw it.
"""

from __future__ import annotations

import io
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
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch

from bot.domain import symptoms as sx
from bot.domain.labs import ANALYTES

GIVEN, SKIPPED, MISSED = "#2e7d32", "#9e9e9e", "#c62828"
PHASE_COLOURS = ("#e3f2fd", "#fff8e1", "#f3e5f5", "#e8f5e9")
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


def draw_timeline(axes: Sequence[Axes], data: ChartData) -> None:
    """Three axes sharing the time axis: doses with phase bands, symptoms, lab values."""
    doses_ax, symptoms_ax, labs_ax = axes
    tz = data.tz
    # phase bands, from each phase's first to last recorded dose
    by_phase: dict[int, list[datetime]] = {}
    for dose in data.doses:
        by_phase.setdefault(dose.phase_index, []).append(_local(dose.at, tz))
    for index, times in sorted(by_phase.items()):
        start, end = min(times) - timedelta(hours=12), max(times) + timedelta(hours=12)
        for ax in axes:
            ax.axvspan(start, end, color=PHASE_COLOURS[index % len(PHASE_COLOURS)], zorder=0)  # type: ignore[arg-type]
        label = data.phases[index] if index < len(data.phases) else f"Phase {index + 1}"
        doses_ax.text(start, 1.32, f"Phase {index + 1}: {label}", fontsize=7, va="bottom", clip_on=False)  # type: ignore[arg-type]
    for status, colour, marker, label in (("done", GIVEN, "o", "given"), ("skipped", SKIPPED, "s", "skipped"),
                                          ("missed", MISSED, "X", "missed")):  # fmt: skip
        times = [_local(d.at, tz) for d in data.doses if d.status == status]
        if times:
            doses_ax.scatter(
                times, [1] * len(times), c=colour, marker=marker, s=36,  # type: ignore[arg-type]
                label=f"{label} ({len(times)})", zorder=3,
            )  # fmt: skip
    doses_ax.set_ylim(0.6, 1.3)
    doses_ax.set_yticks([])
    doses_ax.set_title("Injections", loc="left", fontsize=10, pad=16)
    if data.doses:
        doses_ax.legend(loc="lower left", fontsize=7, ncol=3, frameon=False)

    for key, label in sx.SYMPTOMS:
        points = [(_local(at, tz), levels.get(key, 0)) for at, levels in data.checkins]
        if points:
            symptoms_ax.plot(*zip(*points, strict=True), marker="o", ms=4, lw=1.6,
                             color=SYMPTOM_COLOURS[key], label=label)  # fmt: skip
    symptoms_ax.set_ylim(-0.3, 3.3)
    symptoms_ax.set_yticks(range(4), ["none", "mild", "moderate", "severe"], fontsize=7)
    symptoms_ax.set_title("Symptoms (your check-ins)", loc="left", fontsize=10)
    if data.checkins:
        symptoms_ax.legend(loc="upper right", fontsize=7, ncol=2, frameon=False)
    else:
        symptoms_ax.text(0.5, 0.5, "No check-ins yet", transform=symptoms_ax.transAxes, ha="center",
                         color="#777")  # fmt: skip

    b12 = [(datetime.combine(day, datetime.min.time()), v["b12"]) for day, v in data.labs if "b12" in v]
    if b12:
        labs_ax.plot(*zip(*b12, strict=True), marker="D", ms=5, lw=1.6, color="#ef6c00", label="Vitamin B12")
        for at, value in b12:
            labs_ax.annotate(f"{value:.0f}", (at, value), textcoords="offset points", xytext=(0, 6),
                             ha="center", fontsize=7)  # fmt: skip
        labs_ax.set_ylabel("B12, pg/mL", fontsize=8)
        labs_ax.set_ylim(0, max(v for _, v in b12) * 1.25)
    hb = [(datetime.combine(day, datetime.min.time()), v["hb"]) for day, v in data.labs if "hb" in v]
    if hb:
        twin = labs_ax.twinx()
        twin.plot(
            *zip(*hb, strict=True), marker="o", ms=4, lw=1, ls="--", color="#455a64", label="Haemoglobin"
        )
        twin.set_ylabel("Haemoglobin, g/L", fontsize=8)
        twin.set_ylim(0, max(v for _, v in hb) * 1.3)
    others = [f"{ANALYTES[k].label.split(' (')[0]} {v:g} {ANALYTES[k].unit} ({day:%d %b})"
              for day, values in data.labs for k, v in values.items() if k in ("mma", "hcy")]  # fmt: skip
    if others:
        labs_ax.text(
            0.01, 0.04, "; ".join(others[-3:]), transform=labs_ax.transAxes, fontsize=6.5, color="#333"
        )
    if not data.labs:
        labs_ax.text(0.5, 0.5, "No blood tests yet", transform=labs_ax.transAxes, ha="center", color="#777")
    labs_ax.set_title("Blood tests", loc="left", fontsize=10)
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    labs_ax.xaxis.set_major_locator(locator)
    labs_ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    for ax in axes:
        ax.grid(axis="x", color="#ddd", lw=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)


def progress_chart(data: ChartData) -> bytes:
    """The /chart picture: doses with phase bands, symptoms and labs on one time axis."""
    figure = Figure(figsize=(8, 7.2), layout="constrained")
    axes = figure.subplots(3, 1, sharex=True, height_ratios=[0.75, 1.6, 1.4])
    draw_timeline(list(axes), data)
    figure.suptitle("Your B12 injections", fontsize=13, x=0.02, ha="left")
    return _png(figure)


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


def _days_ago(days: int) -> str:
    return "today" if days == 0 else "1 day ago" if days == 1 else f"{days} days ago"


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
        when = "not used yet" if state.days_since is None else _days_ago(state.days_since)
        ax.text(x, y - 0.22, f"{state.name}\n{when}" + ("\n⚠ reaction" if state.reaction else ""),
                ha="center", va="top", fontsize=8, zorder=5)  # fmt: skip
    for i, state in enumerate(others):
        y = 1.4 - i * 0.32
        ax.add_patch(Circle((1.55, y), 0.09, color=_site_colour(state, rest_days), zorder=3))
        if state.reaction:
            ax.add_patch(Circle((1.55, y), 0.14, fill=False, ec="#c62828", lw=2.5, zorder=4))
        when = "not used yet" if state.days_since is None else _days_ago(state.days_since)
        ax.text(1.7, y, f"{state.name} ({when})", va="center", fontsize=8)
    ax.set_xlim(-1.45, 2.6 if others else 1.45)
    ax.set_ylim(-1.6, 1.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Your injection sites (as you look down at yourself)", fontsize=11)
    legend = [
        ("#43a047", f"rested ({rest_days}+ days)"),
        ("#ef6c00", "used recently"),
        ("#bdbdbd", "not used yet"),
    ]
    for i, (colour, label) in enumerate(legend):
        figure.text(0.05 + i * 0.3, 0.02, "●", color=colour, fontsize=12)
        figure.text(0.08 + i * 0.3, 0.025, label, fontsize=8)
    figure.text(0.05, 0.06, "★ next suggested   ○ red ring: open reaction", fontsize=8, color="#c62828")
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


def _section(figure: Figure, y: float, heading: str, lines: Sequence[str], x: float = 0.06) -> float:
    figure.text(x, y, heading, fontsize=10, weight="bold", va="top")
    y -= 0.018
    for line in lines or ["–"]:
        figure.text(x + 0.01, y, line, fontsize=7.5, va="top", wrap=True)
        y -= 0.0145
    return y - 0.008


def summary_pdf(summary: Summary) -> bytes:
    """One A4 page for the clinician: the plan as written, adherence, rotation, reactions,
    symptom and lab trends, and the timeline chart."""
    figure = Figure(figsize=(8.27, 11.69))
    FigureCanvasAgg(figure)
    figure.text(0.06, 0.965, summary.title, fontsize=14, weight="bold", va="top")
    figure.text(0.06, 0.94, summary.generated, fontsize=8, color="#555", va="top")
    left = _section(figure, 0.915, "Plan as written", summary.plan_lines)
    left = _section(figure, left, "Adherence per phase", summary.adherence)
    right = _section(figure, 0.915, "Site rotation", summary.rotation, x=0.53)
    right = _section(figure, right, "Reactions reported", summary.reactions[-8:], x=0.53)
    y = min(left, right)
    y = _section(figure, y, "Symptoms (first check-in → latest)", summary.symptoms)
    y = _section(figure, y, "Blood tests", summary.labs)
    bottom, top = 0.05, min(y - 0.04, 0.55)
    grid = figure.add_gridspec(3, 1, left=0.08, right=0.92, bottom=bottom, top=top, hspace=0.55,
                               height_ratios=[1, 1.5, 1.3])  # fmt: skip
    axes = [figure.add_subplot(grid[0])]
    axes += [figure.add_subplot(grid[i], sharex=axes[0]) for i in (1, 2)]
    draw_timeline(axes, summary.chart)
    figure.text(0.06, 0.02, "Recorded by the patient with b12bot. The plan is the clinician's; "
                "the bot gives no medical advice.", fontsize=6.5, color="#777")  # fmt: skip
    out = io.BytesIO()
    with PdfPages(out, metadata={"Title": summary.title, "Creator": "b12bot"}) as pdf:
        pdf.savefig(figure)
    return out.getvalue()
