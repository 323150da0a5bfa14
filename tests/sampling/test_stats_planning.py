"""Planning formulas, each checked against a published value (source in the test name)."""

from __future__ import annotations

import pytest

from kic.sampling import SamplingError, plan_attribute, plan_mus, plan_sample_size, plan_two_stage
from kic.sampling.audit_risk import RiskModel, equivalent_error_free_items, required_confidence

HARO_EXAMPLE = {
    "audit_risk": 0.05,
    "mapping": {
        "ihr": {"H": 1, "M": 0.63, "L": 0.4},
        "ibr": {"H": 1, "M": 0.52, "L": 0.34},
        "car": {"H": 1, "M": 0.5, "L": 0.25},
    },
}


def test_poisson_sample_size_matches_touw_hoogduin_table_1_3() -> None:
    """Touw & Hoogduin (2011) Table 1.3 p.17: 300 items at 95 % for 1 % materiality."""
    assert plan_sample_size(0.01, 0.95, likelihood="poisson").n == 300


def test_binomial_sample_size_matches_aicpa_table_a2_exact_not_423() -> None:
    """AICPA Audit Sampling (2017) Table A-2, TDR 5 %, EDR 3.5 %: exact arithmetic gives 400."""
    plan = plan_attribute(0.05, 0.90, 0.035)
    assert (plan.n, plan.expected_errors) == (400, 14)


def test_binomial_sample_size_matches_aicpa_table_a1_4pct_1pct() -> None:
    """AICPA Table A-1 (5 % risk), TDR 4 %, EDR 1 %: 156 (also quoted by a homework key)."""
    assert plan_attribute(0.04, 0.95, 0.01).n == 156


def test_hypergeometric_knife_edge_matches_jfa_after_r_4_4() -> None:
    """P(X = 0 | N = 100, K = 1, n = 90) = 0.1 exactly, so n = 90 (jfa statistical tables)."""
    assert plan_sample_size(0.01, 0.90, likelihood="hypergeometric", population_size=100).n == 90


def test_hypergeometric_sample_size_matches_touw_hoogduin_p129_subsidies() -> None:
    """Touw & Hoogduin (2011) ch.5: 1,200 subsidies, 60 tolerable, 90 %: 45 items."""
    assert plan_sample_size(0.05, 0.90, likelihood="hypergeometric", population_size=1200).n == 45


def test_mus_stringer_interpolation_matches_touw_hoogduin_accounts_receivable_145() -> None:
    """Touw & Hoogduin (2011) p.134 / IDEA: 13.5M book value, TM 450k, EE 100k -> 145."""
    plan = plan_mus(13_500_000, 450_000, 0.95, 100_000, likelihood="hypergeometric")
    assert plan.n == 145
    assert str(plan.interval) == "93103.45"


def test_mus_plain_poisson_rule_differs_from_stringer_expansion() -> None:
    """jfa's plain rule on the same example gives fewer items than the book's 145."""
    plain = plan_mus(13_500_000, 450_000, 0.95, 100_000, likelihood="poisson", method="plain")
    stringer = plan_mus(13_500_000, 450_000, 0.95, 100_000, likelihood="poisson")
    assert plain.n < stringer.n


def test_mus_stringer_exact_tie_needs_one_more_item_fsaudit_mussizepois() -> None:
    """FSaudit musSizePois(0.95, 1e6, 1e5, 3e4) = 61: the interpolation hits 60 exactly, and
    strictly below materiality then needs 61."""
    assert plan_mus(1_000_000, 100_000, 0.95, 30_000, likelihood="poisson").n == 61


def test_two_stage_plan_matches_touw_hoogduin_p129_two_times_49() -> None:
    """Touw & Hoogduin (2011) p.129: binomial, 5 %, 90 %, one error allowed -> 2 x 49."""
    plan = plan_two_stage(0.05, 0.90, "binomial", allowed=1)
    assert (plan.n_per_stage, plan.n, plan.stages) == (49, 98, 2)


def test_expected_count_versus_rate_follows_jfa_convention() -> None:
    """jfa test-planning: expected = 1 is a count (binomial 1 % -> 473), 0.025 a rate (234)."""
    assert plan_sample_size(0.01, 0.95, 1, "binomial").n == 473
    assert plan_sample_size(0.05, 0.95, 0.025, "binomial").n == 234


def test_haro_required_confidence_matches_auditstat_table() -> None:
    """HARo assurance table (auditstat tests): M/H/H -> 0.92, H/L/H -> 0.85."""
    model = RiskModel.from_mapping(HARO_EXAMPLE)
    assert round(required_confidence(model, "M", "H", "H"), 2) == 0.92
    assert round(required_confidence(model, "H", "L", "H"), 2) == 0.85


def test_haro_virtual_items_match_auditstat_r_computations() -> None:
    """auditstat foutloze_posten_equivalent: H/H/L at 1 % -> 138 virtual error-free items."""
    model = RiskModel.from_mapping(HARO_EXAMPLE)
    assert equivalent_error_free_items(model, "H", "H", "L", 0.01) == 138


@pytest.mark.parametrize(
    "args",
    [
        (0.0, 0.95),
        (0.02, 1.0),
        (0.02, 0.95, 0.03),
        (0.02, 0.95, 0, "normal"),
        (0.02, 0.95, 0, "hypergeometric", None),
    ],
)
def test_invalid_plans_raise_sampling_error(args: tuple) -> None:
    with pytest.raises(SamplingError):
        plan_sample_size(*args)
