"""The run ledger: one row per job and period, inserted before the job runs.

The unique (job, period key) pair is the lock: of two schedulers that try the same period only
one insert succeeds, so a period's report is never rendered twice by mistake. A running row holds a
lease (``lease_until``) that its scheduler renews while the job runs: a scheduler that died
(``kill -9``, a power cut) stops renewing, and once the lease has passed another one may claim the
run again as its next attempt; "bezig" never hangs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base

RUNNING, DONE, FAILED = "bezig", "gelukt", "mislukt"


class JobRun(Base):
    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_id", "period_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(60))
    period_key: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    owner: Mapped[str | None] = mapped_column(String(100))  # host:pid of the scheduler that claimed it
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # while bezig
