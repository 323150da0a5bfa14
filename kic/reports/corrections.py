"""Corrections (herstel) of a quarter: what the payments show and what the reviews ask for.

Two stored sources, nothing estimated:

- the payments of the active betalingen populations with a betaaldatum in the quarter:
  *crediteringen*, a negative amount (a terugvordering or correction booked as a credit), and
  *nabetalingen*, a positive payment made more than ``BACK_PAYMENT_DAYS`` days after the end of the
  period it pays for (the rule of the risk factor ``terugwerkende_kracht`` in controls/risk.yaml);
- the afgeronde reviews of the quarter's samples: each item's fout (FIN) amount, *te veel betaald*
  (positive: to be recovered) or *te weinig betaald* (negative: to be paid after). Whether that
  correction shows in the payments: a later payment on the same beschikking whose period overlaps
  the reviewed one, a credit for te veel and a positive payment for te weinig.

kic does not store the terugvorderingsbesluit: a recovery through the debiteurenadministratie or by
set-off against a later benefit does not show in the payments, so "not seen" is not "not corrected".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.gemeenten import WHOLE, Scope
from kic.periods import Period
from kic.population.models import SNAPSHOT_ACTIVE, Payment, PopulationSnapshot
from kic.review.models import AFGEROND, Review
from kic.samples.models import Sample, SampleItem

ZERO = Decimal("0.00")
BACK_PAYMENT_DAYS = 31  # paid more than this many days after periode_tot: a nabetaling


@dataclass(frozen=True)
class Corrections:
    """One regeling's corrections in a quarter; every amount is positive (what was credited or paid)."""

    regeling: str
    credits: int = 0
    credit_value: Decimal = ZERO
    back_payments: int = 0
    back_payment_value: Decimal = ZERO
    overpaid: int = 0  # reviewed items with a fout: paid too much
    overpaid_value: Decimal = ZERO
    overpaid_seen: int = 0  # of which a later credit shows in the payments
    underpaid: int = 0  # reviewed items with a fout: paid too little
    underpaid_value: Decimal = ZERO
    underpaid_seen: int = 0  # of which a later payment shows in the payments

    @property
    def in_payments(self) -> bool:
        return bool(self.credits or self.back_payments)

    @property
    def in_reviews(self) -> bool:
        return bool(self.overpaid or self.underpaid)


@dataclass(frozen=True)
class _Paid:
    payment_id: str
    beschikking_nr: str | None
    amount: Decimal
    payment_date: date
    period_from: date
    period_to: date


def corrections(session: Session, quarter: Period, scope: Scope = WHOLE) -> list[Corrections]:
    """Per regeling (sorted) with anything to show: the payments' and the reviews' corrections."""
    counts: dict[str, dict[str, int | Decimal]] = defaultdict(dict)
    for regeling, figures in population_corrections(session, quarter, scope).items():
        counts[regeling].update(figures)
    for regeling, figures in review_corrections(session, quarter, scope).items():
        counts[regeling].update(figures)
    return [Corrections(regeling, **figures) for regeling, figures in sorted(counts.items())]  # type: ignore[arg-type]


def total(rows: Iterable[Corrections]) -> Corrections:
    sums: dict[str, int | Decimal] = {}
    for row in rows:
        for f in fields(Corrections)[1:]:
            sums[f.name] = sums.get(f.name, 0) + getattr(row, f.name)
    return Corrections("totaal", **sums)  # type: ignore[arg-type]


def is_back_payment(amount: Decimal, payment_date: date, period_to: date) -> bool:
    return amount > 0 and (payment_date - period_to).days > BACK_PAYMENT_DAYS


