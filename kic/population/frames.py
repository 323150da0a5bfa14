"""Whole populations as DataFrames, for the vectorised work (controls, risk, sampling).

Money comes out as integer cents (``amount_cents``): a million Decimals would be slow, and cents
are exact. Only active snapshots are read.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

_PAYMENTS = """
SELECT p.id, p.snapshot_id, p.payment_id, p.client_key, p.regeling, p.amount AS amount_cents,
       p.payment_date, p.period_from, p.period_to, p.beschikking_nr, p.leefvorm, p.kostendelers,
       p.norm_amount AS norm_amount_cents, p.income_amount AS income_amount_cents, p.product_code,
       p.volume AS volume_milli, p.unit, p.manual, p.entered_by
FROM payment p JOIN population_snapshot s ON s.id = p.snapshot_id
WHERE s.status = 'actief' AND s.kind = 'betalingen'
"""


def load_payments(session: Session, regeling: str | None = None) -> pd.DataFrame:
    """All payments of the active populations (optionally of one regeling), ordered by payment id."""
    query = _PAYMENTS + (" AND p.regeling = :regeling" if regeling else "") + " ORDER BY p.payment_id"
    frame = pd.read_sql(text(query), session.connection(), params={"regeling": regeling} if regeling else {})
    for column in ("payment_date", "period_from", "period_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
