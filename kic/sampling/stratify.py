"""Allocation of a total sample size over strata (regeling, period, risk class).

A stratified sample is only as good as its allocation: proportional to value puts the work where
the money is, Neyman puts it where the spread is, and a fixed number per stratum serves a
controleplan that prescribes one.  Every method rounds by largest remainder within bounds of
1 and N_h, so each non-empty stratum is covered and no stratum is asked for more than it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kic.sampling.rng import SelectionError

AllocationMethod = Literal["value", "count", "neyman", "fixed"]


class AllocationError(SelectionError):
    """Bad input for an allocation (Dutch message)."""


@dataclass(frozen=True)
class Allocation:
    """Sample size per stratum, with the shares it was derived from (for the manifest)."""

    method: str
    strata: tuple[str, ...]
    sizes: tuple[int, ...]
    population_sizes: tuple[int, ...]
    shares: tuple[float, ...]

    def as_dict(self) -> dict[str, int]:
        return dict(zip(self.strata, self.sizes, strict=True))

    @property
    def n(self) -> int:
        return sum(self.sizes)


def allocate(
    strata: Sequence[str],
    population_sizes: Sequence[int],
    n: int,
    *,
    method: AllocationMethod = "value",
    totals: Sequence[float] | None = None,
    std_devs: Sequence[float] | None = None,
    fixed: Mapping[str, int] | None = None,
) -> Allocation:
    """Divide ``n`` over the strata.

    ``value``: n_h ∝ X_h (book value of the stratum); ``count``: n_h ∝ N_h; ``neyman``:
    n_h ∝ N_h·S_h (S_h the standard deviation of the book values); ``fixed``: as given.
    """
    names = tuple(str(s) for s in strata)
    sizes_n = np.asarray(population_sizes, dtype=np.int64)
    _check_strata(names, sizes_n)
    if method == "fixed":
        return _fixed(names, sizes_n, fixed)
    weights = _weights(method, sizes_n, totals, std_devs)
    if not 0 < n <= int(sizes_n.sum()):
        raise AllocationError(
            f"steekproefomvang {n} moet tussen 1 en de populatieomvang {int(sizes_n.sum())} liggen"
        )
    nonempty = int((sizes_n > 0).sum())
    if n < nonempty:
        raise AllocationError(f"steekproefomvang {n} is kleiner dan het aantal strata ({nonempty})")
    real = _water_fill(weights, np.minimum(sizes_n, 1), sizes_n, n)
    rounded = _largest_remainder(real, sizes_n, n, names)
    shares = weights / weights.sum() if weights.sum() > 0 else weights
    return Allocation(
        method,
        names,
        tuple(int(v) for v in rounded),
        tuple(int(v) for v in sizes_n),
        tuple(float(v) for v in shares),
    )


def _check_strata(names: tuple[str, ...], sizes_n: np.ndarray) -> None:
    if len(set(names)) != len(names):
        raise AllocationError("strata komen dubbel voor")
    if len(names) != len(sizes_n) or len(names) == 0:
        raise AllocationError("geef per stratum precies één populatieomvang")
    if (sizes_n < 0).any():
        raise AllocationError("populatieomvang per stratum mag niet negatief zijn")


def _weights(
    method: str, sizes_n: np.ndarray, totals: Sequence[float] | None, std_devs: Sequence[float] | None
) -> np.ndarray:
    if method == "count":
        return sizes_n.astype(float)
    if method == "value":
        if totals is None:
            raise AllocationError("allocatie naar waarde vraagt de boekwaarde per stratum")
        weights = np.asarray(totals, dtype=float)
    elif method == "neyman":
        if std_devs is None:
            raise AllocationError("Neyman-allocatie vraagt de standaardafwijking per stratum")
        weights = sizes_n * np.asarray(std_devs, dtype=float)
    else:
        raise AllocationError(f"onbekende allocatiemethode {method!r}")
    if weights.shape != sizes_n.shape or (weights < 0).any() or not np.isfinite(weights).all():
        raise AllocationError("gewichten per stratum moeten eindig en niet-negatief zijn, één per stratum")
    return weights


def _fixed(names: tuple[str, ...], sizes_n: np.ndarray, fixed: Mapping[str, int] | None) -> Allocation:
    if fixed is None or set(fixed) != set(names):
        raise AllocationError("vaste allocatie vraagt precies één omvang per stratum")
    sizes = np.array([int(fixed[s]) for s in names], dtype=np.int64)
    too_big = [s for s, k, cap in zip(names, sizes, sizes_n, strict=True) if k > cap or k < 0]
    if too_big:
        raise AllocationError(f"vaste omvang groter dan het stratum (of negatief) voor: {', '.join(too_big)}")
    total = max(int(sizes.sum()), 1)
    return Allocation(
        "fixed",
        names,
        tuple(int(v) for v in sizes),
        tuple(int(v) for v in sizes_n),
        tuple(float(v) / total for v in sizes),
    )


def _water_fill(weights: np.ndarray, lower: np.ndarray, upper: np.ndarray, n: int) -> np.ndarray:
    """Real allocation clip(λ·w, lower, upper) summing to n; λ found by bisection.

    Why: plain proportional rounding can give a stratum more items than it has, or none at all.
    """
    if weights.sum() == 0:
        weights = upper.astype(float)
    weights = weights / weights.sum()
    lo, hi = 0.0, float(n) / max(weights[weights > 0].min(), 1e-12) + 1.0
    for _ in range(200):
        lam = (lo + hi) / 2
        if np.clip(lam * weights, lower, upper).sum() < n:
            lo = lam
        else:
            hi = lam
    return np.clip(hi * weights, lower, upper)


def _largest_remainder(real: np.ndarray, upper: np.ndarray, n: int, names: tuple[str, ...]) -> np.ndarray:
    """Round down, then give the left-over units to the largest fractions (ties: stratum name)."""
    sizes = np.minimum(np.floor(real + 1e-9).astype(np.int64), upper)
    fractions = real - sizes
    order = sorted(range(len(names)), key=lambda i: (-fractions[i], names[i]))
    while sizes.sum() < n:
        for i in order:
            if sizes.sum() < n and sizes[i] < upper[i]:
                sizes[i] += 1
    return sizes
