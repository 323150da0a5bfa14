"""Properties every selection must have, whatever the population (hypothesis)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kic.sampling import rng
from kic.sampling.rng import SelectionError
from kic.sampling.selection import (
    _order_of_numbers,
    select_items,
    select_mus,
    select_risk_weighted,
    select_stratified,
)

MUS_METHODS = ["interval", "cell", "random", "sieve"]
ORDERS = ["id", "hash", "mix"]


@st.composite
def populations(draw, min_size=1, max_size=60, negatives=False):
    ids = draw(
        st.lists(
            st.text("ABCDEFGHIJK0123456789-é", min_size=1, max_size=6),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    low = -50_000 if negatives else 0
    amounts = draw(
        st.lists(
            st.one_of(st.just(0), st.integers(low, 10_000), st.integers(0, 10**9)),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    if not any(a > 0 for a in amounts):
        amounts[0] = 1
    return np.array(ids), np.array(amounts, dtype=np.int64)


def positive_n(draw, amounts):
    return draw(st.integers(1, int((amounts > 0).sum())))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.data(),
    populations(negatives=True),
    st.sampled_from(MUS_METHODS),
    st.integers(0, 10**6),
    st.sampled_from(ORDERS),
)
def test_mus_is_the_same_after_shuffling_the_rows(data, population, method, seed, order):
    ids, amounts = population
    n = positive_n(data.draw, amounts)
    first = select_mus(ids, amounts, n=n, seed=seed, method=method, negatives="exclude", order=order)
    shuffle = np.random.default_rng(seed).permutation(ids.size)
    again = select_mus(
        ids[shuffle], amounts[shuffle], n=n, seed=seed, method=method, negatives="exclude", order=order
    )
    assert first == again


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), populations(), st.integers(0, 10**6))
def test_keys_given_or_computed_give_the_same_sample(data, population, seed):
    """The cycle hands in the item keys it computed once per population; the sample must not change."""
    ids, amounts = population
    n = positive_n(data.draw, amounts)
    keys = rng.item_keys64(ids.tolist())
    for method in MUS_METHODS:
        plain = select_mus(ids, amounts, n=n, seed=seed, method=method, order="mix")
        assert select_mus(ids, amounts, n=n, seed=seed, method=method, order="mix", keys=keys) == plain
    for item_method in ("random", "systematic"):
        plain = select_items(ids, n=n, seed=seed, method=item_method, order="mix")
        assert select_items(ids, n=n, seed=seed, method=item_method, order="mix", keys=keys) == plain


def test_keys_of_other_ids_are_refused():
    ids = np.array([f"B{i}" for i in range(50)])
    wrong = rng.item_keys64([f"X{i}" for i in range(50)])
    with pytest.raises(SelectionError, match="itemsleutels"):
        select_items(ids, n=5, seed=1, order="mix", keys=wrong)
    with pytest.raises(SelectionError, match="itemsleutel"):
        select_items(ids, n=5, seed=1, order="mix", keys=wrong[:10])


@settings(max_examples=200)
@given(
    st.lists(st.integers(0, 2**53 - 1) | st.integers(0, 3), min_size=1, max_size=80), st.integers(0, 2**20)
)
def test_fast_order_of_numbers_is_the_order_by_number_then_id(numbers, salt):
    """The packed sort of selection._order_of_numbers equals numpy's lexsort by (h, id), ties included."""
    h = np.array(numbers, dtype=np.uint64)
    ids = np.array([f"id{(i * 7919 + salt) % 1000:03d}-{i}" for i in range(h.size)], dtype=object)
    assert _order_of_numbers(h, ids).tolist() == np.lexsort((ids.astype(str), h)).tolist()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), populations(negatives=True), st.sampled_from(MUS_METHODS), st.integers(0, 10**6))
def test_mus_accounts_for_every_item_and_reports_repeats(data, population, method, seed):
    ids, amounts = population
    n = positive_n(data.draw, amounts)
    sel = select_mus(ids, amounts, n=n, seed=seed, method=method, negatives="exclude")
    assert len(set(sel.ids)) == len(sel.ids), "an item is listed once, with its hit count"
    assert len(sel.hits) == len(sel.ids) and all(h >= 1 for h in sel.hits)
    assert not set(sel.ids) & set(sel.key_ids)
    assert set(sel.zero_ids) == set(ids[amounts == 0]) and set(sel.negative_ids) == set(ids[amounts < 0])
    assert not set(sel.ids + sel.key_ids) & set(sel.zero_ids + sel.negative_ids)
    assert sum(sel.hits) <= sel.draws
    by_id = dict(zip(ids.tolist(), amounts.tolist(), strict=True))
    if sel.interval is not None:
        assert all(by_id[k] >= sel.interval for k in sel.key_ids)
        assert all(by_id[i] < sel.interval for i in sel.ids)
    if method == "interval":
        assert set(sel.hits) <= {1} and sel.n_items == min(n, sel.n_items)
    if method in ("random", "sieve"):
        assert sum(sel.hits) == sel.draws


