"""Evaluation formulas, each checked against a published value (source in the test name)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kic.sampling import (
    SamplingError,
    StratumInput,
    evaluate_attribute,
    evaluate_mus,
    evaluate_strata,
    stringer_bound,
)

TH_TAINTS = [1.0, 0.2, 0.04]


def test_stringer_bound_matches_touw_hoogduin_p138_469616() -> None:
    """Touw & Hoogduin (2011) p.138 / FSaudit test-DAfA: MWF 115,448.28, upper 469,616.48."""
    ev = evaluate_mus(TH_TAINTS, 145, 13_500_000, 0.95, likelihood="hypergeometric", materiality=450_000)
    assert ev.most_likely_error == Decimal("115448.28")
    assert ev.upper_limit == Decimal("469616.48")
    assert ev.basic_precision == Decimal("276050.00")
    assert "469.616,48 ligt boven de materialiteit van €\xa0450.000,00" in ev.conclusion


def test_cell_bound_matches_touw_hoogduin_p140_458351() -> None:
    """Touw & Hoogduin (2011) p.140 (FSaudit test-DAfA): cell bound 458,351.83."""
    ev = evaluate_mus(TH_TAINTS, 145, 13_500_000, 0.95, method="cell", likelihood="hypergeometric")
    assert ev.upper_limit == Decimal("458351.83")


def test_stringer_fraction_matches_jfa_touw_hoogduin_ub() -> None:
    """jfa test-touwhoogduin: binomial Stringer for the same taints, 0.03478656."""
    assert stringer_bound([1, 0.20000072, 0.03999931], 145, 0.95) == pytest.approx(0.03478656, abs=5e-9)


def test_key_item_errors_are_added_at_face_value() -> None:
    """Errors in 100 %-tested items are certain; they add to MWF and upper limit unchanged."""
    base = evaluate_mus(TH_TAINTS, 145, 13_500_000, 0.95, likelihood="hypergeometric")
    with_key = evaluate_mus(
        TH_TAINTS, 145, 13_500_000, 0.95, likelihood="hypergeometric", key_item_errors=1234.5
    )
    assert with_key.upper_limit - base.upper_limit == Decimal("1234.50")
    assert with_key.most_likely_error - base.most_likely_error == Decimal("1234.50")


def test_understatement_lta_reduces_overstatement_limit_by_understatement_mle() -> None:
    """Leslie, Teitlebaum & Anderson (1979): net limit = over UEL - under MWF."""
    taints = [1.0, -0.5]
    sep = evaluate_mus(taints, 100, 1_000_000, 0.95, likelihood="poisson")
    lta = evaluate_mus(taints, 100, 1_000_000, 0.95, likelihood="poisson", understatement="lta")
    assert sep.upper_limit - lta.upper_limit == Decimal("5000.00")
    assert sep.understatement_most_likely_error == Decimal("5000.00")


def test_taint_over_100_percent_scales_basic_precision_idea_errorpattern_av9() -> None:
    """FSaudit test-MusEval AV9 (IDEA): understatement cell bound 1,718,940.49 with a 129.8 % taint."""
    taints = [
        1,
        0.497289228841677,
        0.324481032553259,
        0.00475297699903436,
        -0.425724505669631,
        -1,
        -0.015920696417701,
        -1.29795252430085,
    ]
    ev = evaluate_mus(taints, 31, 7_360_816, 0.95, method="cell", likelihood="hypergeometric")
    assert float(ev.understatement_upper_limit) == pytest.approx(1718940.49, rel=1e-4)
    assert any("100 %" in note for note in ev.notes)


def test_attribute_upper_limit_matches_aicpa_table_a3_n100_k2() -> None:
    """AICPA Table A-3 (5 % risk): n = 100, 2 deviations -> 6.2 % (rounded up)."""
    ev = evaluate_attribute(100, 2, 0.95, tolerable_rate=0.07)
    assert 0.061 < ev.upper_limit <= 0.062
    assert "onder" in ev.conclusion


def test_hypergeometric_upper_count_matches_touw_hoogduin_subsidies() -> None:
    """Touw & Hoogduin (2011) / FSaudit upper(1, 1200, 102, 0.1): 43 deviations."""
    assert evaluate_attribute(102, 1, 0.90, "hypergeometric", 1200).upper_count == 43


def test_combined_strata_matches_auditstat_van_batenburg_example() -> None:
    """auditstat test_eval (Paul van Batenburg): two strata of 1M, combined upper 3.1 %."""
    strata = [StratumInput("p1", 1e6, 512, 1), StratumInput("p2", 1e6, 106, 2)]
    ev = evaluate_strata(strata, 0.95, prior="uniform", materiality=20_000)
    assert ev.upper_limit_fraction == pytest.approx(0.031, abs=1e-3)
    assert ev.upper_limit < ev.sum_of_upper_limits
    assert "boven de materialiteit" in ev.conclusion


def test_combined_strata_is_deterministic() -> None:
    strata = [StratumInput("a", 8, 6, 2), StratumInput("b", 11, 7, 1), StratumInput("c", 11, 7, 0)]
    assert evaluate_strata(strata, 0.95) == evaluate_strata(strata, 0.95)


def test_invalid_mus_method_raises_sampling_error() -> None:
    with pytest.raises(SamplingError):
        evaluate_mus([0.5], 10, 1000, 0.95, method="newmexico")
