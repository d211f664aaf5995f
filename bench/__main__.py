"""Every benchmark figure, repeated, on this machine: `python -m bench`.

    python -m bench                      # everything, 3 runs each, SQLite and PostgreSQL
    python -m bench --only done,limits   # some figures (done, throughput, limits, startup,
                                         #   lateness, replies, pictures)
    python -m bench --runs 5 --json /tmp/b.json
    python -m bench readme               # rewrite the README's table from bench/results.json

Prints a table (min / median / max of the runs, the target, met or not), notes the machine and
its load before and after, and writes it all as JSON (default `bench/results.json`).
PostgreSQL is the machine's server (`--postgres URL`; `--no-postgres` skips it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import figures
from bench.figures import Databases, Numbers

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).with_name("results.json")
README = Path(__file__).parent.parent / "README.md"
TABLE_START, TABLE_END = "<!-- bench:table -->", "<!-- /bench:table -->"
ALL = ("done", "throughput", "limits", "startup", "lateness", "replies", "pictures")


@dataclass(frozen=True)
class Target:
    op: str  # "<", "<=", ">=", "=="
    value: float

    def met(self, value: float) -> bool:
        checks = {"<": value < self.value, "<=": value <= self.value, ">=": value >= self.value}
        return checks.get(self.op, value == self.value)

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


@dataclass
class Row:
    measure: str
    database: str
    unit: str
    target: Target | None
    runs: list[float] = field(default_factory=list)

    @property
    def summary(self) -> tuple[float, float, float]:
        return min(self.runs), statistics.median(self.runs), max(self.runs)

    @property
    def met(self) -> bool | None:
        if self.target is None or not self.runs:
            return None
        worst = max(self.runs) if self.target.op in {"<", "<="} else min(self.runs)
        if self.target.op == "==":
            worst = max(self.runs, key=lambda v: abs(v - self.target.value))  # type: ignore[union-attr]
        return self.target.met(worst)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["target"] = str(self.target) if self.target else None
        if self.runs:
            data["min"], data["median"], data["max"] = self.summary
        data["met"] = self.met
        return data


DONE = '"done left thigh" through process_update, 100,000 patients'
DUE300, DUE1000 = "300 due in one second", "1,000 due in one second"
STARTUP = "start-up, 100,000 patients / 300,000 reminders"
LATE = "lateness (sent - due), 1,000 over 60 s, real clock"
FLOOD = "another patient's /help during a 500-message flood"
# (figure, metric) -> (what it is, unit, target)
METRICS: dict[tuple[str, str], tuple[str, str, Target | None]] = {
    ("done", "p50_ms"): (f"{DONE}: p50", "ms", Target("<", 8)),
    ("done", "p99_ms"): (f"{DONE}: p99", "ms", Target("<", 20)),
    ("throughput", "per_second"): ("10,000 reminders due at once (no Telegram limits)", "reminders/s",
                                   Target(">=", 3000)),
    ("limits300", "msg_per_s"): (f"{DUE300}, Telegram's limits: sustained", "msg/s", Target(">=", 29)),
    ("limits300", "refused_429"): (f"{DUE300}: 429s", "count", Target("==", 0)),
    ("limits300", "lost"): (f"{DUE300}: lost", "count", Target("==", 0)),
    ("limits300", "duplicated"): (f"{DUE300}: duplicated", "count", Target("==", 0)),
    ("limits1000", "msg_per_s"): (f"{DUE1000}, Telegram's limits: sustained", "msg/s", Target(">=", 29)),
    ("limits1000", "refused_429"): (f"{DUE1000}: 429s", "count", Target("==", 0)),
    ("limits1000", "lost"): (f"{DUE1000}: lost", "count", Target("==", 0)),
    ("limits1000", "duplicated"): (f"{DUE1000}: duplicated", "count", Target("==", 0)),
    ("startup", "ready_s"): (f"{STARTUP}: ready", "s", Target("<", 1)),
    ("startup", "rearmed_s"): (f"{STARTUP}: every wake-up of 2 days re-armed", "s", Target("<", 2)),
    ("startup", "wake_ups"): (f"{STARTUP}: wake-ups in the job store", "count", None),
    ("startup", "rss_mb"): (f"{STARTUP}: peak memory", "MB", Target("<", 300)),
    ("lateness", "p50_s"): (f"{LATE}: p50", "s", None),
    ("lateness", "p99_s"): (f"{LATE}: p99", "s", Target("<=", 1)),
    ("flood", "p50_ms"): (f"{FLOOD}: p50", "ms", None),
    ("flood", "p99_ms"): (f"{FLOOD}: p99", "ms", Target("<", 1000)),
    ("bulk", "emergency_ms"): ("emergency instruction while 10,000 reminders go out", "ms",
                               Target("<", 1000)),
    ("bulk", "bulk_msg_per_s"): ("reminders sent meanwhile (no Telegram in the way)", "msg/s", None),
    ("pictures", "chart_ms"): ("/chart, four phases over 3 months", "ms", None),
    ("pictures", "pdf_ms"): ("clinician PDF summary, 3 months", "ms", None),
}  # fmt: skip


class Bench:
    def __init__(self, runs: int) -> None:
        self.runs = runs
        self.rows: dict[tuple[str, str, str], Row] = {}

    def record(self, figure: str, database: str, numbers: Numbers) -> None:
        for metric, value in numbers.items():
            what, unit, target = METRICS[(figure, metric)]
            row = self.rows.setdefault((figure, metric, database), Row(what, database, unit, target))
            row.runs.append(round(value, 3))
        shown = ", ".join(f"{k} {v:,.2f}" for k, v in numbers.items())
        print(f"  {figure:<11} {database:<10} {shown}", flush=True)

    def repeat(self, figure: str, database: str, run: Callable[[], Numbers]) -> None:
        for _ in range(self.runs):
            self.record(figure, database, run())


def _machine(postgres: str | None) -> dict[str, Any]:
    cpu = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pg_version = None
    if postgres:
        from sqlalchemy import text

        from storage.database import create_sync_db_engine

        engine = create_sync_db_engine(postgres)
        try:
            with engine.connect() as connection:
                pg_version = connection.scalar(text("SHOW server_version"))
        finally:
            engine.dispose()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
    )
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit + ("+changes" if dirty else ""),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def _postgres_reachable(url: str) -> bool:
    from storage.database import create_sync_db_engine

    engine = create_sync_db_engine(url)
    try:
        with engine.connect():
            return True
    except Exception:
        return False
    finally:
        engine.dispose()


def measure(only: set[str], runs: int, postgres: str | None, folder: Path) -> Bench:
    bench = Bench(runs)
    targets = [Databases(folder, None)] + ([Databases(folder, postgres)] if postgres else [])
    sqlite = targets[0]
    try:
        for dbs in targets:
            if "done" in only:
                done = figures.DonePath(dbs)
                done.prepare()
                bench.repeat("done", dbs.label, lambda done=done: asyncio.run(done.run()))
            if "throughput" in only:
                bench.repeat("throughput", dbs.label, lambda dbs=dbs: asyncio.run(figures.throughput(dbs)))
            if "startup" in only:
                startup = figures.StartUp(dbs)
                startup.prepare()
                bench.repeat("startup", dbs.label, startup.run)
            if "lateness" in only:
                bench.repeat("lateness", dbs.label, lambda dbs=dbs: asyncio.run(figures.lateness(dbs)))
            dbs.drop_all()
        if "limits" in only:
            for count in (300, 1000):
                limited = partial(figures.telegram_limits, sqlite, count)
                bench.repeat(f"limits{count}", sqlite.label, lambda limited=limited: asyncio.run(limited()))
        if "replies" in only:
            bench.repeat("flood", sqlite.label, lambda: asyncio.run(figures.flood(sqlite)))
            bench.repeat("bulk", sqlite.label, lambda: asyncio.run(figures.emergency_during_bulk(sqlite)))
        if "pictures" in only:
            bench.repeat("pictures", "-", figures.pictures)
    finally:
        for dbs in targets:
            dbs.drop_all()
    return bench


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(results: dict[str, Any]) -> list[str]:
    """The results as a Markdown table."""
    lines = [
        "| measure | database | min | median | max | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in results["rows"]:
        if not row["runs"]:
            continue
        met = {True: "yes", False: "**no**", None: ""}[row["met"]]
        spread = [_fmt(row[k]) for k in ("min", "median", "max")]
        target = f"{row['target']} {row['unit']}" if row["target"] else row["unit"]
        lines.append(f"| {row['measure']} | {row['database']} | {' | '.join(spread)} | {target} | {met} |")
    return lines


def describe(results: dict[str, Any]) -> str:
    m = results["machine"]
    return (
        f"{m['date'][:10]}, commit {m['commit']}: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, "
        f"Python {m['python']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql'] or '-'} on the same machine; "
        f"load average before {m['load_before'][0]}, after {m['load_after'][0]}; "
        f"{results['runs']} runs of each figure, {results['minutes']:.0f} minutes in all."
    )


def rewrite_readme(results: dict[str, Any], readme: Path = README) -> None:
    text = readme.read_text()
    start, end = text.index(TABLE_START) + len(TABLE_START), text.index(TABLE_END)
    body = "\n".join(["", "", *table(results), "", f"Measured {describe(results)}", ""])
    readme.write_text(text[:start] + body + text[end:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["run", "readme"], default="run")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated, of {', '.join(ALL)}")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL server URL")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write (or, for readme, read)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the bot's own warnings (429s, floods) are counted, not shown
    if args.command == "readme":
        rewrite_readme(json.loads(args.json.read_text()))
        return
    only = set(args.only.split(","))
    unknown = only - set(ALL)
    if unknown:
        parser.error(f"unknown figures: {', '.join(sorted(unknown))}")
    postgres = None if args.no_postgres else args.postgres
    if postgres and not _postgres_reachable(postgres):
        print(f"PostgreSQL not reachable at {postgres}: SQLite only", file=sys.stderr)
        postgres = None
    machine = _machine(postgres)
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        bench = measure(only, args.runs, postgres, Path(folder))
    machine["load_after"] = [round(x, 2) for x in os.getloadavg()]
    results = {
        "machine": machine,
        "runs": args.runs,
        "minutes": (time.monotonic() - began) / 60,
        "rows": [row.as_json() for row in bench.rows.values()],
    }
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print()
    print("\n".join(table(results)))
    print()
    print(describe(results))
    print(f"(written to {args.json})")


if __name__ == "__main__":
    main()
