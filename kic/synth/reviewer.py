"""A simulated reviewer for the demo: answers checklists as the synthetic ground truth dictates.

This is not a review: it stands in for the kwaliteitsmedewerker so that ``kic demo`` can run
the whole cycle and show the evaluation next to the true error of the synthetic population.
Every answer is "ja" except on one control that fits the injected error, where the reviewer
says "nee" and gives the amount that should have been paid (payment minus foutbedrag). An automated
control that found a fout on the item is confirmed when the truth has an error there (with the
truth's amount, counted once) and refuted with a reason when it has none.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.controls.catalogue import AnswerType, Control, Criterium, Fouttype
from kic.controls.loader import Catalogue
from kic.population.parse import cents_to_decimal, parse_money
from kic.review.checklist import AUTOMATED, AUTOMATED_AMOUNT, AUTOMATED_REASON, CONFIRMED, REFUTED
from kic.review.models import Review
from kic.review.service import AutomatedFinding, item_checklist, item_frame

# Which rechtmatigheidscriterium an injected error breaks (docs/synth.md lists the error types).
CRITERION_OF = {
    "GEEN_BESCHIKKING": Criterium.VOORWAARDEN,
    "BUITEN_PERIODE": Criterium.DUUR,
    "VOLUME_BOVEN_TOEWIJZING": Criterium.LEVERING,
    "DUBBELE_BETALING": Criterium.CALCULATIE,
    "BEDRAG_BOVEN_BESCHIKKING": Criterium.CALCULATIE,
    "TARIEF_BOVEN_CONTRACT": Criterium.CALCULATIE,
    "NORM_ONJUIST": Criterium.CALCULATIE,
    "INKOMSTEN_NIET_VERREKEND": Criterium.CALCULATIE,
}


# The cause a reviewer would most likely give each injected error (controls/oorzaken.yaml).
CAUSE_OF = {
    "GEEN_BESCHIKKING": "proces",
    "BUITEN_PERIODE": "systeem",
    "VOLUME_BOVEN_TOEWIJZING": "proces",
    "DUBBELE_BETALING": "systeem",
    "BEDRAG_BOVEN_BESCHIKKING": "mens",
    "TARIEF_BOVEN_CONTRACT": "proces",
    "NORM_ONJUIST": "mens",
    "INKOMSTEN_NIET_VERREKEND": "klant",
}


def simulated_answers(
    controls: list[Control], book: Decimal, error: Decimal = Decimal("0.00"), error_type: str | None = None
) -> dict[str, dict[str, str]]:
    """Answers for every checklist control of one item; ``error`` is what was paid too much."""
    answers = {c.id: _all_fine(c) for c in controls}
    if error_type and error != 0:
        control, question = _control_for(controls, error_type)
        answers[control.id] = _wrong(control, question, book, error)
    return answers


def _all_fine(control: Control) -> dict[str, str]:
    assert control.checklist is not None
    return {
        q.id: "ja" for q in control.checklist.questions if q.type is AnswerType.JANEE and q.only_if is None
    }


def _control_for(controls: list[Control], error_type: str) -> tuple[Control, str]:
    """The first FIN control with an amount question, preferring the criterium the error breaks."""
    fitting = [(c, q) for c in controls for q in _amount_question(c) if c.error_type is Fouttype.FIN]
    if not fitting:
        raise ValueError("geen checklistcontrole met een bedragvraag om de fout op te boeken")
    wanted = CRITERION_OF.get(error_type)
    return next(((c, q) for c, q in fitting if c.criterion is wanted), fitting[0])


def _amount_question(control: Control) -> list[str]:
    assert control.checklist is not None
    formula = control.checklist.verdict.error_amount or ""
    return [q.id for q in control.checklist.questions if q.type is AnswerType.BEDRAG and q.id in formula][:1]


def _wrong(control: Control, question: str, book: Decimal, error: Decimal) -> dict[str, str]:
    assert control.checklist is not None
    answers = _all_fine(control)
    first = next(q.id for q in control.checklist.questions if q.type is AnswerType.JANEE)
    answers[first] = "nee"
    formula = (control.checklist.verdict.error_amount or "").replace(" ", "")
    value = book - error if formula == f"bedrag-{question}" else error
    answers[question] = _dutch(value)
    return answers


def simulated_automated(findings: list[AutomatedFinding], error: Decimal) -> dict[str, dict[str, str]]:
    """Answers to the automated findings of one item: confirmed when ``error`` (the truth) is not zero, the
    amount on the first finding that has one and zero on the others (one error, counted once); refuted
    with a reason when the truth has no error."""
    answers: dict[str, dict[str, str]] = {}
    booked = False
    for finding in findings:
        if error == 0:
            answers[finding.control.id] = {
                AUTOMATED: REFUTED,
                AUTOMATED_REASON: "gesimuleerd: het dossier weerlegt deze uitkomst",
            }
            continue
        answer = {AUTOMATED: CONFIRMED}
        if finding.control.error_type is not Fouttype.FORM:
            answer[AUTOMATED_AMOUNT] = _dutch(Decimal("0.00") if booked else error)
            booked = True
        answers[finding.control.id] = answer
    return answers


def books_amount(findings: list[AutomatedFinding]) -> bool:
    """Whether confirming ``findings`` records an amount (a formal finding has none)."""
    return any(f.control.error_type is not Fouttype.FORM for f in findings)


def _dutch(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def read_truth(path: Path) -> dict[str, tuple[str, Decimal]]:
    """betaling_id -> (fouttype, foutbedrag in euros) from grondwaarheid.csv."""
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    cents, _bad = parse_money(frame["foutbedrag"])
    return {
        pid: (kind, cents_to_decimal(int(c)))
        for pid, kind, c in zip(frame["betaling_id"], frame["fouttype"], cents.fillna(0), strict=True)
    }


def answers_for_sample(
    session: Session, sample_id: int, truth: dict[str, tuple[str, Decimal]], catalogue: Catalogue
) -> dict[int, dict[str, dict[str, str]]]:
    """Simulated answers for every open review of the sample (review id -> control -> question)."""
    result = {}
    reviews = session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)).all()
    for review in reviews:
        frame = item_frame(session, review)
        checklist = item_checklist(session, review, catalogue, frame)
        kind, error = truth.get(review.item_key, (None, Decimal("0.00")))
        book = cents_to_decimal(int(frame["bedrag"].iloc[0]))
        found = books_amount(checklist.automated)  # the automated finding carries the error: not again
        result[review.id] = simulated_answers(
            checklist.controls, book, *((Decimal("0.00"), None) if found else (error, kind))
        ) | simulated_automated(checklist.automated, error)
    return result


def notes_for_sample(
    session: Session, sample_id: int, truth: dict[str, tuple[str, Decimal]]
) -> dict[int, tuple[str, str]]:
    """Cause code and explanation for every review of the sample whose payment is wrong in the truth."""
    reviews = session.scalars(select(Review).where(Review.sample_id == sample_id)).all()
    return {
        r.id: (
            CAUSE_OF.get(truth[r.item_key][0], "proces"),
            f"gesimuleerd: {truth[r.item_key][0].lower().replace('_', ' ')}",
        )
        for r in reviews
        if r.item_key in truth and truth[r.item_key][1] != 0
    }
