"""Populaties: the imported snapshots that samples are drawn from."""

from __future__ import annotations

from flask import Blueprint, render_template

from kic.population import active_snapshots
from kic.users import Role
from kic.web.database import db
from kic.web.security import requires

bp = Blueprint("populations", __name__, url_prefix="/populaties")
KIND_LABELS = {"betalingen": "Betalingen", "beschikkingen": "Beschikkingen"}  # PopulationSnapshot.kind


@bp.route("")
@requires(Role.TEAMLEIDER, Role.ACCOUNTANT, Role.BEHEERDER)
def index() -> str:
    return render_template("populations/list.html", snapshots=active_snapshots(db()), kind_labels=KIND_LABELS)
