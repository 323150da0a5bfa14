"""Evaluation of attribute samples and monetary unit samples (MUS), alone or combined over strata.

MUS follows the IDEA / Touw & Hoogduin conventions: taint = (book - audit) / book; over- and
understatements are evaluated separately; each cumulative upper limit for k errors is rounded up
to a whole euro before the Stringer or cell weighting (a conservative rounding, the one IDEA and
FSaudit print). Evaluations from taints only, without a book value, stay in fractions (jfa).

``scipy.stats`` and ``scipy.signal`` are imported where they are used: ``kic stats`` imports this
module for its option choices, and ``kic stats plan`` should not wait for them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from kic.sampling import checks
from kic.sampling import distributions as dist
from kic.sampling.results import (
    AttributeEvaluation,
    BoundStep,
    CombinedEvaluation,
    DirectionResult,
    MusEvaluation,
    SamplingError,
    StratumResult,
    conclusion_text,
    to_money,
)

LIKELIHOODS = ("binomial", "poisson", "hypergeometric")
MUS_METHODS = ("stringer", "cell", "poisson", "binomial", "hypergeometric")
UNDERSTATEMENT = ("separate", "lta", "meikle")


# --- attribute samples ---------------------------------------------------------------------------


def evaluate_attribute(
    n: int,
    deviations: int,
    confidence: float,
    method: str = "binomial",
    population_size: int | None = None,
    tolerable_rate: float | None = None,
) -> AttributeEvaluation:
    """Deviation rate and its one-sided upper limit (Clopper-Pearson, Poisson or hypergeometric).

    AICPA Tables A-3/A-4 print this limit rounded up to 0.1 %; kic keeps the exact value.
    """
    n, deviations = checks.check_attribute_evaluation(
        n, deviations, confidence, method, population_size, tolerable_rate
    )
    if n <= 0 or not 0 <= deviations <= n:
        raise SamplingError("nodig: n > 0 en 0 <= afwijkingen <= n")
    count = None
    if method == "hypergeometric":
        if not population_size:
            raise SamplingError(dist.HYPER_NEEDS_N)
        count = dist.hyper_upper_count(deviations, n, population_size, confidence)
        upper = count / population_size
    elif method == "binomial":
        upper = dist.binomial_upper(deviations, n, confidence)
    elif method == "poisson":
        upper = dist.poisson_upper(deviations, n, confidence)
    else:
        raise SamplingError(
            f"onbekende methode {method!r} voor een attribuutsteekproef; kies uit {', '.join(LIKELIHOODS)}"
        )
    return AttributeEvaluation(
        n=n,
        deviations=deviations,
        confidence=confidence,
        method=method,
        deviation_rate=deviations / n,
        upper_limit=upper,
        tolerable_rate=tolerable_rate,
        population_size=population_size,
        upper_count=count,
        conclusion=_attribute_conclusion(upper, tolerable_rate),
    )


def _attribute_conclusion(upper: float, tolerable: float | None) -> str:
    text = f"Het maximale afwijkingspercentage is {upper:.2%}".replace(".", ",")
    if tolerable is None:
        return text + "."
    side = "onder" if upper < tolerable else "boven"
    return text + f" en ligt {side} het toelaatbare percentage van {tolerable:.2%}".replace(".", ",") + "."


# --- cumulative upper limits --------------------------------------------------------------------


def cumulative_limits(
    k_max: int,
    n: int,
    confidence: float,
    likelihood: str,
    population_size: int | None = None,
) -> np.ndarray:
    """Upper limits of the error fraction for 0..k_max errors: the factors Stringer weights."""
    dist.check_conf(confidence)
    k = np.arange(k_max + 1, dtype=float)
    if likelihood == "poisson":
        return np.asarray(dist.gamma_quantile(confidence, k + 1.0)) / n
    if likelihood == "binomial":
        from scipy import stats

        out = np.ones_like(k)
        ok = k < n
        out[ok] = stats.beta.ppf(confidence, k[ok] + 1.0, n - k[ok])
        return out
    if likelihood != "hypergeometric" or not population_size:
        raise SamplingError(dist.HYPER_NEEDS_N)
    counts = np.full(k.shape, float(population_size))
    within = k <= n
    counts[within] = dist.hyper_upper_counts(k[within].astype(np.int64), n, population_size, confidence)
    return counts / population_size


# --- Stringer and cell bounds on one direction --------------------------------------------------


def stringer_bound(
    taints: Sequence[float],
    n: int,
    confidence: float,
    likelihood: str = "binomial",
    population_size: int | None = None,
) -> float:
    """Stringer upper limit as a fraction: p(0) + sum_i [p(i) - p(i-1)] * t_i, taints descending.

    This is the bound of jfa's ``stringer.*`` methods (without its cap of taints at 1; see
    ``bound_direction`` for taints above 100 %).
    """
    n = checks.check_stringer_bound(taints, n, confidence, likelihood, population_size)
    t = np.asarray(taints, dtype=float)
    limits = cumulative_limits(int(np.count_nonzero(t)), n, confidence, likelihood, population_size)
    return bound_direction(t, limits, 1.0 / n, "stringer").upper_limit


def bound_direction(taints: np.ndarray, limits: np.ndarray, unit: float, method: str) -> DirectionResult:
    """Stringer or cell bound for one direction of misstatement.

    ``limits`` are the cumulative upper limits for 0, 1, ... errors and ``unit`` the value of one
    full error in the sample (1/n for fractions, book value / n for euros). A taint above 100 %
    can only arise with understatements or negative book values; the basic precision is then
    multiplied by the largest taint (FSaudit/IDEA), so the untested part of the population is
    assumed able to hold errors as large as the worst one seen.
    """
    t = np.sort(np.abs(taints[taints != 0]))[::-1]
    bp = float(limits[0]) * (max(1.0, float(t[0])) if t.size else 1.0)
    if method == "cell":
        return _cell(t, limits, unit, bp)
    increments = np.diff(limits[: t.size + 1])
    steps = tuple(
        BoundStep(
            rank=i + 1,
            taint=float(t[i]),
            factor_increment=float(increments[i]),
            contribution=float(increments[i] * t[i]),
        )
        for i in range(t.size)
    )
    return DirectionResult(
        errors=int(t.size),
        taints=tuple(float(v) for v in t),
        most_likely_error=float(t.sum()) * unit,
        basic_precision=bp,
        upper_limit=bp + float(np.dot(increments, t)),
        steps=steps,
    )


def _cell(t: np.ndarray, limits: np.ndarray, unit: float, bp: float) -> DirectionResult:
    """Cell bound (Leslie, Teitlebaum & Anderson 1979):
    U_i = max(U_{i-1} + t_i * J, p(i) * mean(t_1..t_i)), with J the value of one sampling unit."""
    upper, cumulative, steps = bp, 0.0, []
    for i, taint in enumerate(t, start=1):
        cumulative += float(taint)
        candidate = max(upper + float(taint) * unit, float(limits[i]) * cumulative / i)
        steps.append(
            BoundStep(
                rank=i,
                taint=float(taint),
                factor_increment=float(limits[i] - limits[i - 1]),
                contribution=candidate - upper,
            )
        )
        upper = candidate
    return DirectionResult(
        errors=int(t.size),
        taints=tuple(float(v) for v in t),
        most_likely_error=cumulative * unit,
        basic_precision=bp,
        upper_limit=upper,
        steps=tuple(steps),
    )


def sum_of_taints_bound(
    total_taint: float, n: int, confidence: float, likelihood: str, population_size: int | None = None
) -> float:
    """Upper limit for the sum of taints treated as an error count (jfa poisson/binomial/hyper).

    The hypergeometric model counts whole errors, so the sum is rounded up there.
    """
    if likelihood == "poisson":
        return dist.poisson_upper(total_taint, n, confidence)
    if likelihood == "binomial":
        return dist.binomial_upper(total_taint, n, confidence)
    if not population_size:
        raise SamplingError(dist.HYPER_NEEDS_N)
    return dist.hyper_upper(math.ceil(round(total_taint, 9)), n, population_size, confidence)


# --- MUS evaluation -------------------------------------------------------------------------------


def taints_from_values(
    book_values: Sequence[float], audit_values: Sequence[float], times: Sequence[int] | None = None
) -> np.ndarray:
    """Taint per sampled item, (book - audit) / book, repeated for items hit more than once."""
    checks.check_values(book_values, audit_values, times)
    book = np.asarray(book_values, dtype=float)
    audit = np.asarray(audit_values, dtype=float)
    if book.shape != audit.shape:
        raise SamplingError("boekwaarden en controlewaarden moeten even lang zijn")
    if np.any(book == 0):
        raise SamplingError("een post met boekwaarde 0 kan niet in een MUS-steekproef zitten")
    taints = (book - audit) / book
    return np.repeat(taints, np.asarray(times, dtype=int)) if times is not None else taints


def evaluate_mus(
    taints: Sequence[float] | np.ndarray,
    n: int,
    population_value: Decimal | float,
    confidence: float,
    *,
    materiality: Decimal | float | None = None,
    method: str = "stringer",
    likelihood: str = "binomial",
    understatement: str = "separate",
    key_item_errors: Decimal | float = 0,
    whole_euros: bool = True,
) -> MusEvaluation:
    """Evaluate a monetary unit sample from the taints of its n items (zeros may be left out).

    ``method``: ``stringer`` or ``cell`` weight each error with the increments of the
    ``likelihood`` limits; ``poisson``/``binomial``/``hypergeometric`` bound the plain sum of
    taints. Errors in key items (tested 100 %) are added at face value to MWF and upper limit.
    ``whole_euros=False`` skips IDEA's rounding of the cumulative limits (jfa's fractions).
    """
    n = checks.check_mus_evaluation(
        taints, n, population_value, confidence, materiality=materiality, key_item_errors=key_item_errors
    )
    bv = float(population_value)
    _check_mus_args(n, method, likelihood, understatement, confidence, bv)
    t = np.asarray(taints, dtype=float)
    units = math.floor(bv)
    limits = None
    if method in ("stringer", "cell"):  # one set of limits serves both directions
        most = max(int(np.count_nonzero(t > 0)), int(np.count_nonzero(t < 0)))
        limits = cumulative_limits(most, n, confidence, likelihood, units)
    side = (n, bv, units, confidence, method, likelihood, limits, whole_euros)
    over, under = _evaluate_side(t[t > 0], *side), _evaluate_side(-t[t < 0], *side)
    upper, note = _adjust_for_understatements(over, under, understatement, n, confidence, bv)
    return _mus_result(
        t,
        n,
        bv,
        confidence,
        materiality,
        method,
        likelihood,
        understatement,
        key_item_errors,
        over,
        under,
        upper,
        note,
    )


def _check_mus_args(
    n: int, method: str, likelihood: str, understatement: str, conf: float, bv: float
) -> None:
    dist.check_conf(conf)
    if n <= 0:
        raise SamplingError("de steekproefomvang moet positief zijn")
    if not bv >= 1:
        raise SamplingError("de boekwaarde van de populatie moet minstens € 1 zijn")
    if method not in MUS_METHODS:
        raise SamplingError(f"onbekende MUS-methode {method!r}; kies uit {', '.join(MUS_METHODS)}")
    if likelihood not in LIKELIHOODS:
        raise SamplingError(f"onbekend kansmodel {likelihood!r}; kies uit {', '.join(LIKELIHOODS)}")
    if understatement not in UNDERSTATEMENT:
        raise SamplingError(
            f"onbekende behandeling van onderwaarderingen {understatement!r}; kies uit {', '.join(UNDERSTATEMENT)}"
        )


def _evaluate_side(
    t: np.ndarray,
    n: int,
    bv: float,
    units: int,
    conf: float,
    method: str,
    likelihood: str,
    limits: np.ndarray | None,
    whole_euros: bool,
) -> DirectionResult:
    """One direction in euros: cumulative limits rounded up to whole euros, then weighted."""
    unit = bv / n
    if limits is None:
        total = float(t.sum())
        upper = sum_of_taints_bound(total, n, conf, method, units) * bv
        base = sum_of_taints_bound(0.0, n, conf, method, units) * bv
        return DirectionResult(
            errors=int(t.size),
            taints=tuple(sorted(t.tolist(), reverse=True)),
            most_likely_error=total * unit,
            basic_precision=base,
            upper_limit=upper,
        )
    own = limits[: t.size + 1]
    money = _money_limits(own, bv, likelihood, units) if whole_euros else own * bv
    return bound_direction(t, money, unit, method)


def _money_limits(limits: np.ndarray, book_value: float, likelihood: str, units: int) -> np.ndarray:
    """Cumulative limits in euros, rounded up to whole euros (IDEA convention)."""
    if likelihood == "hypergeometric":
        return np.round(limits * units) * (book_value / units)
    return np.ceil(np.round(limits * book_value, 6))


def _adjust_for_understatements(
    over: DirectionResult, under: DirectionResult, how: str, n: int, conf: float, bv: float
) -> tuple[float, str]:
    """Overstatement limit, optionally reduced for understatements found.

    ``lta``: minus the understatement MWF (Leslie, Teitlebaum & Anderson 1979).
    ``meikle``: minus the understatements weighted with the binomial Stringer limits,
    p(1) * |t_1| + sum_{i>=2} [p(i) - p(i-1)] * |t_i| (Meikle 1972).
    """
    if how == "separate" or under.errors == 0:
        return over.upper_limit, "onderwaarderingen apart geëvalueerd"
    if how == "lta":
        return over.upper_limit - under.most_likely_error, "gecorrigeerd voor onderwaarderingen (LTA)"
    p = cumulative_limits(under.errors, n, conf, "binomial")
    t = np.asarray(under.taints)
    weights = np.concatenate(([p[1]], np.diff(p[1:])))
    return over.upper_limit - float(np.dot(weights, t)) * bv, "gecorrigeerd voor onderwaarderingen (Meikle)"


def _mus_result(
    t, n, bv, conf, materiality, method, likelihood, understatement, key_items, over, under, upper, note
) -> MusEvaluation:
    key = to_money(Decimal(str(key_items)))
    mat = to_money(Decimal(str(materiality))) if materiality is not None else None
    upper_money = to_money(upper) + key
    notes = [note]
    if np.any(np.abs(t) > 1):
        notes.append("taint boven 100 %: basisprecisie vermenigvuldigd met de grootste taint")
    return MusEvaluation(
        n=n,
        method=method,
        likelihood=likelihood,
        confidence=conf,
        population_value=to_money(bv),
        errors=over.errors,
        taints=over.taints,
        most_likely_error=to_money(over.most_likely_error) + key,
        upper_limit=upper_money,
        most_likely_error_fraction=over.most_likely_error / bv,
        upper_limit_fraction=upper / bv,
        basic_precision=to_money(over.basic_precision),
        materiality=mat,
        key_item_errors=key,
        understatement_errors=under.errors,
        understatement_most_likely_error=to_money(under.most_likely_error),
        understatement_upper_limit=to_money(under.upper_limit),
        understatement_adjustment=understatement,
        conclusion=conclusion_text(upper_money, mat),
        steps=over.steps,
        notes=tuple(notes),
    )


# --- two-stage samples ------------------------------------------------------------------------------


def stage_confidence(confidence: float) -> float:
    """The confidence of each look at a two-stage sample (one that may be extended once after errors).

    Half the risk per look (Bonferroni): whatever made the auditor extend, P(wrongly accept) ≤
    P(accept at look 1) + P(accept at look 2) ≤ α/2 + α/2 = α. The sample is planned at this
    confidence too, so that its first stage alone can already suffice.
    """
    dist.check_conf(confidence)
    return 1 - (1 - confidence) / 2


# --- several strata / regelingen together ---------------------------------------------------------


@dataclass(frozen=True)
class StratumInput:
    """Summary of one stratum: book value of the sampled part, n, sum of taints.

    ``key_item_errors`` are errors in the 100 %-tested part (added at face value);
    ``virtual_items`` are HARo error-free equivalents credited from other audit evidence.
    """

    name: str
    book_value: float
    n: int
    errors: float
    key_item_errors: float = 0.0
    virtual_items: int = 0


MODELS = ("binomial", "poisson")
PRIORS = ("classical", "uniform")


def stratum_distribution(s: StratumInput, model: str, prior: str):
    """Distribution of the error fraction of a stratum (frozen scipy distribution).

    ``classical`` reproduces the one-sided classical limit per stratum: beta(k+1, n-k), which is
    Clopper-Pearson, or gamma(k+1, rate n). ``uniform`` is auditstat's uniform-prior posterior
    beta(k+1, n+v-k+1) or gamma(k+1, rate n+v), with v the HARo virtual items.
    """
    from scipy import stats

    n = s.n + s.virtual_items
    if model == "poisson":
        return stats.gamma(s.errors + 1.0, scale=1.0 / n)
    extra = 1.0 if prior == "uniform" else 0.0
    errors = min(s.errors, float(n))
    if errors >= n and prior == "classical":  # every item wholly wrong: the bound is the whole stratum
        return _PointMass(1.0)
    return stats.beta(errors + 1.0, n - errors + extra)


class _PointMass:
    """The degenerate distribution at ``value``: a stratum whose every sampled item was wholly wrong.

    The classical limit beta(k + 1, n − k) is undefined at k = n; its limit as k → n is all mass at 1,
    which is also the only honest bound: the whole stratum may be wrong.
    """

    def __init__(self, value: float) -> None:
        self.value = value

    def cdf(self, x: npt.ArrayLike) -> np.ndarray:
        return (np.asarray(x) >= self.value).astype(float)

    def ppf(self, q: npt.ArrayLike) -> float:
        return self.value


def evaluate_strata(
    strata: Sequence[StratumInput],
    confidence: float,
    *,
    model: str = "binomial",
    prior: str = "classical",
    materiality: Decimal | float | None = None,
    grid_points: int = 2**15,
) -> CombinedEvaluation:
    """Combined upper limit of the money error over strata by deterministic convolution.

    Each stratum's error fraction distribution is scaled by its book value and discretised on one
    euro grid (exact cdf differences per cell); the densities are convolved with an FFT and the
    combined quantile at ``confidence`` read off. Unlike adding per-stratum upper limits (reported
    as ``sum_of_upper_limits``), this does not assume that every stratum is at its worst at once.
    """
    from scipy import signal

    checks.check_strata(strata, confidence, materiality, grid_points)
    _check_strata(strata, confidence, model, prior)
    laws = [stratum_distribution(s, model, prior) for s in strata]
    tail = 1e-12
    top = sum(s.book_value * float(law.ppf(1 - tail)) for s, law in zip(strata, laws, strict=True))
    width = top / grid_points
    mass = np.ones(1)
    for s, law in zip(strata, laws, strict=True):
        mass = signal.fftconvolve(mass, _cell_masses(law, s.book_value, width, grid_points))[
            : grid_points + 1
        ]
        mass = np.clip(mass, 0.0, None)
    key = sum(s.key_item_errors for s in strata)
    upper = _grid_quantile(mass, confidence, width, len(strata)) + key
    return _combined_result(strata, laws, confidence, model, prior, materiality, grid_points, upper, key)


def _check_strata(strata: Sequence[StratumInput], conf: float, model: str, prior: str) -> None:
    dist.check_conf(conf)
    if not strata:
        raise SamplingError("er is minstens één stratum nodig")
    if model not in MODELS or prior not in PRIORS:
        raise SamplingError(
            f"model moet een van {', '.join(MODELS)} zijn en prior een van {', '.join(PRIORS)}"
        )
    for s in strata:
        if s.book_value <= 0 or s.n <= 0 or s.errors < 0:
            raise SamplingError(
                f"stratum {s.name}: boekwaarde en n moeten positief zijn en fouten niet negatief"
            )


def _cell_masses(law, book_value: float, width: float, points: int) -> np.ndarray:
    """Probability that the stratum's money error falls in each grid cell [j w, (j+1) w)."""
    edges = np.arange(points + 1) * width / book_value
    return np.diff(law.cdf(edges))


