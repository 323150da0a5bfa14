"""Bijstandsnormen of the synthetic gemeente: the catalogue's tables, the kostendelersnorm, IIT amounts.

The synthetic gemeente pays the norms of the shipped reference table
``controls/tabellen/normbedragen.yaml`` (netto per maand, excl. vakantietoeslag, effective-dated
per 1 January and 1 July), so that the automated norm controls judge its correct payments as
correct and find exactly the injected NORM_ONJUIST errors. The IOAW and IOAZ pay a bruto
grondslag instead (IOAW/IOAZ art. 5): ``controls/tabellen/ioaw_ioaz_grondslagen.yaml``, one
amount per household type, read here by :func:`grondslag_cents` and chosen per regeling by
:func:`norm_cents_for`, the same rule as the check ``norm_volgens_tabel``. The tables say which
rows are not yet verified; see docs/catalogue-sources.md.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, Final

import numpy as np
import yaml

from kic.resources import resource_dir
from kic.synth import calendar as cal
from kic.synth.regelingen import regeling_index

NORM_TABLE: Final[str] = "tabellen/normbedragen.yaml"
GRONDSLAG_TABLE: Final[str] = "tabellen/ioaw_ioaz_grondslagen.yaml"
GRONDSLAG_REGELINGEN: Final[tuple[str, ...]] = ("IOAW", "IOAZ")  # bruto grondslag, not the netto Pw norm
_NO_END: Final[int] = 10**9


def _table_rows(table: str) -> list[dict[str, Any]]:
    content = yaml.safe_load((resource_dir("controls") / table).read_text(encoding="utf-8"))
    return list(content["rijen"])


def _day_range(row: dict[str, Any]) -> tuple[int, int]:
    """First and last day of a table row as day numbers (no end: far in the future)."""
    first = int(np.datetime64(str(row["geldig_van"]), "D").astype(np.int64))
    last = (
        int(np.datetime64(str(row["geldig_tot"]), "D").astype(np.int64)) if row.get("geldig_tot") else _NO_END
    )
    return first, last


def _cents(value: Any) -> int:
    return int(Decimal(str(value)) * 100)


@cache
def _gehuwden_rows() -> tuple[tuple[int, int, int], ...]:
    """(first day, last day, gehuwdennorm in cents) per table row, as day numbers."""
    return tuple((*_day_range(row), _cents(row["gehuwden"])) for row in _table_rows(NORM_TABLE))


@cache
def _grondslag_rows() -> tuple[tuple[int, int, int, int, int, int], ...]:
    """(first day, last day, gehuwden, alleenstaande, alleenstaande ouder, woningdeler in cents) per row."""
    return tuple(
        (
            *_day_range(row),
            _cents(row["gehuwden"]),
            _cents(row["alleenstaande"]),
            _cents(row.get("alleenstaande_ouder", row["alleenstaande"])),
            _cents(row["woningdeler"]),
        )
        for row in _table_rows(GRONDSLAG_TABLE)
    )


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


def grondslag_cents(leefvorm: np.ndarray, kostendelers: np.ndarray, days: np.ndarray) -> np.ndarray:
    """IOAW/IOAZ bruto grondslag per maand (excl. vakantie-uitkering) in cents, valid on each day number.

    Gehuwden get the gehuwden grondslag whatever the kostendelers; an alleenstaande (ouder) with at
    least one kostendeler (A >= 2) the woningdeler grondslag; otherwise the alleenstaande (ouder)
    grondslag. The same rule as ``grondslag_per_leefvorm`` in kic.controls.checks.
    """
    leefvorm = np.asarray(leefvorm, dtype=np.int64)
    shares_home = np.asarray(kostendelers, dtype=np.int64) >= 2
    days = np.asarray(days, dtype=np.int64)
    result = np.full(days.shape, -1, dtype=np.int64)
    for first, last, gehuwden, alone, parent, woningdeler in _grondslag_rows():
        amount = np.where(
            leefvorm == LEEFVORM_GEHUWDEN,
            gehuwden,
            np.where(
                shares_home, woningdeler, np.where(leefvorm == LEEFVORM_ALLEENSTAANDE_OUDER, parent, alone)
            ),
        )
        result = np.where((days >= first) & (days <= last), amount, result)
    if (result < 0).any():
        missing = cal.month_index(1970, days[result < 0][:1]).tolist()
        raise ValueError(f"ioaw_ioaz_grondslagen.yaml heeft geen rij voor maand {missing} na 1970")
    return result


def norm_cents_for(
    regeling: str, leefvorm: np.ndarray, kostendelers: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """The monthly norm in cents of ``regeling`` on each day number: the IOAW/IOAZ bruto grondslag, or the
    Participatiewet kostendelersnorm (PW-LO, Bbz levensonderhoud)."""
    if regeling in GRONDSLAG_REGELINGEN:
        return grondslag_cents(leefvorm, kostendelers, days)
    return norm_cents(leefvorm, kostendelers, gehuwdennorm_cents(days))


def norm_cents_rows(
    regeling_codes: np.ndarray, leefvorm: np.ndarray, kostendelers: np.ndarray, days: np.ndarray
) -> np.ndarray:
    """:func:`norm_cents_for` row by row, for rows of mixed regelingen (``regeling_codes`` are indices
    into ``REGELING_CODES``): the bruto grondslag where the regeling is IOAW or IOAZ, else the Pw norm."""
    regeling_codes = np.asarray(regeling_codes, dtype=np.int64)
    leefvorm = np.asarray(leefvorm, dtype=np.int64)
    kostendelers = np.asarray(kostendelers, dtype=np.int64)
    days = np.asarray(days, dtype=np.int64)
    bruto = np.isin(regeling_codes, [regeling_index(code) for code in GRONDSLAG_REGELINGEN])
    result = np.zeros(days.shape, dtype=np.int64)
    if (~bruto).any():
        result[~bruto] = norm_cents(leefvorm[~bruto], kostendelers[~bruto], gehuwdennorm_cents(days[~bruto]))
    if bruto.any():
        result[bruto] = grondslag_cents(leefvorm[bruto], kostendelers[bruto], days[bruto])
    return result


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
