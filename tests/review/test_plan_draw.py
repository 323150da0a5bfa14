"""Drawing a quarter as the controleplan asks, with the items assigned at once."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import func, select

from kic.cli import main
from kic.cycle.models import Sample
from kic.cycle.verify import verify
from kic.db import session_scope
from kic.review.models import Review


def run(db, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--database", db.url.render_as_string(hide_password=False)],
                              catch_exceptions=False)


def test_the_plan_draws_every_line_of_the_quarter_and_assigns_it(population, gemeente, tmp_path):
    result = run(population, "sample", "draw", "--plan", "2026", "--periode", "2026-Q3", "--regeling", "PW-LO",
                 "--seed", "plan", "--beoordelaar", "ali", "--beoordelaar", "bea", "--beoordelaar", "cor")
    assert result.exit_code == 0, result.output
    assert "onderdeel PWLO-BETALING" in result.output and "onderdeel PWLO-AANVRAAG" in result.output
    with session_scope(population) as session:
        samples = session.scalars(select(Sample).order_by(Sample.id)).all()
        parts = {s.plan_part for s in samples}
        assert {"PWLO-BETALING", "PWLO-TERUGVORDERING", "PWLO-AANVRAAG"} <= parts
        assert all(s.plan["jaar"] == 2026 and s.plan["inhoud_sha256"] for s in samples)
        statistical = next(s for s in samples if s.plan_part == "PWLO-BETALING")
        reviews = session.scalars(select(Review).where(Review.sample_id == statistical.id)).all()
        assert reviews and all(r.second_reviewer for r in reviews), "the plan asks vier-ogen for this line"
        manifest = statistical.manifest
    path = tmp_path / "m.json"
    path.write_text(json.dumps(manifest))
    assert verify(manifest, gemeente.payments_path, None, gemeente.dossiers_path).matches

    again = run(population, "sample", "draw", "--plan", "2026", "--periode", "2026-Q3", "--regeling", "PW-LO")
    assert again.exit_code == 1 and "al steekproef" in again.output
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == len(samples), "nothing half drawn"


def test_a_risk_weighted_line_records_the_risk_model_and_can_be_reperformed(population, gemeente):
    result = run(population, "sample", "draw", "--plan", "2026", "--periode", "2026-Q3", "--regeling", "PW-BB",
                 "--seed", "risico")
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
