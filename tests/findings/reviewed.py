"""A small gemeente with PW-LO samples, fully reviewed; errors where a test puts them.

Shared by the findings, reports and scheduling tests (their conftest files load this module). The
reviews go through the real path: simulated answers (kic.synth.reviewer) handed in with
``save_review``, so the verdicts per control come from the checklist, not from the test.
"""

from __future__ import annotations

from decimal import Decimal

from helpers import ensure_team  # tests/helpers: the team's accounts
from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, save_review
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import BESCHIKKING, SampleItem
from kic.synth.reviewer import answers_for_sample, simulated_answers

CATALOGUE = load_catalogue()


def reviewed_sample(
    engine,
    quarter: str,
    errors: dict[int, Decimal],
    *,
    n: int = 8,  # type: ignore[no-untyped-def]
    cause: str = "proces",
    regeling: str = "PW-LO",
) -> list[int]:
    """Draw and review a sample; ``errors`` maps an item's position (0-based) to what was paid too much.

    Returns the review ids in item order.
    """
    with session_scope(engine) as session:
        sample = draw_sample(
            session, SampleSpec(regeling, parse_period(quarter), n=n), seed=f"t-{quarter}", actor="teamleider"
        )
        ensure_team(session, ["anna", "bram"])
        reviews = create_reviews(session, sample.id, ["anna", "bram"], actor="teamleider")
        ids = [r.id for r in sorted(reviews, key=lambda r: r.sample_item_id)]
        payments = {r.id: r.item_key for r in reviews}
        truth = {payments[ids[pos]]: ("NORM_ONJUIST", amount) for pos, amount in errors.items()}
        answers = answers_for_sample(session, sample.id, truth, CATALOGUE)
        for review in session.scalars(select(Review).where(Review.sample_id == sample.id)):
            wrong = review.item_key in truth
            save_review(
                session,
                review.id,
                ReviewInput(answers[review.id], cause if wrong else None),
                actor=review.reviewer,
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        return ids


def reviewed_decisions(  # type: ignore[no-untyped-def]
    engine, quarter: str, wrong: int, n: int = 4, purpose: str = "statistisch"
) -> int:
    """A sample of PW-LO beschikkingen decided in ``quarter``, reviewed; the first ``wrong`` with a fout."""
    with session_scope(engine) as session:
        spec = SampleSpec(
            "PW-LO",
            parse_period(quarter),
            n,
            "items",
            "random",
            purpose,
            date_column="besluitdatum",
            unit=BESCHIKKING,
        )
        sample = draw_sample(session, spec, seed="aanvragen", actor="teamleider")
        ensure_team(session, ["anna", "bram"])
        reviews = sorted(
            create_reviews(session, sample.id, ["anna", "bram"], actor="teamleider"),
            key=lambda r: r.sample_item_id,
        )
        for position, review in enumerate(reviews):
            controls = item_controls(CATALOGUE, item_frame(session, review))
            book = session.get(SampleItem, review.sample_item_id).book_value
            bad = position < wrong
            answers = simulated_answers(
                controls, book, Decimal("50.00") if bad else Decimal("0.00"), "NORM_ONJUIST" if bad else None
            )
            save_review(
                session,
                review.id,
                ReviewInput(answers, "mens" if bad else None),
                actor=review.reviewer,
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        return sample.id
