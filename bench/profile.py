"""Where a "done" spends its time: pyinstrument over 300 "done left thigh" messages through
`Application.process_update`, 100,000 patients (the same set-up as the bench's "done" figure).

    python -m bench.profile                 # SQLite
    python -m bench.profile --postgres      # the machine's PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

from pyinstrument import Profiler
from telegram import Update

from bench.figures import DONE_WORDS, Clock, Databases, running
from tests.harness import message_update

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


async def profile(dbs: Databases, patients: int, sample: int) -> str:
    from bench.figures import DonePath

    done = DonePath(dbs, patients)
    done.prepare()
    clock = Clock(done.due - timedelta(hours=1))
    step = patients // (sample + 20)
    async with running(done.url, clock=clock) as (app, services):
        services.timer.scheduler.pause()
        clock.now = done.due + timedelta(minutes=1)
        profiler = Profiler(async_mode="enabled", interval=0.0002)
        for k in range(sample + 20):
            words = DONE_WORDS[k % len(DONE_WORDS)]
            update = Update.de_json(message_update(1 + k * step, "P", words, clock()), app.bot)
            if k == 20:  # after the pool and the caches are warm
                profiler.start()
            await app.process_update(update)
        profiler.stop()
    dbs.drop_all()
    return str(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_POSTGRES, default=None)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(asyncio.run(profile(Databases(Path(folder), args.postgres), args.patients, args.sample)))


if __name__ == "__main__":
    main()
