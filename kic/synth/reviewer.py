"""A simulated reviewer for the demo: answers checklists as the synthetic ground truth dictates.

This is not a review: it stands in for the kwaliteitsmedewerker so that ``kic demo`` can run
the whole cycle and show the evaluation next to the true error of the synthetic population.
Every answer is "ja" except where the ground truth (grondwaarheid.csv) has an error on the item:

- an error the export shows: an automated control that found a fout on the item is confirmed (with the
  truth's amount, counted once); without one, one checklist control that fits the error answers "nee"
  with the amount that should have been paid (payment minus foutbedrag);
- an error only the dossier shows is answered on the control the truth names, when the item's checklist
  asks it (its werkproces and van_toepassing_als): a fout as above, an onzekerheid with the answers that
  make the control's ``onzekerheid_als`` hold (the evidence is incomplete), a formal error with the answer
  that gives the control's FORM fout. Automated findings on such an item are false alarms: refuted.

An automated control that found a fout where the truth has none is refuted with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.controls.catalogue import AnswerType, Control, Criterium, Fouttype
from kic.controls.loader import Catalogue
from kic.population.parse import cents_to_decimal, parse_money
from kic.review.checklist import (
    AUTOMATED,
    AUTOMATED_AMOUNT,
    AUTOMATED_REASON,
    CONFIRMED,
    REFUTED,
    AnswersInvalid,
    score,
)
from kic.review.models import Review
from kic.review.service import (
    AutomatedFinding,
    ItemChecklist,
    ReviewInput,
    item_checklist,
    item_frame,
    save_review,
    second_review,
)
from kic.synth.errors import (
    BETALING,
    DOSSIER,
    DOSSIER_ERROR_TYPES,
    ERROR_TYPES,
    FORMEEL,
    FOUT,
    ONZEKERHEID,
    SOORTEN,
)
from kic.vocabulary import ReviewStatus, Verdict

ZERO = Decimal("0.00")

# Which rechtmatigheidscriterium an error seen in the export breaks (docs/synth.md lists the error types).
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
    "VERHUISD_NIET_GEMELD": "klant",  # inlichtingenplicht: the move was not reported
    "INKOMSTEN_NIET_OPGEGEVEN": "klant",
    "BEWIJS_ONTBREEKT": "proces",  # the werkproces let a payment through without its evidence
    "HANDMATIG_NIET_GEACCORDEERD": "proces",
    "IDENTITEIT_NIET_VASTGESTELD": "mens",
    "VERMOGEN_NIET_VASTGESTELD": "proces",
    "BESLUIT_NIET_GEMOTIVEERD": "mens",
    "TERMIJN_OVERSCHREDEN": "proces",
}


def _named_types() -> dict[str, tuple[str, frozenset[str]]]:
    """fouttype of an error only the dossier shows -> (its kind, every control it is named on)."""
    named: dict[str, tuple[str, frozenset[str]]] = {}
    for kind in (*ERROR_TYPES.values(), *DOSSIER_ERROR_TYPES.values()):
        if kind.vindplaats == DOSSIER:
            known = named.get(kind.fouttype, (kind.soort, frozenset()))[1]
            named[kind.fouttype] = (kind.soort, known | frozenset(kind.controls.values()))
    return named


_NAMED = _named_types()


@dataclass(frozen=True)
class TruthRow:
    """One row of grondwaarheid.csv: the error of one payment or beschikking."""

    fouttype: str
    amount: (
        Decimal  # foutbedrag in euros: paid too much (fout), not shown to be right (onzekerheid), 0 (formeel)
    )
    kind: str = FOUT  # fout | onzekerheid | formeel
    control: str | None = None  # the control a reviewer finds it on (errors only the dossier shows)
    unit: str = BETALING  # betaling | beschikking: what the key is


class Truth(dict[str, tuple[str, Decimal]]):
    """The ground truth of a synthetic gemeente. As a mapping: the fouten, key (betaling_id or
    beschikkingsnummer) -> (fouttype, foutbedrag), so that what was paid too much is summed from it as
    before; ``rows`` holds every row, the onzekerheden and formal errors too."""

    def __init__(self, rows: Mapping[str, TruthRow]) -> None:
        super().__init__({k: (r.fouttype, r.amount) for k, r in rows.items() if r.kind == FOUT})
        self.rows: dict[str, TruthRow] = dict(rows)

    def total(self, keys: Iterable[str], kind: str = FOUT) -> Decimal:
        """What the items ``keys`` hold of ``kind``: paid too much (a negative foutbedrag is left out)."""
        rows = (self.rows.get(k) for k in keys)
        return sum((r.amount for r in rows if r is not None and r.kind == kind and r.amount > 0), ZERO)


def read_truth(path: Path) -> Truth:
    """grondwaarheid.csv as a ``Truth``; the older file of payments only (``betaling_id;fouttype;…``) too."""
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    if "betaling_id" in frame.columns:  # every error was a fout on a payment, seen in the export
        frame = frame.rename(columns={"betaling_id": "sleutel"}).assign(
            sleutel_soort=BETALING, soort=FOUT, controle=""
        )
    cents, _bad = parse_money(frame["foutbedrag"])
    return Truth(
        {
            key: TruthRow(fouttype, cents_to_decimal(int(c)), kind or FOUT, control or None, unit or BETALING)
            for key, fouttype, c, kind, control, unit in zip(
                frame["sleutel"],
                frame["fouttype"],
                cents.fillna(0),
                frame["soort"],
                frame["controle"],
                frame["sleutel_soort"],
                strict=True,
            )
        }
    )


def simulated_answers(
    controls: list[Control], book: Decimal, error: Decimal = ZERO, error_type: str | None = None
) -> dict[str, dict[str, str]]:
    """Answers for every checklist control of one item; ``error`` is what was paid too much.

    An error only the dossier shows (``error_type`` of docs/synth.md) is answered on the first of
    ``controls`` it is named on, as its kind asks; any other on a FIN control by criterium."""
    answers = {c.id: _all_fine(c) for c in controls}
    if not error_type:
        return answers
    named = _NAMED.get(error_type)
    target = next((c for c in controls if c.id in named[1]), None) if named else None
    if named and target is not None:
        given = dossier_answers(target, named[0], book, error)
        if given is not None:
            answers[target.id] = given
    elif error != 0:
        control, question = _control_for(controls, error_type)
        answers[control.id] = _wrong(control, question, book, error)
    return answers


def dossier_answers(
    control: Control, kind: str, book: Decimal, error: Decimal, item: pd.DataFrame | None = None
) -> dict[str, str] | None:
    """The answers to ``control`` that record an error of ``kind`` (fout with ``error`` paid too much,
    onzekerheid, formeel). With ``item`` (the item's frame) they are checked by scoring them as the review
    service does; None when no answers of this control give that verdict."""
    options = _options(control, kind, book, error)
    if item is None:
        return next(iter(options), None)
    for answers in options:
        try:
            verdict = score(control, answers, item)
        except AnswersInvalid:
            continue
        if (verdict.verdict, verdict.error_type) in _VERDICT_OF[kind]:
            return answers
    return None


_VERDICT_OF = {
    FOUT: {(Verdict.FOUT, Fouttype.FIN.value)},
    ONZEKERHEID: {(Verdict.ONZEKERHEID, Fouttype.ONZ.value)},
    FORMEEL: {(Verdict.FOUT, Fouttype.FORM.value)},
}


def _options(control: Control, kind: str, book: Decimal, error: Decimal) -> list[dict[str, str]]:
    """Answers that should give ``kind`` on ``control``, the likeliest first."""
    assert control.checklist is not None
    fine = _all_fine(control)
    janee = [q.id for q in control.checklist.questions if q.type is AnswerType.JANEE and q.only_if is None]
    if not janee:
        return []
    first = janee[0]
    if kind == FOUT:
        if control.error_type is not Fouttype.FIN:
            return []
        return [_wrong(control, q, book, error) for q in _amount_question(control)]
    if kind == FORMEEL:
        return [fine | {first: "nee"}] if control.error_type is Fouttype.FORM else []
    if kind not in SOORTEN:
        raise ValueError(f"onbekende soort fout: {kind}")
    # onzekerheid: the evidence is incomplete (onzekerheid_als), else the "nee" of an ONZ control
    uncertain = control.checklist.verdict.uncertain_if or ""
    named = [q for q in janee[1:] if re.search(rf"\b{re.escape(q)}\s*==\s*'nee'", uncertain)]
    options = [fine | {q: "nee"} for q in (*named, *(q for q in janee[1:] if q not in named))]
    if control.error_type is Fouttype.ONZ:
        amounts = _amount_question(control)
        options += [_wrong(control, q, book, book) for q in amounts] or [fine | {first: "nee"}]
    return options


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
            answer[AUTOMATED_AMOUNT] = _dutch(ZERO if booked else error)
            booked = True
        answers[finding.control.id] = answer
    return answers


def books_amount(findings: list[AutomatedFinding]) -> bool:
    """Whether confirming ``findings`` records an amount (a formal finding has none)."""
    return any(f.control.error_type is not Fouttype.FORM for f in findings)


def _dutch(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def item_answers(
    checklist: ItemChecklist, book: Decimal, row: TruthRow | None, item: pd.DataFrame | None = None
) -> tuple[dict[str, dict[str, str]], bool]:
    """The simulated answers of one item (``checklist``: what its reviewer answers; ``row``: its truth) and
    whether they record the truth's error (an error only the dossier shows can lie outside the checklist)."""
    controls, automated = checklist.controls, checklist.automated
    if row is None or (row.control is None and row.amount == 0):
        return simulated_answers(controls, book) | simulated_automated(automated, ZERO), False
    if row.control is None:  # seen in the export: the automated finding carries it, if there is one
        found = books_amount(automated)
        booked = simulated_answers(controls, book, *((ZERO, None) if found else (row.amount, row.fouttype)))
        return booked | simulated_automated(automated, row.amount), True
    answers = simulated_answers(controls, book) | simulated_automated(automated, ZERO)
    target = next((c for c in controls if c.id == row.control), None)
    if target is not None:
        given = dossier_answers(target, row.kind, book, row.amount, item)
        if given is not None:
            answers[target.id] = given
            return answers, True
    finding = next((f for f in automated if f.control.id == row.control), None)
    if finding is not None and row.kind == FOUT:  # its own control found it too: confirmed
        answers[finding.control.id] = simulated_automated([finding], row.amount)[finding.control.id]
        return answers, True
    return answers, False


def simulate_sample(
    session: Session, sample_id: int, truth: Mapping[str, tuple[str, Decimal]], catalogue: Catalogue
) -> tuple[dict[int, dict[str, dict[str, str]]], dict[int, tuple[str, str]]]:
    """Simulated answers for every review of the sample (review id -> control -> question), and the cause
    and explanation of every review whose answers record an error (review id -> (oorzaak, toelichting)).

    ``truth``: ``read_truth``'s ``Truth``, or a plain mapping of fouten (key -> (fouttype, foutbedrag))."""
    rows = _rows(truth)
    answers: dict[int, dict[str, dict[str, str]]] = {}
    notes: dict[int, tuple[str, str]] = {}
    reviews = session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)).all()
    for review in reviews:
        frame = item_frame(session, review)
        checklist = item_checklist(session, review, catalogue, frame)
        row = rows.get(review.item_key)
        book = cents_to_decimal(int(frame["bedrag"].iloc[0]))
        answers[review.id], found = item_answers(checklist, book, row, frame)
        if found and row is not None:
            notes[review.id] = _note(row)
    return answers, notes


