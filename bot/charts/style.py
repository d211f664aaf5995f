"""What every picture shares: colours, the PNG canvas, local time on the axes."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

LABEL_BOX = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5}
GIVEN, SKIPPED, MISSED = "#2e7d32", "#9e9e9e", "#c62828"
PHASE_COLOURS = ("#e3f2fd", "#fff8e1", "#f3e5f5", "#e8f5e9")
B12_COLOUR, HB_COLOUR = "#ef6c00", "#455a64"
SYMPTOM_COLOURS = {"fatigue": "#6d4c41", "numbness": "#1565c0", "balance": "#00838f", "memory": "#8e24aa"}


def png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=110)
    return out.getvalue()


def local(at: datetime, tz: ZoneInfo) -> datetime:
    return at.astimezone(tz).replace(tzinfo=None)
