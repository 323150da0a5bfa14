"""Frozen result objects of planning and evaluation, and the domain error of kic.sampling.

Results are plain frozen dataclasses so that they can be stored, compared and serialised without
surprises. Money is a ``Decimal`` rounded to cents; computed fractions stay floats. Every
evaluation carries the figures an accountant needs to re-perform it: n, errors, taints, most
likely error (MWF), upper error limit (maximale fout), materiality, confidence and method.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kic.errors import KicError

CENT = Decimal("0.01")


class SamplingError(KicError, ValueError):
    """Invalid input for a sampling computation (the CLI shows it as a Dutch message)."""


def to_money(value: float | Decimal) -> Decimal:
    """Round an amount to cents, half up, as a Decimal (floats go through their repr)."""
    if not isinstance(value, (Decimal, int)):
        value = Decimal(repr(float(value)))
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euro(amount: Decimal) -> str:
    """Dutch money notation, '€ 1.234,56' (Babel nl_NL)."""
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale="nl_NL")


def conclusion_text(upper_limit: Decimal, materiality: Decimal | None) -> str:
    """The plain Dutch conclusion the issue asks for: maximale fout onder/boven materialiteit."""
    if materiality is None:
        return f"De maximale fout bedraagt {format_euro(upper_limit)}; er is geen materialiteit opgegeven."
    side = "onder" if upper_limit < materiality else "boven"
    return (
        f"De maximale fout van {format_euro(upper_limit)} ligt {side} "
        f"de materialiteit van {format_euro(materiality)}."
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class _Serialisable:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: Decimals as strings, tuples as lists."""
        return _jsonable(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class SamplePlan(_Serialisable):
    """A planned sample size and how it was obtained.

    ``expected_errors`` is the number (or sum of taints) of errors the sample may contain while
    the upper limit stays below materiality; ``upper_limit`` is that limit at ``n`` as a fraction.
    """

    n: int
    method: str
    likelihood: str
    confidence: float
    materiality: float
    expected_errors: float
    upper_limit: float
    population_size: int | None = None
    population_value: Decimal | None = None
    materiality_amount: Decimal | None = None
    interval: Decimal | None = None
    stages: int = 1
    n_per_stage: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BoundStep:
    """One row of a Stringer or cell computation: the error, its taint and its contribution."""

    rank: int
    taint: float
    factor_increment: float
    contribution: float


@dataclass(frozen=True)
class DirectionResult(_Serialisable):
    """Over- or understatement side of a MUS evaluation, as fractions of the book value."""

    errors: int
    taints: tuple[float, ...]
    most_likely_error: float
    basic_precision: float
    upper_limit: float
    steps: tuple[BoundStep, ...] = ()


@dataclass(frozen=True)
class MusEvaluation(_Serialisable):
    """Result of a monetary unit sample evaluation (overstatements are the tested direction).

    Money fields are in euros (Decimal, cents); ``*_fraction`` fields are shares of the book
    value of the sampled population. ``key_item_errors`` (100 % tested items) are added to the
    most likely error and to the upper limit at face value.
    """

    n: int
    method: str
    likelihood: str
    confidence: float
    population_value: Decimal
    errors: int
    taints: tuple[float, ...]
    most_likely_error: Decimal
    upper_limit: Decimal
    most_likely_error_fraction: float
    upper_limit_fraction: float
    basic_precision: Decimal
    materiality: Decimal | None
    key_item_errors: Decimal
    understatement_errors: int
    understatement_most_likely_error: Decimal
    understatement_upper_limit: Decimal
    understatement_adjustment: str
    conclusion: str
    steps: tuple[BoundStep, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttributeEvaluation(_Serialisable):
    """Result of an attribute (deviation-rate) sample: the rate and its one-sided upper limit."""

    n: int
    deviations: int
    confidence: float
    method: str
    deviation_rate: float
    upper_limit: float
    tolerable_rate: float | None
    population_size: int | None
    upper_count: int | None
    conclusion: str


@dataclass(frozen=True)
class StratumResult(_Serialisable):
    """One stratum (or regeling) in a combined evaluation."""

    name: str
    book_value: Decimal
    n: int
    errors: float
    most_likely_error: Decimal
    upper_limit: Decimal
    upper_limit_fraction: float
    key_item_errors: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class CombinedEvaluation(_Serialisable):
    """Combined upper limit over strata from the convolved error distribution.

    ``sum_of_upper_limits`` is the naive alternative (adding the per-stratum limits); it is
    reported for comparison and is always at least the combined limit for the same model.
    """

    strata: tuple[StratumResult, ...]
    model: str
    prior: str
    confidence: float
    population_value: Decimal
    most_likely_error: Decimal
    upper_limit: Decimal
    upper_limit_fraction: float
    sum_of_upper_limits: Decimal
    materiality: Decimal | None
    grid_points: int
    conclusion: str
    notes: tuple[str, ...] = field(default_factory=tuple)
