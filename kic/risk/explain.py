"""Why a payment got its risk weight (``kic risk explain``): every factor, fired or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from kic.controls.checks import FOUT
from kic.controls.frame import load_frame
from kic.errors import KicError
from kic.risk.schema import Factor, RiskModelFile
from kic.risk.weights import risk_weights


class UnknownPayment(KicError, LookupError):
    """No payment with this betaling_id in the active population (Dutch message)."""


@dataclass(frozen=True)
class FactorOutcome:
    factor: Factor
    fired: bool
    undetermined: bool  # the condition could not be judged (a missing value): it does not count


@dataclass(frozen=True)
class Explanation:
    payment_id: str
    regeling: str
    amount_cents: int
    period_from: date | None
    hits: int
    hits_known: bool
    base: float
    maximum: float | None
    weight: float
    factors: tuple[FactorOutcome, ...]
    version: int
    content_hash: str

    @property
    def fired(self) -> tuple[FactorOutcome, ...]:
        return tuple(f for f in self.factors if f.fired)

    @property
    def capped(self) -> bool:
        product = self.base
        for outcome in self.fired:
            product *= outcome.factor.weight
        return self.maximum is not None and product > self.maximum


def explain_row(
    model: RiskModelFile, frame: pd.DataFrame, payment_id: str, hits: pd.Series | None = None
) -> Explanation:
    """The explanation for the row of ``frame`` with ``betaling_id`` = ``payment_id``."""
    rows = frame.loc[frame["betaling_id"] == payment_id]
    if rows.empty:
        raise UnknownPayment(f"betaling '{payment_id}' staat niet in de actieve populatie")
    row = rows.iloc[[0]]
    result = risk_weights(model, row, hits)
    label = row.index[0]
    outcomes = tuple(
        FactorOutcome(f, bool(result.fired.at[label, f.id]), bool(result.undetermined.at[label, f.id]))
        for f in model.factors
    )
    period = row["periode_van"].iloc[0]
    hit_count = int(hits.get(payment_id, 0)) if hits is not None else 0
    return Explanation(
        payment_id,
        str(row["regeling"].iloc[0]),
        int(row["bedrag"].iloc[0]),
        None if pd.isna(period) else period.date(),
        hit_count,
        result.hits_known,
        model.base,
        model.maximum,
        float(result.weights.iloc[0]),
        outcomes,
        model.version,
        model.content_hash,
    )


_REGELING = """
SELECT p.regeling FROM payment p JOIN population_snapshot s ON s.id = p.snapshot_id
WHERE s.status = 'actief' AND s.kind = 'betalingen' AND p.payment_id = :pid
"""
_LAST_RUN = "SELECT max(id) FROM control_run WHERE regeling IS NULL OR regeling = :regeling"
_HITS = """
SELECT count(*) FROM control_result r JOIN payment p ON p.id = r.payment_row_id
JOIN population_snapshot s ON s.id = p.snapshot_id
WHERE r.run_id = :run AND r.status = :fout AND p.payment_id = :pid AND s.status = 'actief'
"""


def explain_payment(session: Session, model: RiskModelFile, payment_id: str) -> Explanation:
    """Explain a payment of the imported population; hits come from the latest control run."""
    regeling = session.execute(text(_REGELING), {"pid": payment_id}).scalar()
    if regeling is None:
        raise UnknownPayment(f"betaling '{payment_id}' staat niet in de actieve populatie")
    run = session.execute(text(_LAST_RUN), {"regeling": regeling}).scalar()
    hits = None
    if run is not None:
        count = session.execute(text(_HITS), {"run": run, "pid": payment_id, "fout": FOUT}).scalar() or 0
        hits = pd.Series({payment_id: int(count)}, dtype="int64")
    return explain_row(model, load_frame(session, regeling), payment_id, hits)
