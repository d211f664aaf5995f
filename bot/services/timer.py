"""The reminder timer: APScheduler wake-ups in a job store in the bot's own database.

For each distinct due second there is one APScheduler job, `due:<epoch seconds>`, added with
replace_existing. 10,000 patients due at 08:00 cost one job-store write, not 10,000. The job's one
argument is the timer itself; it is not pickled (a Telegram bot and a database pool cannot be):
the job store writes the job without it and puts this process's timer back when it loads the job,
so a wake-up finds the delivery service through its own arguments, not a module global.
"""

from __future__ import annotations

import asyncio
import logging
import math
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.util import datetime_to_utc_timestamp
from sqlalchemy import Engine, Insert, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

log = logging.getLogger(__name__)

JOB_PREFIX = "due:"
RETRY_SECONDS = 10.0  # after the job store failed to answer
KNOWN_SECONDS = 100_000  # due seconds remembered as armed
ID_CHUNK = 500  # ids per existence check (SQLite's limit on parameters is far above)
SWEEP_JOB = "sweep"


class Target(Protocol):
    """What a wake-up runs: the delivery service."""

    async def deliver_due(self) -> int: ...

    async def sweep(self) -> int: ...


async def fire_due(timer: ReminderTimer) -> None:
    """APScheduler job: a wake-up at a due time."""
    if timer.target is not None:
        await timer.target.deliver_due()


async def sweep(timer: ReminderTimer) -> None:
    """APScheduler job: the safety net that runs every minute."""
    if timer.target is not None:
        await timer.target.sweep()


def job_id(at: datetime) -> str:
    return f"{JOB_PREFIX}{math.ceil(at.timestamp())}"


def _insert_new(table: Table, dialect: str) -> Insert:
    """INSERT that leaves rows whose id is already there as they are."""
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=["id"])
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=["id"])
    raise ValueError(f"no job store for {dialect}")


