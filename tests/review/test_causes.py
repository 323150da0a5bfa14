"""Cause codes are configuration: the shipped list, a gemeente's own list, and a bad list refused."""

from __future__ import annotations

import pytest

from kic.review.causes import CauseConfigError, cause_codes, load_causes, unknown_cause


def test_the_shipped_list_has_the_usual_split_and_the_cbs_ontstaansgrond_codes(monkeypatch):
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    codes = cause_codes()
    assert codes[:5] == ("mens", "proces", "systeem", "regelgeving", "klant")
    # CBS statistiek debiteuren en fraude, ontstaansgrond 51-57 (shared/reference/domain.md §5)
    assert codes[5:] == tuple(str(c) for c in range(51, 58))
    labels = {c.code: c.label for c in load_causes()}
    assert "verzwijgen witte inkomsten" in labels["51"] and "onverschuldigde betaling" in labels["57"]
    assert unknown_cause(None) is None and unknown_cause("mens") is None
    assert unknown_cause("toeval") == f"onbekende oorzaak 'toeval'; kies uit {', '.join(codes)}"


def test_a_gemeentes_own_list_replaces_the_shipped_one(tmp_path):
    (tmp_path / "oorzaken.yaml").write_text(
        "oorzaken:\n  - code: werkdruk\n    omschrijving: te veel dossiers per consulent\n"
        "  - code: mens\n    omschrijving: menselijke fout\n", encoding="utf-8")
    assert cause_codes(tmp_path) == ("werkdruk", "mens")
    assert unknown_cause("systeem", tmp_path) is not None
    (tmp_path / "oorzaken.yaml").write_text(
        "oorzaken:\n  - code: werkdruk\n    omschrijving: hoog\n", encoding="utf-8")
    assert cause_codes(tmp_path) == ("werkdruk",), "a changed file is read again"


@pytest.mark.parametrize(("text", "reason"), [
    ("oorzaken:\n  - code: a\n    omschrijving: x\n  - code: a\n    omschrijving: y\n", "code 'a' staat er al eerder in"),
    ("oorzaken:\n  - code: a,b\n    omschrijving: x\n", "bevat een komma"),
    ("oorzaken:\n  - code: a\n", "code en omschrijving zijn verplicht"),
    ("oorzaken: []\n", "verwacht een lijst 'oorzaken'"),
    ("oorzaken: [\n", "niet te lezen"),
])
def test_a_bad_list_is_refused_with_its_reason(tmp_path, text, reason):
    (tmp_path / "oorzaken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CauseConfigError, match=reason):
        load_causes(tmp_path)
