"""Teamleider and accountant: reviews per sample with progress, reassigning, drawing the plan's samples,
and the export of all reviews with verdicts and amounts (XLSX and CSV)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from openpyxl import Workbook

from kic.audit import record
from kic.csvexport import append_table, dutch_csv
from kic.errors import KicError
from kic.plan_draw import draw_plan
from kic.population.schema import REGELINGEN
from kic.review.models import BEZIG, STATUSES, TE_DOEN
from kic.review.queries import (
    EXPORT_HEADER,
    STATUS_LABELS,
    export_rows,
    quality_reviewers,
    sample_progress,
    sample_reviews,
    samples_with_reviews,
)
from kic.review.service import ReviewError, reassign
from kic.samples.browse import SampleNotFound, get_sample
from kic.samples.draw import new_seed
from kic.users import User
from kic.web.database import commit, db
from kic.web.review.common import A, T, bp
from kic.web.security import client_address, requires

DRAW_LABELS = {
    "jaar": "Planjaar",
    "periode": "Periode",
    "regeling": "Regeling",
    "beoordelaars": "Beoordelaars",
    "seed": "Seed",
}


@bp.route("/beoordelingen")
@requires(T, A)
def overview() -> str:
    return render_template(
        "review/overview.html",
        samples=samples_with_reviews(db()),
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
    )


@bp.route("/beoordelingen/steekproef/<int:sample_id>")
@requires(T, A)
def sample(sample_id: int) -> str:
    try:
        found = get_sample(db(), sample_id)
    except SampleNotFound:
        abort(404)
    return render_template(
        "review/sample.html",
        sample=found,
        progress=sample_progress(db(), sample_id),
        reviews=sample_reviews(db(), sample_id),
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        reviewers=quality_reviewers(db()),
        open_statuses=(TE_DOEN, BEZIG),
        may_reassign=g.user.role_enum is T,
    )


@bp.route("/beoordelingen/<int:review_id>/herverdelen", methods=["POST"])
@requires(T)
def reassign_review(review_id: int) -> ResponseReturnValue:
    sample_id = request.form.get("steekproef", type=int)
    reviewer = request.form.get("beoordelaar", "").strip()
    try:
        if reviewer not in {u.username for u in quality_reviewers(db())}:
            raise ReviewError("kies een actieve kwaliteitsmedewerker")
        review = reassign(
            db(),
            review_id,
            reviewer,
            actor=g.user.username,
            expected_version=request.form.get("versie", -1, type=int),
            address=client_address(),
        )
    except ReviewError as exc:
        db().rollback()
        flash(f"Niet herverdeeld: {exc}.", "fout")
    else:
        commit()
        sample_id = review.sample_id
        flash(f"Beoordeling {review_id} is nu van {reviewer}.", "succes")
    return redirect(
        url_for("review.sample", sample_id=sample_id) if sample_id else url_for("review.overview")
    )


@bp.route("/beoordelingen/trekken", methods=["GET", "POST"])
@requires(T)
def draw() -> str | tuple[str, int]:
    form = request.form if request.method == "POST" else {"jaar": str(date.today().year)}
    reviewers = quality_reviewers(db())
    if request.method == "GET":
        return _draw_form(form, reviewers, {}, None)
    chosen = request.form.getlist("beoordelaars")
    errors = _draw_problems(form, chosen, {u.username for u in reviewers})
    if errors:
        return _draw_form(form, reviewers, errors, None, 422)
    seed = form.get("seed", "").strip() or new_seed()
    try:
        outcomes = draw_plan(
            db(),
            int(form["jaar"]),
            form["periode"].strip(),
            actor=g.user.username,
            seed=seed,
            regeling=form.get("regeling") or None,
            reviewers=chosen or None,
        )
    except KicError as exc:
        db().rollback()
        return _draw_form(form, reviewers, {}, f"Niets getrokken: {exc}.", 422)
    commit()
    return render_template("review/drawn.html", outcomes=outcomes, seed=seed, reviewers=chosen)


def _draw_problems(form: Mapping[str, str], chosen: list[str], known: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not form.get("jaar", "").strip().isdigit():
        errors["jaar"] = ["vul een jaartal in, bijvoorbeeld 2026"]
    if not form.get("periode", "").strip():
        errors["periode"] = ["vul een periode in: een jaar (2026), kwartaal (2026-Q3) of maand (2026-07)"]
    if form.get("regeling") and form["regeling"] not in REGELINGEN:
        errors["regeling"] = ["kies een regeling uit de lijst"]
    if set(chosen) - known:
        errors["beoordelaars"] = ["kies alleen actieve kwaliteitsmedewerkers"]
    return errors


def _draw_form(
    form: Mapping[str, str],
    reviewers: list[User],
    errors: dict[str, list[str]],
    message: str | None,
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "review/draw.html",
        form=form,
        reviewers=reviewers,
        errors=errors,
        message=message,
        labels=DRAW_LABELS,
        regelingen=[(r, r) for r in REGELINGEN],
        chosen=set(request.form.getlist("beoordelaars")),
    ), status


@bp.route("/beoordelingen/export.csv")
@requires(T, A)
def export_csv() -> Response:
    sample_id = _export_scope()
    text = dutch_csv(EXPORT_HEADER, export_rows(db(), sample_id))
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", "csv", sample_id)


@bp.route("/beoordelingen/export.xlsx")
@requires(T, A)
def export_xlsx() -> Response:
    sample_id = _export_scope()
    book = Workbook()
    sheet = book.active
    sheet.title = "Beoordelingen"
    append_table(sheet, EXPORT_HEADER, export_rows(db(), sample_id))
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        sample_id,
    )


def _export_scope() -> int | None:
    sample_id = request.args.get("steekproef", type=int)
    record(
        db(),
        actor=g.user.username,
        action="beoordeling.exporteren",
        object_type="review",
        after={"steekproef": sample_id, "formaat": request.path.rsplit(".", 1)[1]},
        address=client_address(),
    )
    commit()
    return sample_id


def _download(content: bytes, mimetype: str, extension: str, sample_id: int | None) -> Response:
    name = f"beoordelingen-{'steekproef-' + str(sample_id) if sample_id else date.today().isoformat()}.{extension}"
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
