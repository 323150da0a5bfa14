"""Run every job period that is due: at start (catching up what was missed), daily, and for retries.

``run_due`` takes the moment as an argument, so tests drive it with their own clock across a
quarter boundary and a downtime. APScheduler (3.x) only decides *when* ``run_due`` is called.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from kic.errors import loggable
from kic.scheduling.config import Schedule
from kic.scheduling.jobs import Job
from kic.scheduling.ledger import LEASE, claim, finish, renew

log = logging.getLogger("kic.scheduler")


@dataclass(frozen=True)
class JobOutcome:
    job_id: str
    key: str
    ok: bool
    message: str


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_due(
    engine: Engine,
    jobs: list[Job],
    schedule: Schedule,
    now: datetime,
    *,
    owner: str | None = None,
    lease: timedelta = LEASE,
) -> list[JobOutcome]:
    """Run every key due between ``now - catch_up_days`` and ``now`` that the ledger lets this scheduler claim."""
    since = now - timedelta(days=schedule.catch_up_days)
    outcomes = []
    for job in jobs:
        for key, _moment in job.due(since, now):
            run_id = claim(
                engine, job.id, key, owner=owner or owner_name(), attempts=schedule.attempts, lease=lease
            )
            if run_id is not None:
                outcomes.append(_run(engine, job, key, run_id, lease))
    return outcomes


def _run(engine: Engine, job: Job, key: str, run_id: int, lease: timedelta) -> JobOutcome:
    try:
        with _heartbeat(engine, run_id, lease):
            message = job.run(engine, key)
    except Exception as exc:  # a failing job is logged and retried, never stops the scheduler
        error = loggable(exc)  # kept in the ledger and shown on the planner page: no person's data
        finish(engine, run_id, error=error)
        log.error("%s %s mislukt: %s", job.id, key, error)
        return JobOutcome(job.id, key, False, error)
    finish(engine, run_id)
    log.info("%s %s gelukt: %s", job.id, key, message)
    return JobOutcome(job.id, key, True, message)


@contextmanager
def _heartbeat(engine: Engine, run_id: int, lease: timedelta) -> Iterator[None]:
    """Renew the run's lease while the job runs; a scheduler that dies stops renewing it."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease.total_seconds() / 5):
            try:
                renew(engine, run_id, lease=lease)
            except Exception:  # a missed beat is not fatal: the lease is five beats long
                log.warning("de looptijd van taak %s kon niet worden verlengd", run_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"kic-heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def build_scheduler(
    engine: Engine, jobs: list[Job], schedule: Schedule, clock: Callable[[ZoneInfo], datetime] = datetime.now
) -> BlockingScheduler:
    """One cron trigger per job at its time of day and an interval trigger for retries."""
    zone = ZoneInfo(schedule.timezone)
    scheduler = BlockingScheduler(timezone=zone)

    def tick() -> None:
        run_due(engine, jobs, schedule, clock(zone))

    for job in jobs:
        scheduler.add_job(
            tick,
            CronTrigger(hour=job.at.hour, minute=job.at.minute, timezone=zone),
            id=job.id,
            name=job.id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    scheduler.add_job(
        tick,
        IntervalTrigger(minutes=schedule.retry_minutes, timezone=zone),
        id="herhalen",
        name="herhalen",
        coalesce=True,
        max_instances=1,
    )
    return scheduler


def upcoming(jobs: list[Job], now: datetime) -> list[tuple[str, str, datetime]]:
    """The next key of each job after ``now``.

    The window grows until a key falls in it: a job that only offers the latest key of a window (the
    daily list) would otherwise show the last day of a long window instead of tomorrow.
    """
    planned = []
    for job in jobs:
        for days in (1, 7, 31, 120):
            later = [
                (key, moment) for key, moment in job.due(now, now + timedelta(days=days)) if moment > now
            ]
            if later:
                planned.append((job.id, *later[0]))
                break
    return planned
