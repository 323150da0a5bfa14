"""Bijstandsnormen of the synthetic gemeente: one table, the kostendelersnorm, the IIT amounts.

The amounts are the netto normbedragen per maand for 21 jaar tot de AOW-leeftijd, *excluding*
vakantietoeslag, as a gemeente pays them monthly (the vakantietoeslag is reserved and left out
of the synthetic export). They follow the Participatiewet (art. 21 en 22a) and are meant to look
like the 1 January 2026 amounts. The authoritative source is the half-yearly "Mededeling
bijstandsnormen" of the Minister of SZW in the Staatscourant; the value below is our best
reconstruction (1 januari 2024: gehuwden € 1.742,34 excl. vt, indexed with the minimum wage
to 1 januari 2026) and has NOT been checked against that Mededeling. The generator and the
ground truth only need the table to be internally consistent; controls that judge real data
must use the effective-dated reference tables in controls/, never this module.
"""

from __future__ import annotations

from typing import Final

import numpy as np

NORMBEDRAGEN_2026_01_01: Final[dict[str, int]] = {
    # netto per maand in centen, 21 jaar tot AOW-leeftijd, excl. vakantietoeslag
    "gehuwden": 187_920,  # B, the gehuwdennorm (100 %)
    "alleenstaande": 131_544,  # 70 % of B (also alleenstaande ouder since 2015)
}
NORMBEDRAGEN_BRON: Final[str] = (
    "Participatiewet art. 21 en 22a; bedragen per 1 januari 2026 benaderd "
    "(1-1-2024 € 1.742,34 gehuwden excl. vt geïndexeerd), niet geverifieerd tegen de "
    "Mededeling bijstandsnormen (Staatscourant)"
)

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


def norm_cents(leefvorm: np.ndarray, kostendelers: np.ndarray) -> np.ndarray:
    """Monthly norm in cents from leefvorm and the number of kostendelers A (Pw art. 22a).

    Kostendelersnorm per person: ((40 % + A × 30 %) / A) × B, B the gehuwdennorm; the benefit
    is that per-person norm times the persons on the benefit (2 for gehuwden). With A = 1 this
    is 70 % of B (alleenstaande) and for gehuwden with A = 2 it is B itself, so the one formula
    covers the whole table. A counts the client (and partner) too, so A >= persons. Rounded to
    whole cents, half up, in integer arithmetic.
    """
    persons = persons_on_benefit(leefvorm).astype(np.int64)
    a = np.maximum(kostendelers.astype(np.int64), persons)
    b = NORMBEDRAGEN_2026_01_01["gehuwden"]
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
