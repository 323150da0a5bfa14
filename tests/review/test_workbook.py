"""The Excel round trip: export per reviewer, fill in, read back, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kic.db import session_scope
from kic.review.models import Review, ReviewImport
from kic.review.service import ReviewInput, create_reviews, save_review
from kic.review.workbook import (
    CHECKLIST,
    ITEMS,
    WorkbookError,
    export_workbooks,
    fill_answers,
    import_workbook,
)


@pytest.fixture
def workbooks(population, sample_id, tmp_path) -> list[Path]:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider")
        return export_workbooks(session, sample_id, tmp_path / "uit", actor="teamleider")


def fill(
    path: Path, answer=lambda row: "ja" if row[7] == "janee" else None, only_first: bool = False
) -> Path:  # type: ignore[no-untyped-def]
    book = load_workbook(path)
    sheet = book[CHECKLIST]
    first = sheet.cell(2, 1).value
    for row in sheet.iter_rows(min_row=2):
        values = [c.value for c in row]
        if only_first and values[0] != first:
            continue
        value = answer(values)
        if value is not None:
            row[9].value = value
    book.save(path)
    return path


def test_one_workbook_per_reviewer_without_bsn(workbooks):
    assert [p.name.split("-")[-1] for p in workbooks] == ["ali.xlsx", "bea.xlsx"]
    book = load_workbook(workbooks[0])
    headers = [c.value for c in book[ITEMS][1]]
    assert "BSN" not in headers and book["kic"].sheet_state == "hidden"
    assert book[CHECKLIST].data_validations.dataValidation, "answer cells are validated"


def test_a_filled_workbook_records_verdicts_like_the_web_page(population, workbooks):
    with session_scope(population) as session:
        summary = import_workbook(session, fill(workbooks[0]), actor="teamleider")
        reviews = session.scalars(select(Review).where(Review.id.in_(summary.recorded))).all()
        assert summary.recorded and not summary.untouched
        assert {(r.status, r.verdict, r.source) for r in reviews} == {("afgerond", "voldoet", "excel")}


def test_the_same_file_twice_is_refused(population, workbooks):
    filled = fill(workbooks[0])
    with session_scope(population) as session:
        import_workbook(session, filled, actor="teamleider")
    with session_scope(population) as session, pytest.raises(WorkbookError, match="al ingelezen"):
        import_workbook(session, filled, actor="teamleider")


def test_every_bad_answer_is_reported_and_nothing_is_recorded(population, workbooks):
    bad = fill(workbooks[0], answer=lambda row: "misschien" if row[7] == "janee" else None)
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, bad, actor="teamleider")
    problems = caught.value.problems
    assert len(problems) > 10 and all(p.sheet == CHECKLIST and p.column == "J" and p.row for p in problems)
    assert "kies ja, nee of nvt" in str(problems[0])
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(ReviewImport)) == 0
        assert session.scalar(select(func.count()).select_from(Review).where(Review.status != "te_doen")) == 0


def test_an_item_reviewed_elsewhere_after_export_is_refused(population, workbooks):
    filled = fill(workbooks[0], only_first=True)
    first = load_workbook(filled)[CHECKLIST].cell(2, 1).value
    with session_scope(population) as session:
        review = session.get(Review, first)
        save_review(
            session,
            first,
            ReviewInput({}),
            actor="ali",
            expected_version=review.version,
            submit=False,
            source="web",
        )
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, filled, actor="teamleider")
    assert "na de export elders gewijzigd" in str(caught.value.problems[0])


def test_unfilled_items_stay_open(population, workbooks):
    with session_scope(population) as session:
        summary = import_workbook(session, fill(workbooks[0], only_first=True), actor="teamleider")
    assert len(summary.recorded) == 1 and summary.untouched


def test_a_file_that_is_not_a_workbook_is_refused(population, tmp_path):
    junk = tmp_path / "x.xlsx"
    junk.write_text("geen excel")
    with session_scope(population) as session, pytest.raises(WorkbookError, match="geen leesbaar"):
        import_workbook(session, junk, actor="teamleider")


def test_cause_and_explanation_from_the_items_sheet_are_recorded(population, workbooks):
    book = load_workbook(workbooks[0])
    first = book[CHECKLIST].cell(2, 1).value
    fill(workbooks[0], only_first=True)
    fill_answers(workbooks[0], {}, {first: ("systeem", "koppeling met de BRP viel uit")})
    with session_scope(population) as session:
        import_workbook(session, workbooks[0], actor="teamleider")
        review = session.get(Review, first)
        assert (review.cause_code, review.explanation) == ("systeem", "koppeling met de BRP viel uit")


def test_an_unknown_cause_is_refused_with_its_cell(population, workbooks):
    first = load_workbook(workbooks[0])[CHECKLIST].cell(2, 1).value
    fill(workbooks[0], only_first=True)
    fill_answers(workbooks[0], {}, {first: ("pech", "")})
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, workbooks[0], actor="teamleider")
    assert any(
        p.sheet == ITEMS and p.row == 2 and "onbekende oorzaak 'pech'" in p.reason
        for p in caught.value.problems
    )
