"""Evaluate the reviewed samples of a period or a year against the tolerances.

Per sample the method follows how it was drawn (docs/methodology.md §9):
- a statistical MUS sample: Stringer bound on the taints (error / book value per hit, an item hit
  twice counts twice), key items (sleutelposten) at face value;
- a statistical item sample: the deviation rate with its Clopper-Pearson upper limit, and in euros
  the ratio estimate (errors / book value of the sample x population) with, as upper limit, the
  upper rate times the population (each deviating item treated as wholly wrong: conservative);
- a targeted (gericht) sample: the errors found, at face value, never extrapolated;
- a sample of beschikkingen (a plan line over aanvragen): the share of decisions with a fout or an
  onzekerheid, with its hypergeometric upper limit (``rates``); a decision is not an amount spent,
  so it is not projected in euros and not combined with the samples of payments.
Fouten (FIN), onzekerheden (ONZ) and both together are evaluated separately. Per regeling and
for all regelingen together the statistical samples are strata of one combined evaluation by
convolution (``evaluate_strata``), so the total limit is not the sum of the worst cases.
A sample extended after errors were found (``kic sample extend``) is evaluated with its extensions
as one sample. Only afgerond reviews count; a sample not yet fully reviewed is evaluated on what is reviewed
and marked voorlopig.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.controls.loader import Catalogue, load_catalogue
from kic.cycle.models import BESCHIKKING, BETALING, Sample, SampleItem
from kic.cycle.periods import Period, parse_period
from kic.formatting import euro
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.plan.thresholds import ThresholdError, year_thresholds
from kic.review.models import AFGEROND, Review
from kic.sampling import StratumInput, evaluate_attribute, evaluate_mus, evaluate_strata
from kic.sampling.results import to_money

KINDS = ("fouten", "onzekerheden", "totaal")
ZERO = Decimal("0.00")
DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class Projection:
    """One kind of error (fouten, onzekerheden or both) of a sample, a regeling or the whole."""

    found: Decimal  # at face value in the reviewed items
    items_with_error: int
    most_likely_error: Decimal
    upper_limit: Decimal | None  # None: targeted, not extrapolated

    def fraction(self, population_value: Decimal) -> float | None:
        if self.upper_limit is None or population_value <= 0:
            return None
        return float(self.upper_limit / population_value)


@dataclass(frozen=True)
class Rate:
    """An attribute outcome in numbers of items: how many deviate, the rate and its upper limit."""

    deviations: int
    reviewed: int
    rate: float
    upper_rate: float


@dataclass(frozen=True)
class SampleEvaluation:
    sample_id: int
    regeling: str
    period: str
    purpose: str
    method: str
    population_count: int
    population_value: Decimal
    items: int
    reviewed: int
    formal_findings: int
    projections: dict[str, Projection]
    strata: dict[str, StratumInput] = field(default_factory=dict, repr=False)
    unit: str = BETALING  # betaling | beschikking
    rates: dict[str, Rate] = field(default_factory=dict)  # samples of beschikkingen: per kind
    extensions: tuple[int, ...] = ()  # samples drawn later to extend this one, evaluated with it

    @property
    def provisional(self) -> bool:
        return self.reviewed < self.items


@dataclass(frozen=True)
class GroupEvaluation:
    """Statistical samples of one regeling (or of all) combined."""

    name: str
    population_value: Decimal
    samples: int
    projections: dict[str, Projection]


@dataclass(frozen=True)
class Tolerances:
    year: int
    approval_pct: float  # goedkeuringstolerantie (fouten and onzekerheden together from 2025)
    errors_pct: float | None
    uncertainties_pct: float | None
    reporting_limit: Decimal | None = None  # the gemeente's rapportagegrens (in the controleplan)
    accountability_limit: Decimal | None = None  # the gemeente's verantwoordingsgrens

    def pct_for(self, kind: str) -> float | None:
        """The tolerance for one kind: until 2024 fouten and onzekerheden apart, from 2025 only both together."""
        if self.errors_pct is None and self.uncertainties_pct is None:
            return self.approval_pct if kind == "totaal" else None
        return {"fouten": self.errors_pct, "onzekerheden": self.uncertainties_pct}.get(kind)

    def exceeded(self, kind: str, projection: Projection, population_value: Decimal) -> bool | None:
        """Whether the upper limit is above the tolerance; None when none applies or nothing is extrapolated."""
        pct, fraction = self.pct_for(kind), projection.fraction(population_value)
        if pct is None or fraction is None:
            return None
        return fraction * 100 > pct


@dataclass(frozen=True)
class Evaluation:
    period: str
    confidence: float
    samples: list[SampleEvaluation]
    regelingen: list[GroupEvaluation]
    overall: GroupEvaluation | None
    tolerances: Tolerances
    targeted_found: dict[str, Decimal]
    conclusion: str


class EvaluationError(ValueError):
    """Nothing to evaluate, or a sample that cannot be evaluated; the message is Dutch."""


def evaluate_period(session: Session, period: str | Period, *, confidence: float = DEFAULT_CONFIDENCE,
                    catalogue: Catalogue | None = None, reporting_limit: Decimal | None = None,
                    accountability_limit: Decimal | None = None) -> Evaluation:
    """Evaluate every current sample whose period lies within ``period``.

    ``period`` is a label (2026, 2026-Q3 or 2026-07) or any range of days within one verslagjaar
    (``kic.cycle.periods.date_range``), such as 1 January up to the end of a quarter. The tolerances
    and the plan's limits are those of that verslagjaar.
    """
    if isinstance(period, str):
        period = parse_period(period)
    if period.start.year != period.end.year:
        raise EvaluationError(f"{period.label} valt in meer dan één verslagjaar; evalueer per jaar")
    samples = current_samples(session, period)
    if not samples:
        raise EvaluationError(f"geen steekproeven getrokken binnen {period.label}")
    evaluated = [evaluate_sample(session, s, confidence) for s in samples]
    statistical = [e for e in evaluated if e.purpose == "statistisch" and e.strata]
    groups = defaultdict(list)
    for e in statistical:
        groups[e.regeling].append(e)
    regelingen = [_combine(name, members, confidence) for name, members in sorted(groups.items())]
    overall = _combine("alle regelingen", statistical, confidence) if statistical else None
    catalogue = catalogue or load_catalogue()
    if reporting_limit is None and accountability_limit is None:
        reporting_limit, accountability_limit = plan_limits(catalogue, period.start.year)
    tolerances = tolerances_for(catalogue, period.start.year, reporting_limit, accountability_limit)
    targeted = {k: sum((e.projections[k].found for e in evaluated if e.purpose == "gericht"), ZERO) for k in KINDS}
    conclusion = conclude(overall, tolerances)
    if (period.start, period.end) != (date(period.start.year, 1, 1), date(period.start.year, 12, 31)):
        conclusion = (f"Tussenstand {period.label}: {conclusion} Een over het jaar gespreide steekproef geeft per "
                      "periode een ruimere bovengrens dan over het hele jaar; het oordeel over het jaar volgt uit "
                      f"kic evaluate --jaar {period.start.year}.")
    return Evaluation(period.label, confidence, evaluated, regelingen, overall, tolerances, targeted, conclusion)


def evaluable_periods(session: Session) -> list[str]:
    """The years and quarters that hold drawn samples, newest first, each year before its quarters."""
    spans = session.execute(select(Sample.period_start, Sample.period_end).distinct()).all()
    labels: set[str] = set()
    for start, end in spans:
        labels.add(str(start.year))
        quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if end <= parse_period(quarter).end:
            labels.add(quarter)
    return sorted(labels, key=lambda label: (label[:4], "Q" not in label, label), reverse=True)


def evaluation_json(result: Evaluation) -> str:
    """The evaluation as JSON (amounts as strings, exact): ``kic evaluate --json`` and the web download."""
    return json.dumps(_jsonable(dataclasses.asdict(result)), indent=2, ensure_ascii=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def current_samples(session: Session, period: Period) -> list[Sample]:
    """Samples within the period that no later draw replaced, in the order they were drawn; an
    extension is not a sample of its own here (it is evaluated with the sample it extends)."""
    samples = session.scalars(select(Sample).where(Sample.period_start >= period.start, Sample.extends_id.is_(None),
                                                   Sample.period_end <= period.end).order_by(Sample.id)).all()
    replaced = {s.replaces_id for s in session.scalars(select(Sample).where(Sample.replaces_id.is_not(None)))}
    return [s for s in samples if s.id not in replaced]


def evaluate_sample(session: Session, sample: Sample, confidence: float) -> SampleEvaluation:
    extensions = tuple(session.scalars(select(Sample.id).where(Sample.extends_id == sample.id).order_by(Sample.id)))
    rows = session.execute(select(SampleItem, Review).join(Review, Review.sample_item_id == SampleItem.id,
                                                           isouter=True)
                           .where(SampleItem.sample_id.in_((sample.id, *extensions)))
                           .order_by(SampleItem.sample_id, SampleItem.position)).all()
    done = [(item, review) for item, review in rows if review is not None and review.status == AFGEROND]
    amounts = {k: [_amount(r, k) for _, r in done] for k in KINDS}
    found = {k: sum(amounts[k], ZERO) for k in KINDS}
    counts = {k: sum(1 for a in amounts[k] if a != 0) for k in KINDS}
    method = sample.method.split("/")[0]
    population = Decimal(sample.population_total)
    projections, strata, rates = {}, {}, {}
    for kind in KINDS:
        if sample.unit == BESCHIKKING:
            deviating = sum(1 for _, review in done if review.verdict in DEVIATING[kind])
            projections[kind] = Projection(found[kind], deviating, found[kind], None)
            if done and sample.purpose == "statistisch":
                rates[kind] = _rate(sample, len(done), deviating, confidence)
            continue
        if sample.purpose == "gericht" or not done:
            projections[kind] = Projection(found[kind], counts[kind], found[kind], None)
            continue
        measure = _mus if method == "mus" else _items
        projection, stratum = measure(sample, done, amounts[kind], population, confidence)
        projections[kind] = Projection(found[kind], counts[kind], projection.most_likely_error,
                                       projection.upper_limit)
        if stratum is not None:
            strata[kind] = stratum
    return SampleEvaluation(sample.id, sample.regeling, sample.period_label, sample.purpose, sample.method,
                            sample.population_count, population, len(rows), len(done),
                            sum(r.formal_findings for _, r in done), projections, strata, sample.unit, rates,
                            extensions)


DEVIATING = {"fouten": {"fout"}, "onzekerheden": {"onzekerheid"}, "totaal": {"fout", "onzekerheid"}}


def _rate(sample: Sample, n: int, deviations: int, confidence: float) -> Rate:
    result = evaluate_attribute(n, deviations, confidence, population_size=sample.population_count,
                                method="hypergeometric")
    return Rate(deviations, n, deviations / n, float(result.upper_limit))


def _amount(review: Review, kind: str) -> Decimal:
    fin, onz = Decimal(review.error_amount), Decimal(review.uncertain_amount)
    return {"fouten": fin, "onzekerheden": onz, "totaal": fin + onz}[kind]


def _mus(sample: Sample, done: list, amounts: list[Decimal], population: Decimal,
         confidence: float) -> tuple[Projection, StratumInput | None]:
    key_errors = sum((a for (item, _), a in zip(done, amounts, strict=True) if item.key_item), ZERO)
    sampled = [(item, a) for (item, _), a in zip(done, amounts, strict=True) if not item.key_item]
    taints = np.repeat([float(a / Decimal(item.book_value)) for item, a in sampled],
                       [item.hits for item, _ in sampled]) if sampled else np.zeros(0)
    key_book = sum((Decimal(item.book_value) for item, _ in done if item.key_item), ZERO)
    sampled_value = population - key_book
    n = int(sum(item.hits for item, _ in sampled))
    if n == 0:  # only key items reviewed so far: nothing to extrapolate yet
        return Projection(key_errors, 0, key_errors, key_errors), None
    result = evaluate_mus(taints, n, sampled_value, confidence, key_item_errors=key_errors)
    stratum = StratumInput(f"{sample.regeling} {sample.period_label}", float(sampled_value), n,
                           float(max(taints.sum(), 0.0)), float(key_errors))
    return Projection(ZERO, 0, result.most_likely_error, result.upper_limit), stratum


def _items(sample: Sample, done: list, amounts: list[Decimal], population: Decimal,
           confidence: float) -> tuple[Projection, StratumInput | None]:
    n = len(done)
    deviations = sum(1 for a in amounts if a > 0)
    book = sum((Decimal(item.book_value) for item, _ in done), ZERO)
    attribute = evaluate_attribute(n, deviations, confidence, population_size=sample.population_count,
                                   method="hypergeometric")
    ratio = sum(amounts, ZERO) / book if book else ZERO
    most_likely = to_money(ratio * population)
    upper = to_money(Decimal(str(attribute.upper_limit)) * population)
    stratum = StratumInput(f"{sample.regeling} {sample.period_label}", float(population), n, float(deviations))
    return Projection(ZERO, deviations, most_likely, upper), stratum


def _combine(name: str, members: list[SampleEvaluation], confidence: float) -> GroupEvaluation:
    value = sum((m.population_value for m in members), ZERO)
    projections = {}
    for kind in KINDS:
        strata = [m.strata[kind] for m in members if kind in m.strata and m.strata[kind].book_value > 0]
        found = sum((m.projections[kind].found for m in members), ZERO)
        count = sum(m.projections[kind].items_with_error for m in members)
        most = sum((m.projections[kind].most_likely_error for m in members), ZERO)
        if len(members) == 1:
            upper = members[0].projections[kind].upper_limit
        else:
            upper = evaluate_strata(strata, confidence).upper_limit
        projections[kind] = Projection(found, count, most, upper)
    return GroupEvaluation(name, value, len(members), projections)


def plan_limits(catalogue: Catalogue, year: int) -> tuple[Decimal | None, Decimal | None]:
    """The gemeente's rapportagegrens and verantwoordingsgrens in euros, from the year's controleplan."""
    try:
        thresholds = year_thresholds(catalogue.tables, load_plan(year))
    except (PlanNotFound, PlanError, ThresholdError):
        return None, None
    return thresholds.limit_amount(thresholds.reporting_limit), thresholds.limit_amount(thresholds.accountability_limit)


def tolerances_for(catalogue: Catalogue, year: int, reporting_limit: Decimal | None = None,
                   accountability_limit: Decimal | None = None) -> Tolerances:
    """The accountant's tolerances of the verslagjaar, from the reference table ``toleranties``."""
    table = catalogue.tables.get("toleranties")
    if table is None:
        raise EvaluationError("de referentietabel 'toleranties' ontbreekt in de catalogus")
    day = np.array([np.datetime64(f"{year}-12-31", "D")])
    rows = [row for row, mask in table.valid_rows(day) if mask[0]]
    if not rows:
        raise EvaluationError(f"geen goedkeuringstolerantie bekend voor verslagjaar {year}")
    row = rows[-1]
    combined = row.get("goedkeuring_gecombineerd_pct")
    errors, uncertain = row.get("goedkeuring_fouten_pct"), row.get("goedkeuring_onzekerheden_pct")
    return Tolerances(year, float(combined if combined is not None else errors), errors, uncertain,
                      reporting_limit, accountability_limit)


