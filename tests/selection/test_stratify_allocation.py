"""Allocation of n over strata: proportional to value, to count, Neyman, or fixed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kic.sampling.stratify import AllocationError, allocate


def test_value_allocation_is_proportional_when_it_divides_evenly():
    alloc = allocate(
        ["PW", "WMO", "JEUGD"], [500, 500, 500], 20, method="value", totals=[6_000, 3_000, 1_000]
    )
    assert alloc.as_dict() == {"PW": 12, "WMO": 6, "JEUGD": 2}


def test_neyman_allocation_follows_size_times_spread():
    """Neyman (1934): n_h ∝ N_h·S_h."""
    alloc = allocate(["a", "b"], [100, 300], 40, method="neyman", std_devs=[30.0, 10.0])
    assert alloc.as_dict() == {"a": 20, "b": 20}


def test_allocation_never_exceeds_a_stratum_and_covers_every_stratum():
    alloc = allocate(["groot", "klein"], [1_000, 3], 30, method="value", totals=[10.0, 1_000_000.0])
    assert alloc.as_dict() == {"groot": 27, "klein": 3}


def test_fixed_allocation_is_taken_as_given_and_checked():
    assert allocate(["a", "b"], [10, 10], 0, method="fixed", fixed={"a": 3, "b": 0}).as_dict() == {
        "a": 3,
        "b": 0,
    }
    with pytest.raises(AllocationError, match="groter dan het stratum"):
        allocate(["a", "b"], [10, 10], 0, method="fixed", fixed={"a": 11, "b": 0})


@pytest.mark.parametrize(("n", "message"), [(2, "kleiner dan het aantal strata"), (31, "tussen 1 en")])
def test_impossible_sizes_are_refused(n, message):
    with pytest.raises(AllocationError, match=message):
        allocate(["a", "b", "c"], [10, 10, 10], n, method="count")


@given(st.lists(st.tuples(st.integers(1, 500), st.floats(0, 1e9)), min_size=1, max_size=8), st.data())
def test_rounded_allocation_sums_to_n_within_bounds(strata, data):
    sizes = [s for s, _ in strata]
    totals = [t for _, t in strata]
    n = data.draw(st.integers(len(strata), sum(sizes)))
    alloc = allocate([f"s{i}" for i in range(len(strata))], sizes, n, method="value", totals=totals)
    assert alloc.n == n
    assert all(1 <= k <= cap for k, cap in zip(alloc.sizes, sizes, strict=True))
