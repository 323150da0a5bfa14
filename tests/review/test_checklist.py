"""Scoring a checklist: the reviewer's answers decide the verdict and the error amount."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from kic.controls import load_catalogue
from kic.controls.catalogue import Control
from kic.review.checklist import AnswersInvalid, score


@pytest.fixture(scope="module")
def catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue()


def item(amount_cents: int = 125_000) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bedrag": pd.Series([amount_cents], dtype="Int64"),
            "periode_van": pd.to_datetime(["2026-03-01"]),
            "regeling": ["PW-LO"],
        }
    )


def control(catalogue, control_id: str = "PWLO-02") -> Control:  # type: ignore[no-untyped-def]
    return catalogue.version_for(control_id, pd.Timestamp("2026-03-01").date())


def test_all_yes_is_voldoet_without_amount(catalogue):
    verdict = score(control(catalogue), {"voldaan": "ja", "bewijs_volledig": "ja"}, item())
    assert (verdict.verdict, verdict.error_type, verdict.amount) == ("voldoet", None, Decimal("0.00"))
    assert verdict.version == control(catalogue).version and len(verdict.content_hash) == 64


def test_an_error_costs_what_was_paid_above_the_right_amount(catalogue):
    verdict = score(
        control(catalogue),
        {"voldaan": "Nee", "bewijs_volledig": "ja", "juist_bedrag": "1.000,50"},
        item(125_000),
    )
    assert (verdict.verdict, verdict.error_type, verdict.amount) == ("fout", "FIN", Decimal("249.50"))
    assert verdict.answers["juist_bedrag"] == "1000.50"


def test_an_amount_cell_from_excel_is_exact(catalogue):
    verdict = score(
        control(catalogue), {"voldaan": "nee", "bewijs_volledig": "ja", "juist_bedrag": 0}, item(125_000)
    )
    assert verdict.amount == Decimal("1250.00")


def test_missing_evidence_makes_the_whole_payment_uncertain(catalogue):
    verdict = score(control(catalogue), {"voldaan": "ja", "bewijs_volledig": "nee"}, item(99_999))
    assert (verdict.verdict, verdict.error_type, verdict.amount) == ("onzekerheid", "ONZ", Decimal("999.99"))


def test_a_broken_condition_of_an_onz_control_is_an_uncertainty(catalogue):
    identity = control(catalogue, "PWLO-01")  # identity not established: cannot show the payment is right
    verdict = score(identity, {"voldaan": "nee", "bewijs_volledig": "ja", "juist_bedrag": "0"}, item(50_000))
    assert (verdict.verdict, verdict.error_type, verdict.amount) == ("onzekerheid", "ONZ", Decimal("500.00"))


def test_nvt_on_the_first_question_makes_the_control_not_applicable(catalogue):
    verdict = score(control(catalogue), {"voldaan": "nvt"}, item())
    assert verdict.verdict == "nvt" and verdict.amount == 0


def test_every_problem_with_the_answers_is_reported_at_once(catalogue):
    with pytest.raises(AnswersInvalid) as caught:
        score(control(catalogue), {"voldaan": "misschien", "juist_bedrag": "twaalf", "vraag_x": "ja"}, item())
    reasons = {p.question: p.reason for p in caught.value.problems}
    assert set(reasons) == {"voldaan", "juist_bedrag", "vraag_x", "bewijs_volledig"}
    assert "ja, nee of nvt" in reasons["voldaan"] and "ontbreekt" in reasons["bewijs_volledig"]


def test_a_question_asked_only_after_nee_is_required_then(catalogue):
    with pytest.raises(AnswersInvalid, match="juist_bedrag: antwoord ontbreekt"):
        score(control(catalogue), {"voldaan": "nee", "bewijs_volledig": "ja"}, item())


def test_a_formal_error_has_no_amount(catalogue):
    formal = next(c for c in catalogue.all_versions() if c.checklist and c.error_type.value == "FORM")
    first = formal.checklist.questions[0].id
    answers = {
        q.id: ("nee" if q.id == first else "ja")
        for q in formal.checklist.questions
        if q.type.value == "janee"
    }
    answers |= {q.id: "0" for q in formal.checklist.questions if q.type.value == "bedrag"}
    verdict = score(formal, answers, item())
    assert (verdict.verdict, verdict.error_type, verdict.amount) == ("fout", "FORM", Decimal("0.00"))


def test_a_whole_checklist_reads_the_item_once_and_asks_each_condition_once_per_set_of_values(
    catalogue, monkeypatch
):
    from kic.review import checklist

    controls = [
        c
        for c in catalogue.all_versions()
        if c.checklist and c.regeling in ("PW-LO", "ALLE") and c.valid_on(pd.Timestamp("2026-03-01").date())
    ]
    answers = {
        c.id: {q.id: "ja" for q in c.checklist.questions if q.type.value == "janee" and q.only_if is None}
        for c in controls
    }
    wrong = next(
        c
        for c in controls
        if c.error_type.value == "FIN" and "juist_bedrag" in (c.checklist.verdict.error_amount or "")
    )
    answers[wrong.id] = {**answers[wrong.id], "voldaan": "nee", "juist_bedrag": "1.000,00"}
    alone = [score(c, answers[c.id], item(125_000)) for c in controls]  # each control on its own
    evaluated = []
    real = checklist.evaluate_condition
    monkeypatch.setattr(
        checklist, "evaluate_condition", lambda e, ctx: evaluated.append(e.text) or real(e, ctx)
    )
    data = checklist.item_data(item(125_000))
    shared = [score(c, answers[c.id], item(125_000), data) for c in controls]
    assert shared == alone
    assert {v.control_id: v.verdict for v in shared if v.verdict != "voldoet"} == {wrong.id: "fout"}
    assert next(v for v in shared if v.control_id == wrong.id).amount == Decimal("250.00")
    # 'voldaan == nee' is asked of every control, but only twice: with ja and with the one nee.
    assert len(controls) > 10 and evaluated.count("voldaan == 'nee'") == 2
    assert len(evaluated) == len(set(data.outcomes)) < len(controls)


def test_the_item_frame_must_hold_one_row():
    from kic.review.checklist import item_data

    with pytest.raises(ValueError, match="precies één rij"):
        item_data(pd.concat([item(), item()], ignore_index=True))
