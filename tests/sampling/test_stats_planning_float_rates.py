"""A rate that arrives as an inexact float still plans exactly (no integer overflow)."""

from __future__ import annotations

from kic.sampling import plan_attribute


def test_noisy_float_rate_matches_aicpa_table_a1_5pct_tolerable_1pct_expected():
    """AICPA Audit Sampling guide, Table A-1 (95 %): tolerable 5 %, expected 1,0 % gives n = 93.

    0.29 / 29 is 0.009999999999999998 in binary floating point; its exact fraction has a 16-digit
    numerator, which overflowed int64 when multiplied by the candidate sizes.
    """
    assert plan_attribute(0.05, 0.95, 0.01).n == 93
    assert plan_attribute(0.05, 0.95, 0.29 / 29).n == 93
