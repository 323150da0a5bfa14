"""The workbook round trip, property-based (issue 14): whatever errors a reviewer finds, answers typed in
the Excel workbook are judged exactly as the review service judges the same answers from the web page."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, judge
from kic.review.workbook import export_workbooks, fill_answers, import_workbook
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import SampleItem
from kic.synth.reviewer import simulated_answers

CATALOGUE = load_catalogue()
DRAWS = itertools.count(1)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.integers(0, 100), min_size=6, max_size=6))
def test_answers_typed_in_excel_are_judged_as_the_web_judges_them(population, tmp_path_factory, shares):
    """``shares``: per item the percentage of its book value that was paid too much (0: no error)."""
    part = f"proef-{next(DRAWS)}"
    with session_scope(population) as session:
        sample = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q2"), 6, part=part), seed=part, actor="teamleider"
        )
        create_reviews(session, sample.id, ["ali"], actor="teamleider")
        reviews = session.scalars(
            select(Review).where(Review.sample_id == sample.id).order_by(Review.id)
        ).all()
        answers, expected, errors = {}, {}, []
        for review, share in zip(reviews, shares, strict=False):
            item = session.get(SampleItem, review.sample_item_id)
            frame = item_frame(session, review)
            book = item.book_value
            error = (book * share / 100).quantize(Decimal("0.01")) if share else Decimal("0.00")
            given_answers = simulated_answers(
                item_controls(CATALOGUE, frame), book, error, "FIN" if share else None
            )
            answers[review.id] = given_answers
            errors.append(error)
            expected[review.id] = judge(CATALOGUE, frame, ReviewInput(given_answers))
        [path] = export_workbooks(session, sample.id, tmp_path_factory.mktemp("uit"), actor="teamleider")
    wrong = [v for verdicts in expected.values() for v in verdicts if v.verdict == "fout" and v.amount]
    assert bool(wrong) == any(shares[: len(expected)]), (
        "an error of the reviewer is an amount in the workbook"
    )
    fill_answers(path, answers, dict.fromkeys(answers, ("systeem", "proef")))
    with session_scope(population) as session:
        import_workbook(session, path, actor="teamleider")
        for review_id, verdicts in expected.items():
            stored = {c.control_id: (c.verdict, c.amount) for c in session.get(Review, review_id).controls}
            assert stored == {v.control_id: (v.verdict, v.amount) for v in verdicts}
