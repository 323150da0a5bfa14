"""Evaluate the reviewed samples of a period or a year against the tolerances.

Per sample the method follows how it was drawn (docs/methodology.md §9):
- every statistical sample of payments is evaluated as a monetary-unit sample on the measure it
  was drawn proportional to (``kic.samples.draw.size_measure``): the amount for MUS, the largest
  amount of the population for an item sample, amount × risk weight / smallest weight for a
  risk-weighted sample. The scaled taint of an item is its error divided by its measure; the
  Stringer bound on those taints times the total measure M bounds the money error (for MUS this is
  the ordinary Stringer bound; for the others it is the Horvitz–Thompson / Hansen–Hurwitz estimate
  with the scaled-Stringer bound of ``kic.sampling.estimators``). Key items (sleutelposten) at face value;
- overpayments (te veel betaald) and underpayments (te weinig betaald) are evaluated apart, never
  netted; whether the underpayments count against the tolerance is the plan's ``onderbetalingen``
  (default ``meetellen``: the tested limit is that of the absolute errors);
- a targeted (gericht) sample: the errors found, at face value, never extrapolated;
- a sample of beschikkingen: the share of decisions with a fout or an onzekerheid with its
  hypergeometric upper limit (``rates``), not projected in euros and not combined with payments;
  an item sample of payments reports that rate too;
- a two-stage sample (declared before the draw, extendable once) is evaluated at half the risk,
  so that over both looks the risk of wrongly accepting stays at the nominal risk (Bonferroni);
  so is a group that contains one.
Fouten (FIN), onzekerheden (ONZ) and both together are evaluated separately. Per regeling and
for all regelingen together the statistical samples are strata of one combined evaluation by
convolution (``evaluate_strata``). Only afgerond reviews count; a sample not yet fully reviewed is
evaluated on what is reviewed and marked voorlopig.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from kic.controls.loader import Catalogue, load_catalogue
from kic.errors import KicError
from kic.formatting import euro, share_beside
from kic.gemeenten import WHOLE, Scope, known_codes
from kic.periods import Period, parse_period
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.plan.schema import Plan
from kic.plan.thresholds import ThresholdError, year_thresholds
from kic.review.models import AFGEROND, Review
from kic.samples.models import BESCHIKKING, BETALING, Sample, SampleItem
from kic.sampling import StratumInput, evaluate_attribute, evaluate_mus, evaluate_strata, stage_confidence
from kic.sampling import distributions as dist
from kic.sampling.results import to_money
from kic.vocabulary import Purpose

KINDS = ("fouten", "onzekerheden", "totaal")
ZERO = Decimal("0.00")
DEFAULT_CONFIDENCE = 0.95
PREVENTIVE_NOTE = (
    "preventieve toets: besluiten vóór verzending getoetst; telt voor de kwaliteit per werkproces, niet voor de "
    "rechtmatigheid en wordt niet geëxtrapoleerd"
)
DEVIATING = {"fouten": {"fout"}, "onzekerheden": {"onzekerheid"}, "totaal": {"fout", "onzekerheid"}}
POLICIES = (
    "meetellen",
    "apart",
)  # do underpayments count against the tolerance (controleplan: onderbetalingen)
DEFAULT_POLICY = "meetellen"


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
    rates: dict[str, Rate] = field(default_factory=dict)  # beschikkingen and item samples: per kind
    extensions: tuple[int, ...] = ()  # samples drawn later to extend this one, evaluated with it
    understatements: dict[str, Projection] = field(default_factory=dict)  # te weinig betaald, per kind
    under_strata: dict[str, StratumInput] = field(default_factory=dict, repr=False)
    two_stage: bool = False
    confidence: float = DEFAULT_CONFIDENCE  # of this sample's limits (half the risk for a two-stage sample)
    note: str | None = None  # what the reader must know about the projection (Dutch): why none, or why wide
    gemeente: str | None = None  # drawn from this gemeente only; None: from every gemeente

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
    understatements: dict[str, Projection] = field(default_factory=dict)
    confidence: float = DEFAULT_CONFIDENCE


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
    understatement_policy: str = "meetellen"  # meetellen | apart (controleplan: onderbetalingen)
    # the year of a period shorter than its verslagjaar (a quarter, a month): its samples are a part of the
    # year's, so its limits are wider than the year's and the tolerance is judged over the year
    interim_of: int | None = None
    gemeente: str | None = None  # the evaluation of one gemeente's samples; None: the whole region

    def tolerance_test(self, kind: str, projection: Projection, population_value: Decimal) -> str | None:
        """ "binnen", "boven", "tussenstand" (an interim period: no verdict against the year's tolerance)
        or None (no tolerance applies, or nothing was extrapolated)."""
        over = self.tolerances.exceeded(kind, projection, population_value)
        if over is None:
            return None
        if self.interim_of is not None:
            return "tussenstand"
        return "boven" if over else "binnen"


class EvaluationError(KicError, ValueError):
    """Nothing to evaluate, or a sample that cannot be evaluated; the message is Dutch."""


def evaluate_period(
    session: Session,
    period: str | Period,
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    catalogue: Catalogue | None = None,
    reporting_limit: Decimal | None = None,
    accountability_limit: Decimal | None = None,
    understatements: str | None = None,
    gemeente: str | None = None,
) -> Evaluation:
    """Evaluate every current sample whose period lies within ``period``.

    ``gemeente`` (a CBS code): only that gemeente's samples, against her own lasten (the plan's
    ``totale_lasten_per_gemeente``); without it every sample of the region.

    ``period`` is a label (2026, 2026-Q3 or 2026-07) or any range of days within one verslagjaar
    (``kic.periods.date_range``), such as 1 January up to the end of a quarter. The tolerances
    and the plan's limits are those of that verslagjaar. ``understatements`` (meetellen | apart):
    whether underpayments count against the tolerance; by default the plan's ``onderbetalingen``.
    """
    if isinstance(period, str):
        period = parse_period(period)
    if period.start.year != period.end.year:
        raise EvaluationError(f"{period.label} valt in meer dan één verslagjaar; evalueer per jaar")
    dist.check_conf(confidence)
    samples = current_samples(session, period, gemeente)
    if not samples:
        raise EvaluationError(
            f"geen steekproeven getrokken binnen {period.label}"
            + (f" voor gemeente {gemeente}" if gemeente else "")
        )
    catalogue = catalogue or load_catalogue()
    plan = _plan(catalogue, period.start.year)
    if plan is not None and gemeente is not None:
        plan = plan.for_gemeente(gemeente)
    policy = understatements or (plan.understatements if plan else DEFAULT_POLICY)
    if policy not in POLICIES:
        raise EvaluationError(f"onderbetalingen moet {' of '.join(POLICIES)} zijn")
    evaluated = [evaluate_sample(session, s, confidence, policy) for s in samples]
    statistical = [e for e in evaluated if e.purpose == "statistisch" and e.strata]
    groups = defaultdict(list)
    for e in statistical:
        groups[e.regeling].append(e)
    regelingen = [_combine(name, members, confidence) for name, members in sorted(groups.items())]
    overall = _combine("alle regelingen", statistical, confidence) if statistical else None
    if reporting_limit is None and accountability_limit is None:
        reporting_limit, accountability_limit = plan_limits(catalogue, period.start.year, plan)
    tolerances = tolerances_for(catalogue, period.start.year, reporting_limit, accountability_limit)
    targeted = {
        k: sum((e.projections[k].found for e in evaluated if e.purpose == "gericht"), ZERO) for k in KINDS
    }
    whole_year = (period.start, period.end) == (
        date(period.start.year, 1, 1),
        date(period.start.year, 12, 31),
    )
    conclusion = conclude(overall, tolerances, interim=not whole_year)
    if not whole_year:
        conclusion = (
            f"Tussenstand {period.label}: {conclusion} Een over het jaar gespreide steekproef geeft per "
            "periode een ruimere bovengrens dan over het hele jaar; het oordeel volgt uit de evaluatie van "
            f"het hele verslagjaar {period.start.year}."
        )
    return Evaluation(
        period.label,
        confidence,
        evaluated,
        regelingen,
        overall,
        tolerances,
        targeted,
        conclusion,
        policy,
        interim_of=None if whole_year else period.start.year,
        gemeente=gemeente,
    )


def evaluable_periods(session: Session, scope: Scope = WHOLE) -> list[str]:
    """The years and quarters that hold drawn samples (in ``scope``), newest first, each year before its quarters."""
    spans = session.execute(
        select(Sample.period_start, Sample.period_end).where(scope.on(Sample.gemeente)).distinct()
    ).all()
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


def current_samples(session: Session, period: Period, gemeente: str | None = None) -> list[Sample]:
    """Samples within the period that no later draw replaced, in the order they were drawn; an
    extension is not a sample of its own here (it is evaluated with the sample it extends).

    ``gemeente``: only the samples drawn from that gemeente; in an installation of that one gemeente also
    the samples drawn over the whole population (before it was registered, or by a line not split)."""
    samples = session.scalars(
        select(Sample)
        .where(
            Sample.period_start >= period.start, Sample.extends_id.is_(None), Sample.period_end <= period.end
        )
        .order_by(Sample.id)
    ).all()
    replaced = {s.replaces_id for s in session.scalars(select(Sample).where(Sample.replaces_id.is_not(None)))}
    current = [s for s in samples if s.id not in replaced]
    if gemeente is None:
        return current
    known = known_codes(session)
    if gemeente not in known:
        raise EvaluationError(
            f"gemeente {gemeente} is niet vastgelegd (vastgelegd: {', '.join(known) or 'geen'})"
        )
    whole = known == [gemeente]
    return [s for s in current if s.gemeente == gemeente or (whole and s.gemeente is None)]


def evaluate_sample(
    session: Session, sample: Sample, confidence: float, policy: str = DEFAULT_POLICY
) -> SampleEvaluation:
    extended = tuple(
        session.scalars(select(Sample).where(Sample.extends_id == sample.id).order_by(Sample.id))
    )
    rows = session.execute(
        select(SampleItem, Review)
        .join(Review, Review.sample_item_id == SampleItem.id, isouter=True)
        .where(SampleItem.sample_id.in_((sample.id, *(e.id for e in extended))))
        .order_by(SampleItem.sample_id, SampleItem.position)
    ).all()
    done = [(item, review) for item, review in rows if review is not None and review.status == AFGEROND]
    two_stage = bool(sample.manifest["steekproef"].get("tweetraps", False))
    conf = stage_confidence(confidence) if two_stage else confidence
    statistical = sample.purpose == "statistisch" and bool(done)
    rates = (
        {kind: _rate(sample, done, kind, conf) for kind in KINDS}
        if statistical and (sample.unit == BESCHIKKING or sample.method.startswith("items"))
        else {}
    )
    projections, understatements, strata, under_strata = {}, {}, {}, {}
    design, note = (
        _design(sample, extended, rows) if statistical and sample.unit == BETALING else (None, None)
    )
    if sample.purpose == Purpose.PREVENTIEF:
        note = PREVENTIVE_NOTE
    for kind in KINDS:
        amounts = [_amount(review, kind) for _, review in done]
        if sample.unit == BESCHIKKING:
            deviating = sum(1 for _, review in done if review.verdict in DEVIATING[kind])
            found = sum(amounts, ZERO)
            projections[kind] = Projection(found, deviating, found, None)
            continue
        over = [max(a, ZERO) for a in amounts]
        under = [max(-a, ZERO) for a in amounts]
        tested = [abs(a) for a in amounts] if policy == "meetellen" else over
        if design is None:
            projections[kind], understatements[kind] = _face_value(tested), _face_value(under)
            continue
        name = f"{sample.regeling} {sample.period_label}"
        projections[kind], stratum = design.evaluate(name, done, tested, conf)
        understatements[kind], under_stratum = design.evaluate(name, done, under, conf)
        if stratum is not None and under_stratum is not None:
            strata[kind], under_strata[kind] = stratum, under_stratum
    return SampleEvaluation(
        sample.id,
        sample.regeling,
        sample.period_label,
        sample.purpose,
        sample.method,
        sample.population_count,
        Decimal(sample.population_total),
        len(rows),
        len(done),
        sum(r.formal_findings for _, r in done),
        projections,
        strata,
        sample.unit,
        rates,
        tuple(e.id for e in extended),
        understatements,
        under_strata,
        two_stage,
        conf,
        note,
        sample.gemeente,
    )


@dataclass(frozen=True)
class Design:
    """A statistical sample of payments as a monetary-unit sample on its size measure (§9.2).

    ``total`` is M, the measure of the sampled (non-key) part of the population; ``sizes`` the measure c
    of each sampled item (by SampleItem id), c ≥ |book value|, so every scaled taint y / c is at most 1.
    """

    total: Decimal
    sizes: dict[int, Decimal]

    def evaluate(
        self, name: str, done: list, amounts: list[Decimal], confidence: float
    ) -> tuple[Projection, StratumInput | None]:
        """Most likely error and Stringer upper limit of one direction (amounts ≥ 0) in euros."""
        found = sum(amounts, ZERO)
        count = sum(1 for a in amounts if a != 0)
        key = sum((a for (item, _), a in zip(done, amounts, strict=True) if item.key_item), ZERO)
        sampled = [(item, a) for (item, _), a in zip(done, amounts, strict=True) if not item.key_item]
        draws = int(sum(item.hits for item, _ in sampled))
        if draws == 0:  # only key items reviewed so far: nothing to extrapolate yet
            return Projection(found, count, key, key), None
        taints = np.repeat(
            [float(a / self.sizes[item.id]) for item, a in sampled], [item.hits for item, _ in sampled]
        )
        result = evaluate_mus(taints, draws, self.total, confidence, key_item_errors=key)
        stratum = StratumInput(name, float(self.total), draws, float(taints.sum()), float(key))
        return Projection(found, count, result.most_likely_error, result.upper_limit), stratum


def _design(
    sample: Sample, extended: tuple[Sample, ...], rows: Sequence[Row[SampleItem, Review]]
) -> tuple[Design | None, str | None]:
    """The size measure of a sample (and its extension) from its manifest; MUS samples drawn before the
    manifest recorded it are measured by their amounts. None, with the reason, when it cannot be known."""
    facts = sample.manifest.get("selectie", {}).get("omvangsmaat")
    positions = {s.id: {p["positie"]: p for p in s.manifest["posten"]} for s in (sample, *extended)}
    if facts is not None:
        sizes = {
            item.id: Decimal(positions[item.sample_id][item.position]["omvangsmaat"])
            for item, _ in rows
            if not item.key_item
        }
        note = None
        if sample.method.startswith("items"):
            largest = next(iter(sizes.values()), ZERO)
            note = (
                f"een postensteekproef (gelijke kansen) is in euro's alleen te begrenzen op het grootste bedrag "
                f"van de populatie ({euro(largest)}), dus ruim; kies MUS voor een bovengrens in euro's"
            )
        return Design(Decimal(facts["totaal"]), sizes), note
    if sample.method.startswith("mus"):
        key_book = sum((Decimal(item.book_value) for item, _ in rows if item.key_item), ZERO)
        return Design(
            Decimal(sample.population_total) - key_book,
            {item.id: Decimal(item.book_value) for item, _ in rows if not item.key_item},
        ), None
    return None, (
        "niet geëxtrapoleerd: getrokken met een versie van kic die de omvangsmaat niet vastlegde, dus "
        "telt alleen het gevonden bedrag; trek de steekproef opnieuw om in euro's te extrapoleren"
    )


def _face_value(amounts: list[Decimal]) -> Projection:
    found = sum(amounts, ZERO)
    return Projection(found, sum(1 for a in amounts if a != 0), found, None)


def _rate(sample: Sample, done: list, kind: str, confidence: float) -> Rate:
    """Share of reviewed items with a fout / onzekerheid / either, with its hypergeometric upper limit."""
    n = len(done)
    deviations = sum(1 for _, review in done if review.verdict in DEVIATING[kind])
    result = evaluate_attribute(
        n, deviations, confidence, population_size=sample.population_count, method="hypergeometric"
    )
    return Rate(deviations, n, deviations / n, float(result.upper_limit))


def _amount(review: Review, kind: str) -> Decimal:
    fin, onz = Decimal(review.error_amount), Decimal(review.uncertain_amount)
    return {"fouten": fin, "onzekerheden": onz, "totaal": fin + onz}[kind]


def _combine(name: str, members: list[SampleEvaluation], confidence: float) -> GroupEvaluation:
    """Statistical samples together; at half the risk when one of them is two-stage (see stage_confidence)."""
    value = sum((m.population_value for m in members), ZERO)
    conf = stage_confidence(confidence) if any(m.two_stage for m in members) else confidence
    projections = {kind: _combined(members, kind, "projections", "strata", conf) for kind in KINDS}
    understatements = {
        kind: _combined(members, kind, "understatements", "under_strata", conf) for kind in KINDS
    }
    return GroupEvaluation(name, value, len(members), projections, understatements, conf)


def _combined(
    members: list[SampleEvaluation], kind: str, projections: str, strata: str, conf: float
) -> Projection:
    own = [getattr(m, projections)[kind] for m in members]
    found = sum((p.found for p in own), ZERO)
    count = sum(p.items_with_error for p in own)
    most = sum((p.most_likely_error for p in own), ZERO)
    if len(members) == 1:
        return Projection(found, count, most, own[0].upper_limit)
    inputs = [getattr(m, strata)[kind] for m in members]
    return Projection(found, count, most, evaluate_strata(inputs, conf).upper_limit)


def _plan(catalogue: Catalogue, year: int) -> Plan | None:
    try:
        return load_plan(year)
    except (PlanNotFound, PlanError):
        return None


def plan_limits(
    catalogue: Catalogue, year: int, plan: Plan | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """The gemeente's rapportagegrens and verantwoordingsgrens in euros, from the year's controleplan."""
    plan = plan or _plan(catalogue, year)
    if plan is None:
        return None, None
    try:
        thresholds = year_thresholds(catalogue.tables, plan)
    except ThresholdError:
        return None, None
    return thresholds.limit_amount(thresholds.reporting_limit), thresholds.limit_amount(
        thresholds.accountability_limit
    )


def tolerances_for(
    catalogue: Catalogue,
    year: int,
    reporting_limit: Decimal | None = None,
    accountability_limit: Decimal | None = None,
) -> Tolerances:
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
    approval = combined if combined is not None else errors
    if approval is None:
        raise EvaluationError(
            f"de referentietabel 'toleranties' geeft voor verslagjaar {year} geen "
            "goedkeuringstolerantie (goedkeuring_gecombineerd_pct of goedkeuring_fouten_pct)"
        )
    return Tolerances(year, float(approval), errors, uncertain, reporting_limit, accountability_limit)


def conclude(overall: GroupEvaluation | None, tolerances: Tolerances, *, interim: bool = False) -> str:
    """One Dutch sentence on where the statistical samples stand against the tolerance; for an ``interim``
    period (a part of the verslagjaar) the upper limit without a verdict against the year's tolerance."""
    if overall is None:
        return "Geen statistische steekproef beoordeeld: er is nog niets te extrapoleren."
    value = overall.population_value
    total = overall.projections["totaal"]
    upper = total.upper_limit or ZERO
    limit = to_money(value * Decimal(str(tolerances.approval_pct)) / 100)
    tolerance_pct = Decimal(str(tolerances.approval_pct))
    share = share_beside(upper / value * 100, tolerance_pct) if value else "0\u00a0%"
    tolerance = f"{tolerances.approval_pct:g}".replace(".", ",") + "\u00a0%"
    if interim:
        text = (
            f"De bovengrens van fouten en onzekerheden samen is over deze periode {share}; een tussenstand "
            f"wordt niet getoetst aan de goedkeuringstolerantie van {tolerance} ({tolerances.year})."
        )
    elif upper <= limit:
        text = (
            f"De bovengrens van fouten en onzekerheden samen ({share}) blijft binnen de "
            f"goedkeuringstolerantie van {tolerance} ({tolerances.year})."
        )
    else:
        text = (
            f"De bovengrens van fouten en onzekerheden samen ({share}) overschrijdt de "
            f"goedkeuringstolerantie van {tolerance} ({tolerances.year}): corrigeer de fouten en bespreek "
            "dit met de accountant (alleen een tweetrapssteekproef mag nog worden uitgebreid)."
        )
    if tolerances.accountability_limit is not None:
        above = total.most_likely_error > tolerances.accountability_limit
        text += (
            f" De meest waarschijnlijke fout ligt {'boven' if above else 'onder'} de verantwoordingsgrens van "
            f"de gemeente ({euro(tolerances.accountability_limit)})."
        )
    if tolerances.reporting_limit is not None and total.found > tolerances.reporting_limit:
        text += f" De gevonden fouten en onzekerheden liggen boven de rapportagegrens ({euro(tolerances.reporting_limit)})."
    return text
