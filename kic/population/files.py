"""The imported files (active populations) as a person or a report of some gemeenten may see them.

For the whole installation a file is shown with what the import counted (rows, debet, credit, period). For
some gemeenten only the files that hold their rows are shown, each with the count, debet, credit and period
of *their* rows: a file of the whole region tells the accountant of one gemeente nothing about another.
The name and SHA-256 of the file stay, so that the file itself can still be traced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Integer, case, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session

from kic.gemeenten import WHOLE, Scope
from kic.population.models import SNAPSHOT_ACTIVE, Dossier, Payment, PopulationSnapshot
from kic.population.parse import cents_to_decimal


@dataclass(frozen=True)
class ImportedFile:
    """An active population as shown: the snapshot's own figures, or those of the rows in scope."""

    id: int
    kind: str
    source_name: str
    sha256: str
    row_count: int
    total_debit: Decimal
    total_credit: Decimal
    period_from: date | None
    period_to: date | None
    imported_at: datetime
    imported_by: str
    part: bool  # the figures are those of the gemeenten in scope, not of the whole file


def imported_files(session: Session, scope: Scope = WHOLE) -> list[ImportedFile]:
    """The active populations, oldest first; for some gemeenten only the files with their rows, counted
    over those rows."""
    snapshots = session.scalars(
        select(PopulationSnapshot)
        .where(PopulationSnapshot.status == SNAPSHOT_ACTIVE)
        .order_by(PopulationSnapshot.id)
    ).all()
    if scope.whole:
        return [_whole(s) for s in snapshots]
    counted = {**_counts(session, scope, Payment), **_counts(session, scope, Dossier)}
    return [_part(s, counted[s.id]) for s in snapshots if s.id in counted]


def _whole(s: PopulationSnapshot) -> ImportedFile:
    return ImportedFile(
        s.id,
        s.kind,
        s.source_name,
        s.sha256,
        s.row_count,
        s.total_debit,
        s.total_credit,
        s.period_from,
        s.period_to,
        s.imported_at,
        s.imported_by,
        part=False,
    )


def _part(s: PopulationSnapshot, figures: tuple[int, Decimal, Decimal, date, date]) -> ImportedFile:
    count, debit, credit, start, end = figures
    return ImportedFile(
        s.id,
        s.kind,
        s.source_name,
        s.sha256,
        count,
        debit,
        credit,
        start,
        end,
        s.imported_at,
        s.imported_by,
        True,
    )


def _counts(
    session: Session, scope: Scope, table: type[Payment] | type[Dossier]
) -> dict[int, tuple[int, Decimal, Decimal, date, date]]:
    """Per snapshot the rows of ``table`` in scope: count, debet, credit (as the import counts them: the
    payment's amount, the beschikking's amount per period) and the first and last date."""
    amount: InstrumentedAttribute[Decimal | None]
    end: InstrumentedAttribute[date | None]
    if table is Payment:
        amount, start, end = Payment.amount, Payment.period_from, Payment.period_to
    else:
        amount, start, end = Dossier.amount_per_period, Dossier.start_date, Dossier.end_date
    cents = type_coerce(amount, Integer)  # sums of raw cents, exact
    rows = session.execute(
        select(
            table.snapshot_id,
            func.count(),
            func.sum(case((amount > 0, cents), else_=0)),
            func.sum(case((amount < 0, -cents), else_=0)),
            func.min(start),
            func.max(func.coalesce(end, start)),
        )
        .where(scope.on(table.gemeente))
        .group_by(table.snapshot_id)
    ).all()
    return {
        snapshot: (count, _money(debit), _money(credit), first, last)
        for snapshot, count, debit, credit, first, last in rows
    }


def _money(value: int | Decimal | None) -> Decimal:
    return Decimal("0.00") if value is None else cents_to_decimal(int(value))
