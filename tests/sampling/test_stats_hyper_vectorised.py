"""The fast hypergeometric paths agree with the slow, obviously correct ones they replaced."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from kic.sampling import distributions as dist
from kic.sampling import planning


def _upper_count_by_walking(errors: int, n: int, population: int, conf: float) -> int:
    """Largest K with exact P(X <= errors | N, K, n) > 1 - conf, by walking K upwards."""
    limit = 1 - Fraction(repr(conf))
    best = max(errors - 1, 0)
    for defects in range(errors, population - (n - errors) + 1):
        if dist.hyper_cdf_exact(errors, population, defects, n) > limit:
            best = defects
        else:
            break
    return best


@pytest.mark.parametrize(
    ("n", "population", "conf"),
    [(90, 100, 0.90), (20, 60, 0.95), (30, 400, 0.80), (12, 12, 0.95), (50, 1000, 0.99)],
)
def test_vectorised_upper_counts_equal_a_walk_over_k_in_exact_arithmetic(
    n: int, population: int, conf: float
) -> None:
    errors = np.arange(0, min(n, 15) + 1)
    got = dist.hyper_upper_counts(errors, n, population, conf)
    want = [_upper_count_by_walking(int(k), n, population, conf) for k in errors]
    assert got.tolist() == want


def test_knife_edge_upper_count_is_exact() -> None:
    """P(X = 0 | N = 100, K = 1, n = 90) = 1/10 exactly: K = 1 is not compatible at 90 %."""
    assert dist.hyper_upper_count(0, 90, 100, 0.90) == 0


def _first_n_by_scanning(materiality: float, conf: float, expected: float, population: int) -> int:
    n = np.arange(1, min(planning.MAX_N, population) + 1, dtype=np.int64)
    x = planning._allowed_errors(expected, n, "hypergeometric")
    ok = planning._hyper_accepts(x, n, materiality, conf, population)
    return int(n[np.argmax(ok)])


@pytest.mark.parametrize(
    ("materiality", "conf", "expected", "population"),
    [
        (0.04, 0.95, 0.01, 36_000),
        (0.05, 0.90, 0.035, 5_000),
        (0.02, 0.95, 0.0, 800),
        (0.07, 0.90, 0.03, 2_500),
        (0.03, 0.95, 2, 10_000),
        (0.01, 0.90, 0.0, 100),
        (0.10, 0.80, 0.06, 300),
    ],
)
def test_run_wise_bisection_finds_the_first_n_a_full_scan_finds(
    materiality: float, conf: float, expected: float, population: int
) -> None:
    plan = planning.plan_sample_size(materiality, conf, expected, "hypergeometric", population)
    assert plan.n == _first_n_by_scanning(materiality, conf, expected, population)
