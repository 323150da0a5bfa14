"""What the review views share: the blueprint, the cached catalogue, finding a review the user may see."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, g

from kic.controls.loader import Catalogue, load_catalogue
from kic.review.models import Review
from kic.review.queries import may_read
from kic.users import Role
from kic.web.database import db

bp = Blueprint("review", __name__)
K, T, A = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT


def catalogue() -> Catalogue:
    """The shipped catalogue, read once per app (it changes only with a new release or restart)."""
    if "kic_catalogue" not in current_app.extensions:
        current_app.extensions["kic_catalogue"] = load_catalogue(current_app.config.get("CONTROLS_DIR"))
    return current_app.extensions["kic_catalogue"]


def evidence_store() -> Path:
    return Path(current_app.config.get("EVIDENCE_FOLDER") or Path(current_app.instance_path) / "bewijs")


def readable_review(review_id: int) -> Review:
    """The review, if it exists (404) and this user may see it (403)."""
    review = db().get(Review, review_id)
    if review is None:
        abort(404)
    if not may_read(review, g.user):
        abort(403)
    return review
