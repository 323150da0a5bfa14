"""Frozen samples (steekproeven) and their items.

A sample is never changed once drawn: the migration makes the database refuse UPDATE and DELETE
on both tables. An item is a payment or, for a plan line over beschikkingen (aanvragen), a
beschikking: ``Sample.unit`` says which, and the item points at the payment or the dossier row. A redraw or an extension is a new sample that points at the one it replaces or
extends, with its own seed and reason.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kic.db.base import Base, Money
from kic.vocabulary import Unit

BETALING, BESCHIKKING = Unit  # the unit of a sample: what one item is
UNITS = tuple(u.value for u in Unit)


class Sample(Base):
    __tablename__ = "sample"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regeling: Mapped[str] = mapped_column(String(10))
    period_label: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(20))  # statistisch | gericht | preventief
    method: Mapped[str] = mapped_column(String(30))
    parameters: Mapped[dict] = mapped_column(JSON)
    seed: Mapped[str] = mapped_column(String(100))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("population_snapshot.id"))
    population_sha256: Mapped[str] = mapped_column(String(64))
    population_count: Mapped[int] = mapped_column(Integer)
    population_total: Mapped[Decimal] = mapped_column(Money)
    item_count: Mapped[int] = mapped_column(Integer)
    manifest: Mapped[dict] = mapped_column(JSON)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"))
    extends_id: Mapped[int | None] = mapped_column(ForeignKey("sample.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    plan_part: Mapped[str | None] = mapped_column(String(40))  # controleplan line (kic sample draw --plan)
    plan: Mapped[dict | None] = mapped_column(JSON)  # year, version and content hash of the controleplan
    risk_model: Mapped[dict | None] = mapped_column(JSON)  # version and content hash, for risk-weighted draws
    unit: Mapped[str] = mapped_column(
        String(12), default=BETALING, server_default=BETALING
    )  # what an item is
    gemeente: Mapped[str | None] = mapped_column(
        String(6)
    )  # drawn from this gemeente only; None: all of them


class SampleItem(Base):
    __tablename__ = "sample_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    payment_row_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))  # unit betaling
    dossier_row_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"))  # unit beschikking
    item_key: Mapped[str] = mapped_column(String(64))  # betaling_id or beschikkingsnummer
    stratum: Mapped[str] = mapped_column(String(40))
    key_item: Mapped[bool] = mapped_column(Boolean)
    hits: Mapped[int] = mapped_column(Integer)
    inclusion_probability: Mapped[float | None] = mapped_column(Float)
    book_value: Mapped[Decimal] = mapped_column(Money)