def population_corrections(
    session: Session, quarter: Period, scope: Scope = WHOLE
) -> dict[str, dict[str, int | Decimal]]:
    """Crediteringen and nabetalingen per regeling among the payments made in the quarter."""
    rows = session.execute(
        select(Payment.regeling, Payment.amount, Payment.payment_date, Payment.period_to)
        .join(PopulationSnapshot, PopulationSnapshot.id == Payment.snapshot_id)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            Payment.payment_date >= quarter.start,
            Payment.payment_date <= quarter.end,
            (Payment.amount < 0) | (Payment.period_to < Payment.payment_date),
            scope.on(Payment.gemeente),
        )
    )
    result: dict[str, dict[str, int | Decimal]] = defaultdict(
        lambda: {"credits": 0, "credit_value": ZERO, "back_payments": 0, "back_payment_value": ZERO}
    )
    for regeling, amount, paid, period_to in rows:
        if amount < 0:
            figures = result[regeling]
            figures["credits"] += 1
            figures["credit_value"] -= amount
        elif is_back_payment(amount, paid, period_to):
            figures = result[regeling]
            figures["back_payments"] += 1
            figures["back_payment_value"] += amount
    return dict(result)


def review_corrections(
    session: Session, quarter: Period, scope: Scope = WHOLE
) -> dict[str, dict[str, int | Decimal]]:
    """Per regeling the fouten (FIN) of the quarter's afgeronde reviews, and which show a later correction."""
    rows = session.execute(
        select(
            Review.error_amount,
            Sample.regeling,
            Payment.payment_id,
            Payment.beschikking_nr,
            Payment.amount,
            Payment.payment_date,
            Payment.period_from,
            Payment.period_to,
        )
        .join(Sample, Sample.id == Review.sample_id)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .join(Payment, Payment.id == SampleItem.payment_row_id, isouter=True)
        .where(
            Review.status == AFGEROND,
            Review.error_amount != 0,
            Sample.period_start >= quarter.start,
            Sample.period_end <= quarter.end,
            scope.on(Sample.gemeente),
        )
        .order_by(Review.id)
    ).all()
    reviewed = [
        (error, regeling, None if pid is None else _Paid(pid, nr, amount, paid, start, end))
        for error, regeling, pid, nr, amount, paid, start, end in rows
    ]
    later = _payments_on(session, {p.beschikking_nr for _, _, p in reviewed if p and p.beschikking_nr})
    result: dict[str, dict[str, int | Decimal]] = defaultdict(
        lambda: {
            "overpaid": 0,
            "overpaid_value": ZERO,
            "overpaid_seen": 0,
            "underpaid": 0,
            "underpaid_value": ZERO,
            "underpaid_seen": 0,
        }
    )
    for error, regeling, paid in reviewed:
        kind = "overpaid" if error > 0 else "underpaid"
        figures = result[regeling]
        figures[kind] += 1
        figures[f"{kind}_value"] += abs(error)
        if (
            paid is not None
            and paid.beschikking_nr is not None
            and followed_by_correction(paid, error, later.get(paid.beschikking_nr, []))
        ):
            figures[f"{kind}_seen"] += 1
    return dict(result)


def followed_by_correction(reviewed: _Paid, error: Decimal, payments: Iterable[_Paid]) -> bool:
    """A later payment on the same beschikking over an overlapping period: a credit when too much was
    paid (``error`` > 0), a positive payment when too little."""
    if reviewed.beschikking_nr is None:
        return False
    return any(
        p.payment_id != reviewed.payment_id
        and p.beschikking_nr == reviewed.beschikking_nr
        and p.payment_date > reviewed.payment_date
        and p.period_from <= reviewed.period_to
        and p.period_to >= reviewed.period_from
        and (p.amount < 0 if error > 0 else p.amount > 0)
        for p in payments
    )


def _payments_on(session: Session, beschikkingen: set[str]) -> dict[str, list[_Paid]]:
    """The active payments on these beschikkingen, by beschikking."""
    found: dict[str, list[_Paid]] = defaultdict(list)
    if not beschikkingen:
        return found
    rows = session.execute(
        select(
            Payment.payment_id,
            Payment.beschikking_nr,
            Payment.amount,
            Payment.payment_date,
            Payment.period_from,
            Payment.period_to,
        )
        .join(PopulationSnapshot, PopulationSnapshot.id == Payment.snapshot_id)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            Payment.beschikking_nr.in_(sorted(beschikkingen)),
        )
    )
    for row in rows:
        found[row.beschikking_nr].append(_Paid(*row))
    return found