class TimerJobStore(SQLAlchemyJobStore):  # type: ignore[misc]  # APScheduler 3 is untyped
    """SQLAlchemy job store whose jobs take the running timer as their argument: stored without
    it, given back on loading."""

    def __init__(self, timer: ReminderTimer, engine: Engine) -> None:
        super().__init__(engine=engine)
        self.timer = timer
        self._batch: list[dict[str, Any]] | None = None

    def _state(self, job: Job) -> bytes:
        state = job.__getstate__()
        state["args"] = ()
        return pickle.dumps(state, self.pickle_protocol)

    def add_job(self, job: Job) -> None:
        row = {
            "id": job.id,
            "next_run_time": datetime_to_utc_timestamp(job.next_run_time),
            "job_state": self._state(job),
        }
        if self._batch is not None:  # written with the rest of the batch, in one statement
            self._batch.append(row)
            return
        with self.engine.begin() as connection:
            try:
                connection.execute(self.jobs_t.insert().values(**row))
            except IntegrityError:
                raise ConflictingIdError(job.id) from None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Jobs added inside are written together on leaving: one INSERT for all of them (a job
        whose id is already there stays as it is: same id, same wake-up)."""
        self._batch = []
        try:
            yield
            rows, self._batch = self._batch, None
            if rows:
                with self.engine.begin() as connection:
                    connection.execute(_insert_new(self.jobs_t, connection.dialect.name), rows)
        finally:
            self._batch = None

    def existing_ids(self, ids: list[str]) -> set[str]:
        """Which of `ids` the store has (one read; whether they load is not checked here)."""
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(ids), ID_CHUNK):
                chunk = ids[start : start + ID_CHUNK]
                found.update(connection.scalars(select(self.jobs_t.c.id).where(self.jobs_t.c.id.in_(chunk))))
        return found

    def update_job(self, job: Job) -> None:
        values = {
            "next_run_time": datetime_to_utc_timestamp(job.next_run_time),
            "job_state": self._state(job),
        }
        with self.engine.begin() as connection:
            result = connection.execute(
                self.jobs_t.update().values(**values).where(self.jobs_t.c.id == job.id)
            )
            if result.rowcount == 0:
                raise JobLookupError(job.id)

    def _reconstitute_job(self, job_state: bytes) -> Job:
        job = super()._reconstitute_job(job_state)
        job.args = (self.timer,)
        return job


class OffLoopExecutor(AsyncIOExecutor):  # type: ignore[misc]
    """Runs a wake-up's coroutine on the event loop, whichever thread submits it, and knows when
    none is running (`idle`)."""

    def start(self, scheduler: Any, alias: str) -> None:
        super().start(scheduler, alias)
        self.idle = asyncio.Event()
        self.idle.set()

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        self._eventloop.call_soon_threadsafe(self._submit_here, job, run_times)

    def _submit_here(self, job: Job, run_times: list[datetime]) -> None:
        super()._do_submit_job(job, run_times)
        for future in list(self._pending_futures):
            self.idle.clear()
            future.add_done_callback(self._maybe_idle)  # after the base class's own callback

    def _maybe_idle(self, _future: object) -> None:
        if not self._pending_futures:
            self.idle.set()


class OffLoopScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """AsyncIOScheduler whose job-store reads and writes run in one worker thread, never on the
    event loop: APScheduler 3's job store is synchronous, and a stalled database there froze every
    reply with it. A stall now only delays wake-ups; the jobs themselves run on the loop."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.io = ThreadPoolExecutor(1, thread_name_prefix="b12bot-jobstore")
        self._quiet = self._woken = False

    def wakeup(self) -> None:
        if self._quiet:  # adding a batch of jobs: one wake-up when it is written
            self._woken = True
            return
        loop = self._eventloop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Jobs added inside wake the scheduler once, on leaving (in the job-store thread)."""
        self._quiet, self._woken = True, False
        try:
            yield
        finally:
            self._quiet = False
            if self._woken:
                self.wakeup()

    def _wake(self) -> None:
        if self._eventloop is None:
            return
        self._stop_timer()
        self._eventloop.run_in_executor(self.io, self._process_jobs).add_done_callback(self._processed)

    def _processed(self, future: asyncio.Future[float | None]) -> None:
        if future.cancelled() or self._eventloop is None:
            return
        if (error := future.exception()) is not None:
            log.warning("wake-ups not processed error=%s (retrying)", type(error).__name__)
            self._start_timer(RETRY_SECONDS)
            return
        self._start_timer(future.result())

    async def idle(self) -> None:
        """Wait until no wake-up is running."""
        executor = self._lookup_executor("default")
        if isinstance(executor, OffLoopExecutor) and hasattr(executor, "idle"):
            await executor.idle.wait()

    async def process_now(self) -> None:
        """Process due jobs now and return once they are submitted (tests, the console)."""
        self._stop_timer()
        wait = await asyncio.get_running_loop().run_in_executor(self.io, self._process_jobs)
        self._start_timer(wait)

    def _create_default_executor(self) -> OffLoopExecutor:
        return OffLoopExecutor()


class ReminderTimer:
    """Arms APScheduler wake-ups; the scheduler's job store lives in the bot's database."""

    def __init__(self, sync_engine: Engine, sweep_seconds: int) -> None:
        self.target: Target | None = None
        self.store = TimerJobStore(self, sync_engine)
        self.scheduler = OffLoopScheduler(
            jobstores={"default": self.store},
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
            timezone=UTC,
        )
        self.sweep_seconds = sweep_seconds
        self._known: set[int] = set()  # due seconds known to have a wake-up (past ones have fired)

    def __reduce__(self) -> tuple[Any, ...]:  # never pickled: the job store leaves it out
        raise TypeError("the reminder timer is not stored with its jobs")

    def arm(self, times: Iterable[datetime], verify: bool = False) -> None:
        """Best effort, in the job-store thread (the caller does not wait): if the job store
        cannot be written, the sweep re-arms (and delivers) from the reminder table, so a
        patient's action never fails or waits because of the timer.

        A due second this process already armed or saw armed is skipped without asking the job
        store (most are shared: 08:00 tomorrow); `verify` asks anyway (the sweep and start-up,
        which make good what the job store lost)."""
        seconds = sorted({math.ceil(at.timestamp()) for at in times})
        if not verify:
            seconds = [s for s in seconds if s not in self._known]
        if seconds:
            self.scheduler.io.submit(self._arm, seconds)

    def _arm(self, seconds: list[int]) -> None:
        """One read for which wake-ups exist, then one write for all the missing ones, then one
        wake-up of the scheduler."""
        try:
            existing = self.store.existing_ids([f"{JOB_PREFIX}{s}" for s in seconds])
            missing = [s for s in seconds if f"{JOB_PREFIX}{s}" not in existing]
            if missing:
                with self.scheduler.quiet(), self.store.batch():
                    for second in missing:
                        self.scheduler.add_job(
                            fire_due, "date", args=(self,), run_date=datetime.fromtimestamp(second, UTC),
                            id=f"{JOB_PREFIX}{second}", replace_existing=True,
                        )  # fmt: skip
        except SQLAlchemyError as exc:
            log.warning("could not arm wake-ups error=%s (the sweep will)", type(exc).__name__)
            return
        if len(self._known) > KNOWN_SECONDS:
            self._known.clear()  # asked again from now on; it only costs a read
        self._known.update(seconds)

    async def armed(self) -> None:
        """Wait until every wake-up asked for so far is written (tests)."""
        await asyncio.get_running_loop().run_in_executor(self.scheduler.io, lambda: None)

    async def readable_job_ids(self) -> set[str]:
        """Ids of the jobs that load. Loading every job once also makes APScheduler purge any it
        cannot unpickle, so the caller can re-arm those (used at start-up)."""

        def load() -> set[str]:
            try:
                return {job.id for job in self.scheduler.get_jobs()}
            except SQLAlchemyError:
                return set()

        return await asyncio.get_running_loop().run_in_executor(self.scheduler.io, load)

    def has_job(self, at: datetime) -> bool:
        """Is there a loadable wake-up for `at`? An unreadable one counts as missing."""
        try:
            return self.scheduler.get_job(job_id(at)) is not None
        except Exception:  # a job pickled by code that no longer loads, or no database
            return False

    def start(self, target: Target, paused: bool = False) -> None:
        """Wake-ups from now on run `target`'s delivery (the leader resumes a paused timer)."""
        self.target = target
        self.scheduler.add_job(
            sweep, "interval", args=(self,), seconds=self.sweep_seconds, id=SWEEP_JOB, replace_existing=True
        )
        self.scheduler.start(paused=paused)

    def stop(self) -> None:
        self.target = None
