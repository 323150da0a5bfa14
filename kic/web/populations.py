"""Populaties: the imported snapshots that samples are drawn from."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from kic.population.files import imported_files
from kic.users import Role
from kic.web.database import db
from kic.web.security import requires

bp = Blueprint("populations", __name__, url_prefix="/populaties")
KIND_LABELS = {"betalingen": "Betalingen", "beschikkingen": "Beschikkingen"}  # PopulationSnapshot.kind


@bp.route("")
@requires(Role.TEAMLEIDER, Role.ACCOUNTANT, Role.BEHEERDER)
def index() -> str:
    """For a user limited to gemeenten: the files that hold their rows, counted over those rows."""
    return render_template(
        "populations/list.html", snapshots=imported_files(db(), g.scope), kind_labels=KIND_LABELS
    )
