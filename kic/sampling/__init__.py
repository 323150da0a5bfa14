"""Audit sampling statistics: planning, selection and evaluation (pure functions, no I/O)."""

# Planning and evaluation (see docs/methodology.md).
from kic.sampling.audit_risk import (
    RiskModel,
    equivalent_error_free_items,
    required_confidence,
)
from kic.sampling.evaluation import (
    StratumInput,
    evaluate_attribute,
    evaluate_mus,
    evaluate_strata,
    stage_confidence,
    stringer_bound,
    taints_from_values,
)
from kic.sampling.planning import (
    plan_attribute,
    plan_attribute_expected_count,
    plan_mus,
    plan_sample_size,
    plan_two_stage,
    size_for_allowed_errors,
)
from kic.sampling.results import (
    AttributeEvaluation,
    CombinedEvaluation,
    MusEvaluation,
    SamplePlan,
    SamplingError,
)

__all__ = [
    "AttributeEvaluation",
    "CombinedEvaluation",
    "MusEvaluation",
    "RiskModel",
    "SamplePlan",
    "SamplingError",
    "StratumInput",
    "equivalent_error_free_items",
    "evaluate_attribute",
    "evaluate_mus",
    "evaluate_strata",
    "plan_attribute",
    "plan_attribute_expected_count",
    "plan_mus",
    "plan_sample_size",
    "plan_two_stage",
    "required_confidence",
    "size_for_allowed_errors",
    "stage_confidence",
    "stringer_bound",
    "taints_from_values",
]

# Selection, allocation over strata and the HT/HH estimators (see docs/methodology.md §7).
from kic.sampling.estimators import (
    TotalEstimate,
    estimate_misstatement,
    hansen_hurwitz,
    horvitz_thompson,
)
from kic.sampling.rng import SelectionError
from kic.sampling.selection import (
    Selection,
    StratifiedSelection,
    select_items,
    select_mus,
    select_risk_weighted,
    select_stratified,
)
from kic.sampling.stratify import Allocation, AllocationError, allocate

__all__ += [
    "Allocation",
    "AllocationError",
    "Selection",
    "SelectionError",
    "StratifiedSelection",
    "TotalEstimate",
    "allocate",
    "estimate_misstatement",
    "hansen_hurwitz",
    "horvitz_thompson",
    "select_items",
    "select_mus",
    "select_risk_weighted",
    "select_stratified",
]
