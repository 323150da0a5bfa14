"""Bad input gives a Dutch error naming the field, never a number: ``kic stats`` and the kic.sampling API.

Every case is one question without a valid answer, asked through the CLI (click's CliRunner on the
stats group) or through a public function. Through the CLI the only output may be click's usage
lines and the one ``Fout:`` line; through the API a SamplingError is raised, so nothing is returned.

The checks live in one module, kic.sampling.checks, used by every public function and by ``kic stats``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from kic.cli.stats import stats
from kic.sampling import (
    SamplingError,
    StratumInput,
    audit_risk,
    checks,
    distributions,
    equivalent_error_free_items,
    evaluate_attribute,
    evaluate_mus,
    evaluate_strata,
    plan_attribute,
    plan_attribute_expected_count,
    plan_mus,
    plan_sample_size,
    plan_two_stage,
    size_for_allowed_errors,
    stringer_bound,
    taints_from_values,
)
from kic.sampling.audit_risk import RiskModel

NAN, INF = math.nan, math.inf
HARO = RiskModel.haro()

# --- through the CLI ------------------------------------------------------------------------------

MUS = ["evaluate", "--taints", "1 0.5", "--n", "100", "--population-value", "1000000"]
ATTRIBUTE = ["evaluate", "--n", "100", "--errors", "2"]
POPULATION = "alleen het hypergeometrische kansmodel gebruikt de populatieomvang"

# (id, arguments, fragment of the message); "{tmp}" is replaced by a folder with the CSV files below.
CLI_CASES = [
    # plan: population size with a likelihood that ignores it, or missing where it is needed
    (
        "plan binomial met populatie",
        ["plan", "--materiality", "0,05", "--likelihood", "binomial", "--population-size", "1000"],
        POPULATION,
    ),
    (
        "plan poisson met populatie",
        ["plan", "--materiality", "0,05", "--population-size", "1000"],
        POPULATION,
    ),
    (
        "plan risicomodel binomial met populatie",
        [
            "plan",
            "--materiality",
            "0,01",
            "--inherent-risico",
            "hoog",
            "--internebeheersingsrisico",
            "hoog",
            "--cijferanalyserisico",
            "laag",
            "--likelihood",
            "binomial",
            "--population-size",
            "100",
        ],
        POPULATION,
    ),
    (
        "plan hypergeometric zonder populatie",
        ["plan", "--materiality", "0,05", "--likelihood", "hypergeometric"],
        "de populatieomvang is nodig voor de hypergeometrische verdeling",
    ),
    (
        "plan hypergeometric populatie 0",
        ["plan", "--materiality", "0,05", "--likelihood", "hypergeometric", "--population-size", "0"],
        "de populatieomvang (N) moet minstens 1 zijn",
    ),
    (
        "plan populatie 12,5",
        ["plan", "--materiality", "0,05", "--likelihood", "hypergeometric", "--population-size", "12,5"],
        "'12,5' is geen geheel getal",
    ),
    (
        "plan MUS met populatieomvang",
        ["plan", "--materiality", "20000", "--population-value", "1000000", "--population-size", "500"],
        "de optie --population-size wordt bij een MUS-steekproef",
    ),
    (
        "plan tweestaps met populatieomvang",
        ["plan", "--materiality", "0,05", "--two-stage", "--population-size", "500"],
        "de optie --population-size wordt bij een tweestapsplan",
    ),
    (
        "plan tweestaps met boekwaarde",
        ["plan", "--materiality", "0,05", "--two-stage", "--population-value", "1000000"],
        "de optie --population-value wordt bij een tweestapsplan",
    ),
    (
        "plan tweestaps met verwachte fouten",
        ["plan", "--materiality", "0,05", "--two-stage", "--expected", "2"],
        "de optie --expected wordt bij een tweestapsplan",
    ),
    (
        "plan zonder boekwaarde met MUS-methode",
        ["plan", "--materiality", "0,05", "--mus-method", "plain"],
        "de optie --mus-method wordt bij een steekproef zonder --population-value",
    ),
    # plan: materiality as a fraction (0 < m < 1) or, next to a book value, in euros
    ("plan materialiteit 0", ["plan", "--materiality", "0"], "de materialiteit moet tussen 0 en 1 liggen"),
    ("plan materialiteit 1", ["plan", "--materiality", "1"], "de materialiteit moet tussen 0 en 1 liggen"),
    (
        "plan materialiteit negatief",
        ["plan", "--materiality", "-0,05"],
        "de materialiteit moet tussen 0 en 1 liggen",
    ),
    (
        "plan tweestaps materialiteit in euro",
        ["plan", "--materiality", "20000", "--two-stage"],
        "de materialiteit moet tussen 0 en 1 liggen",
    ),
    (
        "plan MUS materialiteit 0",
        ["plan", "--materiality", "0", "--population-value", "1000000"],
        "de materialiteit moet groter dan 0 zijn",
    ),
    (
        "plan MUS materialiteit negatief",
        ["plan", "--materiality", "-5", "--population-value", "1000000"],
        "de materialiteit moet groter dan 0 zijn",
    ),
    (
        "plan MUS materialiteit boven boekwaarde",
        ["plan", "--materiality", "2000000", "--population-value", "1000000"],
        "moet kleiner zijn dan de boekwaarde van de populatie",
    ),
    (
        "plan MUS boekwaarde onder 1 euro",
        ["plan", "--materiality", "0,02", "--population-value", "0,50"],
        "de boekwaarde van de populatie moet minstens € 1 zijn",
    ),
    # plan: expected errors
    (
        "plan verwachte fouten negatief",
        ["plan", "--materiality", "0,05", "--expected", "-0,01"],
        "de verwachte fouten kunnen niet negatief zijn",
    ),
    (
        "plan MUS verwachte fout negatief",
        ["plan", "--materiality", "20000", "--population-value", "1000000", "--expected", "-5"],
        "de verwachte fout kan niet negatief zijn",
    ),
    (
        "plan MUS verwachte fout boven materialiteit",
        ["plan", "--materiality", "20000", "--population-value", "1000000", "--expected", "30000"],
        "de verwachte fout (€ 30.000,00) moet kleiner zijn dan de materialiteit",
    ),
    # plan: NaN and infinity
    ("plan materialiteit NaN", ["plan", "--materiality", "nan"], "'nan' is geen eindig getal"),
    (
        "plan betrouwbaarheid oneindig",
        ["plan", "--materiality", "0,05", "--confidence", "inf"],
        "'inf' is geen eindig getal",
    ),
    (
        "plan verwachte fouten NaN",
        ["plan", "--materiality", "0,05", "--expected", "nan"],
        "'nan' is geen eindig getal",
    ),
    (
        "plan boekwaarde NaN",
        ["plan", "--materiality", "20000", "--population-value", "nan"],
        "geen geldig getal: 'nan'",
    ),
    # evaluate, attribute sample (--errors)
    ("attribuut binomial met populatie", [*ATTRIBUTE, "--population-size", "1000"], POPULATION),
    (
        "attribuut poisson met populatie",
        [*ATTRIBUTE, "--likelihood", "poisson", "--population-size", "1000"],
        POPULATION,
    ),
    (
        "attribuut hypergeometric populatie kleiner dan n",
        [*ATTRIBUTE, "--likelihood", "hypergeometric", "--population-size", "50"],
        "de steekproefomvang 100 is groter dan de populatieomvang 50",
    ),
    (
        "attribuut meer afwijkingen dan n",
        ["evaluate", "--n", "100", "--errors", "101"],
        "0 <= afwijkingen <= n",
    ),
    (
        "attribuut afwijkingen negatief",
        ["evaluate", "--n", "100", "--errors", "-1"],
        "het aantal afwijkingen kan niet negatief zijn",
    ),
    (
        "attribuut n 0",
        ["evaluate", "--n", "0", "--errors", "0"],
        "de steekproefomvang (n) moet minstens 1 zijn",
    ),
    (
        "attribuut n negatief",
        ["evaluate", "--n", "-5", "--errors", "0"],
        "de steekproefomvang (n) moet minstens 1 zijn",
    ),
    ("attribuut n 12,5", ["evaluate", "--n", "12,5", "--errors", "1"], "'12,5' is geen geheel getal"),
    (
        "attribuut toelaatbaar 1,5",
        [*ATTRIBUTE, "--materiality", "1,5"],
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
    ),
    (
        "attribuut toelaatbaar negatief",
        [*ATTRIBUTE, "--materiality", "-0,05"],
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
    ),
    (
        "attribuut toelaatbaar 0",
        [*ATTRIBUTE, "--materiality", "0"],
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
    ),
    (
        "attribuut met boekwaarde",
        [*ATTRIBUTE, "--population-value", "1000000"],
        "de optie --population-value wordt bij een attribuutsteekproef",
    ),
    (
        "attribuut met tainten",
        [*ATTRIBUTE, "--taints", "0.5"],
        "de optie --taints wordt bij een attribuutsteekproef",
    ),
    ("attribuut betrouwbaarheid NaN", [*ATTRIBUTE, "--confidence", "nan"], "'nan' is geen eindig getal"),
    # evaluate, monetary unit sample (--population-value)
    (
        "MUS meer tainten dan n",
        ["evaluate", "--taints", "1 0.5 0.2", "--n", "2", "--population-value", "1000"],
        "meer dan de steekproefomvang (n = 2)",
    ),
    (
        "MUS meer CSV-regels dan n",
        ["evaluate", "--csv", "{tmp}/steekproef.csv", "--n", "2", "--population-value", "1000000"],
        "meer dan de steekproefomvang (n = 2)",
    ),
    (
        "MUS n 0",
        ["evaluate", "--taints", "0.5", "--n", "0", "--population-value", "1000"],
        "de steekproefomvang (n) moet minstens 1 zijn",
    ),
    (
        "MUS sleutelposten negatief",
        [*MUS, "--key-item-errors", "-5"],
        "de fouten in sleutelposten (integraal gecontroleerde posten) kunnen niet negatief zijn",
    ),
    ("MUS sleutelposten NaN", [*MUS, "--key-item-errors", "nan"], "geen geldig getal: 'nan'"),
    ("MUS materialiteit 0", [*MUS, "--materiality", "0"], "de materialiteit moet groter dan 0 zijn"),
    (
        "MUS materialiteit negatief",
        [*MUS, "--materiality", "-100"],
        "de materialiteit moet groter dan 0 zijn",
    ),
    (
        "MUS materialiteit als fractie van kleine boekwaarde",
        ["evaluate", "--taints", "0.5", "--n", "5", "--population-value", "10", "--materiality", "0,02"],
        "de materialiteit van 0,02 × € 10,00 = € 0,20 moet minstens € 1 zijn",
    ),
    (
        "MUS met populatieomvang",
        [*MUS, "--population-size", "500"],
        "de optie --population-size wordt bij een MUS",
    ),
    (
        "MUS hypergeometric met populatieomvang",
        [*MUS, "--likelihood", "hypergeometric", "--population-size", "500"],
        "de optie --population-size wordt bij een MUS",
    ),
    (
        "MUS som-methode met kansmodel",
        [*MUS, "--method", "poisson", "--likelihood", "binomial"],
        "de optie --likelihood wordt bij een MUS-evaluatie met --method poisson",
    ),
    (
        "MUS CSV en tainten samen",
        ["evaluate", "--csv", "{tmp}/steekproef.csv", "--taints", "0.5", "--population-value", "1000000"],
        "de optie --taints wordt bij een MUS",
    ),
    (
        "MUS-opties bij strata",
        [*MUS, "--strata-csv", "{tmp}/strata-ok.csv"],
        "de optie --taints wordt bij een gecombineerde evaluatie",
    ),
    (
        "MUS boekwaarde 0",
        ["evaluate", "--taints", "0.5", "--n", "5", "--population-value", "0"],
        "de boekwaarde van de populatie moet minstens € 1 zijn",
    ),
    (
        "MUS taint NaN",
        ["evaluate", "--taints", "nan", "--n", "100", "--population-value", "1000000"],
        "geen geldig getal: 'nan'",
    ),
    (
        "MUS boekwaarde oneindig",
        ["evaluate", "--taints", "0.5", "--n", "100", "--population-value", "inf"],
        "geen geldig getal: 'inf'",
    ),
    (
        "MUS controlewaarde NaN in CSV",
        ["evaluate", "--csv", "{tmp}/nan.csv", "--population-value", "1000000"],
        "geen geldig getal: 'nan'",
    ),
    ("MUS betrouwbaarheid 1", [*MUS, "--confidence", "1"], "de betrouwbaarheid moet tussen 0 en 1 liggen"),
    # evaluate, strata (--strata-csv)
    (
        "strata n 12,5",
        ["evaluate", "--strata-csv", "{tmp}/strata-n.csv"],
        "stratum A: de steekproefomvang (n) moet een geheel getal zijn (niet 12,5)",
    ),
    (
        "strata meer fouten dan n",
        ["evaluate", "--strata-csv", "{tmp}/strata-fouten.csv", "--likelihood", "poisson"],
        "stratum A: de som van de tainten (fouten) (20,0) is groter dan de steekproefomvang (n = 10)",
    ),
    (
        "strata fouten negatief",
        ["evaluate", "--strata-csv", "{tmp}/strata-negatief.csv"],
        "stratum A: de som van de tainten (fouten) kan niet negatief zijn",
    ),
    (
        "strata sleutelposten negatief",
        ["evaluate", "--strata-csv", "{tmp}/strata-sleutel.csv"],
        "stratum A: de fouten in sleutelposten (integraal gecontroleerde posten) kunnen niet negatief zijn",
    ),
    (
        "strata boekwaarde 0",
        ["evaluate", "--strata-csv", "{tmp}/strata-boekwaarde.csv"],
        "stratum A: de boekwaarde moet groter dan 0 zijn",
    ),
    (
        "strata materialiteit 0",
        ["evaluate", "--strata-csv", "{tmp}/strata-ok.csv", "--materiality", "0"],
        "de materialiteit moet groter dan 0 zijn",
    ),
    (
        "strata met populatieomvang",
        ["evaluate", "--strata-csv", "{tmp}/strata-ok.csv", "--population-size", "100"],
        "de optie --population-size wordt bij een gecombineerde evaluatie over strata",
    ),
    (
        "strata hypergeometric",
        ["evaluate", "--strata-csv", "{tmp}/strata-ok.csv", "--likelihood", "hypergeometric"],
        "een gecombineerde evaluatie over strata kan alleen met binomial of poisson (niet hypergeometric)",
    ),
]

CSV_FILES = {
    "steekproef.csv": "id;boekwaarde;controlewaarde\n1;100;50\n2;100;0\n3;100;90\n",
    "nan.csv": "id;boekwaarde;controlewaarde\n1;100;nan\n",
    "strata-ok.csv": "naam;boekwaarde;n;fouten\nA;1000000;100;1\n",
    "strata-n.csv": "naam;boekwaarde;n;fouten\nA;1000000;12,5;1\n",
    "strata-fouten.csv": "naam;boekwaarde;n;fouten\nA;1000000;10;20\n",
    "strata-negatief.csv": "naam;boekwaarde;n;fouten\nA;1000000;100;-1\n",
    "strata-sleutel.csv": "naam;boekwaarde;n;fouten;fout_integraal\nA;1000000;100;1;-500\n",
    "strata-boekwaarde.csv": "naam;boekwaarde;n;fouten\nA;0;100;1\n",
}


@pytest.fixture
def csv_folder(tmp_path: Path) -> Path:
    for name, text in CSV_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _assert_only_the_error(output: str) -> None:
    """No result printed: every line is click's usage, blank, or the one error line."""
    for line in output.splitlines():
        assert line == "" or line.startswith(("Fout: ", "Gebruik: ", "Probeer ")), (
            f"uitvoer na fout: {line!r}"
        )
    assert sum(line.startswith("Fout: ") for line in output.splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [pytest.param(a, m, id=i) for i, a, m in CLI_CASES])
