"""Claim a (job, period) in the run ledger before running it; record how it ended.

Insert-first locking: the unique (job_id, period_key) constraint lets exactly one scheduler insert
the row; every other one gets an IntegrityError and leaves the period alone. A failed run is
claimed again for a retry by a conditional UPDATE on its status and attempt, which again only
one scheduler can win.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kic.db import session_scope
from kic.scheduling.models import DONE, FAILED, RUNNING, JobRun


def claim(engine: Engine, job_id: str, key: str, *, owner: str, attempts: int) -> int | None:
    """The id of the claimed run, or None when another scheduler has it or it is done or out of attempts."""
    now = datetime.now(UTC)
    try:
        with session_scope(engine) as session:
            run = JobRun(
                job_id=job_id, period_key=key, status=RUNNING, started_at=now, attempt=1, owner=owner
            )
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:
        pass
    with session_scope(engine) as session:
        failed = session.scalar(select(JobRun).where(JobRun.job_id == job_id, JobRun.period_key == key))
        if failed is None or failed.status != FAILED or failed.attempt >= attempts:
            return None
        result = session.execute(
            update(JobRun)
            .where(JobRun.id == failed.id, JobRun.status == FAILED, JobRun.attempt == failed.attempt)
            .values(status=RUNNING, attempt=failed.attempt + 1, started_at=now, finished_at=None, owner=owner)
        )
        won = cast(CursorResult, result).rowcount  # an UPDATE gives a CursorResult
        return failed.id if won == 1 else None


def finish(engine: Engine, run_id: int, *, error: str | None = None) -> None:
    with session_scope(engine) as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run_id)
            .values(status=FAILED if error else DONE, error=error, finished_at=datetime.now(UTC))
        )


def runs(engine: Engine) -> list[JobRun]:
    with session_scope(engine) as session:
        return run_history(session)


def run_history(session: Session) -> list[JobRun]:
    """Every run in the ledger, the latest start first."""
    return list(session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc())))
