"""Score a reviewer's checklist answers into a verdict and an error amount (pure, no I/O).

A control's checklist (controls/README.md) lists questions and an ``oordeel``: ``fout_als`` and
``onzekerheid_als`` are expressions over the answers and the item's data, ``foutbedrag`` the
amount. The same expression language as the automated checks evaluates them, so a reviewer's
answer ``juist_bedrag`` is money in cents beside the payment's ``bedrag``.

The verdict of one control:
- ``nvt`` when the reviewer answered the first ja/nee question with ``nvt``;
- when ``fout_als`` holds, the control's ``fouttype`` says what it is: ``fout`` for a financial
  (FIN) or formal (FORM) error, ``onzekerheid`` for ONZ (e.g. identity not established: the
  payment cannot be shown to be right). The amount is ``foutbedrag``, or the whole payment when
  that is empty; a formal error has no amount;
- ``onzekerheid`` when ``onzekerheid_als`` holds: the amount is ``foutbedrag`` or the payment;
- ``voldoet`` otherwise.
Every problem with the answers (missing, wrong type, not an option) is reported at once.

Applicability comes from the item's data, not from the reviewer: a control or question with
``van_toepassing_als`` is asked only when that condition holds for the item (``applies``; a value the
data lacks leaves it asked). An automated control that found a fout on the item is a question of its
own (``score_automated``): the reviewer confirms it with the amount, or refutes it with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from kic.controls.catalogue import AnswerType, Checklist, Control, Fouttype, Question
from kic.controls.errors import ExpressionError
from kic.controls.expressions import Context, Expression, evaluate, evaluate_condition, parse
from kic.controls.frame import money_columns
from kic.errors import KicError
from kic.formatting import euro
from kic.population.parse import cents_to_decimal, parse_date, parse_money
from kic.vocabulary import JUDGED

VOLDOET, FOUT, ONZEKERHEID, NVT = JUDGED
VERDICTS = JUDGED
JANEE = ("ja", "nee", "nvt")
# The answers to an automated finding (kic.review.service.AutomatedFinding), under its control's id.
AUTOMATED, AUTOMATED_AMOUNT, AUTOMATED_REASON = "automatisch", "automatisch_bedrag", "automatisch_reden"
CONFIRMED, REFUTED = "bevestigd", "weerlegd"
AUTOMATED_DIFFERENCE = "automatisch_verschil"  # stored beside the answers: what the run found
NOT_APPLICABLE_REASON = "_reden"  # stored for a control that did not apply (no question id starts with _)


@dataclass(frozen=True)
class AnswerProblem:
    """One wrong or missing answer; ``question`` is the question id."""

    question: str
    reason: str


@dataclass(frozen=True)
class ControlVerdict:
    """The outcome of one control for one item."""

    control_id: str
    version: int
    content_hash: str
    verdict: str
    error_type: str | None  # FIN | ONZ | FORM when the verdict is fout or onzekerheid
    amount: Decimal  # € wrongly paid (negative: too little); 0 for voldoet, nvt and FORM
    answers: dict[str, Any]


class AnswersInvalid(KicError, ValueError):
    """The answers cannot be scored; ``problems`` lists every one of them."""

    def __init__(self, control_id: str, problems: list[AnswerProblem]) -> None:
        self.control_id, self.problems = control_id, problems
        super().__init__(f"{control_id}: " + "; ".join(f"{p.question}: {p.reason}" for p in problems))


@dataclass
class ItemData:
    """One item's data as the checklist expressions read it, read once for all of its controls.

    Reading the columns out of the frame costs more than scoring a control, and most controls ask
    the same conditions of the same answers (``voldaan == 'nee'``), so scoring every control of one
    item (``kic.review.service.judge``) reads the columns once, makes one column per distinct answer and
    evaluates each condition once per distinct set of values it reads: ``outcomes`` remembers them.
    """

    columns: dict[str, pd.Series]
    outcomes: dict[tuple, bool] = field(default_factory=dict)
    answers: dict[tuple, pd.Series] = field(default_factory=dict)  # an answer as a column, by type and value


def item_data(item: pd.DataFrame) -> ItemData:
    """``item`` is the one-row control frame of the item (``kic.review.service.item_frame``)."""
    if len(item) != 1:
        raise ValueError("een checklist wordt per post gescoord: geef precies één rij")
    return ItemData({c: item[c].reset_index(drop=True) for c in item.columns})


def applies(condition: str | None, item: pd.DataFrame | ItemData) -> bool:
    """Whether a ``van_toepassing_als`` condition holds for the item; a missing value leaves it asked."""
    if condition is None:
        return True
    data = item if isinstance(item, ItemData) else item_data(item)
    key = ("van_toepassing_als", condition)
    if key not in data.outcomes:
        try:
            result = evaluate_condition(parse(condition), Context(data.columns, money_columns(), 1)).iloc[0]
        except ExpressionError:  # a column the item lacks: asking too much is safer than too little
            result = None
        data.outcomes[key] = True if pd.isna(result) else bool(result)
    return data.outcomes[key]


def item_questions(checklist: Checklist, item: pd.DataFrame | ItemData) -> list[Question]:
    """The questions of ``checklist`` whose own ``van_toepassing_als`` holds for the item."""
    return [q for q in checklist.questions if applies(q.applicable_if, item)]


def fill_unanswered(
    checklist: Checklist, given: Mapping[str, Any], item: pd.DataFrame | ItemData
) -> dict[str, Any]:
    """``given`` with every unanswered ja/nee question asked of everyone answered 'ja' ("alle overige
    vragen: voldoet"); a question asked only after another answer (``alleen_als``) stays open."""
    filled = dict(given)
    for question in item_questions(checklist, item):
        if question.type is AnswerType.JANEE and question.only_if is None and _blank(filled.get(question.id)):
            filled[question.id] = "ja"
    return filled


def applicable_questions(
    checklist: Checklist, answers: Mapping[str, Any], item: pd.DataFrame
) -> list[Question]:
    """The questions to answer, given the answers so far (``alleen_als`` decides)."""
    data = item_data(item)
    return _applicable(checklist, _context(checklist, answers, data), data)


def _applicable(checklist: Checklist, context: Context, data: ItemData) -> list[Question]:
    return [
        q for q in item_questions(checklist, data) if q.only_if is None or _holds(q.only_if, context, data)
    ]


def parse_answers(checklist: Checklist, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """Typed answers from what a reviewer typed (text from a form or cell, or typed cell values)."""
    known = {q.id: q for q in checklist.questions}
    problems = [AnswerProblem(k, "onbekende vraag") for k in raw if k not in known]
    typed: dict[str, Any] = {}
    for qid, question in known.items():
        value = raw.get(qid)
        if _blank(value):
            continue
        parsed, reason = _parse_one(question, value)
        if reason:
            problems.append(AnswerProblem(qid, reason))
        else:
            typed[qid] = parsed
    return typed, problems


def score(
    control: Control, raw: Mapping[str, Any], item: pd.DataFrame, data: ItemData | None = None
) -> ControlVerdict:
    """The verdict and amount of ``control`` for one item (``item``: its one-row control frame;
    ``data``: ``item_data(item)`` when the caller scores more controls of the same item)."""
    checklist = control.checklist
    if checklist is None:
        raise ValueError(f"controle {control.id} heeft geen checklist")
    data = item_data(item) if data is None else data
    answers, problems = parse_answers(checklist, raw)
    context = _context(checklist, answers, data)
    needed = _applicable(checklist, context, data)
    if _not_applicable(checklist, answers):
        return _verdict(control, NVT, None, Decimal("0.00"), answers)
    wrong = {p.question for p in problems}
    problems += [
        AnswerProblem(q.id, "antwoord ontbreekt")
        for q in needed
        if q.id not in answers and q.id not in wrong and q.type is not AnswerType.TEKST
    ]
    if problems:
        raise AnswersInvalid(control.id, problems)
    if _holds(checklist.verdict.error_if, context, data):
        kind = control.error_type.value
        amount = Decimal("0.00") if kind == Fouttype.FORM.value else _amount(checklist, context)
        return _verdict(control, ONZEKERHEID if kind == Fouttype.ONZ.value else FOUT, kind, amount, answers)
    if checklist.verdict.uncertain_if and _holds(checklist.verdict.uncertain_if, context, data):
        return _verdict(control, ONZEKERHEID, Fouttype.ONZ.value, _amount(checklist, context), answers)
    return _verdict(control, VOLDOET, None, Decimal("0.00"), answers)


def _verdict(
    control: Control, verdict: str, kind: str | None, amount: Decimal, answers: dict[str, Any]
) -> ControlVerdict:
    return ControlVerdict(
        control.id,
        control.version,
        control.content_hash,
        verdict,
        kind,
        amount,
        {k: _jsonable(v) for k, v in answers.items()},
    )


def not_applicable(control: Control, reason: str) -> ControlVerdict:
    """The verdict of a control whose condition does not hold for the item, with the reason in words."""
    return _verdict(control, NVT, None, Decimal("0.00"), {NOT_APPLICABLE_REASON: reason})


def automated_checklist(control: Control, difference: Decimal, explanation: str | None) -> Checklist:
    """The questions of an automated finding, written as a checklist so that every face (the web form, the
    review workbook) shows and reads them as it does any other; ``score_automated`` scores them."""
    found = "De geautomatiseerde controle keurde deze post af"
    found += f": {explanation}" if explanation else ""
    if control.error_type is not Fouttype.FORM:
        found += f" (verschil {euro(difference)})"
    questions: list[dict[str, Any]] = [
        {
            "id": AUTOMATED,
            "tekst": f"{found}. Klopt die uitkomst?",
            "type": "keuze",
            "opties": [CONFIRMED, REFUTED],
        }
    ]
    if control.error_type is not Fouttype.FORM:
        confirmed = f"{AUTOMATED} == '{CONFIRMED}'"
        questions.append(
            {
                "id": AUTOMATED_AMOUNT,
                "tekst": "Welk bedrag is ten onrechte betaald?",
                "type": "bedrag",
                "alleen_als": confirmed,
            }
        )
    refuted = f"{AUTOMATED} == '{REFUTED}'"
    questions.append(
        {
            "id": AUTOMATED_REASON,
            "tekst": "Waarom klopt de uitkomst niet?",
            "type": "tekst",
            "alleen_als": refuted,
        }
    )
    rule = {"fout_als": f"{AUTOMATED} == '{CONFIRMED}'", "foutbedrag": AUTOMATED_AMOUNT}
    return Checklist.model_validate({"vragen": questions, "oordeel": rule})


def only_if_answer(question: Question) -> tuple[str, str] | None:
    """``(question id, value)`` when ``alleen_als`` is one answer compared with one value (``voldaan == 'nee'``):
    the page can then show the question only after that answer."""
    match = _ONE_ANSWER.match(question.only_if or "")
    return (match[1], match[2]) if match else None


def only_if_text(question: Question, checklist: Checklist) -> str | None:
    """``alleen_als`` in words for the page (``Alleen nodig als het antwoord op de eerste vraag nee is.``),
    never the expression; a condition that is not one answer compared with a value gets a general sentence."""
    if question.only_if is None:
        return None
    answer = only_if_answer(question)
    asked = {q.id: q for q in checklist.questions}
    if answer is None or answer[0] not in asked:
        return "Alleen nodig bij bepaalde eerdere antwoorden."
    asked_id, value = answer
    if asked_id == AUTOMATED:
        return f"Alleen nodig als u de uitkomst {'bevestigt' if value == CONFIRMED else 'weerlegt'}."
    text = " ".join(asked[asked_id].text.split())
    if len(text) <= 80:
        return f"Alleen nodig als het antwoord op ‘{text}’ {value} is."
    first = checklist.questions[0].id == asked_id
    return f"Alleen nodig als het antwoord op de {'eerste vraag' if first else 'vraag hierboven'} {value} is."


_ONE_ANSWER = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*==\s*'([^']*)'\s*$")