def _grid_quantile(mass: np.ndarray, conf: float, width: float, strata: int) -> float:
    """Quantile of the convolved grid; each stratum's mass sits at its cell's midpoint."""
    cum = np.cumsum(mass)
    j = int(np.searchsorted(cum, conf))
    below = cum[j - 1] if j > 0 else 0.0
    frac = (conf - below) / mass[j] if mass[j] > 0 else 0.0
    return (j + frac - 0.5 + strata / 2.0) * width


def _combined_result(strata, laws, conf, model, prior, materiality, points, upper, key) -> CombinedEvaluation:
    total = sum(s.book_value for s in strata)
    rows = tuple(
        StratumResult(
            name=s.name,
            book_value=to_money(s.book_value),
            n=s.n,
            errors=s.errors,
            most_likely_error=to_money(s.book_value * s.errors / s.n + s.key_item_errors),
            upper_limit=to_money(s.book_value * float(law.ppf(conf)) + s.key_item_errors),
            upper_limit_fraction=float(law.ppf(conf)),
            key_item_errors=to_money(s.key_item_errors),
        )
        for s, law in zip(strata, laws, strict=True)
    )
    mat = to_money(materiality) if materiality is not None else None
    upper_money = to_money(upper)
    return CombinedEvaluation(
        strata=rows,
        model=model,
        prior=prior,
        confidence=conf,
        population_value=to_money(total),
        most_likely_error=sum((r.most_likely_error for r in rows), Decimal("0.00")),
        upper_limit=upper_money,
        upper_limit_fraction=upper / total,
        sum_of_upper_limits=sum((r.upper_limit for r in rows), Decimal("0.00")),
        materiality=mat,
        grid_points=points,
        conclusion=conclusion_text(upper_money, mat),
        notes=("gecombineerd via convolutie van de foutverdelingen per stratum",),
    )
