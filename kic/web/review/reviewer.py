"""The reviewer's pages: Mijn werkvoorraad, the item page (read and save), evidence."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pandas as pd
from flask import abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from kic.audit import record
from kic.controls.catalogue import Control
from kic.formatting import datum, number, percent
from kic.population.schema import LEEFVORMEN, REGELINGEN
from kic.review.checklist import (
    AUTOMATED_AMOUNT,
    NOT_APPLICABLE_REASON,
    item_questions,
    only_if_answer,
    only_if_text,
)
from kic.review.evidence import EvidenceError, add_document, add_reference, evidence_of, open_document
from kic.review.models import AFGEROND, TER_REVIEW, Review, ReviewControl, ReviewEvidence
from kic.review.queries import (
    QUEUE_STATUS_LABELS,
    QUEUE_STATUSES,
    SECOND,
    STATUS_LABELS,
    Due,
    QueueView,
    SortKey,
    WorkItem,
    arrange,
    automated_results,
    deviates,
    display_names,
    is_returned,
    item_facts,
    may_edit,
    next_item,
    reviewer_progress,
    worklist,
)
from kic.review.service import (
    ItemChecklist,
    ReviewAnswersInvalid,
    ReviewError,
    ReviewFieldInvalid,
    StaleReview,
    item_checklist,
    save_review,
)
from kic.samples.models import Sample
from kic.vocabulary import Verdict
from kic.web.database import commit, db
from kic.web.review.common import A, K, T, bp, catalogue, evidence_store, frame_of, readable_review
from kic.web.review.forms import (
    CONTROLS_ARG,
    REST_FINE,
    answer_errors,
    field_name,
    labels_of,
    only_deviations,
    queue_args,
    queue_view,
    review_input,
    sort_arg,
    stored_answers,
)
from kic.web.security import client_address, requires, wants_json

VERDICT_LABELS = {"voldoet": "voldoet", "fout": "fout", "onzekerheid": "onzekerheid", "nvt": "n.v.t."}


@bp.route("/werkvoorraad")
@requires(K)
def queue() -> str:
    today = date.today()
    view = queue_view(request.args)
    items = worklist(db(), g.user.username, today, g.scope)
    return render_template(
        "review/queue.html",
        items=arrange(items, view, today),
        all_items=items,
        view=view,
        args=queue_args(view),
        options=_filter_options(items, view, today),
        sorting={key: _sort_link(view, key) for key in SortKey},
        progress=reviewer_progress(db(), g.user.username, {i.sample_id for i in items}),
        status_labels=QUEUE_STATUS_LABELS,
        counted=counted,
        percent=percent,
    )


def counted(n: int, one: str, many: str) -> str:
    """``1 post``, ``3 posten``; ``one`` and ``many`` may carry the verb too (``post wacht``)."""
    return f"{number(n)} {one if n == 1 else many}"


def _filter_options(items: list[WorkItem], view: QueueView, today: date) -> dict[str, list[tuple[str, str]]]:
    """The choices of the filter form: the werkvoorraad's own samples and regelingen, and the one in the
    URL even when nothing of it is left (so the form shows what filters)."""
    samples = {i.sample_id: f"{i.sample_id}: {i.regeling} {i.period_label}" for i in items}
    if view.sample_id is not None:
        samples.setdefault(view.sample_id, str(view.sample_id))
    regelingen = {i.regeling for i in items} | ({view.regeling} if view.regeling else set())
    sunday = today + timedelta(days=6 - today.weekday())
    return {
        "steekproef": [(str(k), label) for k, label in sorted(samples.items())],
        "regeling": [(r, r) for r in sorted(regelingen)],
        "status": [(s, QUEUE_STATUS_LABELS[s]) for s in QUEUE_STATUSES],
        "deadline": [
            (Due.TE_LAAT.value, "te laat"),
            (Due.DEZE_WEEK.value, f"deze week (tot en met zondag {datum(sunday)})"),
            (Due.LATER.value, "na deze week"),
            (Due.ZONDER.value, "zonder deadline"),
        ],
    }


# The first click on a column sorts the way a reviewer most often wants it: the largest amount first.
_FIRST_DESCENDING = {SortKey.BEDRAG}


def _sort_link(view: QueueView, key: SortKey) -> tuple[str, str | None]:
    """The URL of a column header (sorting by it; again: the other way round) and its aria-sort."""
    current = view.sort is key
    descending = not view.descending if current else key in _FIRST_DESCENDING
    args = {**queue_args(view), "sorteer": sort_arg(key, descending)}
    url = url_for("review.queue", **{k: v for k, v in args.items() if v})
    return url, ("descending" if view.descending else "ascending") if current else None


@bp.route("/beoordelingen/<int:review_id>")
@requires(K, T, A)
def item(review_id: int) -> ResponseReturnValue:
    review = readable_review(review_id)
    if review.status == TER_REVIEW and review.second_reviewer == g.user.username:
        return redirect(url_for("review.second", review_id=review_id, **queue_args(queue_view(request.args))))
    return item_page(review, values=stored_answers(review))


def item_page(
    review: Review,
    *,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    message: str | None = None,
    second: bool = False,
    status: int = 200,
) -> tuple[str, int]:
    """Render the item page; reading it is logged, as NEN 7513 asks for reading care data."""
    frame = frame_of(review)
    checklist = item_checklist(db(), review, catalogue(), frame)
    controls = checklist.answerable
    sample = db().get(Sample, review.sample_id)
    payment, dossier = (_labelled(facts) for facts in item_facts(frame, sample.unit))  # type: ignore[union-attr]
    record(
        db(),
        actor=g.user.username,
        action="beoordeling.inzien",
        object_type="review",
        object_id=review.id,
        after={"post": review.item_key},
        address=client_address(),
    )
    commit()
    judged = {c.control_id: c for c in review.controls if c.verdict != Verdict.CONCEPT}
    editable = may_edit(review, g.user.username)
    page = render_template(
        "review/item.html",
        review=review,
        sample=sample,
        payment=payment,
        dossier=dossier,
        controls=controls,
        values=values,
        errors=errors or {},
        labels=labels_of(controls),
        message=message,
        day=frame["periode_van"].iloc[0].date(),
        editable=editable,
        second=second,
        causes=[(c.code, f"{c.code} – {c.label}") for c in catalogue().causes],
        automated=automated_results(db(), review, str(frame["regeling"].iloc[0])),
        evidence=evidence_of(db(), review.id),
        status_labels=STATUS_LABELS,
        judged=judged,
        **_checklist_context(checklist, frame, values),
        **_queue_context(review, second=second),
        **_controls_shown(controls, judged, filterable=bool(judged) and not editable, default=second),
    )
    return page, status


# Codes on the item page are shown with what they mean: a reviewer reads "3 – gehuwden/samenwonenden".
_CODE_LABELS = {"Leefvorm": LEEFVORMEN, "Regeling": REGELINGEN}


_YES_NO = {"True": "ja", "False": "nee"}


def _labelled(facts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (
            label,
            f"{value} – {_CODE_LABELS[label][value]}"
            if value in _CODE_LABELS.get(label, {})
            else _YES_NO.get(value, value),
        )
        for label, value in facts
    ]


def _checklist_context(
    checklist: ItemChecklist, frame: pd.DataFrame, values: dict[str, Any]
) -> dict[str, Any]:
    """What the checklist shows beyond the controls: the automated findings first (their amount field starts
    at what the run found), per control the questions that apply to the item with each condition in words,
    and the controls that do not apply with the reason."""
    for finding in checklist.automated:
        name = field_name(finding.control.id, AUTOMATED_AMOUNT)
        if not values.get(name):
            values[name] = f"{finding.difference:.2f}".replace(".", ",")
    questions, hints, shown_after = {}, {}, {}
    for control in checklist.answerable:
        assert control.checklist is not None
        questions[control.id] = item_questions(control.checklist, frame)
        for question in control.checklist.questions:
            name = field_name(control.id, question.id)
            hints[name] = only_if_text(question, control.checklist)
            if (answer := only_if_answer(question)) is not None:  # kic.js shows it after that answer
                shown_after[name] = (field_name(control.id, answer[0]), answer[1])
    return {
        "work": checklist.work,
        "automated_ids": {f.control.id for f in checklist.automated},
        "questions": questions,
        "hints": hints,
        "shown_after": shown_after,
        "not_applicable": [(s.control, s.reason) for s in checklist.not_applicable],
        "rest_fine": REST_FINE,
        "reason_key": NOT_APPLICABLE_REASON,
    }


def _queue_context(review: Review, *, second: bool) -> dict[str, Any]:
    """What ties the item page to the reviewer's werkvoorraad: the filters and order it was opened with,
    the next post in that order, whether the post was sent back or just handed in, and by and to whom."""
    view = queue_view(request.args)
    mine = g.user.role_enum is K
    following = next_item(db(), g.user.username, review.id, view, date.today(), g.scope) if mine else None
    return {
        "args": queue_args(view),
        "next_post": following,
        "next_url": _work_url(following, queue_args(view)) if following else None,
        "returned": is_returned(review),
        "submitted": bool(request.args.get("ingediend"))
        and review.reviewer == g.user.username
        and review.status in (TER_REVIEW, AFGEROND),
        "names": display_names(db(), [review.reviewer, review.second_reviewer]),
        "verdict_labels": VERDICT_LABELS,
        "counted": counted,
        "page_endpoint": "review.second" if second else "review.item",
    }


def _work_url(item: WorkItem, args: dict[str, Any]) -> str:
    endpoint = "review.second" if item.role == SECOND else "review.item"
    return url_for(endpoint, review_id=item.review_id, **args)


def _controls_shown(
    controls: list[Control], judged: dict[str, ReviewControl], *, filterable: bool, default: bool
) -> dict[str, Any]:
    """The checklist of a judged review shows all controls or only those judged fout or onzekerheid."""
    deviating = [c for c in controls if c.id in judged and deviates(judged[c.id].verdict)]
    only = filterable and only_deviations(request.args, default=default)
    return {
        "shown_controls": deviating if only else controls,
        "deviating": deviating,
        "filterable": filterable,
        "only_deviations": only,
        "controls_arg": CONTROLS_ARG,
    }


@bp.route("/beoordelingen/<int:review_id>/opslaan", methods=["POST"])
@requires(K)
def save(review_id: int) -> ResponseReturnValue:
    review = readable_review(review_id)
    if review.reviewer != g.user.username:
        abort(403)  # the use case checks the version, not who saves: only the assigned reviewer may
    frame = frame_of(review)
    checklist = item_checklist(db(), review, catalogue(), frame)
    automated = frozenset(f.control.id for f in checklist.automated)
    submit = "indienen" in request.form
    try:
        save_review(
            db(),
            review_id,
            review_input(request.form, checklist.answerable, frame=frame, automated=automated),
            actor=g.user.username,
            expected_version=request.form.get("versie", -1, type=int),
            submit=submit,
            source="web",
            catalogue=catalogue(),
            address=client_address(),
            frame=frame,
        )
    except ReviewError as exc:
        if wants_json():  # a draft saved by kic.js: the page keeps the answers and says why
            db().rollback()
            return jsonify(melding=str(exc)), 409 if isinstance(exc, StaleReview) else 422
        return _refused(review_id, exc)
    commit()
    if wants_json():
        return jsonify(versie=db().get(Review, review_id).version)  # type: ignore[union-attr]
    args = queue_args(queue_view(request.args))
    if submit:  # the page shows the verdict, where the post went and the next post
        return redirect(url_for("review.item", review_id=review_id, ingediend=1, **args))
    flash("Concept opgeslagen.", "succes")
    return redirect(url_for("review.item", review_id=review_id, **args))


def _refused(review_id: int, exc: ReviewError) -> tuple[str, int]:
    """Show the form again with what the user typed: nothing they entered is lost."""
    db().rollback()
    review = readable_review(review_id)
    values = request.form.to_dict()
    if isinstance(exc, ReviewAnswersInvalid):
        return item_page(review, values=values, errors=answer_errors(exc), status=422)
    if isinstance(exc, ReviewFieldInvalid):
        return item_page(review, values=values, errors={exc.field: [exc.reason]}, status=422)
    if isinstance(exc, StaleReview):
        message = (
            f"Niet opgeslagen: {exc}. Uw antwoorden staan hieronder nog. Bekijk de beoordeling en sla "
            "daarna opnieuw op; dan vervangen uw antwoorden die van de ander."
        )
        return item_page(review, values=values, message=message, status=409)
    return item_page(review, values=values, message=f"Niet opgeslagen: {exc}.", status=409)


@bp.route("/beoordelingen/<int:review_id>/bewijs", methods=["POST"])
@requires(K)
def upload(review_id: int) -> ResponseReturnValue:
    readable_review(review_id)
    document, reference = request.files.get("bestand"), request.form.get("verwijzing", "").strip()
    done = []
    try:
        if document is not None and document.filename:
            evidence = add_document(
                db(),
                review_id,
                document.filename,
                document.read(),
                store=evidence_store(),
                actor=g.user.username,
                address=client_address(),
            )
            done.append(f"Bewijsstuk {evidence.file_name} is toegevoegd.")
        if reference or not done:  # nothing given at all: the use case says what is missing
            add_reference(db(), review_id, reference, actor=g.user.username, address=client_address())
            done.append("De verwijzing naar het dossiersysteem is toegevoegd.")
    except EvidenceError as exc:
        db().rollback()  # a file and a reference land together or not at all
        flash(f"Niet toegevoegd: {exc}.", "fout")
    else:
        commit()
        flash(" ".join(done), "succes")
    args = queue_args(queue_view(request.args))
    return redirect(url_for("review.item", review_id=review_id, _anchor="bewijs", **args))


@bp.route("/bewijs/<int:evidence_id>")
@requires(K, T, A)
def document(evidence_id: int) -> ResponseReturnValue:
    evidence = db().get(ReviewEvidence, evidence_id)
    if evidence is None:
        abort(404)
    readable_review(evidence.review_id)
    try:
        evidence, content = open_document(
            db(), evidence_id, store=evidence_store(), actor=g.user.username, address=client_address()
        )
    except EvidenceError:
        abort(404)
    commit()
    # Always a download, never shown inline: an uploaded HTML file cannot run in kic's origin.
    return send_file(
        io.BytesIO(content),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=evidence.file_name or "bewijs",
        max_age=0,
    )