def answers_for_sample(
    session: Session, sample_id: int, truth: Mapping[str, tuple[str, Decimal]], catalogue: Catalogue
) -> dict[int, dict[str, dict[str, str]]]:
    """Simulated answers for every open review of the sample (review id -> control -> question)."""
    return simulate_sample(session, sample_id, truth, catalogue)[0]


def _rows(truth: Mapping[str, tuple[str, Decimal]]) -> dict[str, TruthRow]:
    if isinstance(truth, Truth):
        return truth.rows
    return {key: TruthRow(kind, amount) for key, (kind, amount) in truth.items()}


def _note(row: TruthRow) -> tuple[str, str]:
    return CAUSE_OF.get(row.fouttype, "proces"), f"gesimuleerd: {row.fouttype.lower().replace('_', ' ')}"


def hand_in_sample(
    session: Session,
    sample_id: int,
    truth: Mapping[str, tuple[str, Decimal]],
    catalogue: Catalogue,
    source: str = "web",
) -> dict[int, tuple[str, str]]:
    """Hand in the simulated answers of every review of the sample through the review service, each by its
    reviewer (``simulate_sample``); returns the cause and explanation of the reviews that record an error."""
    answers, notes = simulate_sample(session, sample_id, truth, catalogue)
    for review in session.scalars(
        select(Review).where(Review.sample_id == sample_id).order_by(Review.id)
    ).all():
        cause, note = notes.get(review.id, (None, None))
        save_review(
            session,
            review.id,
            ReviewInput(answers[review.id], cause, note),
            actor=review.reviewer,
            expected_version=review.version,
            submit=True,
            source=source,
            catalogue=catalogue,
        )
    return notes


def agree_second_reviews(session: Session) -> int:
    """The simulated second reviewer agrees with every review waiting for her (vier-ogen); returns how many."""
    waiting = session.scalars(select(Review).where(Review.status == ReviewStatus.TER_REVIEW)).all()
    for review in waiting:
        assert review.second_reviewer is not None  # ter review: a second reviewer was assigned
        second_review(
            session,
            review.id,
            actor=review.second_reviewer,
            agree=True,
            comment=None,
            expected_version=review.version,
        )
    return len(waiting)
