"""Every implemented reference case of tests/data/reference_cases.csv, with the tolerance it gives.

Sources are in the CSV's ``source`` column: AICPA Audit Sampling guide (2017) Tables A-1..A-4,
C-1 and Exhibit FA.2; Touw & Hoogduin (2011); SMASH21; SRA; DCAA EZ-Quant; AuditSampler;
CaseWare IDEA and the DAfA textbook (via FSaudit's tests); jfa's tests; auditstat's practitioner
examples (Van Batenburg, Van Leeuwen, LNV 2023); HARo. The test id is the case id.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kic.sampling import audit_risk, distributions, evaluation, planning

DATA = Path(__file__).resolve().parents[1] / "data" / "reference_cases.csv"
with DATA.open(newline="", encoding="utf-8") as _file:
    ROWS = list(csv.DictReader(_file))

# Cases whose expected value is a known artefact of the source, checked to FAIL on purpose.
KNOWN_DIFFERENCES = {
    "AICPA-CF-R37-k02": "web copy prints 3.35; qgamma(0.63, 3) = 3.2479 rounds up to 3.25",
    "JFA-eval-seeded-02-stringer.meikle": "jfa's Meikle uses beta shape2 = n-1 for every factor; "
    "kic uses the Stringer factors p(i) = beta(i+1, n-i)",
    "JFA-eval-seeded-09-stringer.binomial": "jfa multiplies a taint by its hit count and caps at 1; "
    "kic counts every hit of a monetary unit as its own observation",
}
# Per-key tolerance overrides, each with its reason.
KEY_TOLERANCE = {
    # auditstat's own FFT grid is coarser; kic's grid converges to 42,345,711 (2^15..2^21 points agree
    # within EUR 2), 6e-5 above auditstat's printed 42,343,061. The fraction (0.139) matches at 1e-3.
    ("AS-LNV2023", "max_fout_convolutie_geld"): (1e-4, 0.0),
}
LIKELIHOOD = {
    "pois": "poisson",
    "binom": "binomial",
    "hyper": "hypergeometric",
    "poisson": "poisson",
    "binomial": "binomial",
    "hypergeometric": "hypergeometric",
}
HARO = audit_risk.RiskModel.from_mapping(
    {
        "audit_risk": 0.05,
        "mapping": {
            "ihr": {"H": 1, "M": 0.63, "L": 0.4},
            "ibr": {"H": 1, "M": 0.52, "L": 0.34},
            "car": {"H": 1, "M": 0.5, "L": 0.25},
        },
    }
)


def _n_plan(i: dict[str, Any]) -> dict[str, Any]:
    if isinstance(i.get("expected"), list):
        plan = planning.plan_two_stage(i["materiality"], i["conf"], i["likelihood"], i["expected"][0])
        return {"n": plan.n, "n_staged": plan.n_per_stage}
    if "K_tolerable" in i:
        n, allowed = planning.plan_attribute_expected_count(
            i["K_tolerable"], i["expected_deviations_in_population"], i["N_units"], i["conf"]
        )
        return {"n": n, "allowed_deviations": allowed}
    rate = i.get("materiality", i.get("tolerable_rate"))
    expected = i.get("expected", i.get("expected_rate", 0))
    # jfa's calls pass N.units to every model; kic takes N only where it is used (hypergeometric).
    population = i.get("N_units") if i["likelihood"] == "hypergeometric" else None
    plan = planning.plan_sample_size(rate, i["conf"], expected, i["likelihood"], population)
    return {"n": plan.n, "x": plan.expected_errors, "expected_taints_in_sample": plan.expected_errors}


def _mus_size(i: dict[str, Any], method: str) -> dict[str, Any]:
    likelihood = LIKELIHOOD[i.get("dist") or method.rsplit("_", 1)[-1]]
    plan = planning.plan_mus(
        i.get("population_value", i.get("bv")),
        i.get("pm", i.get("tolerable_misstatement")),
        i.get("cl", i.get("conf")),
        i.get("ee", i.get("expected_misstatement", 0)),
        likelihood,
    )
    return {"n": plan.n, "value": plan.n}


def _fsaudit_size(i: dict[str, Any], method: str) -> dict[str, Any]:
    if method == "sizeHyperEe":
        n, _ = planning.plan_attribute_expected_count(i["popdev"], i["ee"], i["popn"], 1 - i["alpha"])
        return {"n": n}
    likelihood = {"sizeHyper": "hypergeometric", "sizeBinom": "binomial", "sizePois": "poisson"}[method]
    rate = i["tdr"] if "tdr" in i else i["popdev"] / i["popn"]
    n = planning.size_for_allowed_errors(
        i["c"], rate, 1 - i["alpha"], likelihood, i.get("popn"), i.get("popdev")
    )
    return {"value": n}


def _fsaudit_upper(i: dict[str, Any], method: str) -> dict[str, Any]:
    conf = 1 - i["alpha"]
    if method in ("upper", "upperHyper"):
        return {"value": distributions.hyper_upper_count(i["k"], i["n"], i["popn"], conf)}
    if method == "upperBinom":
        return {"value": distributions.binomial_upper(i["k"], i["n"], conf)}
    factor = distributions.poisson_factor(i["k"], conf)
    if "rounding" in i.get("_tolerance", ""):
        factor = _ceil_to(factor, 3)  # DAfA3 prints factors rounded up to 3 decimals
    return {"value": factor / i["n"]}


def _ceil_to(value: float, decimals: int) -> float:
    scale = 10**decimals
    return math.ceil(round(value * scale, 9)) / scale


def _attribute_upper(i: dict[str, Any], method: str) -> dict[str, Any]:
    ev = evaluation.evaluate_attribute(i["n"], i["x"], i["conf"], "binomial")
    return {"ub_pct_rounded_up": _ceil_to(ev.upper_limit * 100, 1)}


def _confidence_factor(i: dict[str, Any], method: str) -> dict[str, Any]:
    return {"factor": _ceil_to(distributions.poisson_factor(i["overstatement_errors"], i["conf"]), 2)}


def _eval_summary(i: dict[str, Any], method: str) -> dict[str, Any]:
    if isinstance(i["n"], list):
        return _eval_pooled(i)
    if "book_values" in i:
        taints = evaluation.taints_from_values(i["book_values"], i["audit_values"])
        ub = evaluation.sum_of_taints_bound(
            float(taints.sum()), i["n"], i["conf"], i["method"], i.get("N_units")
        )
        return {"ub": ub, "mle": float(taints.sum()) / i["n"]}
    ev = evaluation.evaluate_attribute(i["n"], i["x"], i["conf"], i["method"], i.get("N_units"))
    return {"ub": ev.upper_limit, "mle": ev.deviation_rate, "ub_pct": 100 * ev.upper_limit}


def _eval_pooled(i: dict[str, Any]) -> dict[str, Any]:
    """jfa's stratified example: pooling "complete" is one pooled sample; "none" the strata."""
    x, n, N = np.array(i["x"]), np.array(i["n"]), np.array(i["N_units"])
    if i["pooling"] == "complete":
        bound = evaluation.sum_of_taints_bound(float(x.sum()), int(n.sum()), i["conf"], i["method"])
        return {"mle": float(x.sum() / n.sum()), "ub": bound}
    per = [
        evaluation.sum_of_taints_bound(float(a), int(b), i["conf"], i["method"])
        for a, b in zip(x, n, strict=True)
    ]
    strata = [evaluation.StratumInput(str(j), float(N[j]), int(n[j]), float(x[j])) for j in range(len(n))]
    combined = evaluation.evaluate_strata(strata, i["conf"], model=i["method"])
    return {
        "strata.ub": per,
        "strata.mle": list(x / n),
        "mle": float(np.dot(N, x / n) / N.sum()),
        "ub": combined.upper_limit_fraction,
    }


