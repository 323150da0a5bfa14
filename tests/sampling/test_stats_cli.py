"""The ``kic stats`` commands, invoked directly on the click group."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kic.cli.stats import stats


def _run(*args: str):
    return CliRunner().invoke(stats, list(args))


def test_plan_json_gives_n_touw_hoogduin_p23() -> None:
    """Touw & Hoogduin (2011) p.23: 2 % materiality, 95 %, Poisson -> 150."""
    result = _run(
        "plan",
        "--materiality",
        "0.02",
        "--confidence",
        "0.95",
        "--expected",
        "0",
        "--likelihood",
        "poisson",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n"] == 150


def test_plan_mus_in_dutch_gives_145_and_interval() -> None:
    result = _run(
        "plan",
        "--materiality",
        "450000",
        "--population-value",
        "13.500.000",
        "--expected",
        "100000",
        "--likelihood",
        "hypergeometric",
    )
    assert result.exit_code == 0, result.output
    assert "Steekproefomvang: 145" in result.output
    assert "93.103,45" in result.output


def test_evaluate_dutch_csv_with_semicolons_and_decimal_comma(tmp_path: Path) -> None:
    """Touw & Hoogduin p.138 taints (1, 0.2, 0.04) from a Dutch CSV; n = 145 with 142 clean items."""
    rows = ["id;boekwaarde;controlewaarde", "1;1.000,00;0,00", "2;500,00;400,00", "3;250,00;240,00"]
    rows += [f"{i};100,00;100,00" for i in range(4, 146)]
    path = tmp_path / "steekproef.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = _run(
        "evaluate",
        "--csv",
        str(path),
        "--population-value",
        "13500000",
        "--materiality",
        "450000",
        "--likelihood",
        "hypergeometric",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["n"], data["errors"]) == (145, 3)
    assert data["upper_limit"] == "469616.48"
    assert data["most_likely_error"] == "115448.28"
    assert "boven de materialiteit" in data["conclusion"]


def test_evaluate_attribute_human_output_is_dutch() -> None:
    result = _run("evaluate", "--n", "100", "--errors", "2", "--materiality", "0.07")
    assert result.exit_code == 0, result.output
    assert "Maximaal afwijkingspercentage" in result.output and "6,16%" in result.output


def test_evaluate_strata_reports_combined_and_sum(tmp_path: Path) -> None:
    path = tmp_path / "strata.csv"
    path.write_text("naam,boekwaarde,n,fouten\nPW-LO,1000000,512,1\nBBZ,1000000,106,2\n", encoding="utf-8")
    result = _run("evaluate", "--strata-csv", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert float(data["upper_limit"]) < float(data["sum_of_upper_limits"])


def test_a_domain_error_is_one_dutch_line_through_the_cli_boundary() -> None:
    result = _run("plan", "--materiality", "2")
    assert result.exit_code == 1
    assert result.output.startswith("Fout: ") and "Traceback" not in result.output


def test_select_draws_reproducible_ids(tmp_path: Path) -> None:
    path = tmp_path / "populatie.csv"
    path.write_text(
        "id;boekwaarde\n" + "".join(f"P{i};{i * 10},50\n" for i in range(1, 41)), encoding="utf-8"
    )
    first = _run("select", str(path), "--n", "5", "--seed", "2025", "--json")
    second = _run("select", str(path), "--n", "5", "--seed", "2025", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["ids"] == json.loads(second.output)["ids"]
    assert len(json.loads(first.output)["ids"]) >= 5
