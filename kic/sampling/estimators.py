"""Horvitz–Thompson and Hansen–Hurwitz estimates of the total misstatement of a PPS sample.

A risk-weighted sample over-represents risky items, so a plain sum or average of its errors is
biased; weighting each error by 1/π (Horvitz–Thompson) or by 1/(m·p) per draw (Hansen–Hurwitz)
removes that bias.  Misstatement data are mostly zeros, so a normal (t) bound fails exactly when
it matters (few or no errors: the standard error is then 0).  The default bound is therefore a
Stringer bound on scaled taints: with overstatement y ≤ book value b, one draw's contribution
z = y/p is at most M = max(b/p) over the population, so s = z/M lies in [0, 1] and the mean of s
is bounded like an MUS taint mean.  For MUS (weight 1) M is the book value and this is the
ordinary Stringer bound.  docs/methodology.md §7.8 shows its coverage by simulation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import stats

from kic.sampling.rng import SelectionError
from kic.sampling.selection import Selection

Bound = Literal["stringer", "student_t"]

__all__ = ["TotalEstimate", "estimate_misstatement", "hansen_hurwitz", "horvitz_thompson", "stringer_scaled"]


@dataclass(frozen=True)
class TotalEstimate:
    """Point estimate and one-sided upper bound of the total misstatement, in cents.

    The estimate is rounded to the nearest cent and the bound up, so the bound never shrinks by
    rounding; ``key_misstatement`` (found in items taken 100 %) is included in both.
    """

    method: str
    bound: str
    conf: float
    estimate: int
    upper_bound: int
    standard_error: float
    draws: int
    errors: int
    key_misstatement: int


def stringer_scaled(scaled: np.ndarray, draws: int, conf: float) -> float:
    """Stringer bound on the mean of m draws of s ∈ [0, 1] (s = 0 for correct draws).

    UB = [F(0) + Σ_j (F(j) − F(j−1))·s_(j)] / m, F(j) the Poisson factor gamma.ppf(conf, j+1),
    s_(1) ≥ s_(2) ≥ … the positive values.  Understatements (s < 0) are left out: the bound is
    one of overstatement, and leaving them out can only make it larger.
    """
    if draws < 1 or not 0 < conf < 1:
        raise SelectionError("een bovengrens vraagt minstens één trekking en 0 < betrouwbaarheid < 1")
    s = np.sort(scaled[scaled > 0])[::-1]
    factors = stats.gamma.ppf(conf, np.arange(s.size + 1) + 1.0)
    return float(factors[0] + np.sum(np.diff(factors) * s)) / draws


def hansen_hurwitz(
    misstatements: np.ndarray,
    expected_hits: np.ndarray,
    hits: np.ndarray,
    *,
    draws: int,
    max_draw_estimate: float,
    key_misstatement: int = 0,
    conf: float = 0.95,
    bound: Bound = "stringer",
) -> TotalEstimate:
    """Hansen–Hurwitz: Ŷ = (1/m)·Σ_draws y/p, p = expected_hits/m the draw probability."""
    y, e, h = _arrays(misstatements, expected_hits, hits)
    z = np.repeat(draws * y / e, h)
    z = np.concatenate([z, np.zeros(max(draws - z.size, 0))])
    return _result(
        "hansen_hurwitz", z, draws, max_draw_estimate, key_misstatement, conf, bound, int((y != 0).sum())
    )


def horvitz_thompson(
    misstatements: np.ndarray,
    inclusion_probabilities: np.ndarray,
    *,
    draws: int,
    max_draw_estimate: float,
    key_misstatement: int = 0,
    conf: float = 0.95,
    bound: Bound = "stringer",
) -> TotalEstimate:
    """Horvitz–Thompson: Ŷ = Σ y/π over the distinct sampled items.

    The bound treats the m draws as if with replacement (p = π/m), the usual conservative
    approximation for systematic PPS, whose own variance has no unbiased estimator.
    """
    y, pi, _ = _arrays(misstatements, inclusion_probabilities, np.ones(len(misstatements), dtype=np.int64))
    z = np.concatenate([draws * y / pi, np.zeros(max(draws - y.size, 0))])
    return _result(
        "horvitz_thompson", z, draws, max_draw_estimate, key_misstatement, conf, bound, int((y != 0).sum())
    )


def estimate_misstatement(
    selection: Selection,
    misstatements: Mapping[str, int],
    *,
    conf: float = 0.95,
    bound: Bound = "stringer",
) -> TotalEstimate:
    """Estimate from a :class:`Selection` and the misstatement (book − audited, cents) per item id.

    Methods with replacement use Hansen–Hurwitz, the others Horvitz–Thompson.  Every sampled
    and key item must have a value: an unreviewed item is not a correct item.
    """
    missing = [i for i in (*selection.ids, *selection.key_ids) if i not in misstatements]
    if missing:
        raise SelectionError(f"geen oordeel voor {len(missing)} posten, bijvoorbeeld {missing[0]}")
    if selection.max_draw_estimate is None or selection.draws == 0:
        raise SelectionError("deze selectie heeft geen getrokken deel om te extrapoleren")
    y = np.array([misstatements[i] for i in selection.ids], dtype=float)
    key = sum(int(misstatements[i]) for i in selection.key_ids)
    draws, scale = selection.draws, selection.max_draw_estimate
    if selection.method in ("mus_random", "pps_with_replacement"):
        return hansen_hurwitz(
            y,
            np.array(selection.expected_hits),
            np.array(selection.hits),
            draws=draws,
            max_draw_estimate=scale,
            key_misstatement=key,
            conf=conf,
            bound=bound,
        )
    if selection.inclusion_probabilities is None:
        raise SelectionError(f"methode {selection.method} registreert geen insluitkansen")
    return horvitz_thompson(
        y,
        np.array(selection.inclusion_probabilities),
        draws=draws,
        max_draw_estimate=scale,
        key_misstatement=key,
        conf=conf,
        bound=bound,
    )


def _arrays(y: np.ndarray, prob: np.ndarray, hits: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    prob = np.asarray(prob, dtype=float)
    hits = np.asarray(hits, dtype=np.int64)
    if not (y.shape == prob.shape == hits.shape) or y.ndim != 1:
        raise SelectionError("misstanden, kansen en treffers moeten even lang zijn")
    if (prob <= 0).any() or not np.isfinite(prob).all() or (hits < 1).any():
        raise SelectionError("kansen moeten positief zijn en elke post moet minstens één treffer hebben")
    return y, prob, hits


def _result(
    method: str, z: np.ndarray, draws: int, scale: float, key: int, conf: float, bound: Bound, errors: int
) -> TotalEstimate:
    """Combine the per-draw estimates z (length m) into estimate, standard error and bound."""
    mean = float(z.mean())
    se = float(z.std(ddof=1) / math.sqrt(draws)) if draws > 1 else math.inf
    if bound == "stringer":
        upper = scale * stringer_scaled(z / scale, draws, conf)
    elif bound == "student_t":
        upper = mean + float(stats.t.ppf(conf, max(draws - 1, 1))) * se
    else:
        raise SelectionError(f"onbekende bovengrens {bound!r}; kies 'stringer' of 'student_t'")
    return TotalEstimate(
        method, bound, conf, round(mean) + key, math.ceil(upper) + key, se, draws, errors, key
    )
