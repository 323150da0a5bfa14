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
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from scipy import special, stats

from kic.sampling.results import SamplingError

# Relative distance to a threshold under which a float comparison is recomputed exactly.
_EDGE = 1e-9
# Largest population for which an exact hypergeometric sum is still cheap enough.
_EXACT_HYPER_MAX_N = 200_000


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
    """Reject confidence levels outside the open interval (0, 1)."""
    if not 0.0 < conf < 1.0:
        raise SamplingError(f"confidence must lie strictly between 0 and 1, got {conf}")


# --- Poisson ---------------------------------------------------------------------------------

def poisson_factor(errors: float, conf: float) -> float:
    """Poisson confidence (reliability) factor: the gamma(errors + 1) quantile at ``conf``.

    With k errors the upper limit of the error rate is factor / n (AICPA Exhibit FA.2,
    Touw & Hoogduin 2011 Table 1.3: 3.00 for k = 0 at 95 %).
    """
    check_conf(conf)
    return float(stats.gamma.ppf(conf, errors + 1.0))


def poisson_upper(errors: float, n: int, conf: float) -> float:
    """Upper limit of the error fraction under the Poisson model: gamma quantile / n."""
    if n <= 0:
        raise SamplingError("sample size must be positive")
    return poisson_factor(errors, conf) / n


# --- binomial --------------------------------------------------------------------------------

def binomial_upper(errors: float, n: int, conf: float) -> float:
    """One-sided Clopper-Pearson upper limit: the beta(errors + 1, n - errors) quantile."""
    check_conf(conf)
    if n <= 0:
        raise SamplingError("sample size must be positive")
    if errors >= n:
        return 1.0
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
    The cdf falls as K grows, so a binary search over K in [errors, N - n + errors] suffices.
    """
    check_conf(conf)
    _check_hyper_args(errors, n, population)
    low, high = errors, population - (n - errors)
    if hyper_cdf_compare(errors, population, low, n, conf) <= 0:
        return low - 1 if low > 0 else 0
    while low < high:
        mid = (low + high + 1) // 2
        if hyper_cdf_compare(errors, population, mid, n, conf) > 0:
            low = mid
        else:
            high = mid - 1
    return low


def hyper_upper(errors: int, n: int, population: int, conf: float) -> float:
    """Upper limit of the error fraction under the hypergeometric model: K_upper / N."""
    return hyper_upper_count(errors, n, population, conf) / population


def _check_hyper_args(errors: int, n: int, population: int) -> None:
    if population <= 0 or n <= 0:
        raise SamplingError("population and sample size must be positive")
    if n > population:
        raise SamplingError(f"sample size {n} exceeds the population size {population}")
    if errors < 0 or errors > n:
        raise SamplingError(f"number of errors {errors} must lie between 0 and n = {n}")


# --- vectorised helpers used by planning ------------------------------------------------------

def gamma_cdf(errors: np.ndarray, n: np.ndarray, rate: float) -> np.ndarray:
    """P(Gamma(errors + 1) <= n * rate); above ``conf`` means gamma.ppf(conf)/n < ``rate``."""
    return special.gammainc(errors + 1.0, n * rate)


def binomial_cdf(errors: np.ndarray, n: np.ndarray, rate: float) -> np.ndarray:
    """P(X <= errors | n, rate) for integer error counts (vectorised)."""
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
