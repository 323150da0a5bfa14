"""Claim a (job, period) in the run ledger before running it; record how it ended.

Insert-first locking: the unique (job_id, period_key) constraint lets exactly one scheduler insert
the row; every other one gets an IntegrityError and leaves the period alone. A failed run, or a
running one whose lease has passed (its scheduler died), is claimed again for a retry by a
conditional UPDATE on its status, attempt and lease, which again only one scheduler can win. A run
whose scheduler died on its last attempt is marked mislukt, so that it shows as a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kic.db import session_scope
from kic.scheduling.models import DONE, FAILED, RUNNING, JobRun

LEASE = timedelta(minutes=5)  # a running job renews its lease every LEASE / 5 (kic.scheduling.runner)


def claim(
    engine: Engine,
    job_id: str,
    key: str,
    *,
    owner: str,
    attempts: int,
    lease: timedelta = LEASE,
    now: datetime | None = None,
) -> int | None:
    """The id of the claimed run, or None when another scheduler has it or it is done or out of attempts."""
    now = now or datetime.now(UTC)
    try:
        with session_scope(engine) as session:
            run = JobRun(
                job_id=job_id,
                period_key=key,
                status=RUNNING,
                started_at=now,
                attempt=1,
                owner=owner,
                lease_until=now + lease,
            )
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        pass
    with session_scope(engine) as session:
        found = session.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.period_key == key))
        if found is None or not (found.status == FAILED or _abandoned(found, now)):
            return None
        run = found
        same = update(JobRun).where(
            JobRun.id == run.id,
            JobRun.status == run.status,
            JobRun.attempt == run.attempt,
            JobRun.lease_until.is_(None)
            if run.lease_until is None
            else JobRun.lease_until == run.lease_until,
        )
        if run.attempt >= attempts:
            if run.status == RUNNING:  # died on its last attempt: a failure to show, not "bezig" forever
                session.execute(
                    same.values(status=FAILED, error=_died(run), finished_at=now, lease_until=None)
                )
            return None
        error = _died(run) if run.status == RUNNING else run.error
        result = session.execute(
            same.values(
                status=RUNNING,
                attempt=run.attempt + 1,
                started_at=now,
                finished_at=None,
                owner=owner,
                error=error,
                lease_until=now + lease,
            )
        )
        won = cast(CursorResult, result).rowcount  # an UPDATE gives a CursorResult
        return run.id if won == 1 else None


def renew(engine: Engine, run_id: int, *, lease: timedelta = LEASE) -> None:
    """The heartbeat of a running job: its scheduler is alive, keep the run."""
    with session_scope(engine) as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == RUNNING)
            .values(lease_until=datetime.now(UTC) + lease)
        )


def _abandoned(run: JobRun, now: datetime) -> bool:
    """A running run whose scheduler stopped renewing its lease (or, from before leases, has none)."""
    if run.status != RUNNING:
        return False
    until = (
        run.lease_until
        if run.lease_until is None or run.lease_until.tzinfo
        else run.lease_until.replace(tzinfo=UTC)
    )
    return until is None or until < now


def _died(run: JobRun) -> str:
    return (
        f"poging {run.attempt} is afgebroken: de planner ({run.owner or 'onbekend'}) stopte tijdens de taak"
    )


def finish(engine: Engine, run_id: int, *, error: str | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(
                status=FAILED if error else DONE, error=error, finished_at=datetime.now(UTC), lease_until=None
            )
        )


def runs(engine: Engine) -> list[JobRun]:
    with session_scope(engine) as session:
        return run_history(session)


def run_history(session: Session) -> list[JobRun]:
    """Every run in the ledger, the latest start first."""
    return list(session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())))
