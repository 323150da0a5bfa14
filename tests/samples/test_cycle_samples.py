"""Drawing, freezing and re-performing samples, as a teamleider and an accountant do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kic.cli import main
from kic.db import session_scope
from kic.periods import PeriodError, parse_period
from kic.population import import_population
from kic.samples.draw import SampleError, SampleSpec, draw_sample
from kic.samples.verify import verify
from kic.synth import generate


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("gemeente"), payments=4000, seed=7).payments_path


@pytest.fixture
def population(db, export):  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        import_population(session, "betalingen", export, actor="tester")
    return db


def draw(engine, spec: SampleSpec, seed: str = "s1", reason: str | None = None):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return draw_sample(session, spec, seed=seed, actor="teamleider", redraw_reason=reason)


MUS_Q3 = SampleSpec("PW-LO", parse_period("2026-Q3"), n=25)


def test_periods_are_read_as_teams_name_them():
    assert (parse_period("2026-q3").start.isoformat(), parse_period("2026-Q3").end.isoformat()) == (
        "2026-07-01",
        "2026-09-30",
    )
    assert parse_period("2026-02").end.isoformat() == "2026-02-28"
    with pytest.raises(PeriodError):
        parse_period("Q3")


def test_a_drawn_sample_stores_what_an_accountant_needs(population, export):
    sample = draw(population, MUS_Q3)
    manifest = sample.manifest
    assert sample.item_count == len(manifest["posten"]) >= 20
    assert manifest["steekproef"]["seed"] == "s1" and manifest["populatie"]["bestand_sha256"]
    assert manifest["populatie"]["aantal"] == sample.population_count
    assert {"numpy", "pandas", "scipy", "python"} <= set(manifest["bibliotheken"])
    assert verify(manifest, export).matches


@pytest.mark.parametrize(
    ("method", "selection", "order"),
    [
        ("mus", "interval", "mix"),
        ("mus", "sieve", "mix"),
        ("items", "random", "mix"),
        ("mus", "interval", "hash"),  # manifests of November 2026
        ("items", "systematic", "id"),  # older manifests
    ],
)
def test_every_order_is_recorded_and_re_performed_from_the_file(population, export, method, selection, order):
    """The draw mixes its seed into item keys computed once per population (§7.1); the accountant's
    re-performance computes every key again from the export and must find the same sample."""
    spec = SampleSpec(
        "PW-LO", parse_period("2026-Q3"), n=25, method=method, selection_method=selection, order=order
    )
    manifest = draw(population, spec).manifest
    assert manifest["steekproef"]["volgorde"] == order
    assert verify(manifest, export).matches


def test_the_same_seed_gives_the_same_sample(population):
    first = draw(population, MUS_Q3, seed="zelfde")
    again = draw(population, MUS_Q3, seed="zelfde", reason="controle reproduceerbaarheid")
    assert [i["betaling_id"] for i in first.manifest["posten"]] == [
        i["betaling_id"] for i in again.manifest["posten"]
    ]
    assert again.replaces_id == first.id


def test_drawing_the_same_period_twice_needs_a_reason(population):
    draw(population, MUS_Q3)
    with pytest.raises(SampleError, match="opnieuw"):
        draw(population, MUS_Q3, seed="ander")
    redrawn = draw(population, MUS_Q3, seed="ander", reason="populatie was onvolledig")
    with session_scope(population) as session:
        reasons = session.execute(
            text("SELECT note FROM audit_event WHERE action = 'steekproef.trekken'")
        ).all()
    assert redrawn.reason == "populatie was onvolledig" and ("populatie was onvolledig",) in reasons


def test_a_drawn_sample_cannot_be_changed(population):
    sample = draw(population, MUS_Q3)
    for statement in (
        f"UPDATE sample_item SET hits = 9 WHERE sample_id = {sample.id}",
        f"DELETE FROM sample WHERE id = {sample.id}",
    ):
        with pytest.raises(DBAPIError, match="frozen"), population.begin() as connection:
            connection.execute(text(statement))


def test_verify_finds_a_tampered_manifest_and_a_changed_export(population, export, tmp_path):
    manifest = draw(
        population,
        SampleSpec("WMO", parse_period("2026-07"), n=10, method="items", selection_method="random"),
        seed=11,
    ).manifest
    tampered = json.loads(json.dumps(manifest))
    tampered["posten"][0]["betaling_id"] = "B999999999"
    result = verify(tampered, export)
    assert not result.matches and "positie 1" in result.differences[0]
    changed = tmp_path / "betalingen.csv"
    lines = export.read_text(encoding="utf-8-sig").splitlines()
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8-sig")  # one payment less
    assert not verify(manifest, changed).file_matches


def test_cli_draws_writes_the_manifest_and_verifies_it(population, export, db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("KIC_DATABASE_URL", db_url)
    runner = CliRunner()
    manifest = tmp_path / "manifest.json"
    result = runner.invoke(
        main,
        [
            "sample",
            "draw",
            "--regeling",
            "pw-lo",
            "--periode",
            "2026-Q3",
            "--n",
            "20",
            "--seed",
            "42",
            "--manifest",
            str(manifest),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Steekproef 1 getrokken" in result.output and manifest.is_file()
    verified = runner.invoke(main, ["sample", "verify", str(manifest), str(export)])
    assert verified.exit_code == 0 and "komen overeen" in verified.output
    assert "PW-LO" in runner.invoke(main, ["sample", "list"]).output
    again = runner.invoke(
        main, ["sample", "draw", "--regeling", "PW-LO", "--periode", "2026-Q3", "--n", "20"]
    )
    assert again.exit_code == 4 and "--opnieuw" in again.output


def test_a_filter_on_a_payment_column_that_starts_like_beschikking_needs_no_beschikkingen():
    """Regression: the expression prefix 'beschikking' matched the payment column beschikkingsnummer, so
    kic sample verify asked for the beschikkingen export for a filter like isnull(beschikkingsnummer)."""
    own = SampleSpec("PW-LO", parse_period("2026-Q2"), 5, filter="isnull(beschikkingsnummer)")
    linked = SampleSpec("PW-LO", parse_period("2026-Q2"), 5, filter="beschikking.bedrag_per_periode > 0")
    assert not own.needs_dossiers and linked.needs_dossiers
