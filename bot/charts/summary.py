"""The clinician summary: one A4 PDF page."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from bot.charts.photos import draw_photos
from bot.charts.timeline import ChartData, draw_timeline
from bot.texts import pictures as words


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
    photos: Sequence[tuple[str, bytes]] = ()  # (the reaction's words, its latest photo)


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
    symptom and lab trends, photos of open or recent reactions, and the timeline chart."""
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
    y = draw_photos(figure, y, words.REACTION_PHOTOS, summary.photos)
    if summary.chart.empty:  # an empty time axis would start in 1970
        figure.text(0.06, y - 0.02, words.NO_CHART, fontsize=9, color="#555", va="top")
        figure.text(0.06, 0.02, words.FOOTER, fontsize=6.5, color="#777")
        return figure
    bottom, top = 0.05, min(y - 0.04, 0.55)
    grid = figure.add_gridspec(
        3, 1, left=0.08, right=0.92, bottom=bottom, top=top, hspace=0.55, height_ratios=[1, 1.5, 1.3]
    )
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
