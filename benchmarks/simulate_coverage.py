"""Coverage of the upper bounds by simulation (not part of the unit tests).

For synthetic populations with a known total misstatement and several error patterns, draw
``--reps`` samples with every selection method, compute the method's upper bound at 95 % and
count how often it covers the truth.  A bound is valid when its coverage is at least 95 %
(within simulation error: with 2,000 repetitions one standard error is about 0.5 point).

Bounds:
* MUS (interval, cell, random, sieve): Stringer with Poisson factors on the taints of the m
  draws, times the sampled book value, plus key-item errors exactly.  The Stringer bound comes
  from ``kic.sampling.evaluation.stringer_bound(likelihood="poisson")`` (the evaluation module
  of the project); the sieve and cell samples are evaluated as if they were fixed-interval ones.
* risk-weighted PPS: ``kic.sampling.estimators`` Horvitz–Thompson (systematic) and
  Hansen–Hurwitz (with replacement), with the scaled Stringer bound and, for comparison,
  the Student-t bound.
* items (random, systematic): the hypergeometric upper limit of the number of items in error
  (``evaluate_attribute``); its truth is the error count, not money.
* stratified MUS by risk class (value allocation): sum of the per-stratum Stringer bounds.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/simulate_coverage.py --reps 2000 --workers 2``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from kic.sampling.estimators import estimate_misstatement
from kic.sampling.evaluation import evaluate_attribute, stringer_bound
from kic.sampling.selection import (
    Selection,
    select_items,
    select_mus,
    select_risk_weighted,
    select_stratified,
)

CONF = 0.95
N_ITEMS = 2_000
N_SAMPLE = 100
PATTERNS = (
    "random 3 %",
    "small items",
    "large items",
    "high-risk items",
    "low-risk items",
    "rare, full",
    "widespread, small taints",
)


def population(pattern: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Ids, book values (cents), risk weights and misstatements (cents) for one error pattern."""
    gen = np.random.default_rng(PATTERNS.index(pattern) + 11)
    ids = [f"P{i:05d}" for i in range(N_ITEMS)]
    book = np.round(gen.lognormal(11, 1.0, N_ITEMS)).astype(np.int64)
    weight = gen.choice([1.0, 2.0, 5.0], N_ITEMS, p=[0.6, 0.3, 0.1])
    rank = np.argsort(np.argsort(book)) / N_ITEMS
    chance = {
        "random 3 %": np.full(N_ITEMS, 0.03),
        "small items": np.where(rank < 0.2, 0.15, 0.0),
        "large items": np.where(rank > 0.95, 0.30, 0.0),
        "high-risk items": np.where(weight == 5.0, 0.25, 0.005),
        "low-risk items": np.where(weight == 1.0, 0.05, 0.0),
        "rare, full": np.full(N_ITEMS, 0.005),
        "widespread, small taints": np.full(N_ITEMS, 0.40),
    }[pattern]
    wrong = gen.random(N_ITEMS) < chance
    taint = {"rare, full": 1.0, "widespread, small taints": gen.uniform(0.0, 0.2, N_ITEMS)}.get(
        pattern, gen.uniform(0.1, 1.0, N_ITEMS)
    )
    misstatement = np.where(wrong, np.round(book * taint), 0).astype(np.int64)
    return ids, book, weight, misstatement


def mus_bound(sel: Selection, book: dict[str, int], miss: dict[str, int]) -> float:
    taints = np.repeat([miss[i] / book[i] for i in sel.ids], sel.hits)
    key = sum(miss[i] for i in sel.key_ids)
    return key + float(sel.sampled_total or 0) * stringer_bound(
        taints[taints > 0], sel.draws, CONF, "poisson"
    )


def item_bound(sel: Selection, miss: dict[str, int]) -> float:
    errors = sum(1 for i in sel.ids if miss[i] != 0)
    return evaluate_attribute(
        len(sel.ids), errors, CONF, method="hypergeometric", population_size=sel.population_size
    ).upper_count


def methods(ids: list[str], book: np.ndarray, weight: np.ndarray) -> dict[str, tuple[Callable, str]]:
    """name -> (seed -> bound given misstatements, what the bound is about)."""
    b = dict(zip(ids, book.tolist(), strict=True))
    strata = np.where(weight == 5.0, "hoog", np.where(weight == 2.0, "midden", "laag"))
    out: dict[str, tuple[Callable, str]] = {}
    for m in ("interval", "cell", "random", "sieve"):
        out[f"MUS {m} · Stringer"] = (
            lambda s, miss, m=m: mus_bound(select_mus(ids, book, n=N_SAMPLE, seed=s, method=m), b, miss),
            "money",
        )
    for replace, name in ((False, "PPS systematic · HT"), (True, "PPS with replacement · HH")):
        for bound in ("stringer", "student_t"):
            out[f"{name} · {bound}"] = (
                lambda s, miss, r=replace, bd=bound: (
                    estimate_misstatement(
                        select_risk_weighted(ids, book, weight, n=N_SAMPLE, seed=s, replace=r),
                        miss,
                        conf=CONF,
                        bound=bd,
                    ).upper_bound
                ),
                "money",
            )
    out["stratified MUS (risk class) · Σ Stringer"] = (
        lambda s, miss: sum(
            mus_bound(sel, b, miss)
            for sel in select_stratified(ids, strata, n=N_SAMPLE, seed=s, amounts=book).selections.values()
        ),
        "money",
    )
    for m in ("random", "systematic"):
        out[f"items {m} · hypergeometric count"] = (
            lambda s, miss, m=m: item_bound(select_items(ids, n=N_SAMPLE, seed=s, method=m), miss),
            "count",
        )
    return out


def run_pattern(args: tuple[str, int]) -> list[tuple[str, str, float, float, float]]:
    pattern, reps = args
    ids, book, weight, misstatement = population(pattern)
    miss = dict(zip(ids, misstatement.tolist(), strict=True))
    truth = {"money": float(misstatement.sum()), "count": float((misstatement != 0).sum())}
    rows = []
    for name, (bound_of, unit) in methods(ids, book, weight).items():
        bounds = np.array([bound_of(f"sim-{pattern}-{r}", miss) for r in range(reps)])
        rows.append(
            (
                pattern,
                name,
                float(np.mean(bounds >= truth[unit])),
                float(np.median(bounds) / truth[unit]),
                truth[unit] / (book.sum() if unit == "money" else N_ITEMS),
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = [row for rows in pool.map(run_pattern, [(p, args.reps) for p in PATTERNS]) for row in rows]
    names = list(dict.fromkeys(r[1] for r in results))
    print(
        f"Coverage at {CONF:.0%} of the upper bound, {args.reps:,} samples of n = {N_SAMPLE} per cell, "
        f"N = {N_ITEMS:,} ({time.perf_counter() - started:.0f} s).\n"
    )
    print("| method · bound | " + " | ".join(PATTERNS) + " |")
    print("|---|" + "---|" * len(PATTERNS))
    for name in names:
        cells = {r[0]: f"{r[2]:.1%} ({r[3]:.1f}×)" for r in results if r[1] == name}
        print(f"| {name} | " + " | ".join(cells[p] for p in PATTERNS) + " |")
    print("\nTrue error (share of book value, or of items for the item methods):")
    for p in PATTERNS:
        money = next(r[4] for r in results if r[0] == p and not r[1].startswith("items"))
        count = next(r[4] for r in results if r[0] == p and r[1].startswith("items"))
        print(f"- {p}: {money:.2%} of book value; {count:.2%} of items")


if __name__ == "__main__":
    main()
