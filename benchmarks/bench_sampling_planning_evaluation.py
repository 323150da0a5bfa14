"""Speed of kic's planning and evaluation, and kic vs auditstat on stratified evaluations.

Run:  PYTHONPATH=. .venv/bin/python benchmarks/bench_sampling_planning_evaluation.py
Targets (issue): planning any case < 50 ms; Stringer evaluation of n = 1,000 < 10 ms.
auditstat is optional (pip install auditstat); without it that section is skipped.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
import warnings
from pathlib import Path

import numpy as np

from kic.sampling import (
    evaluate_mus,
    evaluate_strata,
    plan_attribute_expected_count,
    plan_mus,
    plan_sample_size,
)
from kic.sampling.evaluation import StratumInput

CASES = Path(__file__).resolve().parents[1] / "tests" / "data" / "reference_cases.csv"


def timed(fn, repeat: int = 5) -> float:
    """Median wall time in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def planning_calls() -> list[tuple[str, object]]:
    calls = []
    with CASES.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            i = json.loads(row["inputs"])
            if row["kind"] != "planning" or isinstance(i.get("expected"), list):
                continue
            if "K_tolerable" in i:
                calls.append(
                    (
                        row["case_id"],
                        lambda i=i: plan_attribute_expected_count(
                            i["K_tolerable"], i["expected_deviations_in_population"], i["N_units"], i["conf"]
                        ),
                    )
                )
            elif row["method"].startswith("mus_size") and "tolerable_misstatement" in i:
                calls.append(
                    (
                        row["case_id"],
                        lambda i=i: plan_mus(
                            i["population_value"],
                            i["tolerable_misstatement"],
                            i["conf"],
                            i["expected_misstatement"],
                            "hypergeometric",
                        ),
                    )
                )
            elif "likelihood" in i and ("materiality" in i or "tolerable_rate" in i) and "prior" not in i:
                calls.append(
                    (
                        row["case_id"],
                        lambda i=i: plan_sample_size(
                            i.get("materiality", i.get("tolerable_rate")),
                            i["conf"],
                            i.get("expected", i.get("expected_rate", 0)),
                            i["likelihood"],
                            i.get("N_units"),
                        ),
                    )
                )
    return calls


def bench_planning() -> None:
    times = sorted(((timed(fn, 3), cid) for cid, fn in planning_calls()), reverse=True)
    values = [t for t, _ in times]
    print(
        f"planning: {len(values)} reference cases, median {statistics.median(values):.2f} ms, "
        f"p95 {np.percentile(values, 95):.2f} ms, max {values[0]:.2f} ms ({times[0][1]})"
    )
    for t, cid in times:
        if cid == "AUDITSAMPLER-hyp-17-N36000-E1-T4-C95":  # the slowest case before vectorising
            print(f"planning {cid}: {t:.2f} ms")


def bench_stringer() -> None:
    rng = np.random.default_rng(20250101)
    taints = np.zeros(1000)
    taints[rng.choice(1000, 40, replace=False)] = rng.uniform(-0.5, 1.0, 40)
    for likelihood in ("binomial", "poisson", "hypergeometric"):
        for method in ("stringer", "cell"):
            ms = timed(
                lambda m=method, lk=likelihood: evaluate_mus(
                    taints, 1000, 50_000_000, 0.95, method=m, likelihood=lk
                )
            )
            print(f"evaluate n=1000, 40 errors, {method:8s} {likelihood:14s}: {ms:7.2f} ms")


def auditstat_examples() -> list[tuple[str, list[dict], float]]:
    out = []
    with CASES.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["method"] == "stratified_convolution_beta_uniform_prior":
                i = json.loads(row["inputs"])
                out.append((row["case_id"], i["strata"], i["conf"]))
    return out


def bench_auditstat() -> None:
    try:
        import pandas as pd
        from auditstat.stratified.eval_stratified import eval_stratified
    except ImportError:
        print("auditstat not installed: comparison skipped")
        return
    from kic.sampling.audit_risk import RiskModel, equivalent_error_free_items

    haro = RiskModel.from_mapping(
        {
            "audit_risk": 0.05,
            "mapping": {
                "ihr": {"H": 1, "M": 0.63, "L": 0.4},
                "ibr": {"H": 1, "M": 0.52, "L": 0.34},
                "car": {"H": 1, "M": 0.5, "L": 0.25},
            },
        }
    )
    print(
        f"{'case':22s} {'strata':>6s} {'auditstat':>10s} {'ms':>8s} {'kic':>10s} {'ms':>8s} {'kic sum':>9s}"
    )
    for cid, strata, conf in auditstat_examples():
        frame = pd.DataFrame(strata)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            theirs = eval_stratified(frame, model="binomiaal", zekerheid=conf, vergelijk=False)
            t_theirs = (time.perf_counter() - t0) * 1000
        ours_in = [
            StratumInput(
                s["naam"],
                s["waarde_laag"],
                s["n_laag"],
                s["k_laag"],
                s.get("fout_hoog", 0),
                equivalent_error_free_items(haro, s["ihr"], s["ibr"], s["car"], s["materialiteit"]),
            )
            for s in strata
        ]
        t_ours = timed(lambda s=ours_in, c=conf: evaluate_strata(s, c, prior="uniform"))
        ours = evaluate_strata(ours_in, conf, prior="uniform")
        total = float(ours.population_value)
        print(
            f"{cid:22s} {len(strata):6d} {_their_upper(theirs):10.5f} {t_theirs:8.1f} "
            f"{ours.upper_limit_fraction:10.5f} {t_ours:8.1f} {float(ours.sum_of_upper_limits) / total:9.5f}"
        )


def _their_upper(result: dict) -> float:
    for key in ("max_fout_convolutie",):
        if key in result:
            return float(result[key])
    return float("nan")


if __name__ == "__main__":
    bench_planning()
    bench_stringer()
    bench_auditstat()
