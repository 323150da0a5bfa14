"""Sample sizes of a controleplan: per plan line (regeling × werkonderdeel) and per period.

Pure: the plan, the population frames and the year's thresholds in, frozen dataclasses out.

* A statistical MUS or attribute line gets its size from ``kic.sampling.planning`` (confidence
  from the plan or from the HARo assessment, materiality from the plan or else the year's
  goedkeuringstolerantie, the expected errors).
* ``spreiding: jaar``: one yearly sample, spread over the periods pro rata the population (book
  value for money-weighted methods, count for attribute samples), each non-empty period at least
  one item where the size allows (``kic.sampling.stratify.allocate``).
* ``spreiding: periode``: every period is a sample of its own, planned on its own population.
* A statistical risk-weighted line is planned as MUS on its size measure M = Σ amount × weight /
  smallest weight (the value it is evaluated on), with the tolerable error of the book value B.
* Targeted lines take the fixed ``omvang`` of the plan.

A size never exceeds the items in the population: then the line is a census (integrale controle).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
import pandas as pd

from kic.controls.errors import ExpressionError
from kic.controls.expressions import Context, evaluate_condition, parse
from kic.controls.frame import money_columns
from kic.periods import Period
from kic.plan.periods import period_positions, plan_periods
from kic.plan.population import Populations
from kic.plan.schema import Methode, Part, Plan, Spreiding
from kic.plan.thresholds import Thresholds, sisa_tolerance
from kic.population.parse import cents_to_decimal
from kic.sampling import SamplePlan, plan_attribute, plan_mus, stage_confidence
from kic.sampling.audit_risk import required_confidence
from kic.sampling.results import SamplingError
from kic.sampling.stratify import allocate


@dataclass(frozen=True)
class PeriodSize:
    """One period of a plan line: its population (count, book value in cents) and sample size."""

    period: Period
    count: int
    value_cents: int
    n: int


@dataclass(frozen=True)
class PartSize:
    """The sizes of one plan line; ``problem`` (Dutch) when no size could be computed."""

    part: Part
    periods: tuple[PeriodSize, ...]
    confidence: float | None
    materiality_pct: float | None
    plans: tuple[SamplePlan, ...] = ()
    sisa_tolerance: Decimal | None = None
    notes: tuple[str, ...] = ()
    problem: str | None = None
    gemeente: str | None = (
        None  # a line drawn per gemeente: this gemeente's share; None: the whole population
    )

    @property
    def label(self) -> str:
        """The line's id, with the gemeente when it is drawn per gemeente (``PWLO-BETALING GM0363``)."""
        return f"{self.part.id} {self.gemeente}" if self.gemeente else self.part.id

    @property
    def count(self) -> int:
        return sum(p.count for p in self.periods)

    @property
    def value_cents(self) -> int:
        return sum(p.value_cents for p in self.periods)

    @property
    def n(self) -> int:
        return sum(p.n for p in self.periods)

    def n_for(self, label: str) -> int:
        """The size of the period ``label`` (0 when the line has no such period)."""
        return next((p.n for p in self.periods if p.period.label == label), 0)


@dataclass(frozen=True)
class PlanSizes:
    plan: Plan
    thresholds: Thresholds
    parts: tuple[PartSize, ...]

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(f"onderdeel {p.part.id}: {p.problem}" for p in self.parts if p.problem)

    def part(self, part_id: str) -> PartSize:
        return next(p for p in self.parts if p.part.id == part_id)


def plan_sizes(plan: Plan, populations: Populations, thresholds: Thresholds) -> PlanSizes:
    """The sample size of every line of ``plan`` in every period of its frequency; a line drawn per gemeente
    is sized once per gemeente of the populations (when there is more than one), on that gemeente's items."""
    codes = populations.gemeenten()
    sizes: list[PartSize] = []
    for part in plan.parts:
        if part.per_gemeente and len(codes) > 1:
            sizes += [
                replace(part_size(plan, part, populations.of_gemeente(code), thresholds), gemeente=code)
                for code in codes
            ]
        else:
            sizes.append(part_size(plan, part, populations, thresholds))
    return PlanSizes(plan, thresholds, tuple(sizes))