def conclude(overall: GroupEvaluation | None, tolerances: Tolerances) -> str:
    """One Dutch sentence on where the statistical samples stand against the tolerance."""
    if overall is None:
        return "Geen statistische steekproef beoordeeld: er is nog niets te extrapoleren."
    value = overall.population_value
    total = overall.projections["totaal"]
    upper = total.upper_limit or ZERO
    limit = to_money(value * Decimal(str(tolerances.approval_pct)) / 100)
    share = f"{float(upper / value) * 100:.2f}".replace(".", ",") if value else "0"
    tolerance = f"{tolerances.approval_pct:g}".replace(".", ",")
    if upper <= limit:
        text = (f"De bovengrens van fouten en onzekerheden samen ({share} %) blijft binnen de "
                f"goedkeuringstolerantie van {tolerance} % ({tolerances.year}).")
    else:
        text = (f"De bovengrens van fouten en onzekerheden samen ({share} %) overschrijdt de "
                f"goedkeuringstolerantie van {tolerance} % ({tolerances.year}): breid de steekproef uit of "
                "corrigeer de fouten en bespreek dit met de accountant.")
    if tolerances.accountability_limit is not None:
        above = total.most_likely_error > tolerances.accountability_limit
        text += (f" De meest waarschijnlijke fout ligt {'boven' if above else 'onder'} de verantwoordingsgrens van "
                 f"de gemeente ({euro(tolerances.accountability_limit)}).")
    if tolerances.reporting_limit is not None and total.found > tolerances.reporting_limit:
        text += f" De gevonden fouten en onzekerheden liggen boven de rapportagegrens ({euro(tolerances.reporting_limit)})."
    return text
