"""Horvitz–Thompson and Hansen–Hurwitz estimates with their Stringer-type upper bound."""

import math

import numpy as np
import pytest
from scipy import stats

from kic.sampling.estimators import estimate_misstatement, hansen_hurwitz, horvitz_thompson, stringer_scaled
from kic.sampling.selection import SelectionError, select_mus, select_risk_weighted

IDS = [f"B{i:04d}" for i in range(400)]
AMOUNTS = (np.arange(400) % 37 + 1) * 2_500
WEIGHTS = np.where(np.arange(400) % 5 == 0, 4.0, 1.0)
MISSTATEMENT = {
    i: (int(a) if k % 9 == 0 else int(a) // 3 if k % 13 == 0 else 0)
    for k, (i, a) in enumerate(zip(IDS, AMOUNTS, strict=True))
}
TRUE_TOTAL = sum(MISSTATEMENT.values())


@pytest.mark.parametrize("k", [0, 1, 2])
def test_stringer_with_full_taints_matches_aicpa_confidence_factors(k):
    """AICPA Audit Sampling guide, PPS confidence factors at 5 % risk: 3.00, 4.75, 6.30 (rounded up)."""
    factor = stringer_scaled(np.ones(k), 1, 0.95)
    assert math.ceil(factor * 100) / 100 == {0: 3.00, 1: 4.75, 2: 6.30}[k]


@pytest.mark.parametrize("replace", [False, True])
def test_risk_weighted_estimate_is_unbiased_over_seeds(replace):
    """The mean of the estimates over many seeds lies within 4 standard errors of the true total."""
    estimates = [
        estimate_misstatement(
            select_risk_weighted(IDS, AMOUNTS, WEIGHTS, n=40, seed=s, replace=replace), MISSTATEMENT
        ).estimate
        for s in range(1_500)
    ]
    se = np.std(estimates) / math.sqrt(len(estimates))
    assert abs(np.mean(estimates) - TRUE_TOTAL) < 4 * se


def test_mus_estimate_with_zero_errors_is_zero_and_bound_is_three_over_n_times_book_value():
    sel = select_mus(IDS, AMOUNTS, n=50, seed="s")
    est = estimate_misstatement(sel, dict.fromkeys(IDS, 0))
    assert est.estimate == 0 and est.errors == 0
    assert est.upper_bound == math.ceil(sel.sampled_total * stats.gamma.ppf(0.95, 1) / sel.draws)


def test_key_item_errors_are_added_exactly():
    amounts = AMOUNTS.copy()
    amounts[0] = 10**9
    sel = select_mus(IDS, amounts, n=50, seed="s")
    misstatement = dict.fromkeys(IDS, 0) | {IDS[0]: 12_345}
    est = estimate_misstatement(sel, misstatement)
    assert sel.key_ids == (IDS[0],)
    assert est.estimate == 12_345 and est.key_misstatement == 12_345


def test_hansen_hurwitz_counts_repeated_draws():
    est = hansen_hurwitz(
        np.array([10.0, 0.0]), np.array([0.5, 1.5]), np.array([2, 1]), draws=3, max_draw_estimate=1_000.0
    )
    assert est.estimate == round((2 * 3 * 10 / 0.5) / 3)


def test_horvitz_thompson_is_sum_of_y_over_pi():
    est = horvitz_thompson(
        np.array([10.0, 5.0, 0.0]), np.array([0.5, 0.25, 1.0]), draws=3, max_draw_estimate=500.0
    )
    assert est.estimate == 40


def test_student_t_bound_collapses_without_errors_which_is_why_stringer_is_default():
    sel = select_risk_weighted(IDS, AMOUNTS, WEIGHTS, n=40, seed=1)
    zero = dict.fromkeys(IDS, 0)
    assert estimate_misstatement(sel, zero, bound="student_t").upper_bound == 0
    assert estimate_misstatement(sel, zero).upper_bound > 0


def test_unreviewed_items_are_refused():
    sel = select_mus(IDS, AMOUNTS, n=10, seed=1)
    with pytest.raises(SelectionError, match="geen oordeel"):
        estimate_misstatement(sel, {})
