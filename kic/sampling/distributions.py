"""One-sided upper bounds for the Poisson, binomial and hypergeometric error models.

These are the building blocks of planning and evaluation. They are kept in one module so that
every bound in kic has exactly one implementation, and so that the exact-arithmetic escape hatch
(for knife-edge cases such as P(X = 0 | N = 100, K = 1, n = 90) = 0.1 exactly) lives in one place.

Conventions:
* ``conf`` is the confidence level (1 - risk), a float in (0, 1).
* error counts may be fractional (a sum of taints) for the Poisson and binomial models;
  the hypergeometric model counts whole errors.
* floating-point comparisons with a probability threshold are re-decided in exact rational
  arithmetic when they fall within ``_EDGE`` of the threshold.

``scipy.stats`` (0.6 s to import) is imported inside the functions that need it; the Poisson
model needs only ``scipy.special``, so that ``kic stats plan`` answers at once. Where a
``scipy.special`` function replaces a ``scipy.stats`` call it is the very function scipy.stats
calls, so every number stays the same to the last bit.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from scipy import special

from kic.sampling import checks
from kic.sampling.results import SamplingError

# Relative distance to a threshold under which a float comparison is recomputed exactly.
_EDGE = 1e-9
# Largest population for which an exact hypergeometric sum is still cheap enough.
_EXACT_HYPER_MAX_N = 200_000
# Shared by planning and evaluation: the one input the hypergeometric model cannot do without.
HYPER_NEEDS_N = checks.HYPER_NEEDS_N


def as_fraction(value: float | str | Fraction) -> Fraction:
    """Return the decimal value the user typed as an exact fraction (0.035 -> 7/200).

    Floats are converted through their shortest repr, so 0.035 becomes 7/200 and not the
    binary approximation 0.0350000000000000033...; this is what makes ceil(0.035 * 400) = 14.
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def ceil_product(rate: float | Fraction, n: int) -> int:
    """Exact ceil(rate * n): the number of errors a sample of n may contain at a given rate."""
    return math.ceil(as_fraction(rate) * n)


def check_conf(conf: float) -> None:
    """Reject confidence levels outside the open interval (0, 1), NaN included."""
    checks.check_confidence(conf)


# --- Poisson ---------------------------------------------------------------------------------


def poisson_factor(errors: float, conf: float) -> float:
    """Poisson confidence (reliability) factor: the gamma(errors + 1) quantile at ``conf``.

    With k errors the upper limit of the error rate is factor / n (AICPA Exhibit FA.2,
    Touw & Hoogduin 2011 Table 1.3: 3.00 for k = 0 at 95 %).
    """
    check_conf(conf)
    checks.non_negative(errors, checks.ERRORS)
    return float(gamma_quantile(conf, errors + 1.0))


def gamma_quantile(conf: float | np.ndarray, shape: float | np.ndarray) -> np.ndarray:
    """The ``conf`` quantile of gamma(``shape``), scale 1: ``scipy.stats.gamma.ppf(conf, shape)``.

    Computed as scipy.stats does it (``gamma._ppf`` is ``special.gammaincinv(shape, conf)``, times
    scale 1 plus loc 0), without importing scipy.stats; ``conf`` 0 gives 0, as the ppf does.
    """
    return special.gammaincinv(shape, conf)


def poisson_upper(errors: float, n: int, conf: float) -> float:
    """Upper limit of the error fraction under the Poisson model: gamma quantile / n.

    ``errors`` may be a sum of taints; it cannot exceed n (no more errors than items).
    """
    n = checks.check_sample_size(n)
    checks.check_errors(errors, n)
    return poisson_factor(errors, conf) / n


# --- binomial --------------------------------------------------------------------------------


def binomial_upper(errors: float, n: int, conf: float) -> float:
    """One-sided Clopper-Pearson upper limit: the beta(errors + 1, n - errors) quantile.

    ``errors`` may be a sum of taints; with all n items wholly wrong the limit is 1, and more errors
    than items is refused.
    """
    check_conf(conf)
    n = checks.check_sample_size(n)
    checks.check_errors(errors, n)
    if errors >= n:
        return 1.0
    from scipy import stats

    return float(stats.beta.ppf(conf, errors + 1.0, n - errors))


