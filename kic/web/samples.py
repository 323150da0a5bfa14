"""Steekproeven: the drawn samples, their items, the BSN on request (logged) and the manifest.

The stored words of a sample (method, unit) are shown by their Dutch labels, through the template filters
``methode`` and ``eenheden`` registered here for every page that shows a sample."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template

from kic.audit import record
from kic.plan.labels import METHOD
from kic.plan.schema import Methode
from kic.samples.browse import (
    SampleNotFound,
    get_sample,
    list_samples,
    manifest_json,
    reveal_bsns,
    sample_items,
)
from kic.samples.models import Sample
from kic.users import Role
from kic.vocabulary import Unit
from kic.web.database import commit, db
from kic.web.security import client_address, in_scope, requires

bp = Blueprint("samples", __name__, url_prefix="/steekproeven")
READERS = (Role.TEAMLEIDER, Role.ACCOUNTANT)
# Who needs to see whose payment it is: the teamleider (assigning, questions from reviewers) and the
# accountant (matching with the dossier system). Every display is written to the audit trail.
BSN_READERS = (Role.TEAMLEIDER, Role.ACCOUNTANT)
# sample.method holds the cycle's words, method/selection (mus/interval); the plan's labels name the same
# methods, kic.vocabulary.SELECTIONS the selections.
METHOD_LABELS = {m.method.value: METHOD[m] for m in Methode}
SELECTION_LABELS = {
    "interval": "vast interval",
    "cell": "celmethode",
    "random": "aselect",
    "sieve": "zeefmethode",
    "systematic": "systematisch",
    "systematisch": "systematisch",
    "met_teruglegging": "met teruglegging",
}
UNIT_PLURALS = {Unit.BETALING.value: "betalingen", Unit.BESCHIKKING.value: "beschikkingen"}


@bp.app_template_filter("methode")
def method_label(method: str) -> str:
    """mus/interval -> MUS (monetary unit sampling), vast interval."""
    name, _, selection = method.partition("/")
    label = METHOD_LABELS.get(name, name)
    return f"{label}, {SELECTION_LABELS.get(selection, selection)}" if selection else label


@bp.app_template_filter("eenheden")
def unit_plural(unit: str) -> str:
    """betaling -> betalingen: what the items of a sample are, in the plural."""
    return UNIT_PLURALS.get(unit, unit)


@bp.route("")
@requires(*READERS)
def index() -> str:
    return render_template("samples/list.html", samples=list_samples(db(), g.scope))


@bp.route("/<int:sample_id>")
@requires(*READERS)
def detail(sample_id: int) -> str:
    sample = _sample(sample_id)
    _read(sample, "steekproef.inzien")  # the list names every payment of the sample
    return render_template(
        "samples/detail.html",
        sample=sample,
        items=sample_items(db(), sample_id),
        bsn_shown=False,
        may_see_bsn=g.user.role_enum in BSN_READERS,
    )


@bp.route("/<int:sample_id>/bsn", methods=["POST"])
@requires(*BSN_READERS)
def show_bsn(sample_id: int) -> str:
    """A POST, so the BSN never stands in a URL, browser history or access log."""
    sample = _sample(sample_id)
    items = reveal_bsns(db(), sample_id, actor=g.user.username, address=client_address())
    commit()
    return render_template(
        "samples/detail.html", sample=sample, items=items, bsn_shown=True, may_see_bsn=True
    )


@bp.route("/<int:sample_id>/manifest.json")
@requires(*READERS)
def manifest(sample_id: int) -> Response:
    sample = _sample(sample_id)
    _read(sample, "steekproef.manifest_downloaden")
    return Response(
        manifest_json(sample),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="steekproef-{sample.id}-manifest.json"'},
    )


def _read(sample: Sample, action: str) -> None:
    """Who read which sample is in the audit trail, like item pages, evidence and exports."""
    record(
        db(),
        actor=g.user.username,
        action=action,
        object_type="sample",
        object_id=sample.id,
        address=client_address(),
    )
    commit()


def _sample(sample_id: int) -> Sample:
    try:
        sample = get_sample(db(), sample_id)
    except SampleNotFound:
        abort(404)
    in_scope(sample.gemeente)
    return sample
