"""``kic controls``: list, show, validate, schema, overview and run through click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import copy_test_catalogue

from kic.cli import main
from kic.db import session_scope
from kic.population import import_population
from kic.synth import generate

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def runner(monkeypatch) -> CliRunner:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    return CliRunner()


def test_validate_lists_every_problem_and_exits_1(runner, tmp_path):
    (tmp_path / "x.yaml").write_text(
        "regeling: WMO\ncontroles:\n  - id: x-1\n    versie: 0\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["controls", "validate", str(tmp_path), "--alleen"])
    assert result.exit_code == 1
    assert "x.yaml, controle x-1, veld id:" in result.output
    assert "x.yaml, controle x-1, veld versie: moet minstens 1 zijn" in result.output
    assert "veld vraag: verplicht veld ontbreekt" in result.output


def test_validate_accepts_a_good_catalogue(runner, tmp_path):
    copy_test_catalogue(tmp_path / "c")
    result = runner.invoke(main, ["controls", "validate", str(tmp_path / "c"), "--alleen"])
    assert result.exit_code == 0, result.output
    assert "in orde" in result.output


def test_list_and_show_use_the_override_folder(runner, tmp_path):
    own = tmp_path / "eigen"
    own.mkdir()
    (own / "eigen.yaml").write_text(
        "regeling: WKO\ncontroles:\n  - id: EIGEN-01\n    versie: 1\n    geldig_van: 2020-01-01\n"
        "    categorie: test\n    vraag: Eigen vraag?\n    grondslag: verordening\n    criterium: formeel\n"
        "    fouttype: FORM\n    automatisch: {regel: 'bedrag > 0'}\n",
        encoding="utf-8",
    )
    listed = runner.invoke(main, ["controls", "list", "--controles", str(own)])
    assert listed.exit_code == 0, listed.output
    assert "EIGEN-01" in listed.output and "geautomatiseerd" in listed.output
    shown = runner.invoke(main, ["controls", "show", "eigen-01", "--controles", str(own)])
    assert shown.exit_code == 0 and "vraag: Eigen vraag?" in shown.output and "inhoudshash" in shown.output
    missing = runner.invoke(main, ["controls", "show", "NIETS-01", "--controles", str(own)])
    assert missing.exit_code == 1 and "onbekende controle" in missing.output


def test_schema_is_json_with_the_dutch_field_names(runner):
    result = runner.invoke(main, ["controls", "schema"])
    schema = json.loads(result.output)
    control = schema["$defs"]["Control"]["properties"]
    assert {"versie", "geldig_van", "fouttype", "automatisch", "checklist"} <= set(control)


def test_run_prints_a_summary_per_regeling_and_recall(runner, db, db_url, tmp_path):
    gemeente = generate(tmp_path / "g", payments=1_000, seed=3)
    for kind, path in (("beschikkingen", gemeente.dossiers_path), ("betalingen", gemeente.payments_path)):
        with session_scope(db) as session:
            import_population(session, kind, path, actor="test")
    shipped = copy_test_catalogue(tmp_path / "normenkader")
    result = runner.invoke(main, ["controls", "validate", str(shipped), "--alleen"])
    assert result.exit_code == 0
    from unittest import mock

    with mock.patch("kic.controls.loader.resource_dir", return_value=shipped):
        result = runner.invoke(
            main,
            [
                "controls",
                "run",
                "--database",
                db_url,
                "--gebruiker",
                "tester",
                "--grondwaarheid",
                str(gemeente.ground_truth_path),
            ],
        )
    assert result.exit_code == 0, result.output
    assert "Controlerun 1: 1.000 betalingen" in result.output
    assert "PW-LO" in result.output and "€" in result.output
    assert "recall 100,0%" in result.output or "recall 100.0%" in result.output


def test_run_refuses_a_database_that_is_not_migrated(runner, empty_db, db_url):
    result = runner.invoke(main, ["controls", "run", "--database", db_url, "--controles", str(CATALOGUE)])
    assert result.exit_code == 1 and "kic db upgrade" in result.output


def test_committed_catalogue_overview_is_current(monkeypatch):
    from kic.controls import load_catalogue
    from kic.controls.overview import render

    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    catalogue = load_catalogue()
    assert (DOCS / "catalogue.md").read_text(encoding="utf-8") == render(catalogue), (
        "draai: python -m kic.controls.overview > docs/catalogue.md"
    )
    assert len(catalogue.ids()) >= 80 and len({c.id for c in catalogue.automated()}) >= 35
