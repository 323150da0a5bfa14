"""The use case: the sizes of a year's plan on the imported population (CLI, web, scheduler)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kic.controls.loader import load_catalogue
from kic.controls.models import ControlRun
from kic.controls.run import load_findings
from kic.plan.loader import load_plan
from kic.plan.population import Populations, load_populations
from kic.plan.schema import Methode
from kic.plan.sizes import PlanSizes, plan_sizes
from kic.plan.thresholds import year_thresholds
from kic.risk import hit_counts, load_risk_model, risk_weights


def size_plan(session: Session, year: int, controls_dir: Path | None = None) -> PlanSizes:
    """Load the plan of ``year`` and the catalogue's tolerances, and size it on the active population.

    Raises PlanNotFound, PlanError, ControlDefinitionError or ThresholdError (Dutch messages).
    """
    plan = load_plan(year, controls_dir)
    thresholds = year_thresholds(load_catalogue(controls_dir).tables, plan)
    populations = load_populations(session)
    if any(p.computed and p.method is Methode.RISICOGEWOGEN for p in plan.parts):
        populations = replace(populations, risk_weights=_weights(session, populations))
    return plan_sizes(plan, populations, thresholds)


def _weights(session: Session, populations: Populations) -> np.ndarray:
    """Every payment's risk weight as a draw would give it now (the model in force, the latest control hits)."""
    run_id = session.scalar(select(func.max(ControlRun.id)))
    hits = hit_counts(load_findings(session, int(run_id))) if run_id is not None else None
    return risk_weights(load_risk_model(), populations.payments, hits).weights.to_numpy(dtype=float)
