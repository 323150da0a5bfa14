"""Bijstandsnormen of the synthetic gemeente: the catalogue's table, the kostendelersnorm, IIT amounts.

The synthetic gemeente pays the norms of the shipped reference table
``controls/tabellen/normbedragen.yaml`` (netto per maand, excl. vakantietoeslag, effective-dated
per 1 January and 1 July), so that the automated norm controls judge its correct payments as
correct and find exactly the injected NORM_ONJUIST errors. The table says which rows are not yet
verified against the Mededeling bijstandsnormen; see docs/catalogue-sources.md.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Final

import numpy as np
import yaml

from kic.resources import resource_dir
from kic.synth import calendar as cal

NORM_TABLE: Final[str] = "tabellen/normbedragen.yaml"


@cache
def _gehuwden_rows() -> tuple[tuple[int, int, int], ...]:
    """(first day, last day, gehuwdennorm in cents) per table row, as day numbers."""
    content = yaml.safe_load((resource_dir("controls") / NORM_TABLE).read_text(encoding="utf-8"))
    rows = []
    for row in content["rijen"]:
        first = int(np.datetime64(str(row["geldig_van"]), "D").astype(np.int64))
        last = (
            int(np.datetime64(str(row["geldig_tot"]), "D").astype(np.int64))
            if row.get("geldig_tot")
            else 10**9
        )
        rows.append((first, last, int(Decimal(str(row["gehuwden"])) * 100)))
    return tuple(rows)


def gehuwdennorm_cents(days: np.ndarray) -> np.ndarray:
    """B, the gehuwdennorm in cents, valid on each day number (the table's effective dating)."""
    days = np.asarray(days, dtype=np.int64)
    result = np.full(days.shape, -1, dtype=np.int64)
    for first, last, cents in _gehuwden_rows():
        result = np.where((days >= first) & (days <= last), cents, result)
    if (result < 0).any():
        missing = cal.month_index(1970, days[result < 0][:1]).tolist()
        raise ValueError(f"normbedragen.yaml heeft geen rij voor maand {missing} na 1970")
    return result


LEEFVORM_ALLEENSTAANDE = 1
LEEFVORM_ALLEENSTAANDE_OUDER = 2
LEEFVORM_GEHUWDEN = 3
LEEFVORM_ANDERS = 4

IIT_BEDRAGEN: Final[dict[int, int]] = {
    # individuele inkomenstoeslag per jaar in centen (synthetic verordening of the gemeente)
    LEEFVORM_ALLEENSTAANDE: 42_000,
    LEEFVORM_ALLEENSTAANDE_OUDER: 54_000,
    LEEFVORM_GEHUWDEN: 60_000,
    LEEFVORM_ANDERS: 42_000,
}


def persons_on_benefit(leefvorm: np.ndarray) -> np.ndarray:
    """Gehuwden share one benefit for two persons; every other leefvorm is one person."""
    return np.where(leefvorm == LEEFVORM_GEHUWDEN, 2, 1)


def norm_cents(leefvorm: np.ndarray, kostendelers: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Monthly norm in cents from leefvorm and the number of kostendelers A (Pw art. 22a).

    Kostendelersnorm per person: ((40 % + A × 30 %) / A) × B, B the gehuwdennorm; the benefit
    is that per-person norm times the persons on the benefit (2 for gehuwden). With A = 1 this
    is 70 % of B (alleenstaande) and for gehuwden with A = 2 it is B itself (B per row, from
    :func:`gehuwdennorm_cents`), so the one formula
    covers the whole table. A counts the client (and partner) too, so A >= persons. Rounded to
    whole cents, half up, in integer arithmetic.
    """
    persons = persons_on_benefit(leefvorm).astype(np.int64)
    a = np.maximum(kostendelers.astype(np.int64), persons)
    numerator = persons * (40 + 30 * a) * b  # percent points × cents
    denominator = 100 * a
    return (2 * numerator + denominator) // (2 * denominator)


def wrong_household(
    rng: np.random.Generator, leefvorm: np.ndarray, kostendelers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A plausible mistaken (leefvorm, A): kostendelers missed or miscounted, or the wrong leefvorm.

    These are the mistakes a klantmanager makes in practice: a kostendeler who moved in is not
    processed (A too low), or a samenwoning is registered as alleenstaande (or the reverse).
    """
    persons = persons_on_benefit(leefvorm)
    a = np.maximum(kostendelers, persons)
    choice = rng.integers(0, 3, size=leefvorm.shape)
    wrong_a = np.where(a > persons, persons, a + 1)  # kostendeler ignored / wrongly counted
    flipped = np.where(leefvorm == LEEFVORM_GEHUWDEN, LEEFVORM_ALLEENSTAANDE, LEEFVORM_GEHUWDEN)
    new_leefvorm = np.where(choice == 2, flipped, leefvorm)
    new_a = np.where(choice == 2, np.maximum(a, persons_on_benefit(flipped)), wrong_a)
    return new_leefvorm, new_a
