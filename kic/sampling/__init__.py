"""Audit sampling statistics: planning, selection and evaluation (pure functions, no I/O).

The names below are imported from their submodule on first use (PEP 562), not when the package
is: ``kic stats plan`` needs ``planning`` alone, and importing every submodule here would make
it wait for pandas (``selection``) and ``scipy.stats`` (about a second). ``from kic.sampling
import plan_mus`` and ``kic.sampling.plan_mus`` work as before; type checkers read the imports
under ``TYPE_CHECKING``, and tests/cli/test_cli_startup.py checks that both lists agree.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Planning and evaluation (see docs/methodology.md).
    from kic.sampling.audit_risk import (
        RiskModel,
        equivalent_error_free_items,
        required_confidence,
    )

    # Selection, allocation over strata and the HT/HH estimators (see docs/methodology.md §7).
    from kic.sampling.estimators import (
        TotalEstimate,
        estimate_misstatement,
        hansen_hurwitz,
        horvitz_thompson,
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

# name: the submodule that defines it
_SUBMODULE = {
    "RiskModel": "audit_risk",
    "equivalent_error_free_items": "audit_risk",
    "required_confidence": "audit_risk",
    "StratumInput": "evaluation",
    "evaluate_attribute": "evaluation",
    "evaluate_mus": "evaluation",
    "evaluate_strata": "evaluation",
    "stage_confidence": "evaluation",
    "stringer_bound": "evaluation",
    "taints_from_values": "evaluation",
    "plan_attribute": "planning",
    "plan_attribute_expected_count": "planning",
    "plan_mus": "planning",
    "plan_sample_size": "planning",
    "plan_two_stage": "planning",
    "size_for_allowed_errors": "planning",
    "AttributeEvaluation": "results",
    "CombinedEvaluation": "results",
    "MusEvaluation": "results",
    "SamplePlan": "results",
    "SamplingError": "results",
    "TotalEstimate": "estimators",
    "estimate_misstatement": "estimators",
    "hansen_hurwitz": "estimators",
    "horvitz_thompson": "estimators",
    "SelectionError": "rng",
    "Selection": "selection",
    "StratifiedSelection": "selection",
    "select_items": "selection",
    "select_mus": "selection",
    "select_risk_weighted": "selection",
    "select_stratified": "selection",
    "Allocation": "stratify",
    "AllocationError": "stratify",
    "allocate": "stratify",
}

__all__ = [
    "Allocation",
    "AllocationError",
    "AttributeEvaluation",
    "CombinedEvaluation",
    "MusEvaluation",
    "RiskModel",
    "SamplePlan",
    "SamplingError",
    "Selection",
    "SelectionError",
    "StratifiedSelection",
    "StratumInput",
    "TotalEstimate",
    "allocate",
    "equivalent_error_free_items",
    "estimate_misstatement",
    "evaluate_attribute",
    "evaluate_mus",
    "evaluate_strata",
    "hansen_hurwitz",
    "horvitz_thompson",
    "plan_attribute",
    "plan_attribute_expected_count",
    "plan_mus",
    "plan_sample_size",
    "plan_two_stage",
    "required_confidence",
    "select_items",
    "select_mus",
    "select_risk_weighted",
    "select_stratified",
    "size_for_allowed_errors",
    "stage_confidence",
    "stringer_bound",
    "taints_from_values",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` and keep the name here for the next look-up.

    Any other name (a submodule such as ``planning`` among them) is an AttributeError, so that
    ``from kic.sampling import planning`` imports the submodule as usual.
    """
    try:
        submodule = _SUBMODULE[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
