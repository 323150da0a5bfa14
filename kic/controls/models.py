"""Stored control runs: one row per payment × control, judged against a recorded control version.

A result row holds only small integers: the run, the payment's row id, the control's index in
the run, a status code, a reason index and the difference in cents. What those numbers mean is
stored once per run: ``control_run_control`` holds each control version used (id, version,
content hash, and why its check failed if it did) and ``control_run_reason`` each reason code with
its Dutch explanation. Twelve million results then take about 50 bytes each instead of over a
hundred, and the view ``control_result_detail`` (migration 0004) shows them readable again.

The results table has no foreign keys and no primary key: checking three references and
maintaining a unique index for every one of twelve million rows cost more than two minutes on
PostgreSQL. Integrity holds by construction instead: a run and all its results are written in one
transaction by ``run_controls``, the indexes come from the rows it just wrote, and payments are
never deleted (a new import adds a snapshot). The only index is a partial one on the fout results
of a run by payment, the rows that are read back (findings, risk weights, an item's automated results).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base, Money


class ControlRun(Base):
    """One evaluation of the automated controls over the whole active population."""

    __tablename__ = "control_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    catalogue_hash: Mapped[str] = mapped_column(String(64))
    regeling: Mapped[str | None] = mapped_column(String(10))
    payment_count: Mapped[int] = mapped_column(Integer, default=0)
    result_count: Mapped[int] = mapped_column(Integer, default=0)


class ControlRunControl(Base):
    """A control version as it was used in a run: id, version and the hash of its content.

    ``control_index`` numbers the versions of one run from 0; results refer to it. ``failure``
    says why the check could not be carried out (its results are then niet_te_beoordelen).
    """

    __tablename__ = "control_run_control"
    __table_args__ = (
        UniqueConstraint("run_id", "control_id", "version"),
        UniqueConstraint("run_id", "control_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("control_run.id"))
    control_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    regeling: Mapped[str] = mapped_column(String(10))
    control_index: Mapped[int] = mapped_column(SmallInteger)
    failure: Mapped[str | None] = mapped_column(Text)


class ControlRunReason(Base):
    """A reason code given in a run, numbered from 0 for its results, with its Dutch explanation.

    ``explanation`` is empty only for runs stored before migration 0004 whose results carried none.
    """

    __tablename__ = "control_run_reason"

    run_id: Mapped[int] = mapped_column(ForeignKey("control_run.id"), primary_key=True)
    reason_index: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    reason_code: Mapped[str] = mapped_column(String(40))
    explanation: Mapped[str | None] = mapped_column(Text)


class ControlResult(Base):
    """The verdict of one control version on one payment.

    ``status`` is the code of ``kic.controls.checks``: 0 voldoet, 1 fout, 2 nvt, 3 niet_te_beoordelen
    (the partial index and the view ``control_result_detail`` rely on these numbers); ``difference`` is what was paid too much (cents,
    negative when too little) for a fout and 0 otherwise. The mapper's primary key is the natural
    key of a result; the table itself has none (see the module docstring).
    """

    __tablename__ = "control_result"
    # The fout results of a run, by payment (migration 0010): read back for findings, risk weights and
    # the automated results on an item page; only a few percent of the rows, so cheap to write.
    __table_args__ = (
        Index(
            "ix_control_result_fout",
            "run_id",
            "payment_row_id",
            sqlite_where=text("status = 1"),
            postgresql_where=text("status = 1"),
        ),
    )
    # ClassVar for ruff (RUF012), though SQLAlchemy's typing declares an instance attribute (sqlalchemy#12373)
    __mapper_args__: ClassVar[dict[str, Any]] = {  # type: ignore[misc]
        "primary_key": ["run_id", "control_index", "payment_row_id"]
    }

    run_id: Mapped[int] = mapped_column(Integer)
    control_index: Mapped[int] = mapped_column(SmallInteger)
    payment_row_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[int] = mapped_column(SmallInteger)
    reason_index: Mapped[int] = mapped_column(SmallInteger)
    difference: Mapped[Decimal] = mapped_column(Money)
