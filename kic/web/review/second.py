"""Vier-ogen: the second reviewer reads the submitted review and agrees or sends it back.

The page opens with the first reviewer's verdict and amounts beside the decision form, and shows only the
controls judged fout or onzekerheid until the second reviewer asks for all (``?controles=alle``)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from kic.review.models import TER_REVIEW, Review
from kic.review.service import ReviewError, second_review
from kic.web.database import commit, db
from kic.web.review.common import K, bp, readable_review
from kic.web.review.forms import queue_args, queue_view, stored_answers
from kic.web.review.reviewer import item_page
from kic.web.security import client_address, requires


@bp.route("/beoordelingen/<int:review_id>/vier-ogen")
@requires(K)
def second(review_id: int) -> tuple[str, int]:
    review = _for_second_reviewer(review_id)
    return item_page(review, values=stored_answers(review), second=review.status == TER_REVIEW)


@bp.route("/beoordelingen/<int:review_id>/vier-ogen", methods=["POST"])
@requires(K)
def second_decide(review_id: int) -> ResponseReturnValue:
    review = _for_second_reviewer(review_id)
    agree = request.form.get("besluit") == "akkoord"
    comment = request.form.get("commentaar", "").strip() or None
    try:
        second_review(
            db(),
            review_id,
            actor=g.user.username,
            agree=agree,
            comment=comment,
            expected_version=request.form.get("versie", -1, type=int),
            address=client_address(),
        )
    except ReviewError as exc:
        db().rollback()
        review = readable_review(review_id)
        errors = {"commentaar": [str(exc)]} if not agree and not comment else {}
        return item_page(
            review,
            values={**stored_answers(review), "commentaar": comment or ""},
            errors=errors,
            message=None if errors else f"Niet vastgelegd: {exc}.",
            second=review.status == TER_REVIEW,
            status=409 if not errors else 422,
        )
    commit()
    flash(
        f"Beoordeling {review_id} is "
        + ("afgerond: u gaat akkoord." if agree else "teruggestuurd naar de eerste beoordelaar."),
        "succes",
    )
    return redirect(url_for("review.queue", **queue_args(queue_view(request.args))))


def _for_second_reviewer(review_id: int) -> Review:
    """Only the designated second reviewer, never the first (the use case checks this too)."""
    review = readable_review(review_id)
    if review.second_reviewer != g.user.username or review.reviewer == g.user.username:
        abort(403)
    return review
