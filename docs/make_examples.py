"""Draw the example pictures shown in the README (docs/example-chart.png, docs/example-sites.png,
docs/example-summary.pdf) from a made-up but typical patient: 12 weeks of a repletion phase then
monthly maintenance, weekly check-ins, three blood tests, and a photo of a recent reaction (drawn
here: no real patient's picture).

    .venv/bin/python docs/make_examples.py
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from bot.charts import ChartData, DosePoint, SiteState, Summary, body_map, progress_chart, summary_pdf

HERE = Path(__file__).parent
START = datetime(2026, 9, 1, 7, tzinfo=UTC)


def example() -> ChartData:
    doses = []
    for i in range(14):  # every other day ×14
        status = "missed" if i == 5 else "skipped" if i == 9 else "done"
        doses.append(DosePoint(START + timedelta(days=2 * i, minutes=7 * (i % 3)), status, 0))
    for month in range(1, 3):
        doses.append(DosePoint(START + timedelta(days=28 + 30 * month), "done", 1))
    levels = [(3, 2, 2, 2), (3, 2, 2, 2), (2, 2, 1, 2), (2, 1, 1, 1), (2, 1, 1, 1), (1, 1, 0, 1),
              (1, 0, 0, 1), (1, 0, 0, 0), (1, 1, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (1, 0, 0, 0)]  # fmt: skip
    keys = ("fatigue", "numbness", "balance", "memory")
    checkins = [(START + timedelta(weeks=w, hours=10), dict(zip(keys, lv, strict=True)))
                for w, lv in enumerate(levels)]  # fmt: skip
    labs = [(date(2026, 8, 28), {"b12": 162.0, "hb": 118.0, "mma": 0.61}),
            (date(2026, 10, 20), {"b12": 905.0, "hb": 131.0}),
            (date(2026, 11, 20), {"b12": 780.0, "hb": 136.0})]  # fmt: skip
    return ChartData(ZoneInfo("Europe/Berlin"), ["every other day ×14", "every month"], doses, checkins, labs)


def site_photo() -> bytes:
    """A stand-in for a patient's phone photo: skin with a reddened patch around a puncture."""
    figure = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_facecolor("#e6b896")
    ax.add_patch(Ellipse((0.5, 0.5), 0.42, 0.3, color="#d9655a", alpha=0.55))
    ax.add_patch(Ellipse((0.5, 0.5), 0.03, 0.03, color="#8a2d2d"))
    ax.set_axis_off()
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor="#e6b896")
    return out.getvalue()


def main() -> None:
    data = example()
    (HERE / "example-chart.png").write_bytes(progress_chart(data))
    sites = [
        SiteState("Abdomen left", 2), SiteState("Abdomen right", 9, next_up=True),
        SiteState("Thigh left", 4, reaction=True), SiteState("Thigh right", 11), SiteState("Hip left", None),
    ]  # fmt: skip
    (HERE / "example-sites.png").write_bytes(body_map(sites, 7))
    summary = Summary(
        title="B12 injections: summary for Dr Rivera",
        generated="Example made by docs/make_examples.py",
        plan_lines=["Product: Hydroxocobalamin", "Strength: 1000 mcg/mL", "Dose: 1 mL (1000 mcg)",
                    "Route: under the skin (subcutaneous)", "Schedule:", "1. every other day ×14",
                    "2. every month, until your clinician says", "Reminder time: 08:00 (Europe/Berlin)"],
        adherence=["Phase 1 (every other day ×14): 12 of 14 given (86%), 1 skipped, 1 missed",
                   "Phase 2 (every month): 2 of 2 given (100%), 0 skipped, 0 missed"],
        rotation=["Abdomen left: 4 injections", "Abdomen right: 4 injections", "Thigh left: 3 injections",
                  "Thigh right: 3 injections", "Same site twice in a row: 1 time"],
        reactions=["09 Sep 2026: redness at Thigh left – watching; closed (better)",
                   "18 Nov 2026: redness and swelling at Thigh left – watching; open"],
        symptoms=["Tiredness: severe (01 Sep) → mild (17 Nov); 12 check-ins",
                  "Numbness or tingling: moderate (01 Sep) → none (17 Nov); 12 check-ins"],
        labs=["Vitamin B12: 162 pg/mL (28 Aug 2026) → 905 pg/mL (20 Oct 2026) → 780 pg/mL (20 Nov 2026)"],
        chart=data,
        photos=[("18 Nov 2026: redness and swelling at Thigh left – watching; open", site_photo())],
    )  # fmt: skip
    (HERE / "example-summary.pdf").write_bytes(summary_pdf(summary))


if __name__ == "__main__":
    main()
