"""How long the pictures take to draw: /chart (PNG) and the clinician summary (PDF) for a
four-phase plan at 1, 3 and 12 months, and the /sites body map. They are drawn in a worker thread
(`asyncio.to_thread`), so this is how long one patient waits, not how long others wait.

    .venv/bin/python -m bench.pictures
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date

from bot import texts
from bot.charts import SiteState, Summary, body_map, progress_chart, summary_pdf
from tests.test_charts import four_phases

RUNS = 5


def timed(draw: Callable[[], bytes]) -> tuple[float, int]:
    draw()  # the first drawing loads fonts; a running bot has done that already
    times, size = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        size = len(draw())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    print(f"median of {RUNS} runs")
    for months in (1, 3, 12):
        data = four_phases(months)
        seconds, size = timed(lambda data=data: progress_chart(data))
        print(f"/chart   {months:>2} months: {seconds * 1000:6.0f} ms, {size / 1024:5.0f} KiB")
        tiredness = texts.summary_symptom(
            "Tiredness", "severe", "none", date(2026, 1, 5), date(2026, 3, 1), 9
        )
        summary = Summary(
            title="B12 injections: summary for Dr Rivera", generated="bench", plan_lines=["Product: X"] * 8,
            adherence=["Phase 1: 6 of 7 given"] * 4, rotation=["Abdomen left: 4 injections"] * 4,
            reactions=["09 Jan 2026: redness at Thigh left – watching; closed"] * 3,
            symptoms=[tiredness],
            labs=["Vitamin B12: 150 pg/mL → 820 pg/mL"], chart=data,
        )  # fmt: skip
        seconds, size = timed(lambda summary=summary: summary_pdf(summary))
        print(f"PDF      {months:>2} months: {seconds * 1000:6.0f} ms, {size / 1024:5.0f} KiB")
    sites = [SiteState("Abdomen left", 2), SiteState("Abdomen right", None, next_up=True),
             SiteState("Thigh left", 5, reaction=True), SiteState("Thigh right", 9)]  # fmt: skip
    seconds, size = timed(lambda: body_map(sites, 4))
    print(f"/sites map        : {seconds * 1000:6.0f} ms, {size / 1024:5.0f} KiB")


if __name__ == "__main__":
    main()
