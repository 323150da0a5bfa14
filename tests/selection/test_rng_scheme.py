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
