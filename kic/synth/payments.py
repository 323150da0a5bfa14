"""Correct payments that follow from the beschikkingen, before any error is injected.

A periodic beschikking pays once per calendar month of its period that falls in the year. The
first and last month are paid pro rata when the beschikking starts or ends within the month
(amount × days / days in month, half up). Bijstand is paid around the 25th for the running
month; Wmo/Jeugd declaraties arrive after the month of care (TR387: the product period is the
month, clipped to the toewijzing). Nothing is paid before the decision is taken: the months
before it are paid retroactively two days after the besluitdatum.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kic.synth import calendar as cal
from kic.synth import products as prod
from kic.synth.dossiers import declared_amount
from kic.synth.formats import NO_AMOUNT
from kic.synth.norms import norm_cents_rows

PAYDAY = 25
_CARRIED = ("client", "regeling", "leefvorm", "kostendelers", "norm", "income", "product", "medewerker")


def make_payments(rng: np.random.Generator, year: int, dossiers: pd.DataFrame) -> pd.DataFrame:
    """One row per correct payment, in no particular order; ``dossier`` points into ``dossiers``."""
    monthly = _monthly_payments(rng, year, dossiers)
    oneoff = _oneoff_payments(rng, dossiers)
    return pd.concat([monthly, oneoff], ignore_index=True)


def _carry(dossiers: pd.DataFrame, rows: np.ndarray) -> dict[str, np.ndarray]:
    return {"dossier": rows, **{name: dossiers[name].to_numpy()[rows] for name in _CARRIED}}


def _monthly_payments(rng: np.random.Generator, year: int, dossiers: pd.DataFrame) -> pd.DataFrame:
    periodic = np.flatnonzero(dossiers["monthly"].to_numpy())
    count = dossiers["n_months"].to_numpy()[periodic]
    rows = np.repeat(periodic, count)
    offset = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)
    month = dossiers["s_first"].to_numpy()[rows] + offset
    start, end = dossiers["start"].to_numpy()[rows], dossiers["end"].to_numpy()[rows]
    first, last = cal.month_start(year, month), cal.month_end(year, month)
    period_from = np.maximum(first, start)
    period_to = np.where(end == cal.NO_DATE, last, np.minimum(last, np.where(end == cal.NO_DATE, 0, end)))
    days, month_days = period_to - period_from + 1, last - first + 1
    lag = dossiers["lag"].to_numpy()[rows]
    frame = pd.DataFrame(_carry(dossiers, rows))
    frame["period_from"], frame["period_to"] = period_from, period_to
    frame["full_month"] = days == month_days
    frame["pay_date"] = np.maximum(
        payment_dates(rng, year, month + lag, lag), dossiers["besluit"].to_numpy()[rows] + 2
    )
    _monthly_amounts(rng, frame, dossiers, rows, days, month_days)
    return frame


def payment_dates(rng: np.random.Generator, year: int, month: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """Payment day of each month: the payment run on the 25th, declaraties spread over the month."""
    first = cal.month_start(year, month)
    spread = rng.integers(4, 25, len(month))
    return cal.previous_workday(first + np.where(lag > 0, spread, PAYDAY - 1))


def _monthly_amounts(
    rng: np.random.Generator,
    frame: pd.DataFrame,
    dossiers: pd.DataFrame,
    rows: np.ndarray,
    days: np.ndarray,
    month_days: np.ndarray,
) -> None:
    """Pro rata amounts; declaraties are the delivered volume (at most the toewijzing) × tariff.

    Norm-based benefits follow the norm valid in each month (the table changes per 1 January and
    1 July), as the benefits administration's mass mutation does: the bruto grondslag for IOAW and
    IOAZ, the Participatiewet norm for the others.
    """
    amount = dossiers["amount"].to_numpy()[rows].copy()
    normed = frame["norm"].to_numpy() != NO_AMOUNT
    if normed.any():
        month_norm = norm_cents_rows(
            frame["regeling"].to_numpy()[normed],
            frame["leefvorm"].to_numpy()[normed],
            frame["kostendelers"].to_numpy()[normed],
            frame["period_from"].to_numpy()[normed],
        )
        frame.loc[normed, "norm"] = month_norm
        amount[normed] = month_norm - frame["income"].to_numpy()[normed]
    toegewezen = dossiers["volume"].to_numpy()[rows]
    declared = toegewezen != NO_AMOUNT
    step = prod.column("volume_step")[np.maximum(frame["product"].to_numpy(), 0)]
    share = 0.5 + 0.5 * rng.random(len(rows))
    volume = np.maximum((toegewezen * share).astype(np.int64) // step * step, step)
    volume = np.where(declared, np.minimum(volume, toegewezen), NO_AMOUNT)
    tariff = dossiers["tariff"].to_numpy()[rows]
    prorata = (2 * amount * days + month_days) // (2 * month_days)
    frame["volume"] = volume
    frame["tariff"] = tariff
    frame["amount"] = np.where(declared, declared_amount(np.where(declared, volume, 0), tariff), prorata)


def _oneoff_payments(rng: np.random.Generator, dossiers: pd.DataFrame) -> pd.DataFrame:
    rows = np.flatnonzero(~dossiers["monthly"].to_numpy())
    frame = pd.DataFrame(_carry(dossiers, rows))
    frame["period_from"] = dossiers["start"].to_numpy()[rows]
    frame["period_to"] = dossiers["end"].to_numpy()[rows]
    frame["full_month"] = False
    frame["pay_date"] = cal.previous_workday(
        dossiers["besluit"].to_numpy()[rows] + rng.integers(2, 11, len(rows))
    )
    frame["volume"] = np.full(len(rows), NO_AMOUNT, dtype=np.int64)
    frame["tariff"] = np.full(len(rows), NO_AMOUNT, dtype=np.int64)
    frame["amount"] = dossiers["amount"].to_numpy()[rows]
    return frame
