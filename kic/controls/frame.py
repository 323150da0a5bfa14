"""The frame controls judge: every active payment with its beschikking, under the import headers.

Columns carry the names of the import format (``bedrag``, ``periode_van``, ...) and, for the
linked beschikking, ``beschikking.<kolom>``: the names a control file uses in expressions.
Money stays integer cents (nullable ``Int64``), volumes are units (``Float64``), dates
``datetime64``. ``_row`` is the payment's database id, ``_beschikking_gevonden`` whether the
beschikkingsnummer exists among the active beschikkingen.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from kic.controls.expressions import DOSSIER_PREFIX
from kic.population.frames import load_payments
from kic.population.schema import DOSSIER_COLUMNS, PAYMENT_COLUMNS, Column, Kind

PREFIX = DOSSIER_PREFIX
FOUND = "_beschikking_gevonden"
ROW = "_row"

_PAYMENT_SOURCE = {
    "amount": "amount_cents",
    "norm_amount": "norm_amount_cents",
    "income_amount": "income_amount_cents",
    "volume": "volume_milli",
    "client_key": "client_key",
}
_DOSSIERS = """
SELECT d.beschikking_nr, d.client_key, d.regeling, d.product_code, d.start_date, d.end_date,
       d.amount_per_period, d.volume, d.unit, d.leefvorm, d.kostendelers, d.decision_date,
       d.application_date, d.status, d.entered_by, d.gemeente
FROM dossier d JOIN population_snapshot s ON s.id = d.snapshot_id
WHERE s.status = 'actief' AND s.kind = 'beschikkingen'
"""


def money_columns() -> frozenset[str]:
    """Column names (as expressions see them) that hold money in cents."""
    payment = {c.header for c in PAYMENT_COLUMNS if c.kind is Kind.MONEY}
    dossier = {PREFIX + c.header for c in DOSSIER_COLUMNS if c.kind is Kind.MONEY}
    return frozenset(payment | dossier)


def column_names() -> frozenset[str]:
    """Every name an expression may read."""
    return frozenset({c.header for c in PAYMENT_COLUMNS} | {PREFIX + c.header for c in DOSSIER_COLUMNS})


def load_frame(session: Session, regeling: str | None = None) -> pd.DataFrame:
    """Active payments (of one regeling, or all) joined to the active beschikkingen."""
    payments = load_payments(session, regeling)
    dossiers = pd.read_sql(text(_DOSSIERS), session.connection())
    return build_frame(payments, dossiers)


def build_frame(payments: pd.DataFrame, dossiers: pd.DataFrame) -> pd.DataFrame:
    """Join raw payment and dossier rows (database attribute names) into the control frame."""
    frame = _typed(payments, PAYMENT_COLUMNS, _PAYMENT_SOURCE, "")
    frame[ROW] = payments["id"].to_numpy(dtype=np.int64)
    beschikkingen = _typed(dossiers, DOSSIER_COLUMNS, {}, PREFIX)
    position = pd.Index(dossiers["beschikking_nr"]).get_indexer(payments["beschikking_nr"])
    found = position >= 0
    frame[FOUND] = found
    for column in beschikkingen.columns:
        frame[column] = _take(beschikkingen[column], position, found)
    return frame


def _typed(
    raw: pd.DataFrame, columns: tuple[Column, ...], source: dict[str, str], prefix: str
) -> pd.DataFrame:
    data: dict[str, pd.Series] = {}
    for column in columns:
        name = source.get(column.attr, column.attr)
        if name not in raw.columns:
            continue
        data[prefix + column.header] = _convert(raw[name], column.kind)
    return pd.DataFrame(data, index=pd.RangeIndex(len(raw)))


def _convert(values: pd.Series, kind: Kind) -> pd.Series:
    values = values.reset_index(drop=True)
    if kind is Kind.MONEY or kind is Kind.INT:
        return values.astype("Int64")
    if kind is Kind.DECIMAL:
        return (values.astype("Float64") / 1000).astype("Float64")
    if kind is Kind.DATE:
        return pd.to_datetime(values)
    if kind is Kind.BOOL:
        return values.astype("boolean")
    return values.astype(object).where(values.notna(), None)


def _take(values: pd.Series, position: np.ndarray, found: np.ndarray) -> pd.Series:
    """Values at ``position`` (-1 = not found: missing)."""
    picked = values.take(np.where(found, position, 0)).reset_index(drop=True)
    if found.all():
        return picked
    if pd.api.types.is_datetime64_any_dtype(picked.dtype):
        return picked.where(found, pd.NaT)
    if isinstance(picked.dtype, pd.api.extensions.ExtensionDtype):
        return picked.mask(~found)
    return picked.astype(object).where(found, None)