def score_automated(control: Control, difference: Decimal, raw: Mapping[str, Any]) -> ControlVerdict:
    """The reviewer's answer to an automated control that found a fout: ``bevestigd`` with the amount (the
    amount is not asked for a formal error) gives the control's fouttype, ``weerlegd`` with a reason voldoet."""
    choice = str(raw.get(AUTOMATED) or "").strip().lower()
    problems: list[AnswerProblem] = []
    answers: dict[str, Any] = {AUTOMATED: choice, AUTOMATED_DIFFERENCE: difference}
    kind = control.error_type
    if choice == CONFIRMED:
        amount = Decimal("0.00")
        if kind is not Fouttype.FORM:
            parsed: Decimal | None = None
            reason: str | None = "vul het bedrag in dat ten onrechte is betaald"
            if not _blank(raw.get(AUTOMATED_AMOUNT)):
                parsed, reason = _parse_amount(raw.get(AUTOMATED_AMOUNT))
            if reason or parsed is None:
                problems.append(AnswerProblem(AUTOMATED_AMOUNT, reason or "geen bedrag"))
            else:
                amount = answers[AUTOMATED_AMOUNT] = parsed
    elif choice == REFUTED:
        reason_given = str(raw.get(AUTOMATED_REASON) or "").strip()
        if not reason_given:
            problems.append(AnswerProblem(AUTOMATED_REASON, "geef de reden waarom de uitkomst niet klopt"))
        answers[AUTOMATED_REASON] = reason_given
    else:
        problems.append(AnswerProblem(AUTOMATED, "bevestig of weerleg de uitkomst"))
    if problems:
        raise AnswersInvalid(control.id, problems)
    if choice == REFUTED:
        return _verdict(control, VOLDOET, None, Decimal("0.00"), answers)
    verdict = ONZEKERHEID if kind is Fouttype.ONZ else FOUT
    return _verdict(control, verdict, kind.value, amount, answers)


