"""What the scheduler has planned and done: one overview for ``kic scheduler status`` and the web app.

A failed run stays unresolved until it succeeds: the ledger keeps one row per job and period, so a
retry that works turns that row to gelukt. A job that only needs its latest period (the daily list
of overdue actions, which is never caught up) is resolved as well once a later period of it succeeded;
a quarterly report that failed stays unresolved whatever later quarters do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kic.scheduling.config import Schedule
from kic.scheduling.jobs import Job, build_jobs
from kic.scheduling.ledger import run_history
from kic.scheduling.models import DONE, FAILED, JobRun
from kic.scheduling.runner import upcoming


@dataclass(frozen=True)
class PlannedRun:
    job_id: str
    key: str
    moment: datetime


@dataclass(frozen=True)
class SchedulerStatus:
    planned: list[PlannedRun]  # the next period of each job
    runs: list[JobRun]  # the ledger, the latest start first
    unresolved: list[JobRun]  # failed and not succeeded since
    attempts: int | None  # how often a run is tried in all (None: the schedule could not be read)
    retry_minutes: int | None

    def retried(self, run: JobRun) -> bool:
        """Whether the scheduler will try this failed run again."""
        return run.status == FAILED and self.attempts is not None and run.attempt < self.attempts


def scheduler_status(session: Session, schedule: Schedule | None, now: datetime) -> SchedulerStatus:
    """Planned and past runs; without a usable schedule only the ledger (every failed run counts)."""
    jobs = build_jobs(schedule) if schedule else []
    history = run_history(session)
    planned = [PlannedRun(job_id, key, moment) for job_id, key, moment in upcoming(jobs, now)]
    return SchedulerStatus(
        planned,
        history,
        unresolved_failures(history, jobs),
        schedule.attempts if schedule else None,
        schedule.retry_minutes if schedule else None,
    )


def failed_runs(session: Session, schedule: Schedule | None) -> list[JobRun]:
    """The unresolved failures; without a usable schedule every failed run counts."""
    return unresolved_failures(run_history(session), build_jobs(schedule) if schedule else [])


def unresolved_failures(history: list[JobRun], jobs: list[Job]) -> list[JobRun]:
    only_latest = {job.id for job in jobs if job.only_latest}
    latest_done: dict[str, str] = {}
    for run in history:
        if run.status == DONE and run.period_key > latest_done.get(run.job_id, ""):
            latest_done[run.job_id] = run.period_key  # keys of one job sort as their periods (ISO dates)
    return [
        run
        for run in history
        if run.status == FAILED
        and not (run.job_id in only_latest and latest_done.get(run.job_id, "") > run.period_key)
    ]
