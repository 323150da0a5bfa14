"""Clients and their households: client key, BSN, leefvorm and kostendelers.

Every client is one household as the uitkeringsadministratie registers it (BUS fields 10 and
11). Kostendelers counts everyone of 27 or older sharing the home, the client and partner
included, so an alleenstaande living alone has 1 and a married couple alone has 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kic.population.bsn import make_bsn
from kic.synth.norms import LEEFVORM_ALLEENSTAANDE_OUDER, LEEFVORM_GEHUWDEN, persons_on_benefit

_LEEFVORM_SHARES = np.array([0.58, 0.22, 0.18, 0.02])  # codes 1..4
_EXTRA_KOSTENDELERS = {  # probabilities of 0, 1, 2, 3 kostendelers beyond the benefit's persons
    "default": np.array([0.80, 0.12, 0.06, 0.02]),
    LEEFVORM_ALLEENSTAANDE_OUDER: np.array([0.90, 0.08, 0.02, 0.0]),
    LEEFVORM_GEHUWDEN: np.array([0.85, 0.11, 0.04, 0.0]),
}


@dataclass(frozen=True)
class Households:
    """Clients by index: ``number`` is the key shown as ``C0000123``."""

    number: np.ndarray
    bsn: np.ndarray  # int64, nine digits when zero-padded
    leefvorm: np.ndarray
    kostendelers: np.ndarray

    def __len__(self) -> int:
        return len(self.number)


def make_households(rng: np.random.Generator, count: int) -> Households:
    """Draw ``count`` households; client numbers are shuffled so they do not reveal the regeling."""
    leefvorm = rng.choice(np.arange(1, 5), size=count, p=_LEEFVORM_SHARES)
    extra = np.empty(count, dtype=np.int64)
    for code in (1, 2, 3, 4):
        mask = leefvorm == code
        shares = _EXTRA_KOSTENDELERS.get(code, _EXTRA_KOSTENDELERS["default"])
        extra[mask] = rng.choice(4, size=int(mask.sum()), p=shares)
    kostendelers = persons_on_benefit(leefvorm) + extra
    number = rng.permutation(count).astype(np.int64) + 1
    return Households(number, make_bsns(rng, count), leefvorm.astype(np.int64), kostendelers)


def make_bsns(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` distinct valid BSNs from seeded stems (never derived from a real person)."""
    found: dict[str, None] = {}
    while len(found) < count:
        stems = rng.integers(10_000_000, 99_999_000, size=count - len(found) + 16)
        for stem in stems.tolist():
            found.setdefault(make_bsn(stem))
            if len(found) == count:
                break
    return np.array([int(b) for b in found], dtype=np.int64)
