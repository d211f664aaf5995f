"""Pictures and the clinician summary."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from bot.texts.safety import LEVEL_WORDS, _at, signs_text

# --- pictures and summaries ---------------------------------------------------------------------------

CHART_CAPTION = "Your doses, symptoms and blood tests over time."
CHART_EMPTY = "Nothing to draw yet – your chart fills in as you record doses, check-ins and results."
BODY_MAP_CAPTION = "Your sites: green = rested, orange = used recently, red ring = open reaction."


# --- clinician summary (PDF) ---------------------------------------------------------------------

SUMMARY_TITLE = "B12 injections: summary for {clinician}"
SUMMARY_GENERATED = "Made on {at} from what the patient recorded in b12bot."


def summary_adherence(index: int, phase: str, counts: Mapping[str, int], total: int) -> str:
    given = counts.get("done", 0)
    return (
        f"Phase {index + 1} ({phase}): {given} of {total} given ({round(100 * given / total)}%), "
        f"{counts.get('skipped', 0)} skipped, {counts.get('missed', 0)} missed"
    )


def summary_site(site: str, count: int) -> str:
    return f"{site}: {count} injection{'s' if count != 1 else ''}"


def summary_repeats(repeats: int) -> str:
    return f"Same site twice in a row: {repeats} time{'s' if repeats != 1 else ''}"


def summary_reaction(
    on: date, signs: tuple[str, ...], site: str | None, level: str, status: str, outcome: str | None
) -> str:
    state = f"closed ({outcome})" if status == "closed" and outcome else status
    return f"{on:%d %b %Y}: {signs_text(signs)}{_at(site)} – {LEVEL_WORDS.get(level, level)}; {state}"


def summary_symptom(label: str, first: str, last: str, first_on: date, last_on: date, count: int) -> str:
    check_ins = "1 check-in" if count == 1 else f"{count} check-ins"
    return f"{label}: {first} ({first_on:%d %b}) → {last} ({last_on:%d %b}); {check_ins}"
