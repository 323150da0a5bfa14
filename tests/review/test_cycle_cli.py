"""The quarter as a team runs it from the command line: draw, assign, export, fill, import, evaluate."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kic.cli import main
from kic.controls import load_catalogue
from kic.db import session_scope
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.workbook import fill_answers
from kic.samples.draw import SampleError, SampleSpec, draw_sample
from kic.samples.verify import verify
from kic.synth.reviewer import answers_for_sample, read_truth


def run(db, *args: str):  # type: ignore[no-untyped-def]
    url = db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, [*args, "--database", url], catch_exceptions=False)
    return result


def test_quarter_from_draw_to_evaluation(population, gemeente, tmp_path):
    drawn = run(
        population,
        "sample",
        "draw",
        "--regeling",
        "PW-LO",
        "--periode",
        "2026-Q2",
        "--n",
        "30",
        "--seed",
        "kwartaal",
    )
    assert drawn.exit_code == 0, drawn.output
    sample_id = int(drawn.output.split()[1])
    assigned = run(
        population, "review", "assign", str(sample_id), "--beoordelaar", "ali", "--beoordelaar", "bea"
    )
    assert assigned.exit_code == 0 and "ali" in assigned.output, assigned.output
    exported = run(population, "review", "export", str(sample_id), "--uitvoer", str(tmp_path))
    paths = [line.split(": ", 1)[1] for line in exported.output.splitlines()]
    assert len(paths) == 2
    truth = read_truth(gemeente.ground_truth_path)
    with session_scope(population) as session:
        answers = answers_for_sample(session, sample_id, truth, load_catalogue())
    for path in paths:
        fill_answers(Path(path), answers)
    imported = run(population, "review", "import", *paths)
    assert imported.exit_code == 0 and "0 posten nog niet ingevuld" in imported.output, imported.output
    again = run(population, "review", "import", paths[0])
    assert again.exit_code == 3 and "al ingelezen" in again.output

    evaluated = run(population, "evaluate", "--periode", "2026-Q2", "--json")
    assert evaluated.exit_code == 0, evaluated.output
    result = json.loads(evaluated.output)
    sample = result["samples"][0]
    with session_scope(population) as session:
        paid_too_much = sum(
            (
                truth[r.item_key][1]
                for r in session.scalars(select(Review))
                if r.item_key in truth and truth[r.item_key][1] > 0
            ),
            Decimal("0.00"),
        )
    fouten = sample["projections"]["fouten"]
    assert Decimal(fouten["found"]) == paid_too_much
    assert Decimal(fouten["upper_limit"]) >= Decimal(fouten["most_likely_error"]) >= 0
    assert sample["reviewed"] == sample["items"]
    text = run(population, "evaluate", "--period", "2026-Q2")
    assert "Conclusie: Tussenstand 2026-Q2" in text.output and "goedkeuringstolerantie" in text.output
    assert "verantwoordingsgrens van de gemeente (€\xa04.200.000,00)" in text.output, "from controleplan 2026"
    year = run(population, "evaluate", "--jaar", "2026")
    assert year.exit_code == 0 and "Tussenstand" not in year.output


def test_evaluate_needs_one_of_period_or_year(population):
    assert run(population, "evaluate").exit_code == 2
    nothing = run(population, "evaluate", "--jaar", "2026")
    assert nothing.exit_code == 1 and "geen steekproeven" in nothing.output


def test_a_plan_filter_that_reads_the_beschikking_is_reperformed_from_both_exports(population, gemeente):
    spec = SampleSpec(
        "PW-LO",
        parse_period("2026-Q3"),
        8,
        method="items",
        selection_method="random",
        purpose="gericht",
        part="PWLO-OUD",
        filter="bedrag > 0 and days(beschikking.besluitdatum, periode_van) > 200",
    )
    with session_scope(population) as session:
        drawn = draw_sample(session, spec, seed="oud", actor="teamleider")
        manifest = drawn.manifest
        assert 0 < drawn.population_count < 1500 and "filter" in manifest["populatie"]["afbakening"]
    assert verify(manifest, gemeente.payments_path, None, gemeente.dossiers_path).matches
    with pytest.raises(SampleError, match="beschikkingen"):
        verify(manifest, gemeente.payments_path)
