"""Teamleider and accountant: reviews per sample with progress, reassigning, drawing the plan's samples,
and the export of all reviews with verdicts and amounts (XLSX and CSV)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from openpyxl import Workbook

from kic.audit import record
from kic.csvexport import append_table, dutch_csv
from kic.errors import KicError
from kic.plan.labels import METHOD_SHORT
from kic.plan.preview import draw_preview, fingerprint
from kic.plan_draw import draw_plan
from kic.population.schema import REGELINGEN
from kic.review.models import STATUSES, Review
from kic.review.progress import (
    OPEN,
    VERDICT_LABELS,
    Counts,
    draw_workload,
    plan_line_names,
    reviewer_progress,
    sample_progress,
    samples_progress,
)
from kic.review.queries import EXPORT_HEADER, STATUS_LABELS, export_rows, quality_reviewers, sample_reviews
from kic.review.service import ReviewError, reassign
from kic.samples.browse import SampleNotFound, get_sample
from kic.samples.draw import new_seed
from kic.samples.models import Sample, SampleItem
from kic.users import User
from kic.web.database import commit, db
from kic.web.review.common import A, T, bp, readable_review
from kic.web.security import client_address, in_scope, requires

DRAW_LABELS = {
    "jaar": "Planjaar",
    "periode": "Periode",
    "regeling": "Regeling",
    "beoordelaars": "Beoordelaars",
    "seed": "Seed",
}
PREVIEW, CONFIRM = "voorbeeld", "trekken"  # the two steps of the draw form (field ``stap``)


def counted(n: int, one: str, many: str) -> str:
    """``1 post``, ``3 posten``: a count with the Dutch singular or plural."""
    return f"{n} {one if n == 1 else many}"


def _controls_dir() -> Path | None:
    folder = current_app.config.get("CONTROLS_DIR")
    return Path(folder) if folder else None


@bp.route("/beoordelingen")
@requires(T, A)
def overview() -> str:
    samples = samples_progress(db(), _controls_dir(), g.scope)
    totals = Counts(dict(sum((Counter(s.counts.per_status) for s in samples), Counter())))
    return render_template(
        "review/overview.html",
        samples=samples,
        totals=totals,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
    )


@bp.route("/beoordelingen/steekproef/<int:sample_id>")
@requires(T, A)
def sample(sample_id: int) -> tuple[str, int]:
    found = _sample(sample_id)
    reviews = sample_reviews(db(), sample_id)
    selected = (
        {r.id for r, _ in reviews if r.status in OPEN} if request.args.get("selecteer") == "alle" else set()
    )
    return _sample_page(found, reviews, selected)


def _sample(sample_id: int) -> Sample:
    try:
        found = get_sample(db(), sample_id)
    except SampleNotFound:
        abort(404)
    in_scope(found.gemeente)
    return found


def _sample_page(
    found: Sample,
    reviews: list[tuple[Review, SampleItem]],
    selected: set[int],
    *,
    message: str | None = None,
    chosen: str = "",
    status: int = 200,
) -> tuple[str, int]:
    return render_template(
        "review/sample.html",
        sample=found,
        progress=sample_progress(db(), found, _controls_dir()),
        per_reviewer=reviewer_progress(db(), found.id),
        reviews=reviews,
        statuses=STATUSES,
        status_labels=STATUS_LABELS,
        verdict_labels=VERDICT_LABELS,
        reviewers=quality_reviewers(db(), found),
        open_statuses=OPEN,
        open_count=sum(1 for r, _ in reviews if r.status in OPEN),
        may_reassign=g.user.role_enum is T,
        selected=selected,
        chosen=chosen,
        message=message,
    ), status


@bp.route("/beoordelingen/<int:review_id>/herverdelen", methods=["POST"])
@requires(T)
def reassign_review(review_id: int) -> ResponseReturnValue:
    """One review to another reviewer (the sample page reassigns through ``reassign_selected``)."""
    sample_id = request.form.get("steekproef", type=int)
    reviewer = request.form.get("beoordelaar", "").strip()
    found = readable_review(review_id)  # 404 for a review of another gemeente
    try:
        if reviewer not in {u.username for u in quality_reviewers(db(), db().get(Sample, found.sample_id))}:
            raise ReviewError(
                "kies een actieve kwaliteitsmedewerker die voor de gemeente van deze post werkt"
            )
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


@bp.route("/beoordelingen/steekproef/<int:sample_id>/herverdelen", methods=["POST"])
@requires(T)
def reassign_selected(sample_id: int) -> ResponseReturnValue:
    """The selected open reviews of a sample to one reviewer: all of them in one transaction, or none.

    Each change goes through ``kic.review.service.reassign`` (its rules, its audit event); a single refusal
    undoes the others, and the page names every item that could not be moved, with the selection kept.
    """
    found = _sample(sample_id)
    reviewer = request.form.get("beoordelaar", "").strip()
    versions = _selection(request.form.getlist("posten"))
    reviews = sample_reviews(db(), sample_id)
    users = {u.username: u for u in quality_reviewers(db(), found)}
    if reviewer not in users:
        problems = ["kies een actieve kwaliteitsmedewerker"]
    elif not versions:
        problems = ["kies ten minste één post"]
    else:
        moved, already, problems = _reassign_all(reviews, versions, reviewer)
    if problems:
        db().rollback()
        message = f"Niets herverdeeld: {'; '.join(problems)}."
        return _sample_page(
            found,
            sample_reviews(db(), sample_id),
            set(versions),
            message=message,
            chosen=reviewer,
            status=422,
        )
    commit()
    name = users[reviewer].display_name
    text = f"{counted(moved, 'post is', 'posten zijn')} nu van {name}."
    if already:
        text += f" {counted(already, 'geselecteerde post was', 'geselecteerde posten waren')} al van {name}."
    flash(text, "succes")
    return redirect(url_for("review.sample", sample_id=sample_id))


def _selection(values: list[str]) -> dict[int, int]:
    """The ticked reviews as id -> the version the page showed (``12:3``)."""
    chosen = {}
    for value in values:
        review_id, _, version = value.partition(":")
        if review_id.isdigit() and version.isdigit():
            chosen[int(review_id)] = int(version)
    return chosen


def _reassign_all(
    reviews: list[tuple[Review, SampleItem]], versions: dict[int, int], reviewer: str
) -> tuple[int, int, list[str]]:
    """Reassign every selected review; (moved, already the reviewer's, problems). The caller commits or
    rolls back: nothing is kept when there is a problem."""
    by_id = {review.id: review for review, _ in reviews}
    moved, already, problems = 0, 0, []
    for review_id, version in sorted(versions.items()):
        review = by_id.get(review_id)
        if review is None:
            problems.append(f"beoordeling {review_id} hoort niet bij deze steekproef")
            continue
        if review.reviewer == reviewer and review.version == version:
            already += 1
            continue
        key = review.item_key
        try:
            reassign(
                db(),
                review_id,
                reviewer,
                actor=g.user.username,
                expected_version=version,
                address=client_address(),
            )
        except ReviewError as exc:
            problems.append(f"{key}: {exc}")
            if not db().is_active:  # the flush failed: the transaction can only be rolled back
                break
        else:
            moved += 1
    return moved, already, problems


@bp.route("/beoordelingen/trekken", methods=["GET", "POST"])
@requires(T, whole=True)  # the plan is drawn for the whole installation
def draw() -> str | tuple[str, int]:
    """Draw the plan's samples in two steps: a preview that writes nothing, then the explicit confirmation.

    The confirmation carries the preview's fingerprint; a draw that would differ from what was shown (the
    population or the plan changed in between) is rolled back and the new preview shown instead.
    """
    reviewers = quality_reviewers(db())
    if request.method == "GET":
        return _draw_form({"jaar": str(date.today().year)}, reviewers, {})
    form = request.form
    chosen = form.getlist("beoordelaars")
    errors = _draw_problems(form, chosen, {u.username for u in reviewers})
    if errors:
        return _draw_form(form, reviewers, errors, status=422)
    if form.get("stap") != CONFIRM:
        return _preview_page(form, reviewers, chosen)
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
            controls_dir=_controls_dir(),
        )
    except KicError as exc:
        db().rollback()
        return _draw_form(form, reviewers, {}, f"Niets getrokken: {exc}.", 422)
    if fingerprint((o.part_id, o.period, o.n, o.gemeente) for o in outcomes) != form.get("vingerafdruk"):
        db().rollback()
        return _preview_page(
            form,
            reviewers,
            chosen,
            "Niets getrokken: de populatie of het controleplan is veranderd sinds het voorbeeld. "
            "Bekijk het nieuwe voorbeeld hieronder en trek opnieuw.",
            409,
        )
    commit()
    year = int(form["jaar"])
    return render_template(
        "review/drawn.html",
        outcomes=outcomes,
        seed=seed,
        reviewers=chosen,
        lines=plan_line_names(year, _controls_dir()),
        drawn=sum(1 for o in outcomes if o.sample is not None),
        names={u.username: u.display_name for u in reviewers},
    )


def _preview_page(
    form: Mapping[str, str],
    reviewers: list[User],
    chosen: list[str],
    message: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    try:
        preview = draw_preview(
            db(),
            int(form["jaar"]),
            form["periode"].strip(),
            regeling=form.get("regeling") or None,
            controls_dir=_controls_dir(),
        )
    except KicError as exc:
        db().rollback()
        return _draw_form(form, reviewers, {}, f"Niets te trekken: {exc}.", 422)
    workload = draw_workload(db(), [(line.n, line.part.second_reviewer) for line in preview.lines], chosen)
    db().rollback()  # the preview only reads; make sure nothing of this request is kept
    names = {u.username: u.display_name for u in reviewers}
    return _draw_form(form, reviewers, {}, message, status, preview=preview, workload=workload, names=names)


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
    message: str | None = None,
    status: int = 200,
    **preview: Any,
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
        method_labels=METHOD_SHORT,
        confirm=CONFIRM,
        **preview,
    ), status


@bp.route("/beoordelingen/export.csv")
@requires(T, A)
def export_csv() -> Response:
    sample_id = _export_scope()
    text = dutch_csv(EXPORT_HEADER, export_rows(db(), sample_id, g.scope))
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8", "csv", sample_id)


@bp.route("/beoordelingen/export.xlsx")
@requires(T, A)
def export_xlsx() -> Response:
    sample_id = _export_scope()
    book = Workbook()
    sheet = book.active
    sheet.title = "Beoordelingen"
    append_table(sheet, EXPORT_HEADER, export_rows(db(), sample_id, g.scope))
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        sample_id,
    )


def _export_scope() -> int | None:
    """The sample asked for (or None: every sample the user may see), recorded in the audit trail."""
    sample_id = request.args.get("steekproef", type=int)
    if sample_id is not None:
        _sample(sample_id)
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
