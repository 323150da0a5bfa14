"""The workbook round trip, property-based (issue 14): whatever errors a reviewer finds, answers typed in
the Excel workbook are judged exactly as the review service judges the same answers from the web page."""

from __future__ import annotations

import itertools
from decimal import Decimal
from zipfile import ZipFile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kic.controls.catalogue import AnswerType
from kic.controls.loader import load_catalogue
from kic.csvexport import FORMULA_STARTS, xlsx_text
from kic.db import session_scope
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, judge, save_review
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


TEXT = st.tuples(
    st.sampled_from(FORMULA_STARTS),
    st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=60),
).map(
    lambda parts: f"{parts[0]}{parts[1]}x"
)  # a formula's start, anything (not a NUL, not a lone surrogate: refused by kic.db.values), a visible end


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(TEXT, min_size=8, max_size=8), TEXT)
def test_text_answers_that_start_like_a_formula_come_back_as_they_went_out(
    population, tmp_path_factory, texts, note
):
    """Issue 18, item 11: a reviewer's text answers and toelichting, kept as a draft, go out as text
    (never a formula) and the import reads back what went out: the text as a workbook holds it
    (``xlsx_text``: line ends as ``\\n``, characters XML cannot hold as U+FFFD), without the blanks
    around it that the checklist drops from any answer, from the web as from Excel."""
    part = f"tekst-{next(DRAWS)}"
    with session_scope(population) as session:
        sample = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q2"), 1, part=part), seed=part, actor="teamleider"
        )
        [review] = create_reviews(session, sample.id, ["ali"], actor="teamleider")
        item = session.get(SampleItem, review.sample_item_id)
        controls = item_controls(CATALOGUE, item_frame(session, review))
        answers = simulated_answers(controls, item.book_value, Decimal("0.00"), None)
        given_texts = iter(texts)
        typed = {}
        for control in controls:
            for question in control.checklist.questions:
                if question.type is AnswerType.TEKST and (text := next(given_texts, None)) is not None:
                    answers.setdefault(control.id, {})[question.id] = typed[(control.id, question.id)] = text
        save_review(
            session,
            review.id,
            ReviewInput(answers, None, note),
            actor="ali",
            expected_version=review.version,
            submit=False,
            source="web",
        )
        [path] = export_workbooks(session, sample.id, tmp_path_factory.mktemp("uit"), actor="teamleider")
    assert typed, "the item's checklist has text questions"
    with ZipFile(path) as archive:
        checklist = archive.read("xl/worksheets/sheet2.xml").decode()
    assert "<f>" not in checklist
    with session_scope(population) as session:
        import_workbook(session, path, actor="teamleider")
        stored = session.get(Review, review.id)
        back = {k: c.answers[k[1]] for c in stored.controls for k in typed if k[0] == c.control_id}
        assert back == {k: xlsx_text(v).strip() for k, v in typed.items()}
        assert stored.explanation == xlsx_text(note)