def _not_applicable(checklist: Checklist, answers: Mapping[str, Any]) -> bool:
    first = next((q for q in checklist.questions if q.type is AnswerType.JANEE), None)
    return first is not None and answers.get(first.id) == "nvt"


def _amount(checklist: Checklist, context: Context) -> Decimal:
    """``foutbedrag`` in euros, or the whole payment when it cannot be computed from the answers."""
    book = context.columns["bedrag"].iloc[0]
    if checklist.verdict.error_amount:
        values, money = evaluate(parse(checklist.verdict.error_amount), context)
        value = values.iloc[0]
        if value is not None and not pd.isna(value):
            cents = Decimal(str(value)) * (1 if money else 100)
            return cents_to_decimal(int(cents.to_integral_value()))
    return cents_to_decimal(int(book))


def _context(checklist: Checklist, answers: Mapping[str, Any], data: ItemData) -> Context:
    """The item's columns and one column per question of this checklist (all shared, never changed)."""
    columns: dict[str, pd.Series] = dict(data.columns)
    money = set(money_columns())
    for question in checklist.questions:
        value = answers.get(question.id)
        if question.type is AnswerType.BEDRAG:
            money.add(question.id)
        key = (question.type, value)
        if key not in data.answers:
            data.answers[key] = _answer_column(question.type, value)
        columns[question.id] = data.answers[key]
    return Context(columns, money, 1)


