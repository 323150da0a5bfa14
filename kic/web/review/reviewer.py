"""The reviewer's pages: Mijn werkvoorraad, the item page (read and save), evidence."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import abort, flash, g, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from kic.audit import record
from kic.review.evidence import EvidenceError, add_document, add_reference, evidence_of, open_document
from kic.review.models import TER_REVIEW, Review, ReviewEvidence
from kic.review.queries import STATUS_LABELS, automated_results, item_facts, may_edit, worklist
from kic.review.service import (
    ReviewAnswersInvalid,
    ReviewError,
    ReviewFieldInvalid,
    StaleReview,
    item_controls,
    save_review,
)
from kic.samples.models import Sample
from kic.vocabulary import Verdict
from kic.web.database import commit, db
from kic.web.review.common import A, K, T, bp, catalogue, evidence_store, frame_of, readable_review
from kic.web.review.forms import answer_errors, labels_of, review_input, stored_answers
from kic.web.security import client_address, requires, wants_json


@bp.route("/werkvoorraad")
@requires(K)
def queue() -> str:
    return render_template(
        "review/queue.html", items=worklist(db(), g.user.username, date.today()), status_labels=STATUS_LABELS
    )


@bp.route("/beoordelingen/<int:review_id>")
@requires(K, T, A)
def item(review_id: int) -> ResponseReturnValue:
    review = readable_review(review_id)
    if review.status == TER_REVIEW and review.second_reviewer == g.user.username:
        return redirect(url_for("review.second", review_id=review_id))
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
    controls = item_controls(catalogue(), frame)
    sample = db().get(Sample, review.sample_id)
    payment, dossier = item_facts(frame, sample.unit)  # type: ignore[union-attr]
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
        editable=may_edit(review, g.user.username),
        second=second,
        causes=[(c.code, f"{c.code} – {c.label}") for c in catalogue().causes],
        automated=automated_results(db(), review, str(frame["regeling"].iloc[0])),
        evidence=evidence_of(db(), review.id),
        status_labels=STATUS_LABELS,
        judged={c.control_id: c for c in review.controls if c.verdict != Verdict.CONCEPT},
    )
    return page, status


@bp.route("/beoordelingen/<int:review_id>/opslaan", methods=["POST"])
@requires(K)
def save(review_id: int) -> ResponseReturnValue:
    review = readable_review(review_id)
    if review.reviewer != g.user.username:
        abort(403)  # the use case checks the version, not who saves: only the assigned reviewer may
    frame = frame_of(review)
    controls = item_controls(catalogue(), frame)
    submit = "indienen" in request.form
    try:
        save_review(
            db(),
            review_id,
            review_input(request.form, controls),
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
    if submit:
        flash(f"Beoordeling {review_id} ({review.item_key}) is ingediend.", "succes")
        return redirect(url_for("review.queue"))
    flash("Concept opgeslagen.", "succes")
    return redirect(url_for("review.item", review_id=review_id))


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
    return redirect(url_for("review.item", review_id=review_id, _anchor="bewijs"))


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
