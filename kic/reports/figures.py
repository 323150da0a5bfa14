"""Figures the reports share: the gemeente's name, per regeling coverage and projections, year to date.

Everything here is read from the database and the shipped configuration and nothing from the clock,
so the same data give the same report.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from kic.controls.loader import Catalogue, load_catalogue
from kic.errors import KicError
from kic.evaluation import (
    Evaluation,
    EvaluationError,
    GroupEvaluation,
    SampleEvaluation,
    Tolerances,
    evaluate_period,
)
from kic.gemeenten import WHOLE, Gemeente, Scope, gemeente_names
from kic.periods import Period, date_range, parse_period
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.reports.chart import TrendPoint
from kic.samples.models import BESCHIKKING, BETALING
from kic.vocabulary import Purpose

ZERO = Decimal("0.00")


class ReportError(KicError, ValueError):
    """A report that cannot be made for this period; the message is Dutch."""


@dataclass(frozen=True)
class Coverage:
    """Per regeling: population, sample size and how far the review is, and the projections."""

    regeling: str
    population_count: int
    population_value: Decimal
    items: int
    reviewed: int
    group: GroupEvaluation | None
    targeted_found: Decimal

    @property
    def progress(self) -> float:
        return self.reviewed / self.items if self.items else 0.0

    def share(self, kind: str, which: str) -> float | None:
        """``which`` mwf or max as a % (2.0 = 2 %) of the regeling's population."""
        if self.group is None or not self.group.population_value:
            return None
        projection = self.group.projections[kind]
        value = projection.most_likely_error if which == "mwf" else projection.upper_limit
        return None if value is None else float(value / self.group.population_value) * 100


def gemeente_name(year: int, session: Session | None = None, scope: Scope = WHOLE) -> str:
    """The name a report carries: the gemeente in view (the gemeente table), else the plan's gemeente."""
    if session is not None and scope.gemeente is not None:
        return gemeente_names(session).get(scope.gemeente, scope.gemeente)
    try:
        return load_plan(year).gemeente
    except (PlanNotFound, PlanError):
        return "Gemeente"


def gemeente_logo(session: Session, scope: Scope) -> str | None:
    """The logo of the gemeente in view as a data URI (None: the installation's own logo, if any)."""
    if scope.gemeente is None:
        return None
    gemeente = session.get(Gemeente, scope.gemeente)
    if gemeente is None or gemeente.logo is None:
        return None
    return f"data:{gemeente.logo_type};base64,{base64.b64encode(gemeente.logo).decode()}"


def quality_norms(year: int) -> dict[str, Decimal]:
    """The kwaliteitsnormen of the year's controleplan per werkproces (percent); none without a plan."""
    try:
        plan = load_plan(year)
    except (PlanNotFound, PlanError):
        return {}
    return {work.value: Decimal(str(pct)) for work, pct in plan.quality_norms.items()}


def evaluate_or_none(
    session: Session, period: str | Period, catalogue: Catalogue, scope: Scope = WHOLE
) -> Evaluation | None:
    try:
        return evaluate_period(session, period, catalogue=catalogue, gemeente=scope.gemeente)
    except EvaluationError:
        return None


def rechtmatigheid_samples(result: Evaluation) -> list[SampleEvaluation]:
    """The samples that count for the rechtmatigheid: all but the preventieve toetsen, whose besluiten were
    checked before they were sent and are reported as quality only (``kic.findings.quality``)."""
    return [s for s in result.samples if s.purpose != Purpose.PREVENTIEF]


def coverage(result: Evaluation) -> list[Coverage]:
    """Per regeling its samples of payments; samples of beschikkingen count decisions, not euros spent,
    and are reported apart (``decision_samples``)."""
    samples = defaultdict(list)
    for s in rechtmatigheid_samples(result):
        if s.unit == BETALING:
            samples[s.regeling].append(s)
    groups = {g.name: g for g in result.regelingen}
    rows = []
    for regeling, members in sorted(samples.items()):
        statistical = [s for s in members if s.purpose == "statistisch"] or members
        rows.append(
            Coverage(
                regeling,
                sum(s.population_count for s in statistical),
                sum((s.population_value for s in statistical), ZERO),
                sum(s.items for s in members),
                sum(s.reviewed for s in members),
                groups.get(regeling),
                sum((s.projections["totaal"].found for s in members if s.purpose == "gericht"), ZERO),
            )
        )
    return rows


def decision_samples(result: Evaluation) -> list[SampleEvaluation]:
    """The samples of beschikkingen: evaluated in numbers of decisions, with a rate per kind once reviewed."""
    return [s for s in rechtmatigheid_samples(result) if s.unit == BESCHIKKING]


def year_to_date(
    session: Session, quarter: Period, catalogue: Catalogue, scope: Scope = WHOLE
) -> Evaluation | None:
    """All samples from 1 January to the end of the quarter, the statistical ones combined as strata;
    before the last quarter an interim evaluation (``interim_of``: not judged against the tolerance)."""
    year = quarter.start.year
    return evaluate_or_none(
        session, date_range(date(year, 1, 1), quarter.end, ytd_label(quarter)), catalogue, scope
    )


def ytd_label(quarter: Period) -> str:
    return f"{quarter.start.year} t/m {quarter.label}"


def trend(
    session: Session,
    year: int,
    last_quarter: int,
    catalogue: Catalogue,
    known: dict[str, Evaluation] | None = None,
    scope: Scope = WHOLE,
) -> list[TrendPoint]:
    """Per quarter the total's share of the population; ``known``: quarters evaluated already."""
    points = []
    for q in range(1, last_quarter + 1):
        label = f"{year}-Q{q}"
        result = (known or {}).get(label) or evaluate_or_none(session, label, catalogue, scope)
        overall = result.overall if result else None
        if overall is None or not overall.population_value:
            points.append(TrendPoint(f"{year}-Q{q}", None, None))
            continue
        total = overall.projections["totaal"]
        upper = (
            None if total.upper_limit is None else float(total.upper_limit / overall.population_value) * 100
        )
        points.append(
            TrendPoint(f"{year}-Q{q}", float(total.most_likely_error / overall.population_value) * 100, upper)
        )
    return points


def quarter_period(label: str) -> Period:
    period = parse_period(label)
    if "-Q" not in period.label:
        raise ReportError(f"'{label}' is geen kwartaal: gebruik bijvoorbeeld 2026-Q2")
    return period


def catalogue_or_default(catalogue: Catalogue | None) -> Catalogue:
    return catalogue or load_catalogue()


def tolerance_amount(group: GroupEvaluation | None, tolerances: Tolerances) -> Decimal | None:
    """The goedkeuringstolerantie in euros over the population evaluated."""
    if group is None:
        return None
    return (group.population_value * Decimal(str(tolerances.approval_pct)) / 100).quantize(Decimal("0.01"))
