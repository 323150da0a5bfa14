"""Reading drawn samples: lists, items and the manifest, for the web app and the CLI.

The BSN is personal data: the item rows leave it out unless :func:`reveal_bsns` is called, and
that call is written to the audit trail (as NEN 7513 asks for reading care data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.orm import Session

from kic.audit import record
from kic.gemeenten import WHOLE, Scope
from kic.population.models import Dossier, Payment
from kic.samples.draw import SampleError
from kic.samples.models import Sample, SampleItem


class SampleNotFound(SampleError):
    def __init__(self, sample_id: int) -> None:
        super().__init__(f"steekproef {sample_id} bestaat niet")


@dataclass(frozen=True)
class ItemRow:
    """One sampled item as a reader sees it; ``bsn`` only when it was revealed.

    For a payment: its payment date and period; for a beschikking: its besluitdatum and its
    ingangsdatum and einddatum (which may be open).
    """

    position: int
    item_key: str
    stratum: str
    key_item: bool
    hits: int
    book_value: Decimal
    day: date | None
    period_from: date | None
    period_to: date | None
    bsn: str | None = None


def list_samples(session: Session, scope: Scope = WHOLE) -> list[Sample]:
    """Every drawn sample in ``scope``, newest first."""
    return list(session.scalars(select(Sample).where(scope.on(Sample.gemeente)).order_by(Sample.id.desc())))


def get_sample(session: Session, sample_id: int) -> Sample:
    sample = session.get(Sample, sample_id)
    if sample is None:
        raise SampleNotFound(sample_id)
    return sample


def sample_items(session: Session, sample_id: int) -> list[ItemRow]:
    """The items of a sample with their payment data, without BSN."""
    return _items(session, sample_id, with_bsn=False)


def reveal_bsns(session: Session, sample_id: int, *, actor: str, address: str | None = None) -> list[ItemRow]:
    """The items with their BSN; the reading is recorded (which items, never the numbers themselves)."""
    rows = _items(session, sample_id, with_bsn=True)
    record(
        session,
        actor=actor,
        action="bsn.inzien",
        object_type="sample",
        object_id=sample_id,
        after={"posten": [row.item_key for row in rows]},
        address=address,
    )
    return rows


def _items(session: Session, sample_id: int, *, with_bsn: bool) -> list[ItemRow]:
    get_sample(session, sample_id)
    columns: list[SQLColumnExpression[Any]] = [
        SampleItem.position,
        SampleItem.item_key,
        SampleItem.stratum,
        SampleItem.key_item,
        SampleItem.hits,
        SampleItem.book_value,
        func.coalesce(Payment.payment_date, Dossier.decision_date),
        func.coalesce(Payment.period_from, Dossier.start_date),
        func.coalesce(Payment.period_to, Dossier.end_date),
    ]
    if with_bsn:
        columns.append(func.coalesce(Payment.bsn, Dossier.bsn))
    query = (
        select(*columns)
        .outerjoin(Payment, SampleItem.payment_row_id == Payment.id)
        .outerjoin(Dossier, SampleItem.dossier_row_id == Dossier.id)
        .where(SampleItem.sample_id == sample_id)
        .order_by(SampleItem.position)
    )
    return [ItemRow(*row) for row in session.execute(query)]


def manifest_json(sample: Sample) -> str:
    """The manifest as the accountant receives it (``kic sample manifest`` writes the same text)."""
    return json.dumps(sample.manifest, indent=2, ensure_ascii=False) + "\n"