def _eval_stringer(i: dict[str, Any], method: str) -> dict[str, Any]:
    if "taints_nonzero" in i:
        t = i["taints_nonzero"]
        return {"ub": evaluation.stringer_bound(t, i["n"], i["conf"]), "mle": sum(t) / i["n"]}
    taints = np.minimum(evaluation.taints_from_values(i["book_values"], i["audit_values"], i.get("times")), 1)
    variant = i["method"].split(".")[-1]
    likelihood = variant if variant in LIKELIHOOD else "binomial"
    population = i.get("N_units") or 1e6  # fractions do not depend on it without euro rounding
    ev = evaluation.evaluate_mus(
        taints,
        i["n"],
        population,
        i["conf"],
        method="stringer",
        likelihood=likelihood,
        understatement=variant if variant in ("lta", "meikle") else "separate",
        whole_euros=False,
    )
    return {"ub": ev.upper_limit_fraction}


def _mus_eval(i: dict[str, Any], method: str) -> dict[str, Any]:
    if "book_values" in i:
        taints = evaluation.taints_from_values(i["book_values"], i["audit_values"])
    else:
        taints = np.atleast_1d(np.asarray(i["taints"], dtype=float))
    ev = evaluation.evaluate_mus(
        taints,
        i["n"],
        i.get("popBv", i.get("population_value")),
        i.get("cl", i.get("conf")),
        method=i.get("evalMeth", "cell"),
        likelihood=LIKELIHOOD[i.get("dist", "hyper")],
    )
    over = [float(ev.basic_precision)] + [s.contribution * 1.0 for s in ev.steps]
    return {
        "Over.Basic precision": float(ev.basic_precision),
        "Over.Upper confidence bound": float(ev.upper_limit),
        "Over.Projected misstatement": float(ev.most_likely_error),
        "Under.Upper confidence bound": float(ev.understatement_upper_limit),
        "Under.Projected misstatement": float(ev.understatement_most_likely_error),
        "Over.Precision achieved": float(ev.upper_limit - ev.most_likely_error),
        "Over.Precision calculation.stageUPL[1]": float(ev.basic_precision),
        "Over.Precision calculation.precision": _stringer_precision(over, ev),
    }