def part_size(plan: Plan, part: Part, populations: Populations, thresholds: Thresholds) -> PartSize:
    periods = plan_periods(plan.year, part.frequency)
    counts, values = population_by_period(part, populations.of(part.population.source.value), periods)
    confidence = _confidence(plan, part)
    materiality = part.materiality_pct or thresholds.default_materiality_pct
    base = PartSize(
        part,
        tuple(PeriodSize(p, int(c), int(v), 0) for p, c, v in zip(periods, counts, values, strict=True)),
        confidence,
        materiality if part.computed else None,
        sisa_tolerance=_sisa(part, thresholds, int(values.sum())),
    )
    if counts.sum() == 0:
        return _with(base, (), notes=("geen populatie in dit jaar",))
    if part.computed and materiality is None:
        return _with(base, (), problem="geen materialiteit: niet in het plan en niet in tabel toleranties")
    try:
        measures = (
            _risk_measures(part, populations, periods)
            if part.method is Methode.RISICOGEWOGEN and part.computed
            else None
        )
        return _sized(base, counts, values, measures)
    except (SamplingError, ValueError) as exc:
        return _with(base, (), problem=str(exc))


def _risk_measures(part: Part, populations: Populations, periods: tuple[Period, ...]) -> np.ndarray:
    """Per period the total size measure M = Σ amount × weight / smallest weight (cents) of a risk-weighted
    line: the value of the monetary-unit sample it is evaluated as (docs/methodology.md §8)."""
    if populations.risk_weights is None:
        raise ValueError("een statistische risicogewogen regel vraagt de risicogewichten van de populatie")
    frame = populations.payments
    mask = (frame["regeling"] == part.regeling).to_numpy(dtype=bool).copy()
    if part.population.filter:
        mask &= _filter(part.population.filter, frame)
    position = period_positions(frame[part.population.period_column].to_numpy(dtype="datetime64[D]"), periods)
    amounts = np.maximum(frame["bedrag"].astype("Int64").fillna(0).to_numpy(dtype=np.int64), 0)
    keep = mask & (position >= 0) & (amounts > 0)
    if not keep.any():
        return np.zeros(len(periods))
    weights = populations.risk_weights[keep]
    measure = amounts[keep] * weights / weights.min()
    return np.bincount(position[keep], weights=measure, minlength=len(periods))


