"""Evaluation of reviewed samples against the tolerances (most likely error, upper error limit)."""

from kic.evaluation.evaluate import (
    Evaluation,
    EvaluationError,
    GroupEvaluation,
    Projection,
    SampleEvaluation,
    Tolerances,
    evaluable_periods,
    evaluate_period,
    evaluation_json,
    tolerances_for,
)

__all__ = [
    "Evaluation",
    "EvaluationError",
    "GroupEvaluation",
    "Projection",
    "SampleEvaluation",
    "Tolerances",
    "evaluable_periods",
    "evaluate_period",
    "evaluation_json",
    "tolerances_for",
]
