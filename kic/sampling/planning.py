"""Sample size planning: attribute samples and monetary unit samples (MUS).

The rule throughout is the one of the audit tables: the sample size is the smallest n whose
upper limit (for the errors the sample may contain) is *strictly* below materiality. Where errors
are counted (ceil(rate * n), the tolerable number of population errors ceil(materiality * N)) the
arithmetic is exact, so AICPA A-2 at TDR 5 % / EDR 3.5 % gives 400 and not the 423 that
floating-point ceil(0.035 * 400) = 15 produces.

``expected`` follows jfa's convention: a value below 1 is a rate, a value of 1 or more is a
number of errors in the sample.

The Poisson plans need ``scipy.special`` only; ``scipy.stats`` (0.6 s to import) is imported by
the binomial, hypergeometric and two-stage functions that use it (see ``distributions``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import special

from kic.sampling import checks
from kic.sampling import distributions as dist
from kic.sampling.results import SamplePlan, SamplingError, to_money

LIKELIHOODS = checks.LIKELIHOODS
MAX_N = 5000
_CHUNK = 512
_RUNS_PER_BLOCK = 32


def plan_sample_size(
    materiality: float,
    confidence: float,
    expected: float = 0.0,
    likelihood: str = "poisson",
    population_size: int | None = None,
    max_n: int = MAX_N,
) -> SamplePlan:
    """Smallest n whose upper limit for the expected errors is strictly below materiality.

    Why vectorised chunks: the upper limit with a rate of expected errors is a saw-tooth in n
    (the allowed count jumps at ceil(rate * n)), so a bisection could skip the first valid n;
    scanning in chunks stays exact and finishes any table case well under 50 ms. The costly
    hypergeometric cdfs are instead tested per run of equal allowed counts (``_first_hyper_n``).
    """
    population_size, max_n = checks.check_plan(
        materiality, confidence, expected, likelihood, population_size, max_n
    )
    if likelihood == "hypergeometric":
        assert population_size is not None  # check_plan requires N for this model
        top = min(max_n, population_size)
        found = _first_hyper_n(expected, materiality, confidence, population_size, top)
        if found is None:
            raise SamplingError(f"geen steekproefomvang tot en met {top} voldoet")
        allowed = float(_allowed_errors(expected, np.array([found]), likelihood)[0])
        return _plan_result(found, allowed, materiality, confidence, expected, likelihood, population_size)
    for start in range(1, max_n + 1, _CHUNK):
        n = np.arange(start, min(start + _CHUNK, max_n + 1), dtype=np.int64)
        x = _allowed_errors(expected, n, likelihood)
        ok = _accepts(x, n, materiality, confidence, likelihood, population_size)
        if ok.any():
            i = int(np.argmax(ok))
            return _plan_result(
                int(n[i]), float(x[i]), materiality, confidence, expected, likelihood, population_size
            )
    raise SamplingError(f"geen steekproefomvang tot en met {max_n} voldoet")


def _allowed_errors(expected: float, n: np.ndarray, likelihood: str) -> np.ndarray:
    """Errors the sample may contain: a count as given, or the rate times n (exact ceiling)."""
    if expected >= 1:
        return np.full(n.shape, float(expected))
    if likelihood == "poisson":
        return float(expected) * n.astype(float)
    rate = dist.as_fraction(expected)
    # Python integers: a rate typed as 0.99/100 has a 16-digit numerator that overflows int64 times n.
    exact = -((-rate.numerator * n.astype(object)) // rate.denominator)
    return exact.astype(float)


def _accepts(
    x: np.ndarray,
    n: np.ndarray,
    materiality: float,
    conf: float,
    likelihood: str,
    population_size: int | None,
) -> np.ndarray:
    if likelihood == "poisson":
        return dist.gamma_cdf(x, n.astype(float), materiality) > conf
    if likelihood == "binomial":
        return _binomial_accepts(x, n, materiality, conf)
    return _hyper_accepts(x, n, materiality, conf, int(population_size or 0))


def _binomial_accepts(x: np.ndarray, n: np.ndarray, materiality: float, conf: float) -> np.ndarray:
    """qbeta(conf, x + 1, n - x) < materiality, i.e. P(X <= x | n, materiality) < 1 - conf."""
    alpha = float(dist.risk(conf))
    cdf = dist.binomial_beta_cdf(x, n.astype(float), materiality)
    ok = (cdf < alpha) & (x < n)
    for i in np.flatnonzero(np.abs(cdf - alpha) <= 1e-9 * alpha):
        if float(x[i]).is_integer() and x[i] < n[i]:
            ok[i] = dist.binomial_cdf_below(int(x[i]), int(n[i]), materiality, conf)
    return ok


def _first_hyper_n(expected: float, materiality: float, conf: float, population: int, top: int) -> int | None:
    """Smallest n in 1..top that the hypergeometric rule accepts, or None.

    Why not a scan: a hypergeometric cdf with a large N costs ~60 us. For a fixed allowed count
    the cdf falls as n grows, so acceptance is monotone within each run of n sharing the same
    ceil(rate * n). Testing the last n of the runs (in blocks) finds the run that holds the first
    accepted n, and a bisection inside that run finds it: tens of cdfs instead of hundreds.
    """
    n = np.arange(1, top + 1, dtype=np.int64)
    x = _allowed_errors(expected, n, "hypergeometric")
    ends = np.append(np.flatnonzero(np.diff(x) != 0), top - 1)
    for block in range(0, ends.size, _RUNS_PER_BLOCK):
        last = ends[block : block + _RUNS_PER_BLOCK]
        ok = _hyper_accepts(x[last], n[last], materiality, conf, population)
        if ok.any():
            run = block + int(np.argmax(ok))
            low, high = (int(ends[run - 1]) + 1 if run > 0 else 0), int(ends[run])
            while low < high:
                mid = (low + high) // 2
                if _hyper_accepts(x[mid : mid + 1], n[mid : mid + 1], materiality, conf, population)[0]:
                    high = mid
                else:
                    low = mid + 1
            return int(n[low])
    return None


def _hyper_accepts(
    x: np.ndarray, n: np.ndarray, materiality: float, conf: float, population: int
) -> np.ndarray:
    """Upper count K_upper < materiality * N, i.e. P(X <= x | N, ceil(m N), n) <= 1 - conf."""
    from scipy import stats

    alpha = float(dist.risk(conf))
    defects = dist.ceil_product(materiality, population)
    xi = np.ceil(x).astype(np.int64)
    cdf = stats.hypergeom.cdf(xi, population, defects, n)
    ok = cdf <= alpha
    for i in np.flatnonzero(np.abs(cdf - alpha) <= 1e-9 * alpha):
        ok[i] = dist.hyper_cdf_compare(int(xi[i]), population, defects, int(n[i]), conf) <= 0
    return ok


def upper_limit(
    errors: float, n: int, confidence: float, likelihood: str, population_size: int | None = None
) -> float:
    """Upper limit of the error fraction for ``errors`` in a sample of ``n`` (any likelihood)."""
    checks.check_likelihood(likelihood)
    if likelihood == "poisson":
        return dist.poisson_upper(errors, n, confidence)
    if likelihood == "binomial":
        return dist.binomial_upper(errors, n, confidence)
    if not population_size:
        raise SamplingError(dist.HYPER_NEEDS_N)
    return dist.hyper_upper(math.ceil(errors), n, population_size, confidence)


def _plan_result(
    n: int,
    x: float,
    materiality: float,
    confidence: float,
    expected: float,
    likelihood: str,
    population_size: int | None,
) -> SamplePlan:
    return SamplePlan(
        n=n,
        method="attribute" if likelihood != "poisson" else "poisson",
        likelihood=likelihood,
        confidence=confidence,
        materiality=materiality,
        expected_errors=x,
        upper_limit=upper_limit(x, n, confidence, likelihood, population_size),
        population_size=population_size,
        notes=(f"verwachte fouten als {'aantal' if expected >= 1 else 'percentage'}",),
    )


def plan_attribute(
    tolerable_rate: float,
    confidence: float,
    expected_rate: float = 0.0,
    likelihood: str = "binomial",
    population_size: int | None = None,
) -> SamplePlan:
    """Attribute (deviation-rate) sample size as in AICPA Audit Sampling Tables A-1 and A-2.

    The allowed deviations are ceil(expected_rate * n) in exact arithmetic; ``expected_rate`` is
    always a rate here (also when it is 0), unlike the count/rate convention of plan_sample_size.
    """
    checks.fraction(tolerable_rate, checks.TOLERABLE_RATE)
    checks.check_expected_rate(expected_rate)
    return plan_sample_size(tolerable_rate, confidence, expected_rate, likelihood, population_size)


# --- size for a given number of allowed errors ------------------------------------------------


def size_for_allowed_errors(
    allowed: int,
    tolerable_rate: float,
    confidence: float,
    likelihood: str = "binomial",
    population_size: int | None = None,
    tolerable_count: int | None = None,
) -> int:
    """Smallest n with P(X <= allowed | n, tolerable) <= 1 - conf (FSaudit sizeHyper/Binom/Pois).

    For the hypergeometric model the tolerable number of errors in the population is
    ``tolerable_count`` or ceil(tolerable_rate * N); for MUS the population is in euros.
    """
    allowed, population_size = checks.check_allowed_errors_plan(
        allowed, tolerable_rate, confidence, likelihood, population_size, tolerable_count
    )
    alpha = float(dist.risk(confidence))
    accept = _allowed_acceptor(
        allowed, tolerable_rate, likelihood, population_size, tolerable_count, confidence
    )
    low, high = max(1, allowed + 1), max(2, allowed + 2)
    cap = 10**9
    if likelihood == "hypergeometric":
        assert population_size is not None  # check_allowed_errors_plan requires N for this model
        cap = population_size
    while not accept(high, alpha):
        if high >= cap:
            raise SamplingError("geen steekproefomvang haalt de gevraagde betrouwbaarheid")
        low, high = high, min(cap, high * 2)
    while low < high:
        mid = (low + high) // 2
        if accept(mid, alpha):
            high = mid
        else:
            low = mid + 1
    return low


def _allowed_acceptor(
    allowed: int,
    rate: float,
    likelihood: str,
    population: int | None,
    tolerable_count: int | None,
    conf: float,
):
    if likelihood == "poisson":
        # What scipy.stats.poisson.cdf(allowed, n * rate) computes for a count >= 0 (its _cdf).
        return lambda n, alpha: special.pdtr(float(allowed), n * rate) <= alpha
    if likelihood == "binomial":
        from scipy import stats

        return lambda n, alpha: stats.binom.cdf(allowed, n, rate) <= alpha
    if not population:
        raise SamplingError(dist.HYPER_NEEDS_N)
    defects = tolerable_count if tolerable_count is not None else dist.ceil_product(rate, population)
    return lambda n, alpha: dist.hyper_cdf_compare(allowed, population, defects, n, conf) <= 0


def plan_attribute_expected_count(
    tolerable_count: int,
    expected_count: int,
    population_size: int,
    confidence: float,
) -> tuple[int, int]:
    """IDEA/FSaudit attribute plan from expected population deviations: (n, allowed deviations).

    Take the smallest allowed count c whose sample size n_c expects no more than c deviations,
    n_c * expected / N <= c (FSaudit sizeHyperEe; CaseWare IDEA attribute planning).
    """
    checks.check_expected_count_plan(tolerable_count, expected_count, population_size, confidence)
    for allowed in range(population_size + 1):
        n = size_for_allowed_errors(
            allowed,
            tolerable_count / population_size,
            confidence,
            "hypergeometric",
            population_size,
            tolerable_count,
        )
        if Fraction(n * expected_count, population_size) <= allowed:
            return n, allowed
    raise SamplingError("geen attribuutplan gevonden")


# --- monetary unit sampling ----------------------------------------------------------------------


def plan_mus(
    population_value: Decimal | float,
    materiality_amount: Decimal | float,
    confidence: float,
    expected_misstatement: Decimal | float = 0,
    likelihood: str = "poisson",
    method: str = "stringer",
) -> SamplePlan:
    """MUS sample size in euros of book value.

    ``method="stringer"``: the expected misstatement is expanded as a Stringer bound would treat
    it, interpolating linearly between the sizes n_{k-1} and n_k for k allowed errors (IDEA,
    Touw & Hoogduin 2011 p.134, Van Batenburg): 145 for their accounts-receivable example.
    ``method="plain"``: the jfa rule, smallest n with bound(fraction of expected taints) < TM.
    """
    checks.check_confidence(confidence)
    checks.check_likelihood(likelihood)
    checks.check_mus_plan(population_value, materiality_amount, expected_misstatement)
    bv, tm, ee = (
        dist.as_fraction(str(v)) for v in (population_value, materiality_amount, expected_misstatement)
    )
    if method == "plain":
        plan = plan_sample_size(
            float(tm / bv),
            confidence,
            float(ee / bv),
            likelihood,
            _units(bv) if likelihood == "hypergeometric" else None,
        )
        return _mus_result(plan.n, method, likelihood, confidence, bv, tm, plan.expected_errors)
    if method != "stringer":
        raise SamplingError(f"onbekende MUS-planningsmethode {method!r}; kies 'stringer' of 'plain'")
    n = _stringer_interpolated_size(bv, tm, ee, confidence, likelihood)
    return _mus_result(n, method, likelihood, confidence, bv, tm, float(ee / bv * n))


def _units(book_value: Fraction) -> int:
    """Monetary units of the population for the hypergeometric model (whole euros)."""
    return math.floor(book_value)


def _stringer_interpolated_size(
    bv: Fraction, tm: Fraction, ee: Fraction, conf: float, likelihood: str
) -> int:
    """Interpolate between n_{k-1} and n_k where the expected errors e * n cross k.

    On the segment the planned bound equals materiality exactly at n*, so strictly below
    needs floor(n*) + 1; the arithmetic is rational so that an exact n* is recognised.
    """
    rate = float(tm / bv)
    population = _units(bv) if likelihood == "hypergeometric" else None
    count = math.ceil(tm) if population else None

    def size(k: int) -> int:
        return size_for_allowed_errors(k, rate, conf, likelihood, population, count)

    e = ee / bv
    previous = size(0)
    if e == 0:
        return previous
    for k in range(1, 10_000):
        current = size(k)
        if current * e <= k:
            s = (e * previous - (k - 1)) / (1 - e * (current - previous))
            return previous if s == 0 else math.floor(previous + s * (current - previous)) + 1
        previous = current
    raise SamplingError("de verwachte fout ligt te dicht bij de materialiteit")


def _mus_result(
    n: int, method: str, likelihood: str, conf: float, bv: Fraction, tm: Fraction, expected_taints: float
) -> SamplePlan:
    bv_dec, tm_dec = (
        Decimal(bv.numerator) / Decimal(bv.denominator),
        Decimal(tm.numerator) / Decimal(tm.denominator),
    )
    return SamplePlan(
        n=n,
        method=f"mus-{method}",
        likelihood=likelihood,
        confidence=conf,
        materiality=float(tm / bv),
        expected_errors=expected_taints,
        upper_limit=float(tm / bv),
        population_value=to_money(bv_dec),
        materiality_amount=to_money(tm_dec),
        interval=to_money(bv_dec / n),
    )


# --- two-stage (sequential) plans ---------------------------------------------------------------


def plan_two_stage(
    materiality: float,
    confidence: float,
    likelihood: str = "binomial",
    allowed: int = 1,
    max_n: int = MAX_N,
) -> SamplePlan:
    """Two equal stages: accept after stage 1 with 0 errors; with 1..allowed errors draw stage 2
    and accept when the total stays within ``allowed`` (Touw & Hoogduin 2011 p.129: 2 x 49).

    The probability of wrongly accepting at the materiality rate must stay below 1 - conf.
    """
    allowed, max_n = checks.check_two_stage_plan(materiality, confidence, likelihood, allowed, max_n)
    n = np.arange(1, max_n + 1)
    pmf = _stage_pmf(likelihood, n, materiality)
    accept = pmf(0)
    for j in range(1, allowed + 1):
        accept = accept + pmf(j) * sum(pmf(i) for i in range(allowed - j + 1))
    ok = accept < 1.0 - confidence
    if not ok.any():
        raise SamplingError(f"geen tweestapsplan tot en met {max_n} per stap")
    per_stage = int(n[np.argmax(ok)])
    return SamplePlan(
        n=2 * per_stage,
        method="two-stage",
        likelihood=likelihood,
        confidence=confidence,
        materiality=materiality,
        expected_errors=float(allowed),
        upper_limit=float(accept[per_stage - 1]),
        stages=2,
        n_per_stage=per_stage,
        notes=("upper_limit is hier de kans op ten onrechte goedkeuren bij de materialiteit",),
    )


def _stage_pmf(likelihood: str, n: np.ndarray, rate: float):
    from scipy import stats

    if likelihood == "poisson":
        return lambda k: stats.poisson.pmf(k, n * rate)
    return lambda k: stats.binom.pmf(k, n, rate)
