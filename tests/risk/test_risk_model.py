"""The fair risk model: case and transaction features only; weights a PPS selection can use."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kic.risk import RiskModelError, RiskModelFile, hit_counts, load_risk_model, personal_trait, risk_weights
from kic.risk.explain import UnknownPayment, explain_row
from kic.risk.loader import read_risk_model
from kic.sampling import select_risk_weighted

MODEL = {
    "versie": 3,
    "basisgewicht": 1.0,
    "maximaal_gewicht": 5.0,
    "factoren": [
        {
            "id": "handmatig",
            "naam": "Handmatig",
            "voorwaarde": "handmatig",
            "gewicht": 2.0,
            "uitleg": "Buiten de berekening.",
        },
        {
            "id": "hoog",
            "naam": "Hoog bedrag",
            "voorwaarde": "bedrag > 1000",
            "gewicht": 1.5,
            "uitleg": "Kost meer.",
        },
        {
            "id": "treffer",
            "naam": "Treffer",
            "voorwaarde": "controletreffers >= 1",
            "gewicht": 3.0,
            "uitleg": "Een controle keurde af.",
        },
    ],
}


def factor(**fields: object) -> dict:
    return {"id": "f", "naam": "F", "voorwaarde": "bedrag > 0", "gewicht": 2, "uitleg": "Waarom.", **fields}


def model_with(*factors: dict) -> dict:
    return {"versie": 1, "factoren": list(factors)}


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "betaling_id": ["B1", "B2", "B3", "B4"],
            "regeling": ["PW-LO"] * 4,
            "bedrag": pd.array([50_000, 200_000, 150_000, None], dtype="Int64"),  # cents
            "handmatig": pd.array([False, True, True, None], dtype="boolean"),
            "periode_van": pd.to_datetime(["2026-07-01"] * 4),
        }
    )


def test_the_shipped_model_uses_no_personal_trait_and_explains_every_factor():
    model = load_risk_model()
    assert model.version >= 1 and len(model.content_hash) == 64
    for f in model.factors:
        assert f.explanation and f.name and personal_trait(f.id) is None
    ids = {f.id for f in model.factors}
    assert {
        "controletreffer",
        "handmatige_betaling",
        "nieuwe_zaak",
        "na_mutatie",
        "boven_berekend_bedrag",
        "heronderzoek_verlopen",
        "hoog_bedrag",
    } <= ids


@pytest.mark.parametrize(
    ("condition", "trait"),
    [
        ("nationaliteit != 'NL'", "nationaliteit"),
        ("taal == 'Arabisch'", "taal"),
        ("spreektaal_nl == False", "taal"),
        ("leeftijd < 27", "leeftijd"),
        ("geslacht == 'V'", "geslacht"),
        ("wijk in ['Noord', 'Delfshaven']", "woonwijk"),
        ("postcode4 == 3029", "postcode"),
        ("geboorteland != 'Nederland'", "geboortedatum of -land"),
        ("beschikking.nationaliteit == 'X'", "nationaliteit"),
        ("bedrag > 100 and year(geboortedatum) < 1960", "geboortedatum of -land"),
        ("age > 50", "leeftijd"),
        ("bsn == '123456782'", "burgerservicenummer"),
    ],
)
def test_a_personal_trait_in_a_condition_is_refused_with_the_reason(condition, trait):
    with pytest.raises(ValueError) as caught:
        RiskModelFile.model_validate(model_with(factor(voorwaarde=condition)))
    message = str(caught.value)
    assert "persoonskenmerk niet toegestaan" in message and f"({trait})" in message
    assert "Rekenkamer Rotterdam" in message and "Gekleurde technologie" in message
    assert "AI-verordening" in message and "bijlage III" in message


def test_a_personal_trait_as_factor_name_is_refused_too():
    with pytest.raises(ValueError, match=r"'leeftijd_boven_50' \(leeftijd\)"):
        RiskModelFile.model_validate(model_with(factor(id="leeftijd_boven_50")))


@pytest.mark.parametrize(
    "name",
    [
        "totaal_bedrag",
        "agenda",
        "bedrag",
        "beschikking.bedrag_per_periode",
        "leefvorm",
        "kostendelers",
        "handmatig",
        "controletreffers",
    ],
)
def test_case_features_are_not_mistaken_for_personal_traits(name):
    assert personal_trait(name) is None


def test_every_problem_of_a_risk_file_is_reported_with_file_factor_and_field(tmp_path: Path):
    (tmp_path / "risk.yaml").write_text(
        "versie: 0\nfactoren:\n"
        "  - {id: a, naam: A, voorwaarde: 'geslacht == 1', gewicht: 2, uitleg: x}\n"
        "  - {id: b, naam: B, voorwaarde: 'onbekend > 1', gewicht: 0, uitleg: x}\n"
        "  - {id: c, naam: C, voorwaarde: 'open(1)', gewicht: 2}\n",
        encoding="utf-8",
    )
    model, problems = read_risk_model(tmp_path)
    text = "\n".join(str(p) for p in problems)
    assert model is None
    assert "risk.yaml, veld versie: moet minstens 1 zijn" in text
    assert "risk.yaml, factor a, veld voorwaarde: persoonskenmerk niet toegestaan: 'geslacht'" in text
    assert "factor b, veld voorwaarde: onbekende kolom(men): onbekend" in text
    assert "factor b, veld gewicht: moet groter dan 0 zijn" in text
    assert "factor c, veld voorwaarde: aanroep van 'open' niet toegestaan" in text
    assert "factor c, veld uitleg: verplicht veld ontbreekt" in text
    with pytest.raises(RiskModelError):
        load_risk_model(tmp_path)


def test_weights_multiply_the_factors_that_hold_and_are_capped(frame):
    model = RiskModelFile.model_validate(MODEL)
    hits = pd.Series({"B3": 2})
    result = risk_weights(model, frame, hits)
    # B1: nothing; B2: handmatig x hoog = 3; B3: 2 x 1.5 x 3 = 9 -> capped at 5; B4: unknown -> 1.
    assert result.weights.tolist() == [1.0, 3.0, 5.0, 1.0]
    assert result.fired["treffer"].tolist() == [False, False, True, False]
    assert result.undetermined["handmatig"].tolist() == [False, False, False, True]
    assert result.hits_known and result.model_reference == {"versie": 3, "inhoud_sha256": model.content_hash}
    assert list(result.weights.index) == list(frame.index)


def test_without_hits_no_payment_counts_a_hit(frame):
    result = risk_weights(RiskModelFile.model_validate(MODEL), frame)
    assert not result.hits_known and not result.fired["treffer"].any()
    with_column = risk_weights(
        RiskModelFile.model_validate(MODEL), frame.assign(controletreffers=[0, 0, 1, 0])
    )
    assert with_column.hits_known and with_column.fired["treffer"].tolist() == [False, False, True, False]


def test_hit_counts_come_from_the_findings_of_a_control_run():
    findings = pd.DataFrame({"betaling_id": ["B1", "B1", "B7"], "control_id": ["A", "B", "A"]})
    assert hit_counts(findings).to_dict() == {"B1": 2, "B7": 1}
    assert hit_counts(findings.iloc[0:0]).empty


def test_the_content_hash_follows_the_content():
    first = RiskModelFile.model_validate(MODEL)
    changed = RiskModelFile.model_validate(
        {**MODEL, "factoren": [{**MODEL["factoren"][0], "gewicht": 2.5}, *MODEL["factoren"][1:]]}
    )
    assert first.content_hash == RiskModelFile.model_validate(MODEL).content_hash != changed.content_hash


def test_weights_serve_as_pps_size_measures():
    ids = [f"B{i:03d}" for i in range(200)]
    frame = pd.DataFrame(
        {
            "betaling_id": ids,
            "regeling": "PW-LO",
            "bedrag": pd.array([10_000] * 200, dtype="Int64"),
            "handmatig": pd.array([i < 20 for i in range(200)], dtype="boolean"),
            "periode_van": pd.to_datetime(["2026-01-01"] * 200),
        }
    )
    weights = risk_weights(RiskModelFile.model_validate(MODEL), frame).weights
    selection = select_risk_weighted(
        frame["betaling_id"], frame["bedrag"].astype("int64"), weights, n=22, seed=5
    )
    probability = dict(zip(selection.ids, selection.inclusion_probabilities, strict=True))
    manual = [p for i, p in probability.items() if int(i[1:]) < 20]
    other = [p for i, p in probability.items() if int(i[1:]) >= 20]
    # pi = n x / X with x = |bedrag| x weight: 22 * 2 / 220 = 0.2 for a manual payment, 0.1 otherwise.
    assert manual and other and np.allclose(manual, 0.2) and np.allclose(other, 0.1)


def test_explain_row_lists_every_factor(frame):
    model = RiskModelFile.model_validate(MODEL)
    explanation = explain_row(model, frame, "B3", pd.Series({"B3": 1}))
    assert [o.factor.id for o in explanation.factors] == ["handmatig", "hoog", "treffer"]
    assert [o.factor.id for o in explanation.fired] == ["handmatig", "hoog", "treffer"]
    assert explanation.weight == 5.0 and explanation.capped and explanation.hits == 1
    with pytest.raises(UnknownPayment):
        explain_row(model, frame, "B9")
