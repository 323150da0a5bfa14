"""Draw every sample the controleplan asks for in a period, and hand the items to reviewers.

The use case above samples (``kic.samples``) and reviews (``kic.review``): it uses both, neither uses it.

``kic sample draw --plan 2026 --periode 2026-Q3`` (and the web's one button, and the scheduler) call
``draw_plan``. Each plan line (over payments, or over
beschikkingen: then every item is a beschikking) gets, per plan period that lies within the
requested period, one frozen sample of the size the plan computes, with its own seed derived from
the run's seed, the line and the period (so every sample can be re-performed on its own). All
samples of one call are drawn in one transaction: a refusal leaves nothing half drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.periods import Period, parse_period
from kic.plan import PartSize
from kic.plan.schema import Bron, Methode
from kic.plan.service import size_plan
from kic.review.models import Review
from kic.review.service import create_reviews, reviewers_for
from kic.samples.draw import (
    EmptyPopulation,
    PopulationCache,
    SampleError,
    SampleSpec,
    draw_sample,
    extend_sample,
)
from kic.samples.models import BESCHIKKING, BETALING, Sample

METHOD = {m: m.method for m in Methode}


@dataclass(frozen=True)
class PlannedDraw:
    """One line × period of the plan: the sample drawn, or why none was."""

    part_id: str
    regeling: str
    period: str
    n: int
    sample: Sample | None = None
    skipped: str | None = None
    reviews: int = 0
    gemeente: str | None = None  # a line drawn per gemeente: the gemeente of this sample


def draw_plan(
    session: Session,
    year: int,
    label: str,
    *,
    actor: str,
    seed: str,
    regeling: str | None = None,
    reviewers: list[str] | None = None,
    method: str = "roulerend",
    redraw_reason: str | None = None,
    controls_dir: Path | None = None,
) -> list[PlannedDraw]:
    """Draw the plan's samples for the period ``label`` (a year, quarter or month within ``year``)."""
    requested = parse_period(label)
    if requested.start.year != year:
        raise SampleError(f"periode {requested.label} ligt niet in planjaar {year}")
    sizes = size_plan(session, year, controls_dir)
    if sizes.problems:
        raise SampleError("het controleplan kan niet worden doorgerekend: " + "; ".join(sizes.problems))
    plan_ref = {
        "jaar": sizes.plan.year,
        "versie": sizes.plan.version,
        "inhoud_sha256": sizes.plan.content_hash,
    }
    outcomes = []
    populations = PopulationCache(session)
    for part in sizes.parts:
        if regeling and part.part.regeling != regeling:
            continue
        for period, n in _periods_within(part, requested):
            outcomes.append(
                _draw_one(
                    session,
                    populations,
                    part,
                    period,
                    n,
                    seed=seed,
                    actor=actor,
                    plan_ref=plan_ref,
                    reviewers=reviewers,
                    method=method,
                    redraw_reason=redraw_reason,
                )
            )
    if not outcomes:
        raise SampleError(
            f"het controleplan {year} vraagt geen steekproef in {requested.label}"
            + (f" voor {regeling}" if regeling else "")
        )
    return outcomes


def _periods_within(part: PartSize, requested: Period) -> list[tuple[Period, int]]:
    return [
        (p.period, p.n)
        for p in part.periods
        if requested.start <= p.period.start and p.period.end <= requested.end
    ]


def _draw_one(
    session: Session,
    populations: PopulationCache,
    part: PartSize,
    period: Period,
    n: int,
    *,
    seed: str,
    actor: str,
    plan_ref: dict,
    reviewers: list[str] | None,
    method: str,
    redraw_reason: str | None,
) -> PlannedDraw:
    line = part.part
    outcome = PlannedDraw(line.id, line.regeling, period.label, n, gemeente=part.gemeente)
    if n == 0:
        return _skip(
            outcome, "omvang 0 in deze periode (" + "; ".join(part.notes or ("geen populatie",)) + ")"
        )
    spec = SampleSpec(
        line.regeling,
        period,
        n,
        METHOD[line.method],
        line.effective_selection,
        line.purpose.value,
        part=line.id,
        filter=line.population.filter,
        date_column=line.population.period_column,
        unit=BESCHIKKING if line.population.source is Bron.BESCHIKKINGEN else BETALING,
        two_stage=line.two_stage,
        gemeente=part.gemeente,
    )
    try:
        sample = draw_sample(
            session,
            spec,
            # a gemeente's own seed: each gemeente's sample can be re-performed on its own
            seed=f"{seed}:{line.id}:{period.label}" + (f":{part.gemeente}" if part.gemeente else ""),
            actor=actor,
            redraw_reason=redraw_reason,
            plan=plan_ref | {"werkonderdeel": line.work.value},
            populations=populations,
        )
    except EmptyPopulation as exc:
        return _skip(outcome, str(exc))
    reviews = 0
    if reviewers:
        reviews = len(
            create_reviews(
                session,
                sample.id,
                reviewers_for(session, reviewers, sample),  # a gemeente's sample: who works for her
                actor=actor,
                method=method,
                second=line.second_reviewer,
            )
        )
    return PlannedDraw(line.id, line.regeling, period.label, n, sample, None, reviews, part.gemeente)


def _skip(outcome: PlannedDraw, reason: str) -> PlannedDraw:
    return replace(outcome, skipped=reason)


def extend_and_assign(
    session: Session,
    sample_id: int,
    n: int,
    *,
    seed: str,
    actor: str,
    reason: str,
    reviewers: list[str] | None = None,
) -> Sample:
    """Extend a two-stage sample (``kic.samples.draw.extend_sample``) and hand the new items to ``reviewers``.

    The rule every face obeys: the extension gets the vier-ogen of its original. When a second reviewer
    checks the first stage's items, one checks the second stage's items too; the extension of a sample
    without vier-ogen gets none.
    """
    drawn = extend_sample(session, sample_id, n, seed=seed, actor=actor, reason=reason)
    if reviewers:
        four_eyes = (
            session.scalar(
                select(Review.id)
                .where(Review.sample_id == sample_id, Review.second_reviewer.is_not(None))
                .limit(1)
            )
            is not None
        )
        create_reviews(session, drawn.id, reviewers, actor=actor, second=four_eyes)
    return drawn
