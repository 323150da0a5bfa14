"""The checklist form: field names per control and question, reading it into a ReviewInput, and
putting each problem the use case reports beside its own field."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from kic.controls.catalogue import Control
from kic.review.models import Review
from kic.review.service import ReviewAnswersInvalid, ReviewInput

SEP = "__"
GENERAL = "antwoorden"  # errors that belong to no single field
_STORED_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_STORED_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def field_name(control_id: str, question_id: str) -> str:
    """``ALG-01__voldaan``: the form field (and HTML id) of one question of one control."""
    return f"{control_id}{SEP}{question_id}"


def review_input(form: Mapping[str, str], controls: list[Control]) -> ReviewInput:
    """What the reviewer filled in; empty fields are left out (a draft may be incomplete)."""
    answers: dict[str, dict[str, str]] = {}
    for control in controls:
        assert control.checklist is not None
        given = {
            q.id: (form.get(field_name(control.id, q.id)) or "").strip() for q in control.checklist.questions
        }
        given = {qid: value for qid, value in given.items() if value}
        if given:
            answers[control.id] = given
    return ReviewInput(
        answers, (form.get("oorzaak") or "").strip() or None, (form.get("toelichting") or "").strip() or None
    )


def answer_errors(exc: ReviewAnswersInvalid) -> dict[str, list[str]]:
    """Every problem under the name of its field, as the form macros expect."""
    errors: dict[str, list[str]] = defaultdict(list)
    for invalid in exc.problems:
        for problem in invalid.problems:
            errors[field_name(invalid.control_id, problem.question)].append(problem.reason)
    for control_id in exc.unknown:
        errors[GENERAL].append(f"{control_id}: geen checklistcontrole voor deze post")
    return dict(errors)


def stored_answers(review: Review) -> dict[str, str]:
    """The saved answers as form values; judged amounts and dates back in Dutch notation."""
    values = {
        field_name(c.control_id, qid): _dutch(value)
        for c in review.controls
        for qid, value in c.answers.items()
    }
    values["oorzaak"] = review.cause_code or ""
    values["toelichting"] = review.explanation or ""
    return values


def _dutch(value: object) -> str:
    text = "" if value is None else str(value)
    if _STORED_AMOUNT.match(text):
        return text.replace(".", ",")
    date = _STORED_DATE.match(text)
    return f"{date[3]}-{date[2]}-{date[1]}" if date else text


def labels_of(controls: list[Control]) -> dict[str, str]:
    """Labels for the error summary: control id and question text."""
    labels = {GENERAL: "Antwoorden", "oorzaak": "Oorzaak", "toelichting": "Toelichting"}
    for control in controls:
        assert control.checklist is not None
        for question in control.checklist.questions:
            labels[field_name(control.id, question.id)] = f"{control.id} – {question.text}"
    return labels