def binomial_cdf_exact(k: int, n: int, p: Fraction) -> Fraction:
    """P(X <= k) for X ~ binomial(n, p) in exact rational arithmetic."""
    q = 1 - p
    return sum((math.comb(n, i) * p**i * q ** (n - i) for i in range(k + 1)), Fraction(0))


def risk(conf: float) -> Fraction:
    """1 - conf as an exact fraction (1 - 0.9 is 1/10, not 0.09999999999999998)."""
    return 1 - as_fraction(conf)


def binomial_cdf_below(k: int, n: int, p: float, conf: float, *, strict: bool = True) -> bool:
    """Decide P(X <= k | n, p) < 1 - conf (or <= when not strict), exactly at knife edges."""
    from scipy import stats

    alpha = float(risk(conf))
    value = float(stats.binom.cdf(k, n, p))
    if abs(value - alpha) > _EDGE * max(alpha, 1e-300):
        return value < alpha
    exact = binomial_cdf_exact(k, n, as_fraction(p))
    return exact < risk(conf) if strict else exact <= risk(conf)


# --- hypergeometric --------------------------------------------------------------------------


def hyper_cdf_exact(k: int, population: int, defects: int, n: int) -> Fraction:
    """P(X <= k) for the hypergeometric distribution in exact rational arithmetic."""
    total = math.comb(population, n)
    hits = sum(math.comb(defects, i) * math.comb(population - defects, n - i) for i in range(k + 1))
    return Fraction(hits, total)


def _hyper_cdf(k: int, population: int, defects: int, n: int) -> float:
    from scipy import stats

    return float(stats.hypergeom.cdf(k, population, defects, n))


def hyper_cdf_compare(k: int, population: int, defects: int, n: int, conf: float) -> int:
    """Return the sign of P(X <= k | N, K, n) - (1 - conf), decided exactly near the edge.

    The float value is trusted away from alpha; within a relative 1e-9 the exact rational sum is
    used (when the population is small enough for that to be cheap), which is how the knife edge
    P(X = 0 | N = 100, K = 1, n = 90) = 1/10 is recognised as equal, not as 0.10000000000000002.
    """
    alpha = float(risk(conf))
    value = _hyper_cdf(k, population, defects, n)
    if abs(value - alpha) > _EDGE * max(alpha, 1e-300) or population > _EXACT_HYPER_MAX_N:
        return (value > alpha) - (value < alpha)
    exact, limit = hyper_cdf_exact(k, population, defects, n), risk(conf)
    return (exact > limit) - (exact < limit)


def hyper_upper_count(errors: int, n: int, population: int, conf: float) -> int:
    """Largest number of errors K in the population still compatible with the sample.

    K is the largest value with P(X <= errors | N, K, n) > 1 - conf (Talens 2005; jfa; IDEA).
    """
    return int(hyper_upper_counts(np.array([errors]), n, population, conf)[0])


def hyper_upper_counts(errors: np.ndarray, n: int, population: int, conf: float) -> np.ndarray:
    """``hyper_upper_count`` for many error counts at once (the Stringer factors for 0..k errors).

    The cdf falls as K grows, so each count needs a bisection over K in [k, N - n + k]; doing all
    bisections in step on arrays costs ~log2(N) vectorised cdf calls instead of that many per count.
    """
    k, n, population = _check_hyper_args(errors, n, population, conf)
    low, high = k.copy(), population - (n - k)
    compatible = hyper_cdf_above(k, population, low, n, conf)
    active = compatible & (low < high)
    if active.any():
        low[active], high[active] = _narrow_hyper_bracket(
            k[active], n, population, conf, low[active], high[active]
        )
        active = active & (low < high)
    while active.any():
        mid = (low + high + 1) // 2
        above = np.zeros_like(active)
        above[active] = hyper_cdf_above(k[active], population, mid[active], n, conf)
        low = np.where(active & above, mid, low)
        high = np.where(active & ~above, mid - 1, high)
        active = active & (low < high)
    return np.where(compatible, low, np.maximum(k - 1, 0))


