"""The controleplan: per regeling and werkonderdeel what is sampled, how, how often and how much.

``controls/plans/<jaar>.yaml`` (or the gemeente's own) is validated by ``kic.plan.schema``;
``plan_sizes`` turns it and the population into sample sizes per line and per period.
"""

from kic.plan.loader import PlanError, PlanNotFound, load_plan, plan_problems
from kic.plan.periods import plan_periods
from kic.plan.population import Populations, load_populations, payments_frame
from kic.plan.schema import Doel, Frequentie, Methode, Part, Plan, Spreiding, Werkonderdeel
from kic.plan.sizes import PartSize, PeriodSize, PlanSizes, plan_sizes
from kic.plan.thresholds import ThresholdError, Thresholds, year_thresholds

__all__ = [
    "Doel",
    "Frequentie",
    "Methode",
    "Part",
    "PartSize",
    "PeriodSize",
    "Plan",
    "PlanError",
    "PlanNotFound",
    "PlanSizes",
    "Populations",
    "Spreiding",
    "ThresholdError",
    "Thresholds",
    "Werkonderdeel",
    "load_plan",
    "load_populations",
    "payments_frame",
    "plan_periods",
    "plan_problems",
    "plan_sizes",
    "year_thresholds",
]