def test_cli_refuses_with_dutch_message_and_no_number(
    args: list[str], message: str, csv_folder: Path
) -> None:
    args = [a.replace("{tmp}", str(csv_folder)) for a in args]
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(stats, args + extra)
        assert result.exit_code != 0, result.output
        assert isinstance(result.exception, SystemExit), result.exception  # click's clean exit
        assert "Traceback" not in result.output
        assert message in result.output, result.output
        _assert_only_the_error(result.output)


# --- through the Python API -----------------------------------------------------------------------


def _stratum(**changes: Any) -> StratumInput:
    fields = {
        "name": "A",
        "book_value": 1_000_000.0,
        "n": 100,
        "errors": 1.0,
        "key_item_errors": 0.0,
        "virtual_items": 0,
    } | changes
    return StratumInput(**fields)


# (id, call, fragment, pending): pending cases need the check calls in kic/sampling/evaluation.py.
API_CASES: list[tuple[str, Callable[[], Any], str, bool]] = [
    # plan_sample_size / plan_attribute
    ("plan binomial met N", lambda: plan_sample_size(0.05, 0.95, 0, "binomial", 1000), POPULATION, False),
    ("plan poisson met N", lambda: plan_sample_size(0.05, 0.95, 0, "poisson", 1000), POPULATION, False),
    (
        "plan attribuut binomial met N",
        lambda: plan_attribute(0.05, 0.95, 0.01, "binomial", 1000),
        POPULATION,
        False,
    ),
    (
        "plan hypergeometric zonder N",
        lambda: plan_sample_size(0.05, 0.95, 0, "hypergeometric"),
        "de populatieomvang is nodig",
        False,
    ),
    (
        "plan N 100,5",
        lambda: plan_sample_size(0.05, 0.95, 0, "hypergeometric", 100.5),
        "de populatieomvang (N) moet een geheel getal zijn (niet 100,5)",
        False,
    ),
    (
        "plan N True",
        lambda: plan_sample_size(0.05, 0.95, 0, "hypergeometric", True),
        "de populatieomvang (N) moet een geheel getal zijn, geen waarheidswaarde",
        False,
    ),
    (
        "plan N 0",
        lambda: plan_sample_size(0.05, 0.95, 0, "hypergeometric", 0),
        "de populatieomvang (N) moet minstens 1 zijn",
        False,
    ),
    (
        "plan materialiteit 0",
        lambda: plan_sample_size(0, 0.95),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "plan materialiteit 1",
        lambda: plan_sample_size(1, 0.95),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "plan materialiteit NaN",
        lambda: plan_sample_size(NAN, 0.95),
        "de materialiteit moet een eindig getal",
        False,
    ),
    (
        "plan betrouwbaarheid NaN",
        lambda: plan_sample_size(0.05, NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    (
        "plan betrouwbaarheid oneindig",
        lambda: plan_sample_size(0.05, INF),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    (
        "plan verwachte fouten negatief",
        lambda: plan_sample_size(0.05, 0.95, -0.01),
        "de verwachte fouten kunnen niet negatief zijn",
        False,
    ),
    (
        "plan verwachte fouten NaN",
        lambda: plan_sample_size(0.05, 0.95, NAN, "binomial"),
        "de verwachte fouten moeten een eindig getal zijn",
        False,
    ),
    (
        "plan verwachte fouten oneindig",
        lambda: plan_sample_size(0.05, 0.95, INF),
        "de verwachte fouten moeten een eindig getal zijn",
        False,
    ),
    (
        "plan max_n 12,5",
        lambda: plan_sample_size(0.05, 0.95, max_n=12.5),
        "(max_n) moet een geheel getal zijn",
        False,
    ),
    (
        "plan max_n True",
        lambda: plan_sample_size(0.5, 0.4, max_n=True),
        "(max_n) moet een geheel getal zijn",
        False,
    ),
    (
        "plan attribuut toelaatbaar negatief",
        lambda: plan_attribute(-0.05, 0.95),
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "plan attribuut toelaatbaar 1,5",
        lambda: plan_attribute(1.5, 0.95),
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "plan attribuut toelaatbaar NaN",
        lambda: plan_attribute(NAN, 0.95),
        "het toelaatbare afwijkingspercentage moet een eindig getal",
        False,
    ),
    (
        "plan attribuut verwacht negatief",
        lambda: plan_attribute(0.05, 0.95, -0.01),
        "het verwachte afwijkingspercentage kan niet negatief zijn",
        False,
    ),
    (
        "plan attribuut verwacht NaN",
        lambda: plan_attribute(0.05, 0.95, NAN),
        "het verwachte afwijkingspercentage moet een eindig getal",
        False,
    ),
    # plan_mus
    (
        "MUS-plan materialiteit 0,02 euro",
        lambda: plan_mus(1_000_000, 0.02, 0.95),
        "bedoelde u 0,02 als fractie? Geef dan het bedrag: 0,02 × € 1.000.000,00 = € 20.000,00",
        False,
    ),
    (
        "MUS-plan materialiteit 0",
        lambda: plan_mus(1_000_000, 0, 0.95),
        "de materialiteit moet groter dan 0 zijn",
        False,
    ),
    (
        "MUS-plan materialiteit negatief",
        lambda: plan_mus(1_000_000, -100, 0.95),
        "de materialiteit moet groter dan 0 zijn",
        False,
    ),
    (
        "MUS-plan materialiteit NaN",
        lambda: plan_mus(1_000_000, NAN, 0.95),
        "de materialiteit moet een eindig getal",
        False,
    ),
    (
        "MUS-plan materialiteit boven boekwaarde",
        lambda: plan_mus(1_000_000, 2_000_000, 0.95),
        "moet kleiner zijn dan de boekwaarde van de populatie",
        False,
    ),
    (
        "MUS-plan boekwaarde NaN",
        lambda: plan_mus(NAN, 10_000, 0.95),
        "de boekwaarde van de populatie moet een eindig getal",
        False,
    ),
    (
        "MUS-plan boekwaarde oneindig",
        lambda: plan_mus(INF, 10_000, 0.95),
        "de boekwaarde van de populatie moet een eindig getal",
        False,
    ),
    (
        "MUS-plan boekwaarde Decimal NaN",
        lambda: plan_mus(Decimal("NaN"), 10_000, 0.95),
        "de boekwaarde van de populatie moet een eindig getal",
        False,
    ),
    (
        "MUS-plan boekwaarde onder 1 euro",
        lambda: plan_mus(0.5, 0.2, 0.95),
        "de boekwaarde van de populatie moet minstens € 1 zijn",
        False,
    ),
    (
        "MUS-plan verwachte fout negatief",
        lambda: plan_mus(1_000_000, 10_000, 0.95, -1),
        "de verwachte fout kan niet negatief zijn",
        False,
    ),
    (
        "MUS-plan verwachte fout NaN",
        lambda: plan_mus(1_000_000, 10_000, 0.95, NAN),
        "de verwachte fout moet een eindig getal",
        False,
    ),
    (
        "MUS-plan verwachte fout boven materialiteit",
        lambda: plan_mus(1_000_000, 10_000, 0.95, 20_000),
        "moet kleiner zijn dan de materialiteit",
        False,
    ),
    (
        "MUS-plan onbekend kansmodel",
        lambda: plan_mus(1_000_000, 10_000, 0.95, 0, "normaal"),
        "onbekend kansmodel 'normaal'",
        False,
    ),
    (
        "MUS-plan betrouwbaarheid NaN",
        lambda: plan_mus(1_000_000, 10_000, NAN),
        "de betrouwbaarheid moet een eindig",
        False,
    ),
    # plan_two_stage
    (
        "tweestaps toegestaan negatief",
        lambda: plan_two_stage(0.05, 0.9, "binomial", allowed=-1),
        "het toegestane aantal fouten in de steekproef moet minstens 1 zijn",
        False,
    ),
    (
        "tweestaps toegestaan 0",
        lambda: plan_two_stage(0.05, 0.9, "binomial", allowed=0),
        "het toegestane aantal fouten in de steekproef moet minstens 1 zijn",
        False,
    ),
    (
        "tweestaps toegestaan 1,5",
        lambda: plan_two_stage(0.05, 0.9, "binomial", allowed=1.5),
        "moet een geheel getal zijn (niet 1,5)",
        False,
    ),
    (
        "tweestaps toegestaan True",
        lambda: plan_two_stage(0.05, 0.9, "binomial", allowed=True),
        "geen waarheidswaarde",
        False,
    ),
    (
        "tweestaps materialiteit 0",
        lambda: plan_two_stage(0, 0.9),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "tweestaps materialiteit 1,5",
        lambda: plan_two_stage(1.5, 0.9),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "tweestaps materialiteit NaN",
        lambda: plan_two_stage(NAN, 0.9),
        "de materialiteit moet een eindig getal",
        False,
    ),
    # size_for_allowed_errors / plan_attribute_expected_count
    (
        "omvang toegestaan negatief",
        lambda: size_for_allowed_errors(-1, 0.05, 0.95),
        "het toegestane aantal fouten in de steekproef kan niet negatief zijn",
        False,
    ),
    (
        "omvang toegestaan 1,5",
        lambda: size_for_allowed_errors(1.5, 0.05, 0.95),
        "moet een geheel getal zijn",
        False,
    ),
    (
        "omvang toegestaan True",
        lambda: size_for_allowed_errors(True, 0.05, 0.95),
        "geen waarheidswaarde",
        False,
    ),
    (
        "omvang toegestaan niet onder N",
        lambda: size_for_allowed_errors(5, 0.05, 0.95, "hypergeometric", 3),
        "(5) moet kleiner zijn dan de populatieomvang (N = 3)",
        False,
    ),
    (
        "omvang binomial met N",
        lambda: size_for_allowed_errors(1, 0.05, 0.95, "binomial", 1000),
        POPULATION,
        False,
    ),
    (
        "omvang poisson met toelaatbaar aantal",
        lambda: size_for_allowed_errors(1, 0.05, 0.95, "poisson", None, 50),
        "alleen het hypergeometrische kansmodel gebruikt het toelaatbare aantal fouten",
        False,
    ),
    (
        "omvang onbekend kansmodel",
        lambda: size_for_allowed_errors(1, 0.05, 0.95, "normaal", 1000),
        "onbekend kansmodel 'normaal'",
        False,
    ),
    (
        "omvang toelaatbaar 0",
        lambda: size_for_allowed_errors(1, 0, 0.95),
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "omvang toelaatbaar NaN",
        lambda: size_for_allowed_errors(1, NAN, 0.95),
        "het toelaatbare afwijkingspercentage moet een eindig getal",
        False,
    ),
    (
        "omvang toelaatbaar aantal boven N",
        lambda: size_for_allowed_errors(1, 0.05, 0.95, "hypergeometric", 100, 500),
        "het toelaatbare aantal fouten in de populatie (500) is groter dan de populatieomvang",
        False,
    ),
    (
        "omvang toelaatbaar aantal negatief",
        lambda: size_for_allowed_errors(0, 0.05, 0.95, "hypergeometric", 100, -1),
        "het toelaatbare aantal fouten in de populatie kan niet negatief zijn",
        False,
    ),
    (
        "attribuutplan verwacht negatief",
        lambda: plan_attribute_expected_count(50, -3, 1000, 0.95),
        "het verwachte aantal afwijkingen in de populatie kan niet negatief zijn",
        False,
    ),
    (
        "attribuutplan toelaatbaar boven N",
        lambda: plan_attribute_expected_count(5000, 3, 1000, 0.95),
        "(5000) is groter dan de populatieomvang (N = 1000)",
        False,
    ),
    (
        "attribuutplan verwacht niet onder toelaatbaar",
        lambda: plan_attribute_expected_count(50, 3000, 1000, 0.95),
        "moet kleiner zijn dan het toelaatbare aantal fouten in de populatie",
        False,
    ),
    (
        "attribuutplan toelaatbaar 0",
        lambda: plan_attribute_expected_count(0, 0, 1000, 0.95),
        "het toelaatbare aantal fouten in de populatie moet minstens 1 zijn",
        False,
    ),
    (
        "attribuutplan N 12,5",
        lambda: plan_attribute_expected_count(5, 0, 12.5, 0.95),
        "de populatieomvang (N) moet een geheel getal zijn",
        False,
    ),
    # distributions
    (
        "poissonfactor fouten negatief",
        lambda: distributions.poisson_factor(-0.5, 0.95),
        "het aantal fouten kan niet negatief zijn",
        False,
    ),
    (
        "poissonfactor fouten NaN",
        lambda: distributions.poisson_factor(NAN, 0.95),
        "het aantal fouten moet een eindig getal",
        False,
    ),
    (
        "poisson n 12,5",
        lambda: distributions.poisson_upper(1, 12.5, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn (niet 12,5)",
        False,
    ),
    ("poisson n True", lambda: distributions.poisson_upper(0, True, 0.95), "geen waarheidswaarde", False),
    (
        "poisson meer fouten dan n",
        lambda: distributions.poisson_upper(20, 10, 0.95),
        "het aantal fouten (20) is groter dan de steekproefomvang (n = 10)",
        False,
    ),
    (
        "binomiaal meer fouten dan n",
        lambda: distributions.binomial_upper(20, 10, 0.95),
        "het aantal fouten (20) is groter dan de steekproefomvang (n = 10)",
        False,
    ),
    (
        "binomiaal fouten negatief",
        lambda: distributions.binomial_upper(-0.5, 10, 0.95),
        "het aantal fouten kan niet negatief zijn",
        False,
    ),
    (
        "binomiaal fouten NaN",
        lambda: distributions.binomial_upper(NAN, 10, 0.95),
        "het aantal fouten moet een eindig getal",
        False,
    ),
    (
        "binomiaal n 12,5",
        lambda: distributions.binomial_upper(1, 12.5, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn",
        False,
    ),
    (
        "binomiaal n False",
        lambda: distributions.binomial_upper(0, False, 0.95),
        "geen waarheidswaarde",
        False,
    ),
    (
        "hypergeometrisch fouten 2,5",
        lambda: distributions.hyper_upper_count(2.5, 100, 1000, 0.95),
        "het aantal fouten moet een geheel getal zijn (niet 2,5)",
        False,
    ),
    (
        "hypergeometrisch fouten NaN",
        lambda: distributions.hyper_upper(NAN, 100, 1000, 0.95),
        "het aantal fouten moet een geheel getal zijn (niet NaN)",
        False,
    ),
    (
        "hypergeometrisch n 12,5",
        lambda: distributions.hyper_upper_count(1, 12.5, 1000, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn",
        False,
    ),
    (
        "hypergeometrisch N 1000,5",
        lambda: distributions.hyper_upper_count(1, 100, 1000.5, 0.95),
        "de populatieomvang (N) moet een geheel getal zijn",
        False,
    ),
    (
        "hypergeometrisch N kleiner dan n",
        lambda: distributions.hyper_upper_count(1, 100, 50, 0.95),
        "de steekproefomvang 100 is groter dan de populatieomvang 50",
        False,
    ),
    (
        "betrouwbaarheid NaN",
        lambda: distributions.check_conf(NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    # audit_risk
    (
        "foutloze posten materialiteit 0",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", 0),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "foutloze posten materialiteit 1,5",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", 1.5),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "foutloze posten materialiteit negatief",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", -0.01),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "foutloze posten materialiteit NaN",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", NAN),
        "de materialiteit moet een eindig getal",
        False,
    ),
    (
        "foutloze posten volle betrouwbaarheid 1,5",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", 0.01, 1.5),
        "de betrouwbaarheid moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "foutloze posten volle betrouwbaarheid NaN",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", 0.01, NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    (
        "foutloze posten onbekend model",
        lambda: equivalent_error_free_items(HARO, "H", "H", "L", 0.01, 0.95, "normaal"),
        "onbekend kansmodel 'normaal'",
        False,
    ),
    (
        "risicobeoordeling materialiteit 2",
        lambda: audit_risk.assess(HARO, "hoog", "hoog", "laag", 2),
        "de materialiteit moet tussen 0 en 1 liggen",
        False,
    ),
    (
        "risicomodel audit_risk NaN",
        lambda: RiskModel(NAN, HARO.factors),
        "audit_risk moet een eindig getal",
        False,
    ),
    (
        "risicomodel factor NaN",
        lambda: RiskModel(0.05, {**HARO.factors, "ihr": {"H": NAN}}),
        "ihr.H moet een eindig getal",
        False,
    ),
    (
        "risicomodel factor oneindig",
        lambda: RiskModel(0.05, {**HARO.factors, "ibr": {"H": INF}}),
        "ibr.H moet een eindig getal",
        False,
    ),
    # evaluate_attribute
    (
        "attribuut n 12,5",
        lambda: evaluate_attribute(12.5, 1, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn",
        False,
    ),
    ("attribuut n True", lambda: evaluate_attribute(True, 0, 0.95), "geen waarheidswaarde", False),
    (
        "attribuut n 0",
        lambda: evaluate_attribute(0, 0, 0.95),
        "de steekproefomvang (n) moet minstens 1 zijn",
        True,
    ),
    (
        "attribuut afwijkingen 2,5",
        lambda: evaluate_attribute(100, 2.5, 0.95),
        "het aantal afwijkingen moet een geheel getal zijn",
        True,
    ),
    (
        "attribuut afwijkingen negatief",
        lambda: evaluate_attribute(100, -1, 0.95),
        "het aantal afwijkingen kan niet negatief zijn",
        True,
    ),
    (
        "attribuut meer afwijkingen dan n",
        lambda: evaluate_attribute(10, 11, 0.95),
        "het aantal afwijkingen (11) is groter dan de steekproefomvang (n = 10)",
        True,
    ),
    (
        "attribuut binomial met N",
        lambda: evaluate_attribute(100, 2, 0.95, "binomial", 1000),
        POPULATION,
        True,
    ),
    ("attribuut poisson met N", lambda: evaluate_attribute(100, 2, 0.95, "poisson", 1000), POPULATION, True),
    (
        "attribuut N kleiner dan n",
        lambda: evaluate_attribute(100, 2, 0.95, "hypergeometric", 50),
        "de steekproefomvang 100 is groter dan de populatieomvang 50",
        False,
    ),
    (
        "attribuut toelaatbaar negatief",
        lambda: evaluate_attribute(100, 2, 0.95, tolerable_rate=-0.05),
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
        True,
    ),
    (
        "attribuut toelaatbaar 1,5",
        lambda: evaluate_attribute(100, 2, 0.95, tolerable_rate=1.5),
        "het toelaatbare afwijkingspercentage moet tussen 0 en 1 liggen",
        True,
    ),
    (
        "attribuut toelaatbaar NaN",
        lambda: evaluate_attribute(100, 2, 0.95, tolerable_rate=NAN),
        "het toelaatbare afwijkingspercentage moet een eindig getal",
        True,
    ),
    (
        "attribuut betrouwbaarheid NaN",
        lambda: evaluate_attribute(100, 2, NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    # evaluate_mus
    (
        "MUS meer tainten dan n",
        lambda: evaluate_mus([0.5, 0.3, 0.2], 2, 1000, 0.95),
        "meer dan de steekproefomvang (n = 2)",
        True,
    ),
    (
        "MUS taint NaN",
        lambda: evaluate_mus([0.5, NAN], 100, 1_000_000, 0.95),
        "de tainten moeten eindige getallen zijn (taint 2: NaN)",
        True,
    ),
    (
        "MUS taint oneindig",
        lambda: evaluate_mus([0.5, INF], 100, 1_000_000, 0.95),
        "de tainten moeten eindige getallen zijn (taint 2: oneindig)",
        True,
    ),
    (
        "MUS sleutelposten negatief",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, key_item_errors=-5),
        "de fouten in sleutelposten (integraal gecontroleerde posten) kunnen niet negatief zijn",
        True,
    ),
    (
        "MUS sleutelposten NaN",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, key_item_errors=NAN),
        "de fouten in sleutelposten (integraal gecontroleerde posten) moeten een eindig getal",
        True,
    ),
    (
        "MUS materialiteit 0,02 euro",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, materiality=0.02),
        "bedoelde u 0,02 als fractie?",
        True,
    ),
    (
        "MUS materialiteit 0",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, materiality=0),
        "de materialiteit moet groter dan 0 zijn",
        True,
    ),
    (
        "MUS materialiteit negatief",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, materiality=-100),
        "de materialiteit moet groter dan 0 zijn",
        True,
    ),
    (
        "MUS materialiteit NaN",
        lambda: evaluate_mus([0.5], 100, 1_000_000, 0.95, materiality=NAN),
        "de materialiteit moet een eindig getal",
        True,
    ),
    (
        "MUS n 12,5",
        lambda: evaluate_mus([0.5], 12.5, 1_000_000, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn",
        True,
    ),
    ("MUS n True", lambda: evaluate_mus([], True, 1_000_000, 0.95), "geen waarheidswaarde", True),
    (
        "MUS boekwaarde oneindig",
        lambda: evaluate_mus([0.5], 100, INF, 0.95),
        "de boekwaarde van de populatie moet een eindig getal",
        True,
    ),
    (
        "MUS boekwaarde NaN",
        lambda: evaluate_mus([0.5], 100, NAN, 0.95),
        "de boekwaarde van de populatie moet een eindig getal",
        True,
    ),
    (
        "MUS betrouwbaarheid NaN",
        lambda: evaluate_mus([0.5], 100, 1_000_000, NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
    (
        "Stringer meer tainten dan n",
        lambda: stringer_bound([0.5, 0.5, 0.5], 2, 0.95),
        "meer dan de steekproefomvang (n = 2)",
        True,
    ),
    (
        "Stringer n 12,5",
        lambda: stringer_bound([0.5], 12.5, 0.95),
        "de steekproefomvang (n) moet een geheel getal zijn",
        True,
    ),
    (
        "Stringer taint NaN",
        lambda: stringer_bound([NAN], 100, 0.95),
        "de tainten moeten eindige getallen zijn",
        True,
    ),
    ("Stringer binomial met N", lambda: stringer_bound([0.5], 100, 0.95, "binomial", 1000), POPULATION, True),
    (
        "tainten boekwaarde NaN",
        lambda: taints_from_values([NAN, 100], [50, 100]),
        "de boekwaarden moeten eindige getallen zijn (post 1: NaN)",
        True,
    ),
    (
        "tainten controlewaarde oneindig",
        lambda: taints_from_values([100, 100], [INF, 100]),
        "de controlewaarden moeten eindige getallen zijn (post 1: oneindig)",
        True,
    ),
    (
        "tainten treffers negatief",
        lambda: taints_from_values([100, 100], [50, 100], [-1, 1]),
        "het aantal treffers per post (times) moet minstens 1 zijn",
        True,
    ),
    # evaluate_strata and its StratumInput
    (
        "strata meer fouten dan n",
        lambda: evaluate_strata([_stratum(n=10, errors=20.0)], 0.95, model="poisson"),
        "stratum A: de som van de tainten (fouten) (20,0) is groter dan de steekproefomvang (n = 10)",
        True,
    ),
    (
        "strata boekwaarde NaN",
        lambda: evaluate_strata([_stratum(book_value=NAN)], 0.95),
        "stratum A: de boekwaarde moet een eindig getal",
        True,
    ),
    (
        "strata boekwaarde oneindig",
        lambda: evaluate_strata([_stratum(book_value=INF)], 0.95),
        "stratum A: de boekwaarde moet een eindig getal",
        True,
    ),
    (
        "strata fouten NaN",
        lambda: evaluate_strata([_stratum(errors=NAN)], 0.95),
        "stratum A: de som van de tainten (fouten) moet een eindig getal",
        True,
    ),
    (
        "strata fouten negatief",
        lambda: evaluate_strata([_stratum(errors=-1.0)], 0.95),
        "stratum A: de som van de tainten (fouten) kan niet negatief zijn",
        True,
    ),
    (
        "strata n 12,5",
        lambda: evaluate_strata([_stratum(n=12.5)], 0.95),
        "stratum A: de steekproefomvang (n) moet een geheel getal zijn",
        True,
    ),
    (
        "strata n True",
        lambda: evaluate_strata([_stratum(n=True, errors=0.0)], 0.95),
        "stratum A: de steekproefomvang (n) moet een geheel getal zijn, geen waarheidswaarde",
        True,
    ),
    (
        "strata sleutelposten negatief",
        lambda: evaluate_strata([_stratum(key_item_errors=-5.0)], 0.95),
        "stratum A: de fouten in sleutelposten (integraal gecontroleerde posten) kunnen niet negatief zijn",
        True,
    ),
    (
        "strata sleutelposten NaN",
        lambda: evaluate_strata([_stratum(key_item_errors=NAN)], 0.95),
        "stratum A: de fouten in sleutelposten (integraal gecontroleerde posten) moeten een eindig getal",
        True,
    ),
    (
        "strata virtuele posten negatief",
        lambda: evaluate_strata([_stratum(virtual_items=-10)], 0.95),
        "stratum A: het aantal virtuele foutloze posten kan niet negatief zijn",
        True,
    ),
    (
        "strata virtuele posten 2,5",
        lambda: evaluate_strata([_stratum(virtual_items=2.5)], 0.95),
        "stratum A: het aantal virtuele foutloze posten moet een geheel getal zijn",
        True,
    ),
    (
        "strata materialiteit 0,02 euro",
        lambda: evaluate_strata([_stratum()], 0.95, materiality=0.02),
        "bedoelde u 0,02 als fractie?",
        True,
    ),
    (
        "strata materialiteit 0",
        lambda: evaluate_strata([_stratum()], 0.95, materiality=0),
        "de materialiteit moet groter dan 0 zijn",
        True,
    ),
    (
        "strata materialiteit NaN",
        lambda: evaluate_strata([_stratum()], 0.95, materiality=NAN),
        "de materialiteit moet een eindig getal",
        True,
    ),
    (
        "strata rasterpunten 0",
        lambda: evaluate_strata([_stratum()], 0.95, grid_points=0),
        "het aantal rasterpunten moet minstens 1 zijn",
        True,
    ),
    (
        "strata betrouwbaarheid NaN",
        lambda: evaluate_strata([_stratum()], NAN),
        "de betrouwbaarheid moet een eindig getal",
        False,
    ),
]


@pytest.mark.parametrize(
    ("call", "message"), [pytest.param(call, message, id=name) for name, call, message, _ in API_CASES]
)
def test_api_refuses_with_dutch_message(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(SamplingError, match=re.escape(message)):
        call()


# --- valid edge inputs still give their numbers ---------------------------------------------------


def test_a_whole_float_or_numpy_count_is_the_same_count() -> None:
    """100.0 and numpy.int64(100) are the count 100, not a non-integer n."""
    reference = distributions.binomial_upper(2, 100, 0.95)
    assert distributions.binomial_upper(2, 100.0, 0.95) == reference
    assert distributions.binomial_upper(np.int64(2), np.int64(100), 0.95) == reference
    assert distributions.hyper_upper_count(np.int64(1), 102.0, 1200, 0.90) == 43


def test_as_many_errors_as_items_is_still_a_valid_question() -> None:
    """Every item wholly wrong: the binomial limit is 100 %, the hypergeometric count within N."""
    assert distributions.binomial_upper(10, 10, 0.95) == 1.0
    assert evaluate_attribute(10, 10, 0.95).upper_limit == 1.0
    assert distributions.hyper_upper_count(10, 10, 20, 0.95) <= 20


def test_decimal_inputs_and_a_census_sized_population_still_plan() -> None:
    assert plan_mus(Decimal(13500000), Decimal(450000), 0.95, Decimal(100000), "hypergeometric").n == 145
    assert plan_sample_size(0.01, 0.90, likelihood="hypergeometric", population_size=100).n == 90


def test_zero_confidence_needs_no_items_and_is_not_refused() -> None:
    """A required confidence of 0 (the other evidence suffices) is a valid question: 0 items."""
    assert audit_risk.zero_error_size(0.01, 0.0) == 0


def test_check_messages_print_numbers_the_dutch_way() -> None:
    assert checks.show(12.5) == "12,5"
    assert checks.show(math.nan) == "NaN"
    assert checks.show(-math.inf) == "min oneindig"
    assert checks.show(Decimal("0.02")) == "0,02"


def test_dutch_taints_are_read_with_a_decimal_comma_and_an_ambiguous_list_is_refused() -> None:
    """'0,5 0,25' was read as the four taints 0, 5, 0, 25: a wrong number without a word."""
    common = ["evaluate", "--n", "100", "--population-value", "1000000", "--json"]
    dutch = CliRunner().invoke(stats, [*common, "--taints", "0,5 0,25"])
    english = CliRunner().invoke(stats, [*common, "--taints", "0.5;0.25"])
    assert dutch.exit_code == 0 and dutch.output == english.output
    ambiguous = CliRunner().invoke(stats, [*common, "--taints", "0.5,0.25"])
    assert ambiguous.exit_code == 2 and "één decimaalteken" in ambiguous.output
