"""The use case: the sizes of a year's plan on the imported population (CLI, web, scheduler)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from kic.controls.loader import load_catalogue
from kic.plan.loader import load_plan
from kic.plan.population import load_populations
from kic.plan.sizes import PlanSizes, plan_sizes
from kic.plan.thresholds import year_thresholds


def size_plan(session: Session, year: int, controls_dir: Path | None = None) -> PlanSizes:
    """Load the plan of ``year`` and the catalogue's tolerances, and size it on the active population.

    Raises PlanNotFound, PlanError, ControlDefinitionError or ThresholdError (Dutch messages).
    """
    plan = load_plan(year, controls_dir)
    thresholds = year_thresholds(load_catalogue(controls_dir).tables, plan)
    return plan_sizes(plan, load_populations(session), thresholds)
