"""Evaluation over any range of days: the year to date of the kwartaalrapportage and ``kic evaluate --van --tot``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))
import json
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from reviewed import reviewed_sample

from kic.cli import main
from kic.db import session_scope
from kic.evaluation import EvaluationError, evaluate_period
from kic.formatting import euro
from kic.periods import PeriodError, date_range
from kic.reports.publish import build_files
from kic.reports.summary import share_text


@pytest.fixture
def half_year(population):  # type: ignore[no-untyped-def]
    reviewed_sample(population, "2026-Q1", {0: Decimal("40.00")}, n=10, cause="mens")
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00"), 2: Decimal("300.00")}, n=10, cause="systeem")
    reviewed_sample(population, "2026-Q3", {0: Decimal("75.00")}, n=10, cause="mens")
    return population


def test_a_date_range_evaluates_the_samples_that_lie_within_it(half_year):
    with session_scope(half_year) as session:
        first_half = evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 6, 30)))
        first_quarter = evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 3, 31)))
        by_label = evaluate_period(session, "2026-Q1")
        with pytest.raises(EvaluationError, match="meer dan één verslagjaar"):
            evaluate_period(session, date_range(date(2025, 10, 1), date(2026, 3, 31)))
        with pytest.raises(EvaluationError, match="geen steekproeven"):
            evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 1, 31)))
    assert first_half.period == "01-01-2026 t/m 30-06-2026"
    assert [s.period for s in first_half.samples] == ["2026-Q1", "2026-Q2"]
    assert first_half.overall is not None and first_half.overall.samples == 2
    assert first_half.overall.projections["fouten"].found == Decimal("370.00")
    assert first_half.conclusion.startswith("Tussenstand 01-01-2026 t/m 30-06-2026:")
    # a part of the year is never declared above or within the year's tolerance, only shown
    assert "wordt niet getoetst aan de goedkeuringstolerantie" in first_half.conclusion
    assert "overschrijdt" not in first_half.conclusion and "blijft binnen" not in first_half.conclusion
    assert first_half.interim_of == 2026
    assert first_quarter.overall == by_label.overall  # the same samples: the same figures


def test_kwartaalrapportage_year_to_date_is_the_evaluation_of_that_range(half_year):
    with session_scope(half_year) as session:
        expected = evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 6, 30))).overall
        files = build_files(session, "kwartaal", "2026-Q2", pdf=False)
    assert expected is not None
    soup = BeautifulSoup(files["html"].decode(), "html.parser")
    total, value = expected.projections["totaal"], expected.population_value
    assert total.upper_limit is not None
    year = [td.get_text(" ", strip=True) for td in soup.select("#trend-tabel tbody tr")[-1].find_all("td")]
    assert year == [
        "2026 t/m 2026-Q2 (voorlopig)",
        share_text(total.most_likely_error / value * 100, Decimal(2)),
        share_text(total.upper_limit / value * 100, Decimal(2)),
    ]
    judgement = soup.select_one("#oordeel").get_text()
    assert f"de meest waarschijnlijke fout {euro(total.most_likely_error)}" in judgement
    assert f"van {euro(value)} in de steekproefpopulaties" in judgement
    assert euro((value * 2 / 100).quantize(Decimal("0.01"))) in soup.select_one("#jaarconclusie").get_text()


def test_cli_evaluates_a_date_range(half_year):
    url = half_year.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        main, ["evaluate", "--van", "01-01-2026", "--tot", "2026-06-30", "--json", "--database", url]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["period"] == "01-01-2026 t/m 30-06-2026" and len(data["samples"]) == 2
    assert data["overall"]["projections"]["fouten"]["found"] == "370.00"
    for wrong in (
        ["--van", "01-01-2026"],
        ["--periode", "2026-Q1", "--van", "01-01-2026", "--tot", "31-03-2026"],
    ):
        refused = CliRunner().invoke(main, ["evaluate", *wrong, "--database", url])
        assert refused.exit_code == 2, refused.output
    backwards = CliRunner().invoke(
        main, ["evaluate", "--van", "30-06-2026", "--tot", "01-01-2026", "--database", url]
    )
    assert backwards.exit_code == 1 and "vóór ze begint" in backwards.output


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(PeriodError):
        date_range(date(2026, 6, 30), date(2026, 1, 1))
    assert date_range(date(2026, 1, 1), date(2026, 6, 30), "2026 t/m 2026-Q2").label == "2026 t/m 2026-Q2"
