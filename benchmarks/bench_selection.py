"""Speed of every selection method: n = 1,000 from a population of 1,000,000 items.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_selection.py [--items 1000000] [--n 1000]``.
The ids arrive as a pandas Series of Python strings (as read from a CSV), so the time includes
turning them into a numpy string array.  Each figure is the best of ``--repeat`` runs.

The cycle draws in order ``"mix"`` with the item keys (SHA-256 of every id, seed-independent) computed
once per population and kept with it; the table shows each method that way, the one-off cost of the
keys, and the same methods in the orders of older manifests (``"id"``, ``"hash"``).
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from kic.sampling import rng
from kic.sampling.selection import select_items, select_mus, select_risk_weighted, select_stratified


def population(size: int) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2024)
    ids = pd.Series([f"BET-{i:08d}" for i in rng.permutation(size)], dtype=object)
    amounts = np.round(rng.lognormal(10, 1.2, size)).astype(np.int64)  # cents, median about € 220
    amounts[rng.choice(size, size // 100, replace=False)] = 0
    weights = rng.choice([1.0, 2.0, 5.0], size)
    strata = np.array(["PW", "WMO", "JEUGD", "BBZ"])[rng.integers(0, 4, size)]
    return ids, amounts, weights, strata


def methods(
    ids: pd.Series, amounts: np.ndarray, weights: np.ndarray, strata: np.ndarray, n: int
) -> dict[str, Callable[[], object]]:
    keys = rng.item_keys64(ids.tolist())
    mix = {
        f"MUS {m}": (lambda m=m: select_mus(ids, amounts, n=n, seed=7, method=m, order="mix", keys=keys))
        for m in ("interval", "cell", "random", "sieve")
    } | {
        "items random": lambda: select_items(ids, n=n, seed=7, order="mix", keys=keys),
        "items systematic": lambda: select_items(
            ids, n=n, seed=7, method="systematic", order="mix", keys=keys
        ),
        "risk-weighted PPS systematic": lambda: select_risk_weighted(
            ids, amounts, weights, n=n, seed=7, order="mix", keys=keys
        ),
        "risk-weighted PPS with replacement": lambda: select_risk_weighted(
            ids, amounts, weights, n=n, seed=7, replace=True, order="mix", keys=keys
        ),
        "stratified MUS (4 strata as a Categorical, value)": lambda: select_stratified(
            ids, pd.Categorical(strata), n=n, seed=7, amounts=amounts, order="mix", keys=keys
        ),
        "stratified MUS (4 strata as strings, value)": lambda: select_stratified(
            ids, strata, n=n, seed=7, amounts=amounts, order="mix", keys=keys
        ),
    }
    legacy = {
        f"MUS {m} (order id)": (lambda m=m: select_mus(ids, amounts, n=n, seed=7, method=m))
        for m in ("interval", "cell", "random", "sieve")
    }
    return (
        {f"{name} (order mix, keys given)": fn for name, fn in mix.items()}
        | {
            "the item keys, once per population (rng.item_keys64)": lambda: rng.item_keys64(ids.tolist()),
            "MUS interval (order mix, keys computed)": lambda: select_mus(
                ids, amounts, n=n, seed=7, order="mix"
            ),
        }
        | legacy
        | {
            "MUS interval (order hash)": lambda: select_mus(ids, amounts, n=n, seed=7, order="hash"),
            "items random (order hash)": lambda: select_items(ids, n=n, seed=7),
            "items systematic (order id)": lambda: select_items(ids, n=n, seed=7, method="systematic"),
            "stratified MUS (4 strata, value, order id)": lambda: select_stratified(
                ids, strata, n=n, seed=7, amounts=amounts
            ),
        }
    )


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = population(args.items)
    print(
        f"# {args.items:,} items, n = {args.n:,}; Python {platform.python_version()}, numpy {np.__version__}, "
        f"{platform.processor() or platform.machine()}"
    )
    print(f"| method | seconds (best of {args.repeat}) |\n|---|---|")
    for name, fn in methods(*data, n=args.n).items():
        print(f"| {name} | {best_of(fn, args.repeat):.3f} |")


if __name__ == "__main__":
    main()