def _stringer_precision(over: list[float], ev: Any) -> list[float]:
    """IDEA's precision column: basic precision, then each error's (increment - 1 unit) x taint."""
    unit = float(ev.population_value) / ev.n
    return [over[0]] + [c - t * unit for c, t in zip(over[1:], ev.taints, strict=True)]


def _stratified(i: dict[str, Any], method: str) -> dict[str, Any]:
    strata = []
    for s in i["strata"]:
        virtual = audit_risk.equivalent_error_free_items(
            HARO, s["ihr"], s["ibr"], s["car"], s["materialiteit"]
        )
        strata.append(
            evaluation.StratumInput(
                s["naam"], s["waarde_laag"], s["n_laag"], s["k_laag"], s.get("fout_hoog", 0), virtual
            )
        )
    model = "poisson" if i["model"] == "poisson" else "binomial"
    ev = evaluation.evaluate_strata(strata, i["conf"], model=model, prior="uniform")
    high = sum(s.get("waarde_hoog", 0) for s in i["strata"])
    return {
        "max_fout_convolutie": ev.upper_limit_fraction
        * float(ev.population_value)
        / (float(ev.population_value) + high),
        "max_fout_convolutie_geld": float(ev.upper_limit),
    }


def _haro(i: dict[str, Any], method: str) -> dict[str, Any]:
    model = audit_risk.RiskModel.from_mapping(i) if "mapping" in i else HARO
    if method == "haro_required_assurance":
        return {
            "required_assurance_rounded_2dp": round(
                audit_risk.required_confidence(model, i["ihr"], i["ibr"], i["car"]), 2
            )
        }
    return {
        "virtual_items": audit_risk.equivalent_error_free_items(
            model, i["ihr"], i["ibr"], i["car"], i["materiality"]
        )
    }


