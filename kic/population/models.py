"""Stored populations: a frozen snapshot per imported file, with its payments or dossiers.

The columns of ``Payment`` and ``Dossier`` follow ``kic.population.schema``; a test checks that the
two stay in step.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base, Money, Quantity

SNAPSHOT_ACTIVE = "actief"
SNAPSHOT_REPLACED = "vervangen"


class PopulationSnapshot(Base):
    """What one import stored: the file it came from, its hash and its control totals."""

    __tablename__ = "population_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    source_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(10))
    row_count: Mapped[int] = mapped_column(Integer)
    total_debit: Mapped[Decimal] = mapped_column(Money)
    total_credit: Mapped[Decimal] = mapped_column(Money)
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default=SNAPSHOT_ACTIVE)
    mapping: Mapped[dict | None] = mapped_column(JSON)


class Payment(Base):
    """A betaling as exported by the benefits administration.

    No secondary indexes: controls and sampling read a whole population into a frame at once, and
    every index costs import speed (measured in benchmarks/README.md). Lookups of one payment go
    through the unique (snapshot_id, payment_id) index or the primary key.
    """

    __tablename__ = "payment"
    __table_args__ = (UniqueConstraint("snapshot_id", "payment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique constraint below starts with snapshot_id, so it also serves lookups per snapshot.
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("population_snapshot.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    bsn: Mapped[str] = mapped_column(String(9))
    regeling: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money)
    debit_credit: Mapped[str | None] = mapped_column(String(1))
    payment_date: Mapped[date] = mapped_column(Date)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    beschikking_nr: Mapped[str | None] = mapped_column(String(64))
    leefvorm: Mapped[str | None] = mapped_column(String(10))
    kostendelers: Mapped[int | None] = mapped_column(Integer)
    norm_amount: Mapped[Decimal | None] = mapped_column(Money)
    income_amount: Mapped[Decimal | None] = mapped_column(Money)
    product_code: Mapped[str | None] = mapped_column(String(20))
    volume: Mapped[Decimal | None] = mapped_column(Quantity)
    unit: Mapped[str | None] = mapped_column(String(10))
    manual: Mapped[bool | None] = mapped_column(Boolean)
    entered_by: Mapped[str | None] = mapped_column(String(64))
    source_system: Mapped[str | None] = mapped_column(String(64))
    bbz_class: Mapped[str | None] = mapped_column(String(1))
    gemeente: Mapped[str | None] = mapped_column(
        String(6)
    )  # CBS code; None only before any gemeente is known


class Dossier(Base):
    """A beschikking (decision) on which payments rest."""

    __tablename__ = "dossier"
    __table_args__ = (UniqueConstraint("snapshot_id", "beschikking_nr"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique constraint below starts with snapshot_id, so it also serves lookups per snapshot.
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("population_snapshot.id"))
    line_no: Mapped[int] = mapped_column(Integer)
    beschikking_nr: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
    bsn: Mapped[str] = mapped_column(String(9))
    regeling: Mapped[str] = mapped_column(String(10))
    product_code: Mapped[str | None] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    amount_per_period: Mapped[Decimal | None] = mapped_column(Money)
    volume: Mapped[Decimal | None] = mapped_column(Quantity)
    unit: Mapped[str | None] = mapped_column(String(10))
    leefvorm: Mapped[str | None] = mapped_column(String(10))
    kostendelers: Mapped[int | None] = mapped_column(Integer)
    decision_date: Mapped[date | None] = mapped_column(Date)
    application_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(30))
    entered_by: Mapped[str | None] = mapped_column(String(64))
    gemeente: Mapped[str | None] = mapped_column(
        String(6)
    )  # CBS code; None only before any gemeente is known


ROW_MODELS: dict[str, type[Payment | Dossier]] = {"betalingen": Payment, "beschikkingen": Dossier}