def _narrow_hyper_bracket(
    k: np.ndarray, n: int, population: int, conf: float, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shrink [low, high] to 0.1 % either side of the binomial approximation of K_upper.

    The hypergeometric behaves like a binomial with n_eff = n (N - 1) / (N - n) draws. Both
    probes are decided by the exact rule, so a poor guess costs one cdf call, never a wrong K;
    a narrow bracket also keeps the cdfs near the answer, where they are cheapest to evaluate.
    """
    from scipy import stats

    n_eff = n * (population - 1) / max(population - n, 1)
    guess = np.nan_to_num(stats.beta.ppf(conf, k + 1.0, np.maximum(n_eff - k, 1e-9)) * population)
    for probe in (np.floor(guess * (1 - 1e-3)), np.ceil(guess * (1 + 1e-3))):
        at = np.clip(probe, low, high).astype(np.int64)
        above = hyper_cdf_above(k, population, at, n, conf)
        low = np.where(above, np.maximum(low, at), low)
        high = np.where(above, high, np.minimum(high, at - 1))
    return low, high


def hyper_cdf_above(
    k: np.ndarray, population: int, defects: np.ndarray, n: int | np.ndarray, conf: float
) -> np.ndarray:
    """Vectorised P(X <= k | N, K, n) > 1 - conf, re-decided exactly near the edge (see below)."""
    from scipy import stats

    alpha = float(risk(conf))
    value = np.atleast_1d(stats.hypergeom.cdf(k, population, defects, n))
    above = value > alpha
    if population <= _EXACT_HYPER_MAX_N:
        kk, dd, nn = np.broadcast_arrays(k, defects, n)
        for i in np.flatnonzero(np.abs(value - alpha) <= _EDGE * max(alpha, 1e-300)):
            above[i] = hyper_cdf_compare(int(kk[i]), population, int(dd[i]), int(nn[i]), conf) > 0
    return above


def hyper_upper(errors: int, n: int, population: int, conf: float) -> float:
    """Upper limit of the error fraction under the hypergeometric model: K_upper / N."""
    return hyper_upper_count(errors, n, population, conf) / population


def _check_hyper_args(
    errors: np.ndarray | int, n: int, population: int, conf: float
) -> tuple[np.ndarray, int, int]:
    """Whole error counts in [0, n], a whole n <= N and a valid confidence: (counts as int64, n, N)."""
    check_conf(conf)
    n = checks.check_sample_size(n)
    population = int(checks.check_population_size(population, "hypergeometric", n) or 0)
    k = checks.whole_counts(errors, checks.ERRORS)
    for e in {int(k.min()), int(k.max())} if k.size else ():
        if e < 0 or e > n:
            raise SamplingError(f"het aantal fouten {e} moet tussen 0 en n = {n} liggen")
    return k, n, population


# --- vectorised helpers used by planning ------------------------------------------------------


def gamma_cdf(errors: np.ndarray, n: np.ndarray, rate: float) -> np.ndarray:
    """P(Gamma(errors + 1) <= n * rate); above ``conf`` means gamma.ppf(conf)/n < ``rate``."""
    return special.gammainc(errors + 1.0, n * rate)


def binomial_cdf(errors: np.ndarray, n: np.ndarray, rate: float) -> np.ndarray:
    """P(X <= errors | n, rate) for integer error counts (vectorised)."""
    from scipy import stats

    return stats.binom.cdf(errors, n, rate)


def binomial_beta_cdf(errors: np.ndarray, n: np.ndarray, rate: float) -> np.ndarray:
    """P(X <= errors) continued to fractional errors through the regularised beta function.

    For integer errors this equals the binomial cdf; for a fractional sum of taints it is the
    quantity whose comparison with 1 - conf is equivalent to qbeta(conf, t + 1, n - t) < rate.
    """
    out = np.ones_like(np.asarray(n, dtype=float))
    ok = errors < n
    out[ok] = special.betainc(n[ok] - errors[ok], errors[ok] + 1.0, 1.0 - rate)
    return out