@settings(max_examples=100)
@given(st.data(), populations(), st.integers(0, 10**6))
def test_fixed_interval_mus_with_n_gives_n_distinct_items(data, population, seed):
    ids, amounts = population
    n = positive_n(data.draw, amounts)
    sel = select_mus(ids, amounts, n=n, seed=seed)
    assert sel.n_items == n
    assert sel.draws == 0 or 0 < sel.start <= sel.interval


@settings(max_examples=100)
@given(st.data(), populations(), st.integers(0, 10**6), st.sampled_from(["random", "systematic"]))
def test_item_selection_is_reproducible_unique_and_of_size_n(data, population, seed, method):
    ids, _ = population
    n = data.draw(st.integers(1, ids.size))
    sel = select_items(ids, n=n, seed=seed, method=method)
    order = np.random.default_rng(seed).permutation(ids.size)
    assert sel == select_items(ids[order], n=n, seed=seed, method=method)
    assert len(set(sel.ids)) == n == len(sel.ids)


@settings(max_examples=50)
@given(populations(min_size=5), st.integers(0, 10**6))
def test_larger_random_item_sample_extends_the_smaller(population, seed):
    ids, _ = population
    small = select_items(ids, n=2, seed=seed)
    large = select_items(ids, n=ids.size, seed=seed)
    assert large.ids[:2] == small.ids


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), populations(), st.integers(0, 10**6), st.booleans())
def test_risk_weighted_records_probabilities_and_is_reproducible(data, population, seed, replace):
    ids, amounts = population
    weights = np.array(
        data.draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 5.0]), min_size=ids.size, max_size=ids.size))
    )
    n = positive_n(data.draw, amounts)
    sel = select_risk_weighted(ids, amounts, weights, n=n, seed=seed, replace=replace)
    order = np.random.default_rng(seed).permutation(ids.size)
    assert sel == select_risk_weighted(
        ids[order], amounts[order], weights[order], n=n, seed=seed, replace=replace
    )
    assert len(sel.inclusion_probabilities) == len(sel.ids)
    assert all(0 < p <= 1 for p in sel.inclusion_probabilities)
    assert sum(sel.hits) == sel.draws if replace else set(sel.hits) <= {1}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    populations(min_size=6),
    st.integers(0, 10**6),
    st.sampled_from(["value", "count", "neyman"]),
    st.sampled_from(["mus", "items"]),
)
def test_every_stratum_is_covered_and_reproducible(population, seed, allocation, design):
    ids, amounts = population
    amounts = np.where(amounts > 0, amounts, 7)
    labels = np.array(["PW", "WMO", "JEUGD"])[np.arange(ids.size) % 3]
    n = ids.size // 2 + 3
    sel = select_stratified(
        ids, labels, n=n, seed=seed, design=design, allocation=allocation, amounts=amounts
    )
    assert set(sel.selections) == {"PW", "WMO", "JEUGD"}
    assert sel.allocation.n == n
    for stratum, s in sel.selections.items():
        assert set(s.ids + s.key_ids) <= set(ids[labels == stratum])
    order = np.random.default_rng(seed).permutation(ids.size)
    again = select_stratified(
        ids[order],
        labels[order],
        n=n,
        seed=seed,
        design=design,
        allocation=allocation,
        amounts=amounts[order],
    )
    assert again == sel


def test_fixed_interval_inclusion_probability_is_amount_over_interval():
    ids = [f"P{i:03d}" for i in range(200)]
    amounts = np.arange(1, 201) * 100
    sel = select_mus(ids, amounts, n=20, seed="x")
    by_id = dict(zip(ids, amounts.tolist(), strict=True))
    for i, p in zip(sel.ids, sel.inclusion_probabilities, strict=True):
        assert p == by_id[i] / float(sel.interval)
    assert sel.interval == Fraction(int(amounts.sum()) - sel.key_total, 20 - len(sel.key_ids))


def test_empirical_inclusion_frequency_matches_recorded_probability():
    """Over many seeds each item is hit about as often as its recorded π says (cell and PPS)."""
    ids = [f"P{i:02d}" for i in range(30)]
    amounts = (np.arange(30) % 7 + 1) * 1_000
    weights = np.where(np.arange(30) % 2 == 0, 1.0, 3.0)
    for select in (
        lambda s: select_mus(ids, amounts, n=6, seed=s, method="cell"),
        lambda s: select_risk_weighted(ids, amounts, weights, n=6, seed=s),
    ):
        counts, pis = np.zeros(30), np.zeros(30)
        for seed in range(3_000):
            sel = select(seed)
            for i, p in zip(sel.ids, sel.inclusion_probabilities, strict=True):
                counts[ids.index(i)] += 1
                pis[ids.index(i)] = p
        seen = pis > 0
        assert np.abs(counts[seen] / 3_000 - pis[seen]).max() < 0.04
