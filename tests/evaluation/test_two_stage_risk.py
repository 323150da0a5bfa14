"""The real risk of wrongly accepting with a sample that may be extended after errors, computed exactly.

A population whose error rate equals the tolerance T (2 %, the goedkeuringstolerantie from 2025) and
errors of whole items, so that the number of errors among n draws is binomial(n, T) and kic's bound
(Stringer with binomial limits, §3) is the Clopper–Pearson limit (AICPA Audit Sampling guide; Touw &
Hoogduin). The procedure: accept when the upper limit after stage 1 is within T; otherwise extend by
n₂ and accept when the upper limit over n₁ + n₂ is within T. Its risk is

    P(accept) = Σ_{k₁ accepted} P(k₁) + Σ_{k₁ not accepted} P(k₁) · P(k₂: UB(k₁ + k₂, n₁ + n₂) ≤ T),

summed exactly over the binomial probabilities: no simulation error. Evaluating both looks at the nominal
95 % (what kic did before) exceeds 5 %; kic's two-stage rule (each look at 1 − α/2, docs/methodology.md
§9.2) stays below it. The simulation through the cycle (benchmarks/simulate_evaluation.py) shows the same.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from kic.sampling import evaluate_attribute, stage_confidence

T = 0.02


def accepted(n: int, confidence: float) -> np.ndarray:
    """For k = 0..n errors: whether kic's upper limit is within the tolerance."""
    return np.array([evaluate_attribute(n, k, confidence).upper_limit <= T for k in range(n + 1)])


def risk_of_wrongly_accepting(n1: int, n2: int, confidence: float) -> float:
    first, both = accepted(n1, confidence), accepted(n1 + n2, confidence)
    p1, p2 = stats.binom.pmf(np.arange(n1 + 1), n1, T), stats.binom.pmf(np.arange(n2 + 1), n2, T)
    extended = sum(p1[k1] * p2[both[k1 : k1 + n2 + 1]].sum() for k1 in np.nonzero(~first)[0])
    return float(p1[first].sum() + extended)


@pytest.mark.parametrize(("n1", "n2"), [(150, 150), (300, 300)])
def test_extending_after_errors_and_judging_as_one_sample_exceeds_the_nominal_risk(n1, n2):
    assert risk_of_wrongly_accepting(n1, n2, 0.95) > 0.05


@pytest.mark.parametrize(("n1", "n2"), [(185, 185), (185, 92), (370, 370), (185, 400)])
def test_a_two_stage_sample_at_half_the_risk_per_look_stays_within_the_nominal_risk(n1, n2):
    assert stage_confidence(0.95) == pytest.approx(0.975)
    assert risk_of_wrongly_accepting(n1, n2, stage_confidence(0.95)) <= 0.05


def test_the_exact_figures_quoted_in_the_methodology():
    """docs/methodology.md §9.2 quotes these (n₁ = n₂, sized at 95 % resp. 97.5 % for T = 2 %)."""
    assert round(risk_of_wrongly_accepting(150, 150, 0.95), 4) == 0.0554
    assert round(risk_of_wrongly_accepting(185, 185, stage_confidence(0.95)), 4) == 0.0381
