"""Bad input to ``kic stats`` ends in one Dutch message and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kic.cli.stats import stats

BAD_INPUT = [
    (["plan", "--materiality", "2"], 1, "materialiteit moet tussen 0 en 1 liggen"),
    (
        ["plan", "--materiality", "0,02", "--likelihood", "hypergeometric"],
        1,
        "de populatieomvang is nodig voor de hypergeometrische verdeling",
    ),
    (
        ["plan", "--materiality", "0.02", "--confidence", "1,5"],
        1,
        "de betrouwbaarheid moet tussen 0 en 1 liggen",
    ),
    (
        ["plan", "--materiality", "0.02", "--expected", "0.05"],
        1,
        "het verwachte foutpercentage moet onder de materialiteit liggen",
    ),
    (
        ["plan", "--materiality", "0.02", "--two-stage", "--likelihood", "hypergeometric"],
        1,
        "een tweestapsplan kan alleen met het binomiale of het Poisson-kansmodel",
    ),
    (["plan", "--materiality", "abc"], 2, "'abc' is geen getal"),
    (["plan", "--materiality", "0.02", "--likelihood", "normaal"], 2, "'normaal' is geen geldige keuze"),
    (["plan", "--materialty", "0.02"], 2, "onbekende optie '--materialty'; bedoelt u --materiality?"),
    (["plan", "--materiality"], 2, "de optie '--materiality' vraagt een waarde"),
    (["plan", "--materiality", "0.02", "extra"], 2, "onverwacht extra argument (extra)"),
    (["evaluate", "--n", "100", "--errors", "101"], 1, "0 <= afwijkingen <= n"),
    (
        [
            "evaluate",
            "--n",
            "100",
            "--errors",
            "2",
            "--likelihood",
            "hypergeometric",
            "--population-size",
            "50",
        ],
        1,
        "de steekproefomvang 100 is groter dan de populatieomvang 50",
    ),
    (
        ["evaluate", "--taints", "0,5", "--n", "5", "--population-value", "0"],
        1,
        "de boekwaarde van de populatie moet minstens € 1 zijn",
    ),
    (
        ["evaluate", "--taints", "een", "--n", "5", "--population-value", "1000"],
        2,
        "geen geldig getal: 'een'",
    ),
    (["evaluate", "--csv", "bestaat-niet.csv"], 2, "bestand 'bestaat-niet.csv' bestaat niet"),
    (["evaluate", "--n", "tien", "--errors", "1"], 2, "'tien' is geen geheel getal"),
    (["trek"], 2, "onbekend commando 'trek'"),
]


@pytest.mark.parametrize(("args", "code", "message"), BAD_INPUT, ids=[" ".join(a) for a, _, _ in BAD_INPUT])
def test_bad_input_gives_dutch_message_and_exit_code(args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(stats, args)
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)  # click's clean exit, not an escaped error
    assert "Traceback" not in result.output
    assert "Fout: " in result.output and message in result.output


def test_strata_csv_without_n_column_names_the_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "strata.csv"
    path.write_text("naam;boekwaarde;fouten\nPW;1000000;1\n", encoding="utf-8")
    result = CliRunner().invoke(stats, ["evaluate", "--strata-csv", str(path)])
    assert result.exit_code == 2
    assert "kolom(men) ontbreken in strata.csv: n" in result.output
    assert "Traceback" not in result.output


def test_population_size_with_thousands_dot_is_read_as_thousands() -> None:
    """'36.000' is thirty-six thousand to a Dutch user; N = 36 would give a wrong plan silently."""
    result = CliRunner().invoke(
        stats,
        [
            "plan",
            "--materiality",
            "0,02",
            "--likelihood",
            "hypergeometric",
            "--population-size",
            "36.000",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert '"population_size": 36000' in result.output
