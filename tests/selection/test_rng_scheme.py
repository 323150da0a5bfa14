"""The documented random-number recipe: SHA-256 of "<seed>:<key>", top 53 bits, divided by 2**53."""

import hashlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kic.sampling import rng
from kic.sampling.rng import SelectionError


def recipe(seed: str, key: str) -> float:
    """The recipe exactly as docs/methodology.md §7.1 tells an accountant to re-perform it."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()
    return (int(digest[:16], 16) >> 11) / 2**53


@given(st.one_of(st.integers(), st.text()), st.text())
def test_uniform_follows_the_documented_recipe(seed, key):
    assert rng.uniform(seed, key) == recipe(str(seed), key)
    assert 0.0 <= rng.uniform(seed, key) < 1.0


@given(st.integers(), st.lists(st.text(), max_size=20))
def test_vectorised_hashes_equal_the_single_recipe(seed, keys):
    many = rng.uniforms(seed, keys)
    assert many.tolist() == [rng.uniform(seed, k) for k in keys]
    assert rng.hash53_many(seed, keys).tolist() == [rng.hash53(seed, k) for k in keys]


def test_int_and_str_seed_give_the_same_numbers():
    assert rng.uniform(2024, "start") == rng.uniform("2024", "start")


def test_item_keys_are_apart_from_method_keys():
    assert rng.item_keys(["start"]) == ["id:start"]
    assert rng.uniform(1, rng.item_keys(["start"])[0]) != rng.uniform(1, "start")


def test_uniforms_look_uniform():
    u = rng.uniforms("kic", [str(i) for i in range(20_000)])
    counts = np.histogram(u, bins=10, range=(0, 1))[0]
    assert counts.min() > 1_800 and counts.max() < 2_200


@pytest.mark.parametrize("seed", [1.5, None, True])
def test_seed_must_be_int_or_text(seed):
    with pytest.raises(SelectionError):
        rng.uniform(seed, "start")


# ---------------------------------------------------------------- the "mix" recipe (order mix, since 2026-12)


def mix_recipe(seed: str, item_id: str) -> int:
    """The mix recipe exactly as docs/methodology.md §7.1 writes it, in Python integers."""
    k = int(hashlib.sha256(f"id:{item_id}".encode()).hexdigest()[:16], 16)
    s = int(hashlib.sha256(f"{seed}:volgorde".encode()).hexdigest()[:16], 16)
    z = k ^ s
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) % 2**64
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) % 2**64
    z ^= z >> 31
    return z >> 11


def test_mix_worked_example_of_the_methodology():
    """docs/methodology.md §7.1: seed 2024, item BET-000001."""
    assert rng.seed_key64(2024) == 0x4F3AA51E225689A2
    assert mix_recipe("2024", "BET-000001") == rng.mixed_hash53_reference(2024, "BET-000001")
    assert rng.mixed_hash53_reference(2024, "BET-000001") == 7_640_685_524_526_975


@given(st.one_of(st.integers(), st.text()), st.lists(st.text(), max_size=20))
def test_vectorised_mix_equals_the_recipe(seed, ids):
    got = rng.mixed_hash53(seed, rng.item_keys64(ids))
    assert got.tolist() == [mix_recipe(str(seed), i) for i in ids]
    assert all(0 <= h < 2**53 for h in got.tolist())


def test_mix_numbers_look_uniform_and_two_seeds_give_unrelated_orders():
    keys = rng.item_keys64([f"BET-{i:06d}" for i in range(20_000)])
    a, b = rng.mixed_hash53("a", keys), rng.mixed_hash53("b", keys)
    counts = np.histogram(a / 2**53, bins=10, range=(0, 1))[0]
    assert counts.min() > 1_800 and counts.max() < 2_200
    rank_a, rank_b = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    assert abs(np.corrcoef(rank_a, rank_b)[0, 1]) < 0.03  # Spearman's rho; its s.e. is 1/sqrt(20,000) = 0.007


def test_item_keys_must_be_uint64():
    with pytest.raises(SelectionError):
        rng.mixed_hash53(1, np.array([1, 2, 3], dtype=np.int64))
