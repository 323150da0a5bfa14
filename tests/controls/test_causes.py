"""Cause codes are part of the catalogue: the shipped list, a gemeente's own list, a bad list refused."""

from __future__ import annotations

import pytest

from kic.controls.errors import ControlDefinitionError
from kic.controls.loader import load_catalogue, problems_of


def test_the_shipped_list_has_the_usual_split_and_the_cbs_ontstaansgrond_codes(monkeypatch):
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    catalogue = load_catalogue()
    codes = catalogue.cause_codes()
    assert codes[:5] == ("mens", "proces", "systeem", "regelgeving", "klant")
    # CBS statistiek debiteuren en fraude, ontstaansgrond 51-57 (shared/reference/domain.md §5)
    assert codes[5:] == tuple(str(c) for c in range(51, 58))
    labels = catalogue.cause_labels()
    assert "verzwijgen witte inkomsten" in labels["51"] and "onverschuldigde betaling" in labels["57"]
    assert catalogue.unknown_cause(None) is None and catalogue.unknown_cause("mens") is None
    assert catalogue.unknown_cause("toeval") == f"onbekende oorzaak 'toeval'; kies uit {', '.join(codes)}"


def test_a_gemeentes_own_list_replaces_the_shipped_one(tmp_path):
    (tmp_path / "oorzaken.yaml").write_text(
        "oorzaken:\n  - code: werkdruk\n    omschrijving: te veel dossiers per consulent\n"
        "  - code: mens\n    omschrijving: menselijke fout\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(tmp_path)
    assert catalogue.cause_codes() == ("werkdruk", "mens")
    assert catalogue.unknown_cause("systeem") is not None
    assert load_catalogue(shipped=tmp_path).cause_codes() == ("werkdruk", "mens")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "oorzaken:\n  - code: a\n    omschrijving: x\n  - code: a\n    omschrijving: y\n",
            "code 'a' staat er al eerder in",
        ),
        ("oorzaken:\n  - code: a,b\n    omschrijving: x\n", "bevat een komma"),
        ("oorzaken:\n  - code: a\n", "code en omschrijving zijn verplicht"),
        ("oorzaken: []\n", "verwacht een lijst 'oorzaken'"),
        ("oorzaken: [\n", "geen geldige YAML"),
    ],
)
def test_a_bad_list_is_a_problem_of_the_catalogue(tmp_path, text, reason):
    (tmp_path / "oorzaken.yaml").write_text(text, encoding="utf-8")
    problems = problems_of(tmp_path)
    assert [p.file for p in problems] == ["oorzaken.yaml"] and reason in str(problems[0])
    with pytest.raises(ControlDefinitionError):
        load_catalogue(tmp_path)
