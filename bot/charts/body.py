"""The body map for /sites: each site coloured by how long it has rested."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyBboxPatch

from bot.charts.style import png
from bot.texts import pictures as words

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
        ax.add_patch(
            FancyBboxPatch((x - 0.3, -1.35), 0.6, 1.15, boxstyle="round,pad=0.02,rounding_size=0.2", **style)
        )
    if arms:
        for x in (-1.02, 1.02):
            ax.add_patch(
                FancyBboxPatch(
                    (x - 0.15, 0.0), 0.3, 1.25, boxstyle="round,pad=0.02,rounding_size=0.12", **style
                )
            )


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
            ax.text(
                x + side * 0.22,
                y,
                label,
                ha="right" if side < 0 else "left",
                va="center",
                fontsize=8,
                zorder=5,
            )
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
    return png(figure)