def population_by_period(
    part: Part, frame: pd.DataFrame, periods: tuple[Period, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Count and book value (cents, positive amounts only, as MUS selects) of the line per period."""
    mask = (frame["regeling"] == part.regeling).to_numpy(dtype=bool).copy()
    if part.population.filter:
        mask &= _filter(part.population.filter, frame)
    position = period_positions(frame[part.population.period_column].to_numpy(dtype="datetime64[D]"), periods)
    keep = mask & (position >= 0)
    counts = np.bincount(position[keep], minlength=len(periods))
    if "bedrag" not in frame.columns:
        return counts, np.zeros(len(periods), dtype=np.int64)
    amounts = frame["bedrag"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    values = np.bincount(position[keep], weights=np.maximum(amounts[keep], 0), minlength=len(periods))
    return counts, values.astype(np.int64)


def _filter(expression: str, frame: pd.DataFrame) -> np.ndarray:
    """Rows where the filter is true; missing (cannot be judged) is outside the population."""
    try:
        result = evaluate_condition(parse(expression), Context.of_frame(frame, money_columns()))
    except ExpressionError as exc:
        raise ValueError(f"filter: {exc}") from None
    return result.fillna(False).to_numpy(dtype=bool)


def _confidence(plan: Plan, part: Part) -> float | None:
    """The confidence a line is sized at; a two-stage line at half the risk (each stage is evaluated so)."""
    if part.confidence_pct is not None:
        confidence = _fraction(part.confidence_pct)
    elif part.risks is not None:
        r = part.risks
        confidence = required_confidence(plan.haro(), r.inherent, r.internal_control, r.analytical)
    else:
        return None
    return stage_confidence(confidence) if part.two_stage else confidence


def _sisa(part: Part, thresholds: Thresholds, value_cents: int) -> Decimal | None:
    if not part.extrapolated or value_cents <= 0:
        return None
    return sisa_tolerance(thresholds, cents_to_decimal(value_cents))


def _with(
    base: PartSize,
    periods_n: tuple[int, ...],
    plans: tuple[SamplePlan, ...] = (),
    notes: tuple[str, ...] = (),
    problem: str | None = None,
) -> PartSize:
    periods = (
        base.periods
        if not periods_n
        else tuple(
            PeriodSize(p.period, p.count, p.value_cents, n)
            for p, n in zip(base.periods, periods_n, strict=True)
        )
    )
    return PartSize(
        base.part,
        periods,
        base.confidence,
        base.materiality_pct,
        plans,
        base.sisa_tolerance,
        base.notes + notes,
        problem,
    )


def _sized(
    base: PartSize, counts: np.ndarray, values: np.ndarray, measures: np.ndarray | None = None
) -> PartSize:
    if measures is None:
        measures = values
    if base.part.effective_spread is Spreiding.PERIODE:
        units = [
            (_unit_size(base, int(c), int(v), int(m)) if c else (0, None))
            for c, v, m in zip(counts, values, measures, strict=True)
        ]
        plans = tuple(plan for _, plan in units if plan is not None)
        return _with(base, tuple(n for n, _ in units), plans, _census_note(units, counts))
    n, plan = _unit_size(base, int(counts.sum()), int(values.sum()), int(measures.sum()))
    sizes, notes = spread(base.part, n, counts, values, tuple(p.period.label for p in base.periods))
    return _with(base, sizes, (plan,) if plan else (), notes + _census_note([(n, plan)], [counts.sum()]))


def _unit_size(
    base: PartSize, count: int, value_cents: int, measure_cents: int
) -> tuple[int, SamplePlan | None]:
    """Size of one sample (a year or a period) on its own population, capped at the item count.

    A risk-weighted line is evaluated as a monetary-unit sample on its size measure M (≥ the book value B),
    so it is planned as MUS on a population of value M with the tolerable and expected error of B."""
    part = base.part
    if not part.computed:
        return min(int(part.size or 0), count), None
    assert base.confidence is not None and base.materiality_pct is not None
    materiality, expected = _fraction(base.materiality_pct), _fraction(part.expected_pct)
    if part.method is Methode.ATTRIBUUT:
        plan = plan_attribute(
            materiality,
            base.confidence,
            expected,
            part.effective_likelihood,
            count if part.effective_likelihood == "hypergeometric" else None,
        )
    else:
        if value_cents <= 0:
            return 0, None
        value = cents_to_decimal(value_cents)
        if value * Decimal(str(materiality)) < 1:  # a period worth less than € 1 / materiality: take it all
            return count, None
        plan = plan_mus(
            cents_to_decimal(max(measure_cents, value_cents)),
            value * Decimal(str(materiality)),
            base.confidence,
            value * Decimal(str(expected)),
            part.effective_likelihood,
        )
    return min(plan.n, count), plan


def _fraction(pct: float) -> float:
    """2.0 -> 0.02 through Decimal: 0.99 / 100 in floats is 0.009899999999999999, whose exact
    fraction has a numerator too large for the planner's integer arithmetic."""
    return float(Decimal(str(pct)) / 100)


def _census_note(units: list[tuple[int, SamplePlan | None]], counts: Iterable[int]) -> tuple[str, ...]:
    capped = any(
        plan is not None and plan.n > n and n == c for (n, plan), c in zip(units, counts, strict=True)
    )
    return ("omvang groter dan de populatie: integrale controle",) if capped else ()


def spread(
    part: Part, n: int, counts: np.ndarray, values: np.ndarray, labels: tuple[str, ...]
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """A yearly size over the periods, pro rata book value (money-weighted) or count (attribute)."""
    if n == 0:
        return tuple(0 for _ in labels), ()
    by_value = part.method is not Methode.ATTRIBUUT and values.sum() > 0
    if n >= int((counts > 0).sum()):
        allocation = allocate(
            labels,
            counts.tolist(),
            n,
            method="value" if by_value else "count",
            totals=values.tolist() if by_value else None,
        )
        return allocation.sizes, ()
    weights = values if by_value else counts
    return _largest_remainder(n, weights.astype(float), counts), (
        "minder posten dan perioden: niet elke periode krijgt een post",
    )


def _largest_remainder(n: int, weights: np.ndarray, caps: np.ndarray) -> tuple[int, ...]:
    """n units pro rata ``weights`` without a minimum per period; ties go to the earlier period."""
    real = n * weights / weights.sum()
    sizes = np.minimum(np.floor(real).astype(np.int64), caps)
    for i in sorted(range(len(real)), key=lambda i: (-(real[i] - sizes[i]), i)):
        if sizes.sum() < n and sizes[i] < caps[i]:
            sizes[i] += 1
    return tuple(int(s) for s in sizes)