DISPATCH: dict[str, Callable[[dict[str, Any], str], dict[str, Any]]] = {
    "attribute_binomial": lambda i, m: _n_plan(i),
    "attribute_hypergeometric": lambda i, m: _n_plan(i),
    "mus_poisson": lambda i, m: _n_plan(i),
    "planning_poisson": lambda i, m: _n_plan(i),
    "planning_binomial": lambda i, m: _n_plan(i),
    "planning_hypergeometric": lambda i, m: _n_plan(i),
    "mus_size_stringer_pois": _mus_size,
    "mus_size_stringer_binom": _mus_size,
    "mus_size_stringer_hyper": _mus_size,
    "sizeHyper": _fsaudit_size,
    "sizeBinom": _fsaudit_size,
    "sizePois": _fsaudit_size,
    "sizeHyperEe": _fsaudit_size,
    "upper": _fsaudit_upper,
    "upperHyper": _fsaudit_upper,
    "upperBinom": _fsaudit_upper,
    "upperPois": _fsaudit_upper,
    "attribute_binomial_upper_limit": _attribute_upper,
    "poisson_confidence_factor": _confidence_factor,
    "evaluation_binomial": _eval_summary,
    "evaluation_poisson": _eval_summary,
    "evaluation_hypergeometric": _eval_summary,
    "evaluation_stringer": _eval_stringer,
    "evaluation_stringer.binomial": _eval_stringer,
    "evaluation_stringer.poisson": _eval_stringer,
    "evaluation_stringer.hypergeometric": _eval_stringer,
    "evaluation_stringer.lta": _eval_stringer,
    "evaluation_stringer.meikle": _eval_stringer,
    "mus_eval_cell_binom": _mus_eval,
    "mus_eval_cell_hyper": _mus_eval,
    "mus_eval_cell_pois": _mus_eval,
    "mus_eval_stringer_binom": _mus_eval,
    "mus_eval_stringer_hyper": _mus_eval,
    "mus_eval_stringer_pois": _mus_eval,
    "stratified_convolution_beta_uniform_prior": _stratified,
    "haro_required_assurance": _haro,
    "haro_virtual_error_free_items": _haro,
}


def _tolerance(case: dict[str, str], key: str, want: Any) -> tuple[float, float]:
    """(relative, absolute) tolerance from the CSV's tolerance column (and source notes)."""
    text = case["tolerance"]
    if (case["case_id"], key) in KEY_TOLERANCE:
        return KEY_TOLERANCE[case["case_id"], key]
    if "tolerance ~0.01" in case["source"] and key == "ub":
        return 0.0, 0.01  # the source value is a seeded Monte-Carlo quantile (1e5 draws)
    if key == "expected_taints_in_sample":
        return 0.0, 0.0100001
    if text.startswith("abs"):
        return 0.0, float(text.split()[1]) * (1 + 1e-9)
    if "tolerance" in text and text.startswith(("testthat tolerance", "as in source", "tolerance")):
        return float(text.split("tolerance ")[1].split()[0]), 0.0
    if text.startswith("testthat default"):
        return 1.5e-8, -1.0  # -1: half a unit of the last printed digit of each value
    return 0.0, 1e-9 if isinstance(want, float) else 0.0


def _printed_half_unit(want: float) -> float:
    text = repr(float(want))
    return 0.5 * 10.0 ** -len(text.split(".")[1]) if "." in text and "e" not in text else 0.0


def _compare(got: Any, want: Any, rel: float, absolute: float) -> bool:
    if isinstance(want, list) and absolute == 0.0 and rel > 0:
        # testthat's all.equal on a vector: the mean relative difference
        g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        return len(g) == len(w) and float(np.abs(g - w).sum() / np.abs(w).sum()) <= rel
    if isinstance(want, list):
        return len(got) == len(want) and all(
            _compare(g, w, rel, absolute) for g, w in zip(got, want, strict=True)
        )
    if absolute < 0:
        absolute = _printed_half_unit(want) if not float(want).is_integer() else 0.0
    return math.isclose(float(got), float(want), rel_tol=rel, abs_tol=absolute)


def _params() -> list[Any]:
    out = []
    for row in ROWS:
        marks = ()
        if row["case_id"] in KNOWN_DIFFERENCES:
            marks = (pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[row["case_id"]]),)
        out.append(pytest.param(row, id=row["case_id"], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_reference_case(case: dict[str, str]) -> None:
    inputs = json.loads(case["inputs"])
    inputs["_tolerance"] = case["tolerance"]
    expected = {
        k: v
        for k, v in json.loads(case["expected"]).items()
        if not k.endswith(("_published", "_R_before_4_4", "_jfa_floating_point", "n_binomial"))
    }
    got = DISPATCH[case["method"]](inputs, case["method"])
    compared = [k for k in expected if k in got and expected[k] is not None]
    assert compared, f"no comparable key in {sorted(expected)}"
    for key in compared:
        rel, absolute = _tolerance(case, key, expected[key])
        assert _compare(got[key], expected[key], rel, absolute), (
            f"{key}: got {got[key]!r}, want {expected[key]!r}"
        )
