"""Triage figures on the evaluation corpus, through the real bot (see tests/triage_eval.py).

    python -m bench.triage                      # both parts, per expected level
    python -m bench.triage --misses tune        # also list the tuning part's misses
    python -m bench.triage --json out.json

The locked part is for measuring only: never change the rules to fit its misses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from tests.triage_eval import LEVELS, LOCKED, TUNE, TUNE2, TUNE3, TUNE4, TUNE5, TUNE6, Figures, evaluate, load

KINDS = ("emergency", "clinician", "watch", "screen", "other")


def summary(name: str, figures: Figures) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for variant in ("plan", "no plan"):
        table = figures.table("plan" if variant == "plan" else "none")
        out[variant] = {level: dict(table[level]) for level in LEVELS}
        print(f"\n{name}, patient {'with a plan (dose due)' if variant == 'plan' else 'with no plan'}")
        print(f"{'expected':<10} {'n':>4}  " + "  ".join(f"{k:>9}" for k in KINDS))
        for level in LEVELS:
            counts = table[level]
            n = sum(counts.values())
            print(f"{level:<10} {n:>4}  " + "  ".join(f"{counts.get(k, 0):>9}" for k in KINDS))
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--misses",
        choices=["tune", "tune2", "tune3", "tune4", "tune5", "tune6", "locked"],
        action="append",
        default=[],
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = {}
    for name, path in (
        ("locked", LOCKED),
        ("tune", TUNE),
        ("tune2", TUNE2),
        ("tune3", TUNE3),
        ("tune4", TUNE4),
        ("tune5", TUNE5),
        ("tune6", TUNE6),
    ):
        figures = await evaluate(load(path))
        report[name] = summary(f"{name} ({path.name})", figures)
        if name in args.misses:
            print(f"\n{name}: phrasings not answered as expected (expected / with plan / no plan)")
            for expected, with_plan, without, text in figures.misses():
                print(f"  {expected:<9} {with_plan:<9} {without:<9} {text}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
