"""``kic stats plan`` with the HARo audit risk model instead of --confidence.

Expected values: tests/data/reference_cases.csv HARO-HHL (required assurance 0.80) and
HARO-FPE-HHL-M0.01 (138 virtual error-free items), from auditstat's tests of the HARo table
(Handboek Auditing Rijksoverheid par. B7.3.4).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from kic.cli.stats import stats
from kic.sampling import audit_risk

CASES = Path(__file__).resolve().parents[1] / "data" / "reference_cases.csv"
HHL = ["--inherent-risico", "hoog", "--internebeheersingsrisico", "hoog", "--cijferanalyserisico", "laag"]


def _expected(case_id: str) -> dict:
    with CASES.open(newline="", encoding="utf-8") as f:
        return next(json.loads(r["expected"]) for r in csv.DictReader(f) if r["case_id"] == case_id)


def _run(*args: str):
    return CliRunner().invoke(stats, list(args))


def test_haro_hhl_derives_confidence_and_error_free_items_from_reference_cases() -> None:
    result = _run("plan", "--materiality", "0.01", *HHL, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    model = data["audit_risk_model"]
    assert round(model["required_confidence"], 2) == _expected("HARO-HHL")["required_assurance_rounded_2dp"]
    assert model["equivalent_error_free_items"] == _expected("HARO-FPE-HHL-M0.01")["virtual_items"]
    # the plan itself uses the derived confidence: Poisson, 80 %, 1 %: ceil(-ln 0.2 / 0.01) = 161
    assert (data["confidence"], data["n"]) == (model["required_confidence"], 161)


def test_haro_human_output_shows_derived_confidence_and_items_in_dutch() -> None:
    result = _run("plan", "--materiality", "0,01", *HHL)
    assert result.exit_code == 0, result.output
    assert "Afgeleide betrouwbaarheid: 80,00%" in result.output
    assert "Equivalent aantal foutloze posten: 138" in result.output
    assert "Steekproefomvang: 161" in result.output


def test_english_aliases_and_letters_give_the_same_assessment() -> None:
    dutch = json.loads(_run("plan", "--materiality", "0.02", *HHL, "--json").output)
    english = json.loads(
        _run(
            "plan",
            "--materiality",
            "0.02",
            "--inherent-risk",
            "high",
            "--control-risk",
            "H",
            "--analytical-risk",
            "low",
            "--json",
        ).output
    )
    assert english == dutch
    assert (
        dutch["audit_risk_model"]["equivalent_error_free_items"]
        == _expected("HARO-FPE-HHL-M0.02")["virtual_items"]
    )


def test_mus_plan_uses_the_materiality_fraction_for_the_error_free_items() -> None:
    result = _run("plan", "--materiality", "20000", "--population-value", "1.000.000", *HHL, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["audit_risk_model"]["equivalent_error_free_items"] == 69


def test_risk_model_file_overrides_the_haro_table(tmp_path: Path) -> None:
    path = tmp_path / "controleplan.yaml"
    path.write_text(
        "audit_risk: 0.05\nmapping:\n  ihr: {H: 1, M: 0.5, L: 0.5}\n"
        "  ibr: {H: 1, M: 0.5, L: 0.5}\n  car: {H: 1, M: 0.5, L: 0.5}\n",
        encoding="utf-8",
    )
    result = _run("plan", "--materiality", "0.01", *HHL, "--risicomodel", str(path), "--json")
    assert result.exit_code == 0, result.output
    model = json.loads(result.output)["audit_risk_model"]
    assert model["required_confidence"] == 1 - 0.05 / 0.5
    assert model["source"] == "controleplan.yaml"


def test_default_table_is_the_one_of_the_reference_cases() -> None:
    with CASES.open(newline="", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["case_id"] == "HARO-HHH")
    source = json.loads(row["inputs"])
    assert audit_risk.HARO_DEFAULT["audit_risk"] == source["audit_risk"]
    assert audit_risk.HARO_DEFAULT["mapping"] == source["mapping"]


def test_half_a_risk_model_or_both_ways_is_a_usage_error(tmp_path: Path) -> None:
    partial = _run("plan", "--materiality", "0.01", "--inherent-risico", "hoog")
    both = _run("plan", "--materiality", "0.01", *HHL, "--confidence", "0.9")
    bad_yaml = tmp_path / "model.yaml"
    bad_yaml.write_text("audit_risk: 0.05\nmapping:\n  ihr: {H: 1}\n", encoding="utf-8")
    incomplete = _run("plan", "--materiality", "0.01", *HHL, "--risicomodel", str(bad_yaml))
    assert (partial.exit_code, both.exit_code, incomplete.exit_code) == (2, 2, 1)
    assert "geef alle drie de risico's" in partial.output
    assert "geef --betrouwbaarheid óf de drie risico's" in both.output
    assert "het risicomodel heeft factoren nodig voor ihr, ibr, car" in incomplete.output
