"""Pictures and the clinician summary, drawn with matplotlib's object API on the Agg canvas
(headless, no pyplot global state, safe to run in a worker thread).

Inputs are plain data (no Telegram, no database): the handlers gather it, these draw it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before any other matplotlib import: headless

from bot.charts.body import SiteState, body_map
from bot.charts.summary import Summary, summary_figure, summary_pdf
from bot.charts.timeline import ChartData, DosePoint, chart_figure, draw_timeline, progress_chart

__all__ = [
    "ChartData",
    "DosePoint",
    "SiteState",
    "Summary",
    "body_map",
    "chart_figure",
    "draw_timeline",
    "progress_chart",
    "summary_figure",
    "summary_pdf",
]
