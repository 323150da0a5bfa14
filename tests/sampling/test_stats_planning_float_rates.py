"""A rate that arrives as an inexact float still plans exactly (no integer overflow)."""

from __future__ import annotations

import pytest

from kic.sampling import SamplingError, plan_attribute


def test_noisy_float_rate_matches_aicpa_table_a1_5pct_tolerable_1pct_expected():
    """AICPA Audit Sampling guide, Table A-1 (95 %): tolerable 5 %, expected 1,0 % gives n = 93.

    0.29 / 29 is 0.009999999999999998 in binary floating point; its exact fraction has a 16-digit
    numerator, which overflowed int64 when multiplied by the candidate sizes.
    """
    assert plan_attribute(0.05, 0.95, 0.01).n == 93
    assert plan_attribute(0.05, 0.95, 0.29 / 29).n == 93


def test_an_expected_rate_just_below_the_tolerable_rate_is_refused_not_mis_sized():
    """0.99 / 100 = 0.009899999999999999: too close to a 1 % tolerable rate for any n up to the cap.

    Before the fix the product numerator x n overflowed int64 and a plan of n = 1662 with -1 expected
    errors came back.
    """
    with pytest.raises(SamplingError, match="geen steekproefomvang"):
        plan_attribute(0.01, 0.95, 0.99 / 100)
