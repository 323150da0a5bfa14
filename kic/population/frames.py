"""Whole populations as DataFrames, for the vectorised work (controls, risk, sampling).

Money comes out as integer cents (``amount_cents``): a million Decimals would be slow, and cents
are exact. Only active snapshots are read.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

_PAYMENTS = """
SELECT p.id, p.snapshot_id, p.payment_id, p.client_key, p.regeling, p.amount AS amount_cents,
       p.payment_date, p.period_from, p.period_to, p.beschikking_nr, p.leefvorm, p.kostendelers,
       p.norm_amount AS norm_amount_cents, p.income_amount AS income_amount_cents, p.product_code,
       p.volume AS volume_milli, p.unit, p.manual, p.entered_by, p.bbz_class, p.gemeente
FROM payment p JOIN population_snapshot s ON s.id = p.snapshot_id
"""
_ACTIVE_PAYMENTS = _PAYMENTS + "WHERE s.status = 'actief' AND s.kind = 'betalingen'"


def load_payments(session: Session, regeling: str | None = None) -> pd.DataFrame:
    """All payments of the active populations (optionally of one regeling), ordered by payment id."""
    query = _ACTIVE_PAYMENTS + (" AND p.regeling = :regeling" if regeling else "") + " ORDER BY p.payment_id"
    frame = pd.read_sql(text(query), session.connection(), params={"regeling": regeling} if regeling else {})
    for column in ("payment_date", "period_from", "period_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


_ALL_DOSSIERS = """
SELECT d.id, d.snapshot_id, d.beschikking_nr, d.client_key, d.regeling, d.product_code, d.start_date,
       d.end_date, d.amount_per_period, d.volume, d.unit, d.leefvorm, d.kostendelers, d.decision_date,
       d.application_date, d.status, d.entered_by, d.gemeente
FROM dossier d JOIN population_snapshot s ON s.id = d.snapshot_id
"""
_DOSSIERS = _ALL_DOSSIERS + "WHERE s.status = 'actief' AND s.kind = 'beschikkingen'"
_DOSSIER_DATES = ("start_date", "end_date", "decision_date", "application_date")


def load_payment_rows(session: Session, row_ids: list[int]) -> pd.DataFrame:
    """The payments with these database ids (active or not: a sample keeps pointing at its rows)."""
    query = _PAYMENTS + "WHERE p.id IN :ids ORDER BY p.payment_id"
    return _read_dates(session, query, row_ids, ("payment_date", "period_from", "period_to"))


def load_dossiers_for(session: Session, beschikking_nrs: list[str] | None) -> pd.DataFrame:
    """The active beschikkingen with these numbers (None: all of them)."""
    query = _DOSSIERS + ("" if beschikking_nrs is None else " AND d.beschikking_nr IN :ids")
    return _read_dates(session, query, beschikking_nrs, _DOSSIER_DATES)


def load_dossier_rows(session: Session, row_ids: list[int]) -> pd.DataFrame:
    """The beschikkingen with these database ids (active or not: a sample keeps pointing at its rows)."""
    return _read_dates(
        session, _ALL_DOSSIERS + "WHERE d.id IN :ids ORDER BY d.beschikking_nr", row_ids, _DOSSIER_DATES
    )


def _read_dates(session: Session, query: str, ids: list | None, dates: tuple[str, ...]) -> pd.DataFrame:
    statement = text(query)
    if ids is not None:
        statement = statement.bindparams(bindparam("ids", expanding=True))
    frame = pd.read_sql(
        statement, session.connection(), params={} if ids is None else {"ids": list(ids) or [None]}
    )
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    return frame
