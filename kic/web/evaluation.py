"""Evaluatie: what ``kic evaluate`` shows for a quarter or a year — per sample, per regeling and
combined, most likely error and upper limit against the tolerances — and the same as JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request
from werkzeug.datastructures import MultiDict

from kic.errors import KicError
from kic.evaluation import Evaluation, evaluable_periods, evaluate_period, evaluation_json
from kic.evaluation.evaluate import KINDS
from kic.gemeenten import gemeente_names
from kic.periods import PeriodError, parse_period
from kic.users import Role
from kic.web.database import db
from kic.web.review.common import catalogue
from kic.web.security import requires

bp = Blueprint("evaluation", __name__)
READERS = (Role.TEAMLEIDER, Role.ACCOUNTANT)
CONFIDENCES = [("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")]
DEFAULT_CONFIDENCE = "0.95"
LABELS = {"periode": "Periode", "betrouwbaarheid": "Betrouwbaarheid", "gemeente": "Gemeente"}
KIND_LABELS = {"fouten": "Fouten", "onzekerheden": "Onzekerheden", "totaal": "Samen"}


@bp.route("/evaluatie")
@requires(*READERS)
def index() -> tuple[str, int]:
    periods = evaluable_periods(db(), g.scope)
    if "periode" not in request.args:
        return _page(periods, {})
    label, confidence, gemeente, errors = _choice(request.args)
    if errors:
        return _page(periods, errors, status=422)
    try:
        result = evaluate_period(
            db(), label, confidence=confidence, catalogue=catalogue(), gemeente=gemeente or None
        )
    except KicError as exc:
        return _page(periods, {}, message=f"Niet te evalueren: {exc}.", status=422)
    return _page(periods, {}, result=result)


@bp.route("/evaluatie.json")
@requires(*READERS)
def download() -> Response:
    """Exactly what ``kic evaluate --periode P --json`` (or ``--jaar``) prints."""
    label, confidence, gemeente, errors = _choice(request.args)
    if errors:
        abort(
            400, description=f"Niet te evalueren: {'; '.join(m for found in errors.values() for m in found)}."
        )
    try:
        result = evaluate_period(
            db(), label, confidence=confidence, catalogue=catalogue(), gemeente=gemeente or None
        )
    except KicError as exc:
        abort(400, description=f"Niet te evalueren: {exc}.")
    name = "-".join(filter(None, ["evaluatie", gemeente, result.period]))
    return Response(
        evaluation_json(result) + "\n",
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
    )


def gemeente_options() -> list[tuple[str, str]]:
    """The gemeenten the user may evaluate: for the whole installation of several gemeenten the region ('')
    and each gemeente; for a user limited to gemeenten only theirs; none when there is nothing to choose."""
    names = gemeente_names(db())
    mine = [(code, f"{name} ({code})") for code, name in names.items() if g.scope.allows(code)]
    if not g.scope.whole:
        return mine
    return [("", "Hele regio"), *mine] if len(mine) > 1 else []


def _choice(args: MultiDict) -> tuple[str, float, str, dict[str, list[str]]]:
    """The period (a quarter or a year), the confidence and the gemeente ('' the whole region) asked for; what
    cannot be used, by field. A user limited to gemeenten evaluates one of theirs, by default the first."""
    label, errors = args.get("periode", "").strip(), {}
    options = gemeente_options()
    gemeente = args.get("gemeente", "" if g.scope.whole or not options else options[0][0])
    if (gemeente and gemeente not in dict(options)) or (not gemeente and not g.scope.whole):
        errors["gemeente"] = ["kies een gemeente uit de lijst"]
    try:
        period = parse_period(label)
    except PeriodError as exc:
        errors["periode"] = [str(exc)]
    else:
        if not (period.label.isdigit() or "-Q" in period.label):
            errors["periode"] = ["kies een kwartaal (2026-Q3) of een jaar (2026)"]
        label = period.label
    confidence = args.get("betrouwbaarheid", DEFAULT_CONFIDENCE)
    if confidence not in dict(CONFIDENCES):
        errors["betrouwbaarheid"] = ["kies een betrouwbaarheid uit de lijst"]
        confidence = DEFAULT_CONFIDENCE
    return label, float(confidence), gemeente, errors


def _page(
    periods: list[str],
    errors: dict[str, list[str]],
    *,
    result: Evaluation | None = None,
    message: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    options = [(p, f"{p} (heel jaar)" if p.isdigit() else p) for p in periods]
    return render_template(
        "evaluation/index.html",
        periods=options,
        args=request.args,
        errors=errors,
        labels=LABELS,
        confidences=CONFIDENCES,
        gemeenten=gemeente_options(),
        default_confidence=DEFAULT_CONFIDENCE,
        result=result,
        message=message,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
    ), status