def _answer_column(kind: AnswerType, value: Any) -> pd.Series:
    if kind is AnswerType.BEDRAG:
        return pd.Series([None if value is None else int(value * 100)], dtype="Int64")
    if kind is AnswerType.DATUM:
        return pd.Series([pd.Timestamp(value) if value else pd.NaT], dtype="datetime64[s]")
    return pd.Series([value], dtype="string")


def _holds(text: str, context: Context, data: ItemData) -> bool:
    try:
        expression = parse(text)
        key = _outcome_key(expression, context)
        if key is not None and key in data.outcomes:
            return data.outcomes[key]
        result = evaluate_condition(expression, context).iloc[0]
    except ExpressionError as exc:
        raise ExpressionError(f"'{text}': {exc}") from None
    holds = bool(result) if not pd.isna(result) else False
    if key is not None:
        data.outcomes[key] = holds
    return holds


def _outcome_key(expression: Expression, context: Context) -> tuple | None:
    """What the outcome of ``expression`` depends on: the type, value and money-ness of every column it
    reads (None when it reads a column the context lacks: evaluating it reports that)."""
    if not expression.names <= context.columns.keys():
        return None
    parts = []
    for name in sorted(expression.names):
        column = context.columns[name]
        value = column.iloc[0]
        parts.append((name, str(column.dtype), None if pd.isna(value) else value, name in context.money))
    key = (expression.text, *parts)
    try:
        hash(key)
    except TypeError:  # a value that cannot be a key: evaluate every time
        return None
    return key


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (not isinstance(value, str | date) and pd.isna(value))
    )


def _parse_one(question: Question, value: Any) -> tuple[Any, str | None]:
    match question.type:
        case AnswerType.JANEE:
            text = str(value).strip().lower()
            return (text, None) if text in JANEE else (None, "kies ja, nee of nvt")
        case AnswerType.KEUZE:
            options = question.options or []
            text = str(value).strip()
            return (text, None) if text in options else (None, f"kies uit: {', '.join(options)}")
        case AnswerType.BEDRAG:
            return _parse_amount(value)
        case AnswerType.DATUM:
            return _parse_date(value)
    return str(value).strip(), None


def _parse_amount(value: Any) -> tuple[Decimal | None, str | None]:
    """Euros from a Dutch amount text (``1.234,56``) or a number cell, exact to the cent."""
    if isinstance(value, bool):
        return None, "geen bedrag"
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return None, "geen bedrag"
        if amount != amount.quantize(Decimal("0.01")):
            return None, "een bedrag heeft hooguit twee decimalen"
        return amount.quantize(Decimal("0.01")), None
    cents, bad = parse_money(pd.Series([str(value)]))
    if bad[0] or pd.isna(cents.iloc[0]):
        return None, "geen bedrag (schrijf bijvoorbeeld 1.234,56)"
    return cents_to_decimal(int(cents.iloc[0])), None


def _parse_date(value: Any) -> tuple[date | None, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    parsed, bad = parse_date(pd.Series([str(value)]))
    if bad[0] or pd.isna(parsed.iloc[0]):
        return None, "geen datum (schrijf dd-mm-jjjj)"
    return parsed.iloc[0].date(), None


def _jsonable(value: Any) -> Any:
    """Dates as ISO text and amounts as ``"12.50"``: stored answers parse back to the same values."""
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value
