"""The simulated reviewer of the demo answers the automated findings of an item from the ground truth."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kic.controls.loader import load_catalogue
from kic.review.checklist import AUTOMATED, AUTOMATED_AMOUNT, AUTOMATED_REASON, CONFIRMED, REFUTED
from kic.review.service import AutomatedFinding
from kic.synth.reviewer import books_amount, simulated_automated

CATALOGUE = load_catalogue()
DAY = date(2026, 5, 1)


def _finding(control_id: str, difference: str = "50.00") -> AutomatedFinding:
    return AutomatedFinding(CATALOGUE.version_for(control_id, DAY), Decimal(difference), None)


def test_a_true_error_is_confirmed_once_with_its_amount():
    findings = [_finding("ALG-15"), _finding("PWLO-08"), _finding("PWLO-06")]  # FORM first, then two FIN
    answers = simulated_automated(findings, Decimal("40.00"))
    assert answers["ALG-15"] == {AUTOMATED: CONFIRMED}, "a formal finding has no amount"
    assert answers["PWLO-08"] == {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "40,00"}
    assert answers["PWLO-06"] == {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "0,00"}, (
        "the one error counted once"
    )
    assert books_amount(findings) and not books_amount(findings[:1])


def test_a_false_alarm_is_refuted_with_a_reason():
    answers = simulated_automated([_finding("PWLO-08")], Decimal("0.00"))
    assert answers["PWLO-08"][AUTOMATED] == REFUTED and answers["PWLO-08"][AUTOMATED_REASON]
