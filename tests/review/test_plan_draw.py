"""Drawing a quarter as the controleplan asks, with the items assigned at once."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner
from helpers import review_every_item
from sqlalchemy import func, select

from kic.cli import main
from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.plan.loader import load_plan
from kic.review.models import Review
from kic.review.service import sample_work
from kic.samples.models import Sample
from kic.samples.verify import verify


def run(db, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main, [*args, "--database", db.url.render_as_string(hide_password=False)], catch_exceptions=False
    )


def test_the_plan_draws_every_line_of_the_quarter_and_assigns_it(population, gemeente, tmp_path):
    result = run(
        population,
        "sample",
        "draw",
        "--plan",
        "2026",
        "--periode",
        "2026-Q3",
        "--regeling",
        "PW-LO",
        "--seed",
        "plan",
        "--beoordelaar",
        "ali",
        "--beoordelaar",
        "bea",
        "--beoordelaar",
        "cor",
    )
    assert result.exit_code == 0, result.output
    assert "onderdeel PWLO-BETALING" in result.output and "onderdeel PWLO-AANVRAAG" in result.output
    with session_scope(population) as session:
        samples = session.scalars(select(Sample).order_by(Sample.id)).all()
        parts = {s.plan_part for s in samples}
        assert {"PWLO-BETALING", "PWLO-TERUGVORDERING", "PWLO-AANVRAAG"} <= parts
        assert all(s.plan["jaar"] == 2026 and s.plan["inhoud_sha256"] for s in samples)
        plan = load_plan(2026)
        for s in samples:  # the werkonderdeel is stored with the sample: the checklist needs no plan file
            assert s.plan["werkonderdeel"] == plan.part(s.plan_part).work.value
            assert sample_work(session, s.id) is plan.part(s.plan_part).work
        statistical = next(s for s in samples if s.plan_part == "PWLO-BETALING")
        reviews = session.scalars(select(Review).where(Review.sample_id == statistical.id)).all()
        assert reviews and all(r.second_reviewer for r in reviews), "the plan asks vier-ogen for this line"
        manifest = statistical.manifest
    path = tmp_path / "m.json"
    path.write_text(json.dumps(manifest))
    assert verify(manifest, gemeente.payments_path, None, gemeente.dossiers_path).matches

    again = run(population, "sample", "draw", "--plan", "2026", "--periode", "2026-Q3", "--regeling", "PW-LO")
    assert again.exit_code == 4 and "al steekproef" in again.output
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == len(samples), "nothing half drawn"


def test_a_risk_weighted_line_records_the_risk_model_and_can_be_reperformed(population, gemeente):
    result = run(
        population,
        "sample",
        "draw",
        "--plan",
        "2026",
        "--periode",
        "2026-Q3",
        "--regeling",
        "PW-BB",
        "--seed",
        "risico",
    )
    assert result.exit_code == 0, result.output
    with session_scope(population) as session:
        risky = session.scalars(select(Sample).where(Sample.plan_part == "PWBB-HOOG")).all()
        assert risky and all(s.risk_model["inhoud_sha256"] and s.method.startswith("risico/") for s in risky)
        manifests = [s.manifest for s in risky]
    for manifest in manifests:
        assert verify(manifest, gemeente.payments_path, None, gemeente.dossiers_path).matches


def test_a_period_outside_the_plan_year_is_refused(population):
    result = run(population, "sample", "draw", "--plan", "2026", "--periode", "2025-Q3")
    assert result.exit_code == 1 and "planjaar 2026" in result.output


def test_a_statistical_risk_weighted_line_is_sized_drawn_and_extrapolated(population, tmp_path, monkeypatch):
    """End to end for a gemeente whose plan has one risk-weighted statistical line (docs/plan.md): plan show
    sizes it as MUS on amount × weight (larger than MUS), the plan draw takes it, and kic evaluate
    extrapolates it in euros once it is reviewed."""
    line = {
        "id": "PWLO-RISICO",
        "regeling": "PW-LO",
        "werkonderdeel": "betaling",
        "doel": "statistisch",
        "methode": "risicogewogen",
        "selectie": "systematisch",
        "betrouwbaarheid_pct": 95,
        "materialiteit_pct": 5.0,
        "frequentie": "per_kwartaal",
    }
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "2026.yaml").write_text(
        json.dumps(
            {
                "jaar": 2026,
                "versie": 1,
                "gemeente": "Risicogemeente",
                "onderdelen": [line, {**line, "id": "PWLO-MUS", "methode": "mus", "selectie": "interval"}],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("KIC_CONTROLS_DIR", str(tmp_path))
    shown = run(population, "plan", "show", "2026", "--json")
    assert shown.exit_code == 0, shown.output
    sizes = {p["id"]: p["omvang"] for p in json.loads(shown.output)["onderdelen"]}
    assert sizes["PWLO-RISICO"] > sizes["PWLO-MUS"] > 0, "weighting costs items: planned on M > B"
    assert (
        "ondersteunt: meest waarschijnlijke fout en bovengrens in euro's (gewogen"
        in run(population, "plan", "show", "2026").output
    )
    drawn = run(
        population,
        "sample",
        "draw",
        "--plan",
        "2026",
        "--periode",
        "2026-Q3",
        "--regeling",
        "PW-LO",
        "--seed",
        "risico",
    )
    assert drawn.exit_code == 0, drawn.output
    with session_scope(population) as session:
        sample = session.scalars(select(Sample).where(Sample.plan_part == "PWLO-RISICO")).one()
        assert sample.purpose == "statistisch" and sample.method == "risico/systematisch"
        wrong = {position: Decimal("10.00") for position in range(0, sample.item_count, 7)}
        review_every_item(session, sample.id, wrong, load_catalogue(), reviewer="ali")
        sample_id = sample.id
    evaluated = run(population, "evaluate", "--periode", "2026-Q3", "--json")
    assert evaluated.exit_code == 0, evaluated.output
    [risky] = [s for s in json.loads(evaluated.output)["samples"] if s["sample_id"] == sample_id]
    assert risky["purpose"] == "statistisch" and risky["projections"]["fouten"]["upper_limit"] is not None
