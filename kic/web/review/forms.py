"""The checklist form: field names per control and question, reading it into a ReviewInput, and
putting each problem the use case reports beside its own field; the werkvoorraad's filters and order, read
from and written to the URL."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from kic.controls.catalogue import Control
from kic.review.checklist import fill_unanswered
from kic.review.models import Review
from kic.review.queries import QUEUE_STATUSES, Due, QueueView, SortKey
from kic.review.service import ReviewAnswersInvalid, ReviewInput

SEP = "__"
GENERAL = "antwoorden"  # errors that belong to no single field
_STORED_AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
_STORED_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def field_name(control_id: str, question_id: str) -> str:
    """``ALG-01__voldaan``: the form field (and HTML id) of one question of one control."""
    return f"{control_id}{SEP}{question_id}"


REST_FINE = "overige_voldoet"  # the checkbox "Alle overige vragen: voldoet"


def review_input(
    form: Mapping[str, str],
    controls: list[Control],
    *,
    frame: pd.DataFrame | None = None,
    automated: frozenset[str] = frozenset(),
) -> ReviewInput:
    """What the reviewer filled in; empty fields are left out (a draft may be incomplete). With the checkbox
    "Alle overige vragen: voldoet" ticked, every still unanswered ja/nee question of the checklist is 'ja'
    (``frame``: the item, for which questions apply); the ``automated`` findings are never answered for the
    reviewer."""
    fill = bool(form.get(REST_FINE))
    answers: dict[str, dict[str, str]] = {}
    for control in controls:
        assert control.checklist is not None
        given = {
            q.id: (form.get(field_name(control.id, q.id)) or "").strip() for q in control.checklist.questions
        }
        given = {qid: value for qid, value in given.items() if value}
        if fill and frame is not None and control.id not in automated:
            given = {k: str(v) for k, v in fill_unanswered(control.checklist, given, frame).items()}
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
    labels = {
        GENERAL: "Antwoorden",
        "oorzaak": "Oorzaak",
        "toelichting": "Toelichting",
        REST_FINE: "Alle overige vragen: voldoet",
    }
    for control in controls:
        assert control.checklist is not None
        for question in control.checklist.questions:
            labels[field_name(control.id, question.id)] = f"{control.id} – {question.text}"
    return labels


# The werkvoorraad's filters and order stand in the URL: a reviewer can bookmark them, and the item pages
# carry them along, so that "Volgende post" follows the order the reviewer chose.
QUEUE_ARGS = ("steekproef", "regeling", "status", "deadline", "sorteer")


def queue_view(args: Mapping[str, str]) -> QueueView:
    """The werkvoorraad's filters and order from the URL. A value that means nothing (an old bookmark, a
    typed URL) is left out rather than refused: the page opens with what can be used."""
    sample = (args.get("steekproef") or "").strip()
    status = args.get("status")
    deadline = args.get("deadline")
    sort = (args.get("sorteer") or "").strip()
    key = sort.removeprefix("-")
    known = key in SortKey._value2member_map_
    return QueueView(
        sample_id=int(sample) if sample.isdigit() else None,
        regeling=(args.get("regeling") or "").strip() or None,
        status=status if status in QUEUE_STATUSES else None,
        due=Due(deadline) if deadline and deadline in Due._value2member_map_ else None,
        sort=SortKey(key) if known else SortKey.DEADLINE,
        descending=known and sort.startswith("-"),
    )


def queue_args(view: QueueView) -> dict[str, Any]:
    """The URL parameters of ``view`` (the inverse of ``queue_view``); defaults are left out. (``Any``:
    they go to ``url_for`` as keyword arguments, which its types do not foresee for str.)"""
    args = {
        "steekproef": None if view.sample_id is None else str(view.sample_id),
        "regeling": view.regeling,
        "status": view.status,
        "deadline": None if view.due is None else view.due.value,
        "sorteer": sort_arg(view.sort, view.descending),
    }
    return {name: value for name, value in args.items() if value}


def sort_arg(key: SortKey, descending: bool) -> str | None:
    """``bedrag`` up, ``-bedrag`` down; the default order (deadline, first due first) needs none."""
    if key is SortKey.DEADLINE and not descending:
        return None
    return ("-" if descending else "") + key.value


CONTROLS_ARG = "controles"  # alle | afwijkingen: which controls a judged review shows


def only_deviations(args: Mapping[str, str], *, default: bool) -> bool:
    """Show only the controls judged fout or onzekerheid? Vier-ogen starts with those (``default``)."""
    chosen = args.get(CONTROLS_ARG)
    return default if chosen not in ("alle", "afwijkingen") else chosen == "afwijkingen"
