"""Stored control runs: one row per payment × control, judged against a recorded control version.

The control's id, version and content hash are stored once per run in ``control_run_control``
and referenced by each result, rather than repeated on millions of result rows (a 64-character
hash on eight million rows would be half a gigabyte). A result is tied to exactly one of them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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
    """A control version as it was used in a run: id, version and the hash of its content."""

    __tablename__ = "control_run_control"
    __table_args__ = (UniqueConstraint("run_id", "control_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("control_run.id"))
    control_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    regeling: Mapped[str] = mapped_column(String(10))


class ControlResult(Base):
    """The verdict of one control version on one payment.

    ``status`` is voldoet, fout, nvt or niet_te_beoordelen; ``difference`` is what was paid too
    much (cents, negative when too little) for a fout; ``detail`` says why in Dutch for a fout
    or niet_te_beoordelen. Only an index on ``run_id``: results are read per run, in bulk.
    """

    __tablename__ = "control_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("control_run.id"), index=True)
    run_control_id: Mapped[int] = mapped_column(ForeignKey("control_run_control.id"))
    payment_row_id: Mapped[int] = mapped_column(ForeignKey("payment.id"))
    status: Mapped[str] = mapped_column(String(20))
    difference: Mapped[Decimal] = mapped_column(Money)
    reason_code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
