"""``kic risk show``, ``validate`` and ``explain`` on an imported synthetic gemeente."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from kic.cli import main
from kic.controls.frame import load_frame
from kic.db import session_scope
from kic.risk import hit_counts, load_risk_model, risk_weights


@pytest.fixture
def kic(population, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    url = population.url.render_as_string(hide_password=False)
    return lambda *args: CliRunner().invoke(main, [*args, "--database", url])


def first(engine, query: str) -> str:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return str(session.execute(text(query)).scalar())


def test_risk_show_lists_every_factor_with_weight_and_explanation(monkeypatch):
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    result = CliRunner().invoke(main, ["risk", "show"])
    assert result.exit_code == 0, result.output
    model = load_risk_model()
    assert f"versie {model.version}" in result.output and model.content_hash in result.output
    for factor in model.factors:
        assert factor.id in result.output and factor.condition in result.output


def test_risk_explain_shows_which_factors_fired_for_a_manual_payment(kic, population):
    payment = first(population, "SELECT payment_id FROM payment WHERE manual ORDER BY payment_id")
    result = kic("risk", "explain", payment)
    assert result.exit_code == 0, result.output
    line = next(t for t in result.output.splitlines() if t.startswith("handmatige_betaling"))
    assert line.split()[3] == "ja" and "Handmatig ingevoerde betalingen" in line
    assert "onbekend (nog geen controlerun" in result.output
    data = json.loads(kic("risk", "explain", payment, "--json").output)
    with session_scope(population) as session:
        frame = load_frame(session)
    expected = risk_weights(load_risk_model(), frame).weights[frame["betaling_id"] == payment].iloc[0]
    assert data["gewicht"] == pytest.approx(expected) and data["betaling_id"] == payment
    last = next(t for t in result.output.splitlines() if t.startswith("Risicogewicht:"))
    assert last.startswith("Risicogewicht: 1 × 2") and last.endswith(
        str(data["gewicht"]).replace(".", ",").removesuffix(",0")
    )


def test_risk_explain_counts_the_hits_of_the_latest_control_run(kic, population):
    from kic.controls.run import run_controls

    with session_scope(population) as session:
        summary = run_controls(session, actor="tester")
    hits = hit_counts(summary.findings)
    payment = str(hits.index[0])
    data = json.loads(kic("risk", "explain", payment, "--json").output)
    fired = {f["id"]: f["geldt"] for f in data["factoren"]}
    assert data["controletreffers"] == int(hits.iloc[0]) >= 1 and fired["controletreffer"]
    with session_scope(population) as session:
        ids = session.execute(text("SELECT payment_id FROM payment ORDER BY payment_id")).scalars().all()
    clean = next(i for i in ids if i not in hits.index)
    assert json.loads(kic("risk", "explain", clean, "--json").output)["controletreffers"] == 0


def test_risk_explain_of_an_unknown_payment_fails_in_dutch(kic):
    result = kic("risk", "explain", "GEEN-BETALING")
    assert result.exit_code == 1 and "staat niet in de actieve populatie" in result.output


def test_risk_validate_refuses_a_model_with_a_personal_trait(tmp_path):
    (tmp_path / "risk.yaml").write_text(
        "versie: 1\nfactoren:\n  - {id: herkomst, naam: H, voorwaarde: 'bedrag > 0', gewicht: 2, uitleg: x}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["risk", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "risk.yaml, factor herkomst, veld id: persoonskenmerk niet toegestaan" in result.output
    assert "Gekleurde technologie" in result.output
    shown = CliRunner().invoke(main, ["risk", "show", "--controles", str(tmp_path)])
    assert shown.exit_code == 1 and "fout(en) in het risicomodel" in shown.output


def test_the_gemeentes_risk_model_replaces_the_shipped_one(tmp_path, monkeypatch):
    (tmp_path / "risk.yaml").write_text(
        "versie: 7\nfactoren:\n  - {id: handmatig, naam: H, voorwaarde: 'handmatig', gewicht: 3, uitleg: x}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KIC_CONTROLS_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["risk", "show"])
    assert result.exit_code == 0 and "versie 7" in result.output and "nieuwe_zaak" not in result.output
    assert (
        CliRunner()
        .invoke(main, ["risk", "validate"])
        .output.startswith("Het risicomodel is in orde: versie 7")
    )
